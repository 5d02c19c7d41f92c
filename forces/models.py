"""Forces of England and Wales, their regions and policing bodies, and who works for which force."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.querysets import PublicQuerySet
from forces.scoping import ForceScopedQuerySet


class Region(models.Model):
    """An NPCC region (e.g. "West Midlands"); "National" holds the non-Home Office forces."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Force(models.Model):
    """A police force. 43 are Home Office forces; three others may adopt the SPR (§1.13)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="forces")
    home_office = models.BooleanField(help_text="A Home Office force, bound by the SPR (§1.7)")
    rocu = models.CharField(
        "regional organised crime unit",
        max_length=150,
        blank=True,
        help_text="Empty where the force provides its own serious organised crime capabilities",
    )
    rocu_note = models.CharField(max_length=200, blank=True)

    objects = PublicQuerySet.as_manager()  # force facts are public reference data

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current_policing_body(self):
        """The policing body in office today (prefetch `policing_bodies` to avoid a query)."""
        current = [body for body in self.policing_bodies.all() if body.effective_to is None]
        return current[0] if current else None


class BodyType(models.TextChoices):
    PCC = "pcc", "Police and crime commissioner"
    PFCC = "pfcc", "Police, fire and crime commissioner"
    MAYOR = "mayor", "Mayor with PCC functions"
    MOPAC = "mopac", "Mayor's Office for Policing and Crime"
    COMMON_COUNCIL = "common_council", "Common Council of the City of London"
    POLICE_AUTHORITY_OTHER = "police_authority_other", "Other police authority"


class PolicingBody(models.Model):
    """The local policing body that holds a chief constable to account, for a span of dates."""

    BodyType = BodyType

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="policing_bodies")
    name = models.CharField(max_length=250)
    body_type = models.CharField(max_length=30, choices=BodyType.choices)
    effective_from = models.DateField(null=True, blank=True, help_text="Empty where not recorded")
    effective_to = models.DateField(null=True, blank=True, help_text="Empty while in office")

    class Meta:
        ordering = ["force__name", "-effective_from"]
        verbose_name_plural = "policing bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["force"], condition=Q(effective_to__isnull=True), name="one_current_policing_body"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="policing_body_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(body_type__in=BodyType.values), name="policing_body_type_known"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Ties a user to a force they act for. Roles themselves are groups (see core.roles)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "force"], name="one_membership_per_force")]

    def __str__(self) -> str:
        return f"{self.user} — {self.force}"
