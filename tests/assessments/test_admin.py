import pytest
from django.contrib.auth import get_user_model

from assessments.models import AssessmentStatus
from core.models import AuditEntry
from core.roles import Role
from tests.workflow_support import assessment_in


@pytest.fixture
def superuser_client(client, make_user):
    user = make_user(Role.NATIONAL_ADMIN, None, "support")
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def published(forces, spr2012, staff_user, chief_user, pcc_user):
    return assessment_in(
        AssessmentStatus.PUBLISHED,
        force=forces["west-midlands"],
        edition=spr2012,
        staff=staff_user,
        chief=chief_user,
        pcc=pcc_user,
    )


def test_admin_refuses_to_change_a_published_response(superuser_client, published):
    response = published.responses.first()

    page = superuser_client.get(f"/admin/assessments/response/{response.pk}/change/")
    posted = superuser_client.post(
        f"/admin/assessments/response/{response.pk}/change/",
        {"judgement": response.judgement_id, "narrative": "Changed in the admin"},
    )

    assert page.status_code == 200 and b"cannot be changed" in page.content
    assert posted.status_code == 403
    response.refresh_from_db()
    assert response.narrative != "Changed in the admin"


def test_admin_change_to_a_draft_is_audited(superuser_client, forces, spr2012, staff_user, chief_user, pcc_user):
    draft = assessment_in(
        AssessmentStatus.DRAFT,
        force=forces["west-midlands"],
        edition=spr2012,
        staff=staff_user,
        chief=chief_user,
        pcc=pcc_user,
    )
    response = draft.responses.first()

    posted = superuser_client.post(
        f"/admin/assessments/response/{response.pk}/change/",
        {"judgement": response.judgement_id, "narrative": "Corrected by support"},
    )

    assert posted.status_code == 302
    entry = AuditEntry.objects.filter(model="assessments.response", object_id=str(response.pk)).last()
    assert entry.actor_name == "support"
    assert entry.changes["narrative"][1] == "Corrected by support"


def test_audit_trail_and_transitions_are_read_only_in_the_admin(superuser_client, published):
    entry = AuditEntry.objects.first()
    transition = published.transitions.first()

    assert superuser_client.post(f"/admin/core/auditentry/{entry.pk}/change/", {}).status_code == 403
    assert superuser_client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        superuser_client.post(f"/admin/assessments/transition/{transition.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
