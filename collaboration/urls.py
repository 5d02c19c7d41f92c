"""Collaboration agreement pages, mounted at /agreements/."""

from django.urls import path

from collaboration import views

app_name = "collaboration"

urlpatterns = [
    path("", views.agreement_list_view, name="agreement-list"),
    path("new/", views.agreement_create_view, name="agreement-create"),
    path("<id:pk>/", views.agreement_detail_view, name="agreement-detail"),
    path("<id:pk>/change/", views.agreement_edit_view, name="agreement-edit"),
    path("<id:pk>/confirm/", views.agreement_confirm_view, name="agreement-confirm"),
    path("<id:pk>/parties/", views.agreement_parties_view, name="agreement-parties"),
    path(
        "<id:pk>/parties/<slug:force_code>/remove/",
        views.agreement_party_remove_view,
        name="agreement-party-remove",
    ),
]
