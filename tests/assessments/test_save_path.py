"""Saving an answer reads each thing once (issue 18): the response and its assessment locked in one
statement, its evidence links held, the judgement scale cached, and the history and audit written
from what the service holds. These tests hold the result to what re-reading gave before."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Response
from assessments.records import ResponseAnswer
from core.audit import _jsonable, audit_verify, changes_of
from core.models import AuditEntry
from core.roles import Role, roles_of
from forces.models import Membership
from forces.scoping import force_ids_for
from people.backends import load_person
from people.models import Profile
from tests.conftest import HOME_FORCE, OTHER_FORCE
from tests.factories import make_assessment, make_link_evidence
from threats.models import EditionStatus, JudgementLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(staff_user, forces, spr2012):
    return make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012)


def _last_entry(response) -> AuditEntry:
    return AuditEntry.objects.filter(
        kind=AuditEntry.Kind.RECORD, model="assessments.response", object_id=str(response.pk)
    ).latest("id")


def _as_the_previous_record_gives(response) -> dict:
    """What the audit wrote before issue 18: the latest history record diffed against the one before
    it, its links read from the history tables."""
    record = response.history.order_by("-history_id").first()
    return _jsonable(changes_of(record))


def test_every_kind_of_save_is_audited_as_re_reading_history_would(assessment, staff_user, forces):
    response = assessment.responses.order_by("id").first()
    items = [make_link_evidence(user=staff_user, force=forces[HOME_FORCE], title=f"Plan {n}") for n in range(3)]
    saves = [
        {"answer": ResponseAnswer(judgement="assured", narrative="Tested in March")},
        {"answer": ResponseAnswer(evidence_ids=[items[0].pk, items[2].pk])},
        {"answer": ResponseAnswer(narrative="Tested again", evidence_ids=[items[1].pk])},
        {"answer": ResponseAnswer(narrative="Links kept")},
        {"answer": ResponseAnswer(), "owner": staff_user},
        {"answer": ResponseAnswer(judgement="not_assured", evidence_ids=[])},
    ]
    version = 1
    for save in saves:
        saved = services.response_update(user=staff_user, response=response, expected_version=version, **save)
        version = saved.version
        entry = _last_entry(response)
        assert entry.changes == _as_the_previous_record_gives(response), save
        assert entry.actor_name == staff_user.username
        assert entry.object_repr == str(Response.objects.get(pk=response.pk))
        assert entry.force_id == forces[HOME_FORCE].pk
        assert entry.at == response.history.latest("history_id").history_date

    assert _last_entry(response).changes["evidence"] == [[items[1].pk], []]
    assert audit_verify().intact


def test_a_carried_answer_s_first_save_reports_only_what_it_changed(staff_user, forces, spr2012):
    """An answer started from last year's carries its links, written in bulk without history links.
    Its first save used to be audited as linking them ("evidence": [[], [...]]) because the previous
    history record had none; the entry now diffs against the answer as it stood, so it names what the
    save changed and no more. (The one case where the entry differs from re-reading history.)"""
    home = forces[HOME_FORCE]
    last_year = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    item = make_link_evidence(user=staff_user, force=home)
    first = last_year.responses.order_by("id").first()
    services.response_update(
        user=staff_user, response=first, expected_version=1, answer=ResponseAnswer(evidence_ids=[item.pk])
    )
    draft = make_assessment(user=staff_user, force=home, edition=spr2012, start_from_previous=True)
    carried = draft.responses.get(requirement=first.requirement)

    services.response_update(
        user=staff_user, response=carried, expected_version=1, answer=ResponseAnswer(narrative="N")
    )

    entry = _last_entry(carried)
    assert entry.changes == {"narrative": ["", "N"], "version": [1, 2]}
    assert "evidence" in _as_the_previous_record_gives(carried)
    assert list(carried.history.latest("history_id").evidence.values_list("evidence_id", flat=True)) == [item.pk]


def test_the_history_records_the_links_as_they_stand(assessment, staff_user, forces):
    """The links copied into each history record from what the service held are the table's rows."""
    response = assessment.responses.order_by("id").first()
    items = [make_link_evidence(user=staff_user, force=forces[HOME_FORCE], title=f"Plan {n}") for n in range(2)]
    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(evidence_ids=[i.pk for i in items]),
    )
    services.response_update(
        user=staff_user, response=response, expected_version=2, answer=ResponseAnswer(narrative="N")
    )

    through = Response.evidence.through.objects.filter(response=response).order_by("evidence_id")
    record = response.history.latest("history_id")
    copied = record.evidence.model.objects.filter(history=record).order_by("evidence_id")
    assert [(r.id, r.response_id, r.evidence_id) for r in copied] == [
        (r.id, r.response_id, r.evidence_id) for r in through
    ]


