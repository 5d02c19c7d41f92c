"""Pages of the self-assessment. Requirement refs such as `3.2(a)(ii)` hold dots and parentheses,
so they are matched with <str:ref> (anything but "/")."""

from django.urls import path

from assessments import views

app_name = "assessments"

# The departures and actions registers are the same pages over a different `views.REGISTERS` entry.
DEPARTURES = {"register": "departures"}
ACTIONS = {"register": "actions"}

urlpatterns = [
    path("assessments/", views.assessment_list_view, name="list"),
    path("assessments/new/", views.assessment_create_view, name="create"),
    path("assessments/<int:pk>/", views.assessment_detail_view, name="detail"),
    path("assessments/<int:pk>/check/", views.check_answers_view, name="check"),
    path("assessments/<int:pk>/requirements/<str:ref>/", views.response_view, name="response"),
    path(
        "assessments/<int:pk>/requirements/<str:ref>/challenges/",
        views.response_challenge_view,
        name="response-challenge",
    ),
    path("assessments/<int:pk>/submit/", views.submit_view, name="submit"),
    path("assessments/<int:pk>/return/", views.transition_view, {"action": "return"}, name="return"),
    path("assessments/<int:pk>/respond/", views.transition_view, {"action": "respond"}, name="respond"),
    path("assessments/<int:pk>/sign-off/", views.transition_view, {"action": "sign_off"}, name="sign-off"),
    path("assessments/<int:pk>/publish/", views.transition_view, {"action": "publish"}, name="publish"),
    path("assessments/<int:pk>/revise/", views.transition_view, {"action": "revise"}, name="revise"),
    path("assessments/<int:pk>/challenges/", views.challenge_list_view, name="challenges"),
    path(
        "assessments/<int:pk>/challenges/<int:challenge_pk>/reply/",
        views.challenge_thread_view,
        {"verb": "reply"},
        name="challenge-reply",
    ),
    path(
        "assessments/<int:pk>/challenges/<int:challenge_pk>/close/",
        views.challenge_thread_view,
        {"verb": "close"},
        name="challenge-close",
    ),
    path("assessments/<int:pk>/history/", views.history_view, name="history"),
    path("assessments/<int:pk>/departures/", views.register_list_view, DEPARTURES, name="departures"),
    path("assessments/<int:pk>/departures/new/", views.register_form_view, DEPARTURES, name="departure-create"),
    path(
        "assessments/<int:pk>/departures/<int:departure_pk>/",
        views.register_form_view,
        DEPARTURES,
        name="departure-edit",
    ),
    path("assessments/<int:pk>/actions/", views.register_list_view, ACTIONS, name="actions"),
    path("assessments/<int:pk>/actions/new/", views.register_form_view, ACTIONS, name="action-create"),
    path("assessments/<int:pk>/actions/<int:action_pk>/", views.register_form_view, ACTIONS, name="action-edit"),
    path("evidence/", views.evidence_list_view, name="evidence-list"),
    path("evidence/new/", views.evidence_create_view, name="evidence-create"),
    path("evidence/<int:pk>/", views.evidence_detail_view, name="evidence-detail"),
    path("evidence/<int:pk>/download/", views.evidence_download_view, name="evidence-download"),
]
