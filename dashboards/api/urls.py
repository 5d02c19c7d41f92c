from django.urls import path

from dashboards.api import views

urlpatterns = [
    path("dashboard/force/<slug:code>/", views.ForceDashboardAPIView.as_view(), name="api-dashboard-force"),
    path("dashboard/national/", views.NationalDashboardAPIView.as_view(), name="api-dashboard-national"),
    path("dashboard/capacity/", views.CapacityDashboardAPIView.as_view(), name="api-dashboard-capacity"),
]
