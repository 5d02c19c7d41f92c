import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from assessments import services
from assessments.records import ResponseAnswer
from core.audit import audit_verify, bulk_create_audited
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


def test_blank_responses_are_recorded_as_bulk_create_with_history_would(assessment, staff_user, spr2012):
    """assessment_create writes responses, history and audit column by column; the rows must be the
    ones simple-history's bulk_create_with_history and audit_bulk_written (bulk_create_audited) make of the
    same responses."""
    from assessments.models import Assessment, Response

    reference = Assessment.objects.create(
        force=assessment.force, edition=spr2012, period="2024/25", created_by=staff_user
    )
    bulk_create_audited(
        Response,
        [
            Response(
                assessment=reference,
                requirement=response.requirement,
                judgement=response.judgement,
                updated_at=response.updated_at,
                updated_by=staff_user,
            )
            for response in assessment.responses.select_related("requirement", "judgement").order_by("id")
        ],
        user=staff_user,
    )

    def recorded(of) -> list[tuple]:
        """Each response's row, history record and audit entry, the assessment and ids left out."""
        rows = []
        for response in of.responses.select_related("requirement", "assessment__force", "assessment__edition"):
            record = response.history.get()
            entry = AuditEntry.objects.get(model="assessments.response", object_id=str(response.pk))
            changes = dict(entry.changes)
            assert changes.pop("id") == [None, response.pk]
            assert changes.pop("assessment_id") == [None, of.pk]
            assert entry.object_repr == str(response)
            assert record.history_date == entry.at
            rows.append(
                (
                    (response.requirement_id, response.judgement_id, response.narrative, response.version),
                    (response.updated_by_id, response.updated_at == record.history_date or "differs"),
                    (record.history_type, record.history_user_id, record.history_change_reason),
                    (record.narrative, record.version, record.requirement_id, record.judgement_id),
                    (entry.action, entry.actor_id, entry.actor_name, entry.force_id, changes),
                )
            )
        return sorted(rows, key=lambda row: row[0][0])

    fast, reference_rows = recorded(assessment), recorded(reference)
    assert len(fast) == 38
    # updated_at is not tracked; only the fast path gives it the history record's date.
    assert [row[:1] + row[2:] for row in fast] == [row[:1] + row[2:] for row in reference_rows]
    assert all(row[1] == (staff_user.pk, True) for row in fast)
    assert audit_verify().first_broken_id is None


def test_a_response_edit_records_before_and_after(assessment, staff_user, forces):
    item = make_link_evidence(user=staff_user, force=forces["west-midlands"])
    response = assessment.responses.first()

    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="Tested", evidence_ids=[item.id]),
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