def test_the_saved_response_answers_with_its_evidence_without_reading_it(assessment, staff_user, forces):
    response = assessment.responses.order_by("id").first()
    items = [make_link_evidence(user=staff_user, force=forces[HOME_FORCE], title=f"Plan {n}") for n in range(2)]
    saved = services.response_update(
        user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(evidence_ids=[items[1].pk])
    )
    with CaptureQueriesContext(connection) as reads:
        assert [item.pk for item in saved.evidence.all()] == [items[1].pk]
    kept = services.response_update(
        user=staff_user, response=response, expected_version=2, answer=ResponseAnswer(narrative="Kept")
    )
    with CaptureQueriesContext(connection) as more:
        assert [item.pk for item in kept.evidence.all()] == [items[1].pk]
    assert len(reads) == len(more) == 0


def test_another_edit_meanwhile_is_still_refused(assessment, staff_user):
    response = assessment.responses.order_by("id").first()
    services.response_update(
        user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(narrative="A")
    )
    with pytest.raises(services.StaleVersion) as refused:
        services.response_update(
            user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(narrative="B")
        )
    assert refused.value.current.narrative == "A"
    assert Response.objects.get(pk=response.pk).version == 2


# The judgement scale ----------------------------------------------------------------------------------


def _scale_reads(queries) -> int:
    return sum('FROM "threats_judgementlevel"' in query["sql"] for query in queries)


def test_a_published_scale_is_read_once_and_again_after_it_changes(assessment, staff_user, spr2012):
    first, second, third = assessment.responses.order_by("id")[:3]
    judge = ResponseAnswer(judgement="assured")
    services.response_update(user=staff_user, response=first, expected_version=1, answer=judge)
    with CaptureQueriesContext(connection) as cached:
        services.response_update(user=staff_user, response=second, expected_version=1, answer=judge)
    assert _scale_reads(cached.captured_queries) == 0

    # The scale is corrected (an edition reloaded, or the admin): the next save reads it again.
    level = JudgementLevel.objects.get(edition=spr2012, code="assured")
    level.code = "fully_assured"
    level.save()
    with pytest.raises(ValidationError) as refused:
        services.response_update(user=staff_user, response=third, expected_version=1, answer=judge)
    assert refused.value.message_dict == {"judgement": ["Choose a judgement from the scale"]}
    saved = services.response_update(
        user=staff_user, response=third, expected_version=1, answer=ResponseAnswer(judgement="fully_assured")
    )
    assert Response.objects.get(pk=saved.pk).judgement_id == level.pk


def test_a_level_added_elsewhere_is_found_not_refused(assessment, staff_user, spr2012):
    """Another process (manage.py load_editions) adds a level: this one's cache has not heard, but a code
    it lacks reads the scale again before refusing it."""
    first, second = assessment.responses.order_by("id")[:2]
    services.response_update(
        user=staff_user, response=first, expected_version=1, answer=ResponseAnswer(judgement="assured")
    )
    (added,) = JudgementLevel.objects.bulk_create(  # bulk: no signal, as from another process
        [JudgementLevel(edition=spr2012, code="exemplary", label="Exemplary", score=9, position=99)]
    )
    saved = services.response_update(
        user=staff_user, response=second, expected_version=1, answer=ResponseAnswer(judgement="exemplary")
    )
    assert Response.objects.get(pk=saved.pk).judgement.code == added.code


