"""Collaboration agreements between forces (SPR Part B: §3.1(b) "agree… in collaboration with other
forces", §6 connectivity; section 22A of the Police Act 1996): who the parties are, which force
leads, which SPR requirements and capabilities the agreement delivers, and its dates.

An agreement is recorded by the lead force's staff and confirmed by each other party; every party
reads it (`AgreementQuerySet.of_forces`), only the lead force changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capabilities.models import CapacityCapability, Requirement
from core.models import TimeStampedModel
from forces.models import Force, PolicingBody
from forces.scoping import ForceScopedQuerySet


class StatutoryBasis(models.TextChoices):
    SECTION_22A = "s22a", _("Section 22A of the Police Act 1996 (collaboration agreement)")
    SECTION_23 = "s23", _("Section 23 of the Police Act 1996 (collaborative arrangements)")
    MUTUAL_AID = "mutual_aid", _("Mutual aid (section 24 of the Police Act 1996)")
    OTHER = "other", _("Other")


class PartyType(models.TextChoices):
    BOTH = "both", _("Chief constable and policing body")
    CHIEF_CONSTABLE = "chief_constable", _("Chief constable")
    POLICING_BODY = "policing_body", _("Policing body")


class AgreementQuerySet(ForceScopedQuerySet):
    """An agreement belongs to its lead force (`force_path`), and every party force reads it."""

    def of_forces(self, force_ids):
        parties = AgreementParty.objects.filter(force_id__in=force_ids).values("agreement_id")
        return self.filter(Q(lead_force_id__in=force_ids) | Q(id__in=parties))


class Agreement(TimeStampedModel):
    """A collaboration agreement: two or more parties, one lead force, what it delivers, its dates."""

    StatutoryBasis = StatutoryBasis

    title = models.CharField(max_length=200)
    statutory_basis = models.CharField(max_length=20, choices=StatutoryBasis.choices)
    statutory_basis_other = models.CharField(
        max_length=200, blank=True, help_text="The basis, where it is none of the listed ones"
    )
    description = models.TextField(blank=True, max_length=4000)
    lead_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="led_agreements")
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="agreements")
    capabilities = models.ManyToManyField(CapacityCapability, blank=True, related_name="agreements")
    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    force_path = "lead_force"
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statutory_basis__in=StatutoryBasis.values), name="agreement_basis_known"
            ),
            models.CheckConstraint(
                condition=Q(review_date__isnull=True) | Q(review_date__gte=models.F("start_date")),
                name="agreement_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.statutory_basis == StatutoryBasis.OTHER and not self.statutory_basis_other.strip():
            errors["statutory_basis_other"] = _("Enter the statutory basis")
        if self.start_date and self.review_date and self.review_date < self.start_date:
            errors["review_date"] = _("The review date must be on or after the start date")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must be on or after the start date")
        if errors:
            raise ValidationError(errors)

    @property
    def basis_label(self) -> str:
        if self.statutory_basis == StatutoryBasis.OTHER and self.statutory_basis_other:
            return self.statutory_basis_other
        return self.get_statutory_basis_display()

    @property
    def is_review_overdue(self) -> bool:
        """Past its review date and not yet ended."""
        today = timezone.localdate()
        ended = self.end_date is not None and self.end_date < today
        return self.review_date is not None and self.review_date < today and not ended


class AgreementParty(models.Model):
    """One party: a force, its policing body, or both; confirmed by the force's staff (the lead
    force's party is confirmed when the agreement is recorded)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="agreement_parties")
    party_type = models.CharField(max_length=20, choices=PartyType.choices, default=PartyType.BOTH)
    policing_body = models.ForeignKey(
        PolicingBody, on_delete=models.PROTECT, null=True, blank=True, related_name="agreement_parties"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    force_path = "agreement__lead_force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["force__name"]
        verbose_name_plural = "agreement parties"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "force"], name="one_party_per_force"),
            models.CheckConstraint(condition=Q(party_type__in=PartyType.values), name="agreement_party_type_known"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="agreement_party_confirmed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} — {self.agreement}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
