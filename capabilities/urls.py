from django.urls import path

from capabilities import views

app_name = "editions"

urlpatterns = [
    path("", views.edition_list_view, name="list"),
    path("<slug:code>/", views.edition_detail_view, name="detail"),
    # Refs such as "3.2(a)(i)" hold dots and parentheses: <text:> takes anything but "/" and control
    # characters (core.converters).
    path("<slug:code>/requirements/<text:ref>/", views.requirement_detail_view, name="requirement"),
]
