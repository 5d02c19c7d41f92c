"""Every write to collaboration agreements: recording one (the lead force's staff; the lead force's
part is confirmed at once), a party confirming its part, the lead force changing it, and the lead
force adding a party force or removing one (the agreement is varied: a force joins or leaves).

Keyword-only arguments, the acting user explicit, one transaction, a permission check, `full_clean`
and an entry in the audit chain (agreements keep no history table, so the services call
`core.audit.audit_record` themselves). Pages, the API and seed_demo call the same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capabilities.models import CapacityCapability, Requirement
from collaboration.models import Agreement, AgreementParty, PartyType
from collaboration.permissions import can_change_agreement, can_confirm_party, can_record_agreement
from core.audit import audit_record, changed_fields
from core.models import AuditEntry
from forces.models import Force

AGREEMENT_FIELDS = (
    "title",
    "statutory_basis",
    "statutory_basis_other",
    "description",
    "start_date",
    "review_date",
    "end_date",
)


def _party_body(force: Force, party_type: str):
    if party_type == PartyType.CHIEF_CONSTABLE:
        return None
    return force.policing_bodies.filter(effective_to__isnull=True).first()


@transaction.atomic
def agreement_create(
    *,
    user,
    lead_force: Force,
    title: str,
    statutory_basis: str,
    start_date: dt.date,
    partners: Iterable[Force],
    statutory_basis_other: str = "",
    description: str = "",
    review_date: dt.date | None = None,
    end_date: dt.date | None = None,
    requirements: Iterable[Requirement] = (),
    capabilities: Iterable[CapacityCapability] = (),
    party_type: str = PartyType.BOTH,
) -> Agreement:
    """Record an agreement led by `lead_force` with `partners` (one or more other forces). The lead
    force's part is confirmed by the recorder; each partner's waits for its own staff."""
    if not can_record_agreement(user, lead_force.id):
        raise PermissionDenied(_("You cannot record agreements for this force"))
    partner_list = list({force.pk: force for force in partners if force.pk != lead_force.pk}.values())
    agreement = Agreement(
        lead_force=lead_force,
        title=(title or "").strip(),
        statutory_basis=statutory_basis,
        statutory_basis_other=(statutory_basis_other or "").strip(),
        description=description or "",
        start_date=start_date,
        review_date=review_date,
        end_date=end_date,
        created_by=user,
    )
    errors = {}
    try:
        agreement.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not partner_list:
        errors["partners"] = [_("Select at least one other force that is party to the agreement")]
    if errors:
        raise ValidationError(errors)
    agreement.save()
    agreement.requirements.set(list(requirements))
    agreement.capabilities.set(list(capabilities))
    now = timezone.now()
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(
                agreement=agreement,
                force=lead_force,
                party_type=party_type,
                policing_body=_party_body(lead_force, party_type),
                confirmed_by=user,
                confirmed_at=now,
            ),
            *(
                AgreementParty(
                    agreement=agreement,
                    force=force,
                    party_type=party_type,
                    policing_body=_party_body(force, party_type),
                )
                for force in partner_list
            ),
        ]
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATED,
        instance=agreement,
        changes={name: [None, getattr(agreement, name)] for name in AGREEMENT_FIELDS}
        | {
            "lead_force": [None, lead_force.code],
            "parties": [None, sorted([lead_force.code, *(force.code for force in partner_list)])],
            "requirements": [None, sorted(agreement.requirements.values_list("ref", flat=True))],
            "capabilities": [None, sorted(agreement.capabilities.values_list("code", flat=True))],
        },
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, user, party: AgreementParty) -> AgreementParty:
    """A party's staff confirm their force's part in the agreement (once)."""
    locked = AgreementParty.objects.select_for_update().select_related("agreement", "force").get(pk=party.pk)
    if not can_confirm_party(user, locked):
        raise PermissionDenied(_("You cannot confirm this agreement for this force"))
    locked.confirmed_by = user
    locked.confirmed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked.agreement,
        force_id=locked.force_id,
        changes={"confirmed": [None, locked.force.code]},
    )
    return locked


@transaction.atomic
def agreement_update(
    *,
    user,
    agreement: Agreement,
    requirements: Iterable[Requirement] | None = None,
    capabilities: Iterable[CapacityCapability] | None = None,
    **changes,
) -> Agreement:
    """The lead force changes an agreement's details, dates, requirements or capabilities (never
    its lead force or parties)."""
    if not can_change_agreement(user, agreement):
        raise PermissionDenied(_("Only the lead force can change this agreement"))
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be changed")))
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    before = {name: getattr(locked, name) for name in AGREEMENT_FIELDS}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["created_by"])
    locked.save()
    diff = changed_fields(locked, before, AGREEMENT_FIELDS)
    if requirements is not None:
        old = sorted(locked.requirements.values_list("ref", flat=True))
        locked.requirements.set(list(requirements))
        new = sorted(locked.requirements.values_list("ref", flat=True))
        if old != new:
            diff["requirements"] = [old, new]
    if capabilities is not None:
        old = sorted(locked.capabilities.values_list("code", flat=True))
        locked.capabilities.set(list(capabilities))
        new = sorted(locked.capabilities.values_list("code", flat=True))
        if old != new:
            diff["capabilities"] = [old, new]
    if diff:
        audit_record(actor=user, action=AuditEntry.Action.CHANGED, instance=locked, changes=diff)
    return locked


def _party_codes(agreement: Agreement) -> list[str]:
    return sorted(AgreementParty.objects.filter(agreement=agreement).values_list("force__code", flat=True))


def party_removal_refusal(*, agreement: Agreement, party: AgreementParty, parties: Iterable[AgreementParty]) -> str:
    """Why `party` may not be removed from `agreement` whose parties are `parties` ("" if it may):
    never the lead force's party, and never the last other one. The service asks it on the locked rows;
    the parties page asks it to decide which "Remove" links to show."""
    if party.force_id == agreement.lead_force_id:
        return _("You cannot remove the lead force from its agreement")
    others = [item for item in parties if item.force_id not in (agreement.lead_force_id, party.force_id)]
    if not others:
        return _("An agreement needs at least one other force")
    return ""


@transaction.atomic
def agreement_add_party(
    *, user, agreement: Agreement, force: Force, party_type: str = PartyType.BOTH
) -> AgreementParty:
    """The lead force adds a force as a party (the agreement is varied). The new part is unconfirmed
    until the force's own staff confirm it. Refuses the lead force, a force already a party and a force
    that is not recorded. The agreement row is locked, so concurrent changes to its parties queue."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not can_change_agreement(user, locked):
        raise PermissionDenied(_("Only the lead force can change this agreement"))
    found = Force.objects.filter(pk=getattr(force, "pk", None)).first()
    if found is None:
        raise ValidationError({"force": _("Select a force from the list")})
    if found.pk == locked.lead_force_id:
        raise ValidationError(
            {"force": _("%(force)s leads this agreement: select another force") % {"force": found.name}}
        )
    if AgreementParty.objects.filter(agreement=locked, force=found).exists():
        raise ValidationError({"force": _("%(force)s is already a party to this agreement") % {"force": found.name}})
    before = _party_codes(locked)
    party = AgreementParty(
        agreement=locked, force=found, party_type=party_type, policing_body=_party_body(found, party_type)
    )
    party.full_clean()
    party.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={"parties": [before, sorted([*before, found.code])]},
    )
    return party


@transaction.atomic
def agreement_remove_party(*, user, agreement: Agreement, party: AgreementParty) -> Agreement:
    """The lead force removes a party (a force leaves the agreement): the force no longer reads the
    agreement. Never the lead force's own party, never the last other party. The agreement row is
    locked first, so two removals at once cannot leave it without a partner.

    Evidence the removed force shared under the agreement is left as it is: sharing is the owning
    force's decision, held in each item's `shared_with` (assessments/sharing.py), and only that force
    changes or withdraws it."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not can_change_agreement(user, locked):
        raise PermissionDenied(_("Only the lead force can change this agreement"))
    parties = list(AgreementParty.objects.filter(agreement=locked).select_related("force"))
    current = next((item for item in parties if item.pk == party.pk), None)
    if current is None:
        raise ValidationError({"party": _("This force is no longer a party to the agreement")})
    refusal = party_removal_refusal(agreement=locked, party=current, parties=parties)
    if refusal:
        raise ValidationError({"party": refusal})
    before = sorted(item.force.code for item in parties)
    current.delete()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={"parties": [before, sorted(code for code in before if code != current.force.code)]},
    )
    return locked
