import pytest

from forces.models import BodyType, Force, PolicingBody, Region
from forces.services import forces_load


def test_forces_load_46_forces_43_home_office(forces):
    assert Force.objects.count() == 46
    assert Force.objects.filter(home_office=True).count() == 43
    assert set(Force.objects.filter(home_office=False).values_list("code", flat=True)) == {"btp", "cnc", "mdp"}


def test_every_force_has_a_region_and_a_current_policing_body(forces):
    for force in Force.objects.select_related("region").prefetch_related("policing_bodies"):
        assert force.region.name
        assert force.current_policing_body is not None, force.code


def test_forces_load_is_idempotent(forces):
    before = sorted(PolicingBody.objects.values_list("id", "name", "effective_to"))

    forces_load()

    assert sorted(PolicingBody.objects.values_list("id", "name", "effective_to")) == before
    assert Force.objects.count() == 46
    assert Region.objects.count() == 11


def test_mayoral_transfer_keeps_the_previous_body_with_its_dates(forces):
    bodies = list(forces["south-yorkshire"].policing_bodies.order_by("effective_from"))

    assert [body.body_type for body in bodies] == [BodyType.PCC, BodyType.MAYOR]
    assert str(bodies[0].effective_to) == "2024-05-06"
    assert str(bodies[1].effective_from) == "2024-05-07"
    assert forces["south-yorkshire"].current_policing_body.body_type == BodyType.MAYOR


@pytest.mark.parametrize(
    ("code", "rocu"),
    [
        ("kent", "ERSOU (Eastern Region Special Operations Unit)"),
        ("north-wales", "TITAN / North West ROCU"),
        ("metropolitan", ""),
    ],
)
def test_regional_organised_crime_units_follow_the_data_not_the_region(forces, code, rocu):
    assert forces[code].rocu == rocu


def test_kent_is_in_the_south_east_region_but_the_eastern_rocu(forces):
    assert forces["kent"].region.name == "South East"
    assert forces["kent"].rocu.startswith("ERSOU")


def test_metropolitan_rocu_note_explains_its_absence(forces):
    assert "own SOC capabilities" in forces["metropolitan"].rocu_note
