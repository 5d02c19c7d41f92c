"""The HMIC workspace's pages, mounted at /inspection/."""

from django.urls import path

from inspection import views

app_name = "inspection"

urlpatterns = [
    path("requests/", views.request_list_view, name="requests"),
    path("requests/new/", views.request_create_view, name="request-create"),
    path("requests/<int:pk>/", views.request_detail_view, name="request-detail"),
    path("requests/<int:pk>/answer/", views.request_answer_view, name="request-answer"),
    path("requests/<int:pk>/accept/", views.request_accept_view, name="request-accept"),
    path(
        "requests/<int:pk>/evidence/<int:evidence_pk>/download/",
        views.request_evidence_download_view,
        name="request-evidence-download",
    ),
    path("findings/", views.finding_list_view, name="findings"),
    path("findings/new/", views.finding_create_view, name="finding-create"),
    path("findings/<int:pk>/", views.finding_detail_view, name="finding-detail"),
    path("findings/<int:pk>/respond/", views.finding_respond_view, name="finding-respond"),
    path("findings/<int:pk>/close/", views.finding_close_view, name="finding-close"),
]
