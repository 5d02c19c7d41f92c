"""Sharing an evidence item with other forces (issue 17): with named forces, or under a
collaboration agreement (with all its parties), and withdrawing it.

Partners read, download and cite a shared item (`EvidenceQuerySet.of_forces`) but never change it
(`can_manage_evidence` asks for the owning force). Withdrawing sharing stops new reads; responses
that cited the item while it was shared keep the link, marked "no longer shared" where shown.
Each change is one history entry of the item (its `shared_with` links and `agreement`), so it is in
the audit chain like every other evidence change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Evidence
from assessments.permissions import can_manage_evidence
from collaboration.models import Agreement, AgreementParty
from forces.models import Force


def _save(evidence: Evidence, user, forces: list[int]) -> None:
    """Set the links quietly, then save once: one history entry holding both (as services'
    `_save_with_history` does)."""
    evidence._history_user = user
    evidence.skip_history_when_saving = True
    try:
        evidence.shared_with.set(forces)
    finally:
        del evidence.skip_history_when_saving
    evidence.full_clean(exclude=["file"])
    evidence.save()


def _targets(evidence: Evidence, forces: Iterable[Force], agreement: Agreement | None) -> set[int]:
    targets = {force.pk for force in forces}
    if agreement is not None:
        parties = set(AgreementParty.objects.filter(agreement=agreement).values_list("force_id", flat=True))
        if evidence.force_id not in parties:
            raise ValidationError({"agreement": _("Choose an agreement your force is party to")})
        targets |= parties
    targets.discard(evidence.force_id)
    return targets


@transaction.atomic
def evidence_sharing_set(
    *, user, evidence: Evidence, forces: Iterable[Force] = (), agreement: Agreement | None = None
) -> Evidence:
    """Share the item (read-only) with exactly `forces` and, given an `agreement` the owning force
    is party to, all of that agreement's parties. Nothing named: sharing is withdrawn."""
    if not can_manage_evidence(user, evidence.force_id):
        raise PermissionDenied(_("You cannot change the sharing of this evidence"))
    targets = _targets(evidence, forces, agreement)
    evidence.agreement = agreement
    _save(evidence, user, sorted(targets))
    return evidence


@transaction.atomic
def evidence_share(
    *, user, evidence: Evidence, forces: Iterable[Force] = (), agreement: Agreement | None = None
) -> Evidence:
    """Share the item with more forces, or under an agreement (with all its parties), keeping what
    is already shared."""
    if not can_manage_evidence(user, evidence.force_id):
        raise PermissionDenied(_("You cannot share this evidence"))
    targets = _targets(evidence, forces, agreement)
    if not targets:
        raise ValidationError({"shared_with": _("Select a force or an agreement to share the evidence with")})
    if agreement is not None:
        evidence.agreement = agreement
    current = set(evidence.shared_with.values_list("id", flat=True))
    _save(evidence, user, sorted(current | targets))
    return evidence


@transaction.atomic
def evidence_unshare(*, user, evidence: Evidence) -> Evidence:
    """Withdraw all sharing of the item. Responses that already cite it keep the link."""
    return evidence_sharing_set(user=user, evidence=evidence)
