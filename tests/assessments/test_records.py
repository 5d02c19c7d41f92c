"""assessments.records: an assessment's records read from the database, their JSON both ways, the
snapshot's pinned shape, and the upgrade of snapshots stored in older shapes."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from assessments import records, selectors, snapshots
from assessments.records import Person, ResponseAnswer
from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment
from tests.conftest import HOME_FORCE, OTHER_FORCE
from tests.reports.support import rich_assessment
from tests.snapshot_support import FIXTURES, stored_payload


@pytest.fixture
def make_published(forces, spr2012, staff_user, chief_user, pcc_user):
    def _make(**kwargs):
        return rich_assessment(
            "published",
            force=forces[HOME_FORCE],
            edition=spr2012,
            staff=staff_user,
            chief=chief_user,
            pcc=pcc_user,
            **kwargs,
        )

    return _make


# --- Records and their JSON ------------------------------------------------------------------------


def test_content_round_trips_through_the_snapshot_payload(make_published):
    content = records.assessment_content(make_published())

    payload = records.payload_of(content)

    assert payload["schema"] == records.SCHEMA_VERSION
    assert json.loads(json.dumps(payload)) == payload  # plain JSON
    assert records.content_of(payload) == content
    assert records.from_json(records.AssessmentContent, records.to_json(content)) == content
    assert len(content.responses) == len(content.requirements) == 38
    assert {r.ref for r in content.responses} == set(content.requirements_by_ref())
    assert content.assessment.sign_off.published_by == Person(username="pcc-home")
    assert [t.action for t in content.transitions] == ["submit", "respond", "sign_off", "publish"]
    assert content.challenges[0].replies[0].author.username == "chief-home"


def test_the_whole_record_is_read_in_a_fixed_number_of_queries(make_published, django_assert_max_num_queries):
    published = make_published()

    # 16: capacity reads the capabilities, the commitments, the expected contributions and the coverage.
    with django_assert_max_num_queries(16):
        records.assessment_content(published)


def test_a_snapshot_keeps_each_persons_name_as_it_was(make_published, chief_user, pcc_user):
    chief_user.first_name, chief_user.last_name = "Dana", "Okafor"
    chief_user.save()
    published = make_published()
    chief_user.first_name = "Renamed"
    chief_user.save()

    stored = published.snapshot.payload
    content = snapshots.snapshot_content(published.snapshot)

    assert stored["assessment"]["chief_statement"]["by"] == {
        "username": "chief-home",
        "name": "Dana Okafor",
        "job_title": "",
    }
    assert content.assessment.chief_statement.by.label == "Dana Okafor"
    assert content.assessment.sign_off.signed_off_by == Person(username="pcc-home")
    assert content.assessment.sign_off.signed_off_by.label == "pcc-home"  # no name recorded: the username


def test_a_snapshot_records_the_forces_capacity_for_its_period(make_published, forces):
    psu = CapacityCapability.objects.create(
        code="psu", name="Police support units", unit="PSUs", national_planning_assumption=297
    )
    for force, period, committed in (
        (HOME_FORCE, "2025/26", 12),
        (HOME_FORCE, "2024/25", 9),
        (OTHER_FORCE, "2025/26", 7),
    ):
        CapacityCommitment.objects.create(
            force=forces[force],
            capability=psu,
            period=period,
            committed=committed,
            available=committed - 1,
            notice_period_hours=4,
            as_of=dt.date(2025, 9, 30),
        )

    content = snapshots.snapshot_content(make_published().snapshot)

    assert content.capacity == (
        records.CapacityRecord(
            capability="psu",
            capability_name="Police support units",
            unit="PSUs",
            committed=12,
            available=11,
            notice_period_hours=4,
            as_of=dt.date(2025, 9, 30),
            expected=None,
            illustrative=False,
        ),
    )


def test_from_json_refuses_a_missing_or_unknown_key():
    data = records.to_json(Person(username="pcc-home", name="Sam Reid"))

    assert records.from_json(Person, data) == Person(username="pcc-home", name="Sam Reid")
    with pytest.raises(ValueError, match="needs job_title"):
        records.from_json(Person, {"username": "pcc-home", "name": ""})
    with pytest.raises(ValueError, match="no field nickname"):
        records.from_json(Person, {**data, "nickname": "Sam"})


def test_a_response_reads_the_same_from_a_row_as_from_an_object(make_published, staff_user):
    published = make_published()

    objects = list(selectors.response_list(user=staff_user).filter(assessment=published))
    rows = list(selectors.response_list_rows(user=staff_user).filter(assessment=published))
    evidence = selectors.response_evidence_ids(response_ids=[row["id"] for row in rows])
    people = records.People()

    from_rows = [records.response_from_row(row, evidence, people) for row in rows]
    assert from_rows == [records.response_record(response) for response in objects]
    assert {r.status for r in from_rows} == {"completed"}
    assert from_rows[0].evidence and from_rows[0].updated_by == Person(username="staff-home")


def test_an_answer_from_input_named_as_the_api_and_the_form_name_it():
    assert ResponseAnswer.names() == ["judgement", "narrative", "evidence"]
    assert ResponseAnswer.from_data({"narrative": "Tested", "evidence": ["3", 1]}) == ResponseAnswer(
        narrative="Tested", evidence_ids=(3, 1)
    )
    assert ResponseAnswer.from_data({}) == ResponseAnswer()
    assert ResponseAnswer(evidence_ids=[2]).evidence_ids == (2,)


# --- The snapshot's schema -------------------------------------------------------------------------


def test_the_current_shape_is_pinned():
    """A change to what AssessmentContent writes is a new schema: raise SCHEMA_VERSION, register the
    step from the previous one in assessments.records.schema, keep a payload stored in the previous
    shape as tests/assessments/fixtures/snapshot_schema_<n>.json and pin the new shape here."""
    pinned = json.loads((FIXTURES / f"shape_schema_{records.SCHEMA_VERSION}.json").read_text())

    assert records.shape_of(records.AssessmentContent) == pinned


def test_every_older_schema_has_a_step_and_a_stored_example():
    assert set(records.STEPS) == set(range(1, records.SCHEMA_VERSION))
    for version in records.STEPS:
        assert stored_payload(version)["schema"] == version
        records.content_of(stored_payload(version))  # reads through every later step


def test_upgrade_leaves_the_stored_payload_as_it_is():
    stored = stored_payload(1)
    before = copy.deepcopy(stored)

    upgraded = records.upgrade(stored)

    assert stored == before
    assert upgraded["schema"] == records.SCHEMA_VERSION


def test_the_step_from_schema_1():
    before = stored_payload(1)

    upgraded = records.STEPS[1](stored_payload(1))

    a = upgraded["assessment"]
    assert a["chief_statement"] == {
        "text": before["assessment"]["chief_statement"],
        "by": {"username": "chief-home", "name": "", "job_title": ""},
        "at": before["assessment"]["chief_statement_at"],
    }
    assert a["sign_off"]["published_by"] == {"username": "pcc-home", "name": "", "job_title": ""}
    assert "signed_off_by" not in a and "chief_statement_by" not in a
    assert [r["ref"] for r in upgraded["requirements"]] == [r["ref"] for r in before["responses"]]
    assert upgraded["requirements"][0]["text"] == before["responses"][0]["text"]
    first = upgraded["responses"][0]
    assert "text" not in first and (first["id"], first["status"]) == (None, None)
    assert first["assessment_id"] == before["assessment"]["id"]
    assert first["updated_by"]["username"] == before["responses"][0]["updated_by"]
    assert upgraded["challenges"][0]["replies"][0]["author"]["username"] == "chief-home"
    assert upgraded["transitions"][0]["by"]["username"] == "staff-home"
    assert upgraded["capacity"] is None  # not recorded then, which is not "none reported"


def test_the_step_from_schema_2_keeps_figures_and_labels_them_illustrative():
    before = stored_payload(2)

    upgraded = records.STEPS[2](stored_payload(2))

    assert before["capacity"] and all("expected" not in item for item in before["capacity"])
    item = upgraded["capacity"][0]
    assert item["committed"] == before["capacity"][0]["committed"]
    assert (item["expected"], item["illustrative"]) == (None, True)
    content = records.content_of(stored_payload(2))
    assert content.capacity[0].reported and content.capacity[0].shortfall is None


def test_the_step_from_schema_3_records_no_owner():
    before = stored_payload(3)

    upgraded = records.STEPS[3](stored_payload(3))

    assert all("owner" not in r and "owner_id" not in r for r in before["responses"])
    assert {(r["owner_id"], r["owner"]) for r in upgraded["responses"]} == {(None, None)}
    assert [r["narrative"] for r in upgraded["responses"]] == [r["narrative"] for r in before["responses"]]
    assert records.content_of(stored_payload(3)).responses[0].owner is None


def test_a_snapshot_names_a_requirements_owner_as_they_were(forces, spr2012, staff_user, chief_user, pcc_user):
    from assessments import services
    from assessments.models import AssessmentStatus
    from tests.workflow_support import advance, make_assessment

    staff_user.first_name = "Priya Sandhu"
    staff_user.save(update_fields=["first_name"])
    draft = make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012, period="2025/26")
    services.response_assign(user=staff_user, response=draft.responses.get(requirement__ref="3.1(a)"), owner=staff_user)
    published = advance(draft, AssessmentStatus.PUBLISHED, staff=staff_user, chief=chief_user, pcc=pcc_user)

    content = snapshots.snapshot_content(published.snapshot)

    owned = {r.ref: r.owner for r in content.responses if r.owner is not None}
    assert owned == {"3.1(a)": Person(username="staff-home", name="Priya Sandhu")}
    assert next(r for r in content.responses if r.ref == "3.1(a)").owner_id == staff_user.pk


def test_a_snapshot_records_expected_but_not_reported(make_published, forces, national_admin_user):
    from capacity.services import expected_contribution_save

    psu = CapacityCapability.objects.create(
        code="psu", name="Police support units", unit="PSUs", national_planning_assumption=297
    )
    expected_contribution_save(
        user=national_admin_user, force=forces[HOME_FORCE], capability=psu, period="2025/26", expected=9
    )

    content = snapshots.snapshot_content(make_published().snapshot)

    (line,) = content.capacity
    assert (line.expected, line.committed, line.reported, line.illustrative) == (9, None, False, True)


def test_records_of_a_schema_1_payload():
    content = records.content_of(stored_payload(1))

    assert content.assessment.force.name == "West Midlands Police"
    assert content.assessment.chief_statement.by == Person(username="chief-home")
    assert content.assessment.sign_off.published_at.tzinfo is not None
    assert content.requirements_by_ref()["3.1(a)"].section
    assert content.responses[0].narrative.startswith("Narrative for")
    assert content.departures[0].review_date == dt.date(2026, 3, 31)
    assert content.capacity is None


def test_upgrade_answers_a_current_payload_as_it_is():
    payload = {"schema": records.SCHEMA_VERSION}

    assert records.upgrade(payload) is payload


@pytest.mark.parametrize("version", [0, records.SCHEMA_VERSION + 1, "2", None])
def test_upgrade_refuses_a_schema_it_does_not_know(version):
    with pytest.raises(ValueError, match="Unknown snapshot schema"):
        records.upgrade({"schema": version})
