"""The deadlines pages, mounted at /deadlines/. Periods in paths are written 2026-27."""

from django.urls import path

from cycle import views

app_name = "cycle"

urlpatterns = [
    path("", views.deadlines_view, name="deadlines"),
    path("<text:period>/", views.deadlines_edit_view, name="deadlines-edit"),
]
