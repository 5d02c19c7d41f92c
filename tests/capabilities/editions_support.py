"""Shared by the editions tests: the fixture edition derived from 2012 and its mapping."""

from pathlib import Path

import yaml

from capabilities.models import Area, Requirement, RequirementMapping, RetiredRequirement
from core.models import AuditEntry
from threats.models import Edition, JudgementLevel, RetiredThreat, Threat, ThreatMapping

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "editions"
FIXTURE_EDITION = FIXTURES / "spr-fixture.yaml"
FIXTURE_MAPPING = FIXTURES / "spr-fixture-mapping.yaml"
#: The second fixture edition, following the first: two edition changes in a row.
SECOND_EDITION = FIXTURES / "spr-fixture-2.yaml"
SECOND_MAPPING = FIXTURES / "spr-fixture-2-mapping.yaml"

CATALOGUE = [Edition, JudgementLevel, Threat, Area, Requirement, RequirementMapping, RetiredRequirement]
CATALOGUE += [ThreatMapping, RetiredThreat]


def row_counts() -> dict[str, int]:
    """Rows of every catalogue table and of record changes in the audit trail."""
    counts = {model.__name__: model.objects.count() for model in CATALOGUE}
    counts["audit"] = AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD).count()
    return counts


def fixture_bytes() -> bytes:
    return FIXTURE_EDITION.read_bytes()


def fixture_mapping() -> dict:
    return yaml.safe_load(FIXTURE_MAPPING.read_text(encoding="utf-8"))


def publish_fixture_edition(user, effective_from=None):
    """Upload the fixture edition, map it with its mapping file and publish it (from 1 April 2026)."""
    import datetime as dt

    from capabilities.editions.drafts import edition_upload
    from capabilities.editions.mapping import edition_mapping_replace, edition_publish

    edition = edition_upload(user=user, name="spr-fixture.yaml", content=fixture_bytes())
    edition_mapping_replace(user=user, edition=edition, data=fixture_mapping())
    return edition_publish(user=user, edition=edition, effective_from=effective_from or dt.date(2026, 4, 1))


def publish_second_fixture_edition(user, effective_from=None):
    """Upload the second fixture edition (it follows the first, which must be published), map it
    with its mapping file and publish it (from 1 April 2027)."""
    import datetime as dt

    from capabilities.editions.drafts import edition_upload
    from capabilities.editions.mapping import edition_mapping_replace, edition_publish

    edition = edition_upload(user=user, name="spr-fixture-2.yaml", content=SECOND_EDITION.read_bytes())
    edition_mapping_replace(user=user, edition=edition, data=yaml.safe_load(SECOND_MAPPING.read_text(encoding="utf-8")))
    return edition_publish(user=user, edition=edition, effective_from=effective_from or dt.date(2027, 4, 1))
