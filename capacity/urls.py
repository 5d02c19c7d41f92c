"""Capacity planning pages, mounted at /capacity/. Periods in paths are written 2025-26."""

from django.urls import path

from capacity import views

app_name = "capacity"

urlpatterns = [
    path("", views.capacity_view, name="capacity"),
    path("expected/", views.expected_view, name="expected"),
    path("expected/upload/", views.expected_upload_view, name="expected-upload"),
    path("capabilities/new/", views.capability_form_view, name="capability-create"),
    path("capabilities/<slug:code>/", views.capability_form_view, name="capability-edit"),
    path("<slug:force_code>/<text:period>/<slug:capability_code>/", views.commitment_form_view, name="commitment"),
]
