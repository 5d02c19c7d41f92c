"""`seed_demo --scale national`: bulk, complete in its audit trail, idempotent, and refused without DEBUG."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Evidence, Response, Snapshot
from capacity.models import CapacityCommitment
from core.audit import audit_verify
from core.models import AuditEntry
from demo.national import national_seed


def test_national_seed_fills_every_force_and_keeps_the_audit_chain(forces, spr2012):
    result = national_seed(periods=("2024/25", "2025/26"))

    assert result.assessments == 2 * len(forces)
    assert Assessment.objects.values("force").distinct().count() == len(forces)
    requirements = spr2012.requirements.count()
    assert Response.objects.count() == result.responses == result.assessments * requirements
    lengths = [len(text) for text in Response.objects.values_list("narrative", flat=True)]
    assert min(lengths) >= 400 and max(lengths) <= 1500
    assert Evidence.objects.count() == 25 * result.assessments
    assert Evidence.objects.filter(kind="file").exists()
    assert Response.evidence.through.objects.count() >= result.responses
    assert Snapshot.objects.count() == Assessment.objects.filter(status="published").count() > 0
    assert CapacityCommitment.objects.count() == result.commitments > 0
    assert AuditEntry.objects.filter(model="assessments.response").count() == result.responses
    check = audit_verify()
    assert check.first_broken_id is None and check.entries > result.responses

    from people.models import Profile

    assert Profile.objects.filter(user__username="pcc-kent", job_title="Police and Crime Commissioner").exists()
    again = national_seed(periods=("2024/25", "2025/26"))
    assert (again.assessments, again.responses, again.commitments, again.users) == (0, 0, 0, 0)


def test_seed_demo_national_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "national")
