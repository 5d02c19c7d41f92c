import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections

from assessments import services, workflow
from assessments.models import Assessment, AssessmentStatus, Challenge, Evidence, Response, Snapshot, Transition
from assessments.snapshots import snapshot_payload, snapshot_sha256
from core.exceptions import Conflict
from core.roles import Role
from tests.workflow_support import ORDER, advance, answer_all, assessment_in

S = AssessmentStatus


@pytest.fixture
def people(staff_user, chief_user, pcc_user, inspector_user, national_admin_user, other_staff_user, make_user):
    return {
        "staff": staff_user,
        "chief": chief_user,
        "pcc": pcc_user,
        "inspector": inspector_user,
        "admin": national_admin_user,
        "other_staff": other_staff_user,
        "other_pcc": make_user(Role.PCC, "kent", "pcc-other"),
        "other_chief": make_user(Role.CHIEF_CONSTABLE, "kent", "chief-other"),
    }


@pytest.fixture
def build(people, forces, spr2012):
    def _build(state: str, period: str = "2025/26") -> Assessment:
        return assessment_in(
            state, force=forces["west-midlands"], edition=spr2012, staff=people["staff"], chief=people["chief"],
            pcc=people["pcc"], period=period,
        )

    return _build


def _call(action: str, user, assessment: Assessment):
    kwargs = {"user": user, "assessment": assessment}
    if action == "return":
        kwargs["note"] = "Please add the CBRN exercise evidence"
    if action in ("respond", "sign_off"):
        kwargs["statement"] = "A statement"
    return workflow.ACTIONS[action](**kwargs)


ALLOWED = {
    ("submit", S.DRAFT): {"staff"},
    ("return", S.SUBMITTED): {"pcc", "chief"},
    ("return", S.RESPONDED): {"pcc", "chief"},
    ("respond", S.SUBMITTED): {"chief"},
    ("sign_off", S.RESPONDED): {"pcc"},
    ("publish", S.SIGNED_OFF): {"pcc"},
    ("revise", S.PUBLISHED): {"staff"},
}
ROLE_HOLDERS = {
    "submit": {"staff"}, "return": {"pcc", "chief"}, "respond": {"chief"}, "sign_off": {"pcc"},
    "publish": {"pcc"}, "revise": {"staff"},
}


EVERYONE = ("staff", "chief", "pcc", "inspector", "admin", "other_staff", "other_pcc", "other_chief")


@pytest.mark.parametrize("state", ORDER)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_every_transition_for_every_role_and_state(build, people, action, state):
    """Everyone who may not is refused and nothing changes: a role that may never do it (or another
    force's people) gets PermissionDenied (403), a role that may but not in this state gets Conflict
    (409). Then each allowed role moves the state and a Transition records who, from and to."""
    allowed = sorted(ALLOWED.get((action, state), set()))
    assessment = build(state)
    for who in EVERYONE:
        if who in allowed:
            continue
        before = Transition.objects.count()
        expected_error = Conflict if who in ROLE_HOLDERS[action] else PermissionDenied
        with pytest.raises(expected_error):
            _call(action, people[who], assessment)
        assessment.refresh_from_db()
        assert (assessment.status, Transition.objects.count()) == (state, before), (action, state, who)

    for number, who in enumerate(allowed):
        subject = assessment if number == 0 else build(state, period="2026/27")
        result = _call(action, people[who], subject)
        assert result.status == workflow.TRANSITIONS[action].target
        transition = Transition.objects.filter(assessment=result, action=action).latest("id")
        assert (transition.actor, transition.from_status, transition.to_status) == (
            people[who], state, workflow.TRANSITIONS[action].target
        )
