import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from assessments import services
from core.audit import audit_verify
from core.models import AuditEntry
from tests.factories import make_assessment, make_link_evidence


@pytest.fixture
def assessment(staff_user, forces, spr2012):
    return make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)


def test_creating_an_assessment_audits_it_and_every_response(assessment, staff_user):
    entries = AuditEntry.objects.filter(force_id=assessment.force_id)

    assert entries.filter(model="assessments.assessment", action="created").count() == 1
    assert entries.filter(model="assessments.response", action="created").count() == 38
    assert set(entries.values_list("actor_name", flat=True)) == {staff_user.username}


def test_a_response_edit_records_before_and_after(assessment, staff_user, forces):
    item = make_link_evidence(user=staff_user, force=forces["west-midlands"])
    response = assessment.responses.first()

    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        judgement="assured",
        narrative="Tested",
        evidence_ids=[item.id],
    )

    entry = AuditEntry.objects.filter(model="assessments.response", object_id=str(response.id)).last()
    assert entry.action == "changed"
    assert entry.changes["narrative"] == ["", "Tested"]
    assert entry.changes["version"] == [1, 2]
    assert entry.changes["evidence"] == [[], [item.id]]


def test_admin_and_command_changes_are_audited_too(assessment, national_admin_client):
    response = assessment.responses.first()
    response.narrative = "Changed by a management command"
    response.save()  # as a shell or command would: no service, no request

    entry = AuditEntry.objects.filter(model="assessments.response", object_id=str(response.id)).last()
    assert entry.changes["narrative"][1] == "Changed by a management command"
    assert entry.actor_id is None


def test_verify_audit_passes_on_an_intact_chain(assessment, capsys):
    call_command("verify_audit")

    assert "Audit trail intact" in capsys.readouterr().out
    assert audit_verify().entries == AuditEntry.objects.count() > 38


def test_the_database_refuses_to_edit_an_audit_entry(assessment):
    entry = AuditEntry.objects.first()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(changes={"narrative": ["", "forged"]})


def _tamper(sql: str, params: list) -> None:
    """Edit the table behind the app's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_immutable")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_immutable")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_immutable")
            cursor.execute(sql, params)


def test_verify_audit_names_the_first_edited_entry(assessment):
    target = AuditEntry.objects.order_by("id")[5]
    _tamper("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["someone-else", target.id])

    with pytest.raises(CommandError, match=f"broken at entry {target.id}: its content does not match"):
        call_command("verify_audit")


def test_verify_audit_names_the_entry_after_a_deleted_one(assessment):
    removed, following = AuditEntry.objects.order_by("id")[3:5]
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [removed.id])

    with pytest.raises(CommandError, match=f"broken at entry {following.id}: its link"):
        call_command("verify_audit")