def test_a_draft_scale_is_never_cached(assessment, staff_user, spr2012):
    spr2012.status = EditionStatus.DRAFT
    spr2012.save()
    first, second = assessment.responses.order_by("id")[:2]
    judge = ResponseAnswer(judgement="assured")
    services.response_update(user=staff_user, response=first, expected_version=1, answer=judge)
    with CaptureQueriesContext(connection) as again:
        services.response_update(user=staff_user, response=second, expected_version=1, answer=judge)
    assert _scale_reads(again.captured_queries) == 1


# The signed-in person ---------------------------------------------------------------------------------


def test_a_session_person_is_loaded_with_profile_roles_and_forces_in_two_queries(make_user, forces):
    person = make_user(Role.PCC_STAFF, HOME_FORCE, "two-hats")
    person.groups.add(Group.objects.get_or_create(name=Role.CHIEF_CONSTABLE.value)[0])
    Membership.objects.create(user=person, force=forces[OTHER_FORCE])
    Profile.objects.update_or_create(user=person, defaults={"job_title": "Head of Planning"})

    with CaptureQueriesContext(connection) as queries:
        loaded = load_person(person.pk)
        assert loaded.profile.job_title == "Head of Planning"
        assert roles_of(loaded) == {Role.PCC_STAFF, Role.CHIEF_CONSTABLE}
        assert sorted(force_ids_for(loaded)) == sorted([forces[HOME_FORCE].pk, forces[OTHER_FORCE].pk])
    assert len(queries) == 2


def test_a_superuser_without_roles_or_profile_is_loaded(db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x" * 20)
    Profile.objects.filter(user=admin).delete()
    loaded = load_person(admin.pk)
    assert roles_of(loaded) == {Role.NATIONAL_ADMIN}
    assert force_ids_for(loaded) == []
    assert load_person(10**9) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (IMMEDIATE transactions)")
def test_the_assessment_is_locked_before_the_response(assessment, staff_user):
    """Every writer locks an assessment before its responses (an import saves many under one lock);
    the save's single statement names the assessment first, so PostgreSQL takes them in that order."""
    response = assessment.responses.order_by("id").first()
    with CaptureQueriesContext(connection) as queries:
        services.response_update(
            user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(narrative="N")
        )
    (locking,) = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking.endswith('FOR UPDATE OF "assessments_assessment", "assessments_response"')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises whole transactions")
@pytest.mark.django_db(transaction=True)
def test_a_save_during_an_import_waits_rather_than_deadlocks(staff_user, forces, spr2012):
    """An import saves many responses in one transaction; a person saves one of the later ones
    meanwhile. Both lock the assessment before the response, so the person waits for the import and
    then is told their version is stale; no deadlock, no error."""
    import threading
    import time

    from django.db import transaction

    assessment = make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012)
    first, second = assessment.responses.order_by("id")[:2]
    imported, started = threading.Event(), threading.Event()
    outcome = {}

    def import_both():
        try:
            with transaction.atomic():
                services.response_update(
                    user=staff_user, response=first, expected_version=1, answer=ResponseAnswer(narrative="Import 1")
                )
                imported.set()
                started.wait(10)
                time.sleep(0.5)  # the person's save is now waiting on a lock
                services.response_update(
                    user=staff_user, response=second, expected_version=1, answer=ResponseAnswer(narrative="Import 2")
                )
            outcome["import"] = "saved"
        except Exception as exc:  # reported below
            outcome["import"] = exc
        finally:
            connection.close()

    def person_saves():
        imported.wait(10)
        started.set()
        try:
            services.response_update(
                user=staff_user, response=second, expected_version=1, answer=ResponseAnswer(narrative="Person")
            )
            outcome["person"] = "saved"
        except services.StaleVersion:
            outcome["person"] = "stale"
        except Exception as exc:  # reported below
            outcome["person"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=import_both), threading.Thread(target=person_saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome == {"import": "saved", "person": "stale"}
    assert Response.objects.get(pk=second.pk).narrative == "Import 2"
