from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("new/", views.report_create_view, name="create"),
    path("<int:pk>/", views.report_detail_view, name="detail"),
    path("<int:pk>/status/", views.report_status_view, name="status"),
    path("<int:pk>/download/", views.report_download_view, name="download"),
]
