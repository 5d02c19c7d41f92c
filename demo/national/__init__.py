"""National-scale demo data (`manage.py seed_demo --scale national`): all 46 forces, several periods.

Every force gets demo accounts (`staff-<code>`, `chief-<code>`, `pcc-<code>`, password as for the
other demo accounts) and, per period, an assessment with every requirement answered (narratives of
400-1,500 characters), ~25 evidence items linked to the responses (links and references, and a few
small files), departures, actions (some overdue), challenges, workflow transitions and capacity
figures. Earlier periods are published with their snapshots; the latest period is spread over the
workflow (draft, submitted and shared with HMIC, responded, signed off, published).

It is written with bulk inserts, not service calls, so 5,000+ responses take seconds: models with
django-simple-history get their history and their audit entries through
`core.audit.bulk_create_audited` (or `audit_record` for models without history),
so `manage.py verify_audit` still passes. Deterministic (seeded per force and period) and idempotent:
an assessment that exists for a force, edition and period is left alone, with everything around it.

`common` holds the edition, periods, result and seeded random numbers the others share, `prose` the
words narratives are made of, `assessments` the bulk writing of assessments and all in them,
`capacity` the capacity figures (also used by the default demo) and `seed` the accounts and
`national_seed`; callers import from this package.
"""

from demo.national.capacity import demo_capacity_seed
from demo.national.common import EDITION, SeedResult, demo_periods
from demo.national.seed import national_seed

__all__ = [
    "EDITION",
    "demo_periods",
    "SeedResult",
    "demo_capacity_seed",
    "national_seed",
]
