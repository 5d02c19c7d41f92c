"""People administration pages, mounted at /people/."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("me/", views.own_details_view, name="me"),
    path("<id:pk>/", views.person_detail_view, name="detail"),
    path("<id:pk>/change/", views.person_change_view, name="change"),
    path("<id:pk>/deactivate/", views.person_deactivate_view, name="deactivate"),
    path("<id:pk>/reactivate/", views.person_reactivate_view, name="reactivate"),
    path("invitations/", views.invitation_list_view, name="invitations"),
    path("invitations/new/", views.invite_view, name="invite"),
    path("invitations/<id:pk>/resend/", views.invitation_resend_view, name="invitation-resend"),
    path("invitations/<id:pk>/cancel/", views.invitation_cancel_view, name="invitation-cancel"),
    path("sso/", views.sso_mapping_list_view, name="sso-mappings"),
    path("sso/new/", views.sso_mapping_create_view, name="sso-mapping-new"),
    path("sso/<id:pk>/change/", views.sso_mapping_change_view, name="sso-mapping-change"),
    path("sso/<id:pk>/delete/", views.sso_mapping_delete_view, name="sso-mapping-delete"),
    path("sso/requests/<id:pk>/dismiss/", views.sso_request_dismiss_view, name="sso-request-dismiss"),
    path("accept/<text:token>/", views.accept_view, name="accept"),
]
