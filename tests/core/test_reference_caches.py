"""The per-process caches of reference data (capabilities.structure, assessments.matrix's layouts,
forces.catalogue): read once, then no query; emptied by any change made through the ORM, so a page
never shows a stale threat, requirement or force; a draft edition is never kept.

These tests empty the caches themselves where they need a cold start, and rely on nothing else."""

from __future__ import annotations

from django.urls import reverse

from assessments.matrix import edition_layout
from capabilities.models import Area, Requirement
from capabilities.structure import edition_structure, forget_structures
from forces.catalogue import all_forces, all_regions, forget_forces
from inspection.selectors import national_inspection
from tests.factories import make_assessment
from threats.models import Edition, EditionStatus, Threat


def _cells_with(layout, requirement_id) -> list[tuple[str, str]]:
    return [key for key, ids in layout.cells.items() if requirement_id in ids]


def test_a_published_edition_is_read_once_then_costs_no_query(spr2012, django_assert_num_queries):
    forget_structures()
    with django_assert_num_queries(6):
        first = edition_layout(spr2012, band=True)
    with django_assert_num_queries(0):
        again = edition_layout(spr2012, band=True)
        edition_structure(spr2012)
    assert again.cells == first.cells
    assert len(first.threats) == 5 and len(first.areas) == 5


def test_a_change_to_a_published_edition_is_seen_at_once(spr2012):
    layout = edition_layout(spr2012)
    threat = Threat.objects.get(edition=spr2012, code="terrorism")
    area = Area.objects.get(edition=spr2012, code="capability")
    added = Requirement.objects.create(edition=spr2012, ref="9.9", paragraph="9.9", section="Test", text="New")
    assert _cells_with(edition_layout(spr2012), added.pk) == []  # saved, but in no cell yet

    added.threats.add(threat)
    added.areas.add(area)
    assert _cells_with(edition_layout(spr2012), added.pk) == [("terrorism", "capability")]
    assert _cells_with(layout, added.pk) == []  # a layout already handed out is not changed under its reader

    threat.name = "Terrorism (renamed)"
    threat.save()
    assert [t.name for t in edition_layout(spr2012).threats if t.code == "terrorism"] == ["Terrorism (renamed)"]

    added.areas.remove(area)
    assert _cells_with(edition_layout(spr2012), added.pk) == []


def test_a_draft_edition_is_read_afresh_every_time(spr2012, django_assert_num_queries):
    draft = Edition.objects.create(
        code="spr-draft", title="Draft", published_on=spr2012.published_on, status=EditionStatus.DRAFT
    )
    threat = Threat.objects.create(edition=draft, code="t", name="T", position=1)
    area = Area.objects.create(edition=draft, code="a", name="A", section="1", position=1)
    edition_layout(draft)
    # Rows written without signals (as a bulk load does) are still seen: nothing of a draft is kept.
    requirement = Requirement.objects.create(edition=draft, ref="1", paragraph="1", section="S", text="R")
    Requirement.threats.through.objects.bulk_create(
        [Requirement.threats.through(requirement=requirement, threat=threat)]
    )
    Requirement.areas.through.objects.bulk_create([Requirement.areas.through(requirement=requirement, area=area)])
    with django_assert_num_queries(6):
        layout = edition_layout(draft)
    assert layout.cells[("t", "a")] == [requirement.pk]


def test_the_task_list_shows_a_renamed_area_straight_away(staff_client, staff_user, forces, spr2012):
    assessment = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)
    url = reverse("assessments:detail", args=[assessment.pk])
    assert "Capability" in staff_client.get(url).content.decode()
    area = Area.objects.get(edition=spr2012, code="capability")
    area.name = "Capabilities of the force"
    area.save()
    assert "Capabilities of the force" in staff_client.get(url).content.decode()


def test_forces_and_regions_are_read_once_and_a_rename_is_seen(forces, inspector_user, django_assert_num_queries):
    forget_forces()
    with django_assert_num_queries(2):
        assert len(all_forces()) == 46
        assert len(all_regions()) == len({force.region_id for force in all_forces()})
    with django_assert_num_queries(0):
        all_forces()
        all_regions()
    kent = forces["kent"]
    kent.name = "Kent Police"
    kent.save()
    assert "Kent Police" in [force.name for force in all_forces()]
    region = kent.region
    region.name = "South East England"
    region.save()
    assert "South East England" in [r.name for r in all_regions()]
    assert {row.name for row in national_inspection(user=inspector_user).regions} >= {"South East England"}


def test_nothing_cached_is_shown_to_someone_signed_out(client, forces):
    all_forces()  # warm
    response = client.get("/national/")
    assert response.status_code == 302  # to sign in: reference data is for signed-in users only
    assert "Kent" not in response.content.decode()
