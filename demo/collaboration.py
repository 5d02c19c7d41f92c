"""Demo collaboration agreements: one per regional organised crime unit, with the member forces that
data/forces_rocu.csv gives (Force.rocu), and one evidence item Kent shares under its unit's agreement.

Only what the data says is used: the unit's name and its member forces. The data does not say which
force hosts each unit or under which statute it was made, so the lead force is a demo choice (Kent for
ERSOU, so the Kent demo accounts can share evidence with Essex; otherwise the first member by name)
and the basis is recorded as "other: not recorded in the demo data". The requirements are the three
the SPR itself words as capabilities "across force boundaries" for organised crime (4.1(b), 4.1(c),
6.1). Idempotent: an agreement whose title exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments import sharing
from assessments.models import Evidence
from capabilities.models import Requirement
from collaboration import services
from collaboration.models import Agreement, StatutoryBasis
from demo.national.common import period_dates
from forces.models import Force
from threats.models import Edition

EDITION = "spr-2012"
ROCU_REQUIREMENTS = ("4.1(b)", "4.1(c)", "6.1")
DEMO_LEADS = {"ERSOU (Eastern Region Special Operations Unit)": "kent"}
SHARED_TITLE = "ERSOU quarterly tasking summary (demo)"


@transaction.atomic
def demo_agreements_seed(last_year: str, this_year: str) -> int:
    """Record the regional organised crime units as agreements if missing; returns how many were made.
    Dates are relative to the demo's periods: in force since last period began, reviewed at the end
    of the period in progress."""
    start = period_dates(last_year)[0]
    review = period_dates(this_year)[1]
    users = get_user_model().objects
    admin = users.get(username="admin")
    edition = Edition.objects.filter(code=EDITION).first()
    requirements = list(Requirement.objects.filter(edition=edition, ref__in=ROCU_REQUIREMENTS)) if edition else []
    units: dict[str, list[Force]] = defaultdict(list)
    for force in Force.objects.exclude(rocu="").order_by("name"):
        units[force.rocu].append(force)
    created = 0
    for unit, members in sorted(units.items()):
        if len(members) < 2 or Agreement.objects.filter(title=unit).exists():
            continue
        lead_code = DEMO_LEADS.get(unit)
        lead = next((force for force in members if force.code == lead_code), members[0])
        actor = users.filter(username=f"staff-{lead.code}").first() or admin
        services.agreement_create(
            user=actor,
            lead_force=lead,
            title=unit,
            statutory_basis=StatutoryBasis.OTHER,
            statutory_basis_other="Not recorded in the demo data",
            description=(
                f"The regional organised crime unit of its member forces (data/forces_rocu.csv). Demo data: the "
                f"lead force shown ({lead.name}) is a demo choice, not a record of which force hosts the unit."
            ),
            partners=[force for force in members if force != lead],
            requirements=requirements,
            start_date=start,
            review_date=review,
        )
        created += 1
    _share_one_item(evidence_date=start)
    return created


def _share_one_item(*, evidence_date: dt.date) -> None:
    """Kent shares one reference under ERSOU's agreement, so Essex's demo accounts can cite it."""
    agreement = Agreement.objects.filter(title__startswith="ERSOU", lead_force__code="kent").first()
    staff = get_user_model().objects.filter(username="staff-kent").first()
    if agreement is None or staff is None or Evidence.objects.filter(title=SHARED_TITLE).exists():
        return
    from assessments import services as assessment_services

    item = assessment_services.evidence_create(
        user=staff,
        force=agreement.lead_force,
        kind="reference",
        title=SHARED_TITLE,
        owner="ERSOU tasking and coordination",
        evidence_date=evidence_date,
        reference="DEMO-ERSOU-TASKING",
    )
    sharing.evidence_share(user=staff, evidence=item, agreement=agreement)
