from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("new/", views.report_create_view, name="create"),
    path("<id:pk>/", views.report_detail_view, name="detail"),
    path("<id:pk>/status/", views.report_status_view, name="status"),
    path("<id:pk>/download/", views.report_download_view, name="download"),
]
