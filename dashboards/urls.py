from django.urls import path

from dashboards import security, views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.force_dashboard_view, name="force"),
    path("national/", views.national_view, name="national"),
    path("national/export.csv", views.national_export, name="national-export"),
    path("national/capacity.csv", views.capacity_export, name="capacity-export"),
    path("national/security-events/", security.security_events_view, name="security-events"),
]
