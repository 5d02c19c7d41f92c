"""Two people removing different parties at the same moment must not leave an agreement without a
partner: exactly one removal wins, the other is told "An agreement needs at least one other force".

This needs real concurrency, so it commits (transaction=True) and runs two threads, each with its own
database connection. `agreement_remove_party` locks the agreement row before it reads the parties
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction begins IMMEDIATE, which takes the
write lock), so the second removal waits for the first and then sees one partner left. To make the
race certain rather than lucky, both threads wait at a barrier before the service runs, and the first
to take the lock holds it briefly.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.contrib.auth import get_user_model

from collaboration import services
from collaboration.models import Agreement, AgreementParty
from core.roles import Role
from tests.concurrency import run_at_once


@pytest.mark.django_db(transaction=True)
def test_two_removals_at_once_leave_one_partner(forces, make_user, monkeypatch):
    kent_staff = make_user(Role.PCC_STAFF, "kent", "kent-staff-race")
    agreement = services.agreement_create(
        user=kent_staff,
        lead_force=forces["kent"],
        title="ERSOU collaboration agreement",
        statutory_basis="s22a",
        partners=[forces["essex"], forces["norfolk"]],
        start_date=dt.date(2024, 4, 1),
    )
    arrived = threading.Barrier(2, timeout=30)
    original_refusal = services.party_removal_refusal

    def refusal_while_holding_the_lock(**kwargs):
        answer = original_refusal(**kwargs)  # runs with the agreement row locked
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(services, "party_removal_refusal", refusal_while_holding_the_lock)

    def remove(code: str) -> Agreement:
        user = get_user_model().objects.get(pk=kent_staff.pk)
        party = AgreementParty.objects.get(agreement=agreement, force__code=code)
        arrived.wait()  # both have read the party before either removes it
        return services.agreement_remove_party(user=user, agreement=Agreement.objects.get(pk=agreement.pk), party=party)

    results = run_at_once(remove, ("essex", "norfolk"))

    refused = [code for code, result in results.items() if not isinstance(result, Agreement)]
    assert len(results) == 2 and len(refused) == 1, results
    error = results[refused[0]]
    assert getattr(error, "message_dict", None) == {"party": ["An agreement needs at least one other force"]}
    left = sorted(AgreementParty.objects.filter(agreement=agreement).values_list("force__code", flat=True))
    assert left == sorted(["kent", refused[0]])
