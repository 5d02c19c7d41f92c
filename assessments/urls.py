"""Pages of the self-assessment. Requirement refs such as `3.2(a)(ii)` hold dots and parentheses,
so they are matched with <text:ref> (anything but "/" and control characters: core.converters)."""

from django.urls import path

from assessments import views

app_name = "assessments"

# The departures and actions registers are the same pages over a different `views.REGISTERS` entry.
DEPARTURES = {"register": "departures"}
ACTIONS = {"register": "actions"}

urlpatterns = [
    path("my-tasks/", views.my_tasks_view, name="my-tasks"),
    path("assessments/", views.assessment_list_view, name="list"),
    path("assessments/new/", views.assessment_create_view, name="create"),
    path("assessments/<id:pk>/", views.assessment_detail_view, name="detail"),
    path("assessments/<id:pk>/check/", views.check_answers_view, name="check"),
    path("assessments/<id:pk>/requirements/<text:ref>/", views.response_view, name="response"),
    path("assessments/<id:pk>/requirements/<text:ref>/owner/", views.response_owner_view, name="response-owner"),
    path(
        "assessments/<id:pk>/requirements/<text:ref>/challenges/",
        views.response_challenge_view,
        name="response-challenge",
    ),
    path("assessments/<id:pk>/submit/", views.submit_view, name="submit"),
    path("assessments/<id:pk>/return/", views.transition_view, {"action": "return"}, name="return"),
    path("assessments/<id:pk>/respond/", views.transition_view, {"action": "respond"}, name="respond"),
    path("assessments/<id:pk>/sign-off/", views.transition_view, {"action": "sign_off"}, name="sign-off"),
    path("assessments/<id:pk>/publish/", views.transition_view, {"action": "publish"}, name="publish"),
    path("assessments/<id:pk>/revise/", views.transition_view, {"action": "revise"}, name="revise"),
    path("assessments/<id:pk>/challenges/", views.challenge_list_view, name="challenges"),
    path(
        "assessments/<id:pk>/challenges/<id:challenge_pk>/reply/",
        views.challenge_thread_view,
        {"verb": "reply"},
        name="challenge-reply",
    ),
    path(
        "assessments/<id:pk>/challenges/<id:challenge_pk>/close/",
        views.challenge_thread_view,
        {"verb": "close"},
        name="challenge-close",
    ),
    path("assessments/<id:pk>/history/", views.history_view, name="history"),
    path("assessments/<id:pk>/workbook/", views.workbook_download_view, name="workbook"),
    path("assessments/<id:pk>/workbook/import/", views.workbook_import_view, name="workbook-import"),
    path("assessments/<id:pk>/workbook/import/confirm/", views.workbook_confirm_view, name="workbook-confirm"),
    path("assessments/<id:pk>/departures/", views.register_list_view, DEPARTURES, name="departures"),
    path("assessments/<id:pk>/departures/new/", views.register_form_view, DEPARTURES, name="departure-create"),
    path(
        "assessments/<id:pk>/departures/<id:departure_pk>/",
        views.register_form_view,
        DEPARTURES,
        name="departure-edit",
    ),
    path("assessments/<id:pk>/actions/", views.register_list_view, ACTIONS, name="actions"),
    path("assessments/<id:pk>/actions/new/", views.register_form_view, ACTIONS, name="action-create"),
    path("assessments/<id:pk>/actions/<id:action_pk>/", views.register_form_view, ACTIONS, name="action-edit"),
    path("evidence/", views.evidence_list_view, name="evidence-list"),
    path("evidence/new/", views.evidence_create_view, name="evidence-create"),
    path("evidence/<id:pk>/", views.evidence_detail_view, name="evidence-detail"),
    path("evidence/<id:pk>/download/", views.evidence_download_view, name="evidence-download"),
    path("evidence/<id:pk>/share/", views.evidence_share_view, name="evidence-share"),
    path("evidence/<id:pk>/unshare/", views.evidence_unshare_view, name="evidence-unshare"),
]
