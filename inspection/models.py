"""The HMIC workspace (SPR §1.15): evidence requests an inspector sends a force, and the findings an
inspector records about a force. Both belong to the force they concern (`force_path`), so a force
reads its own and never another's; HMIC inspectors read every force's, as these are their own
records. Inspectors write them; the force writes only its answer and its response.

The models keep no history table: every change goes through `inspection.services`, which records it
in the audit chain (`core.audit.audit_record`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Action, Evidence
from capabilities.models import Area, Requirement
from core.models import TimeStampedModel
from core.periods import validate_period
from forces.models import Force
from forces.scoping import ForceScopedQuerySet
from threats.models import Threat

TEXT_MAX = settings.SPR_NARRATIVE_MAX_LENGTH


class InspectionQuerySet(ForceScopedQuerySet):
    """A force sees its own rows; HMIC inspectors and national administrators see every force's
    (an inspector's own records, not a force's unpublished work)."""

    def across_forces(self, user):
        return self.all()


class EvidenceRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")


#: What a person sees: the stored status, or "overdue" for an open request past its due date.
OVERDUE = "overdue"
STATUS_LABELS = {
    EvidenceRequestStatus.OPEN: _("Open"),
    EvidenceRequestStatus.ANSWERED: _("Answered"),
    EvidenceRequestStatus.ACCEPTED: _("Accepted"),
    OVERDUE: _("Overdue"),
}
#: The statuses a person (and the API) sees, as choices.
REQUEST_SHOWN_STATUSES = [*EvidenceRequestStatus.choices, (OVERDUE, _("Overdue"))]
STATUS_COLOURS = {
    EvidenceRequestStatus.OPEN: "blue",
    EvidenceRequestStatus.ANSWERED: "yellow",
    EvidenceRequestStatus.ACCEPTED: "green",
    OVERDUE: "red",
}


class EvidenceRequest(TimeStampedModel):
    """An inspector's request to a force for evidence against named requirements, by a due date, and
    the force's answer (evidence items of its own library and a note)."""

    Status = EvidenceRequestStatus

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="evidence_requests")
    requirements = models.ManyToManyField(Requirement, related_name="evidence_requests")
    text = models.TextField(max_length=TEXT_MAX, help_text="What the inspector asks for")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=EvidenceRequestStatus.choices, default=EvidenceRequestStatus.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_note = models.TextField(max_length=TEXT_MAX, blank=True)
    answer_evidence = models.ManyToManyField(Evidence, blank=True, related_name="evidence_requests")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    force_path = "force"
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvidenceRequestStatus.values), name="evidence_request_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence request to {self.force}: {self.text[:50]}"

    @property
    def is_overdue(self) -> bool:
        """Open (not answered) and past its due date."""
        return self.status == EvidenceRequestStatus.OPEN and self.due_date < timezone.localdate()

    @property
    def shown_status(self) -> str:
        return OVERDUE if self.is_overdue else self.status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.shown_status])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.shown_status]


class FindingKind(models.TextChoices):
    CAUSE_OF_CONCERN = "cause-of-concern", _("Cause of concern")
    AREA_FOR_IMPROVEMENT = "area-for-improvement", _("Area for improvement")
    RECOMMENDATION = "recommendation", _("Recommendation")
    GOOD_PRACTICE = "good-practice", _("Good practice")


KIND_COLOURS = {
    FindingKind.CAUSE_OF_CONCERN: "red",
    FindingKind.AREA_FOR_IMPROVEMENT: "orange",
    FindingKind.RECOMMENDATION: "purple",
    FindingKind.GOOD_PRACTICE: "green",
}


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Finding(TimeStampedModel):
    """An inspector's finding about one force for a period: against a requirement, or a threat and
    one of the five Cs, or the force as a whole; the force's response and the actions it links."""

    Kind = FindingKind
    Status = FindingStatus

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="findings")
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    kind = models.CharField(max_length=24, choices=FindingKind.choices)
    text = models.TextField(max_length=TEXT_MAX)
    found_on = models.DateField(help_text="The date of the finding")
    period = models.CharField(max_length=7, validators=[validate_period])
    status = models.CharField(max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(max_length=TEXT_MAX, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="findings")

    force_path = "force"
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FindingKind.values), name="finding_kind_known"),
            models.CheckConstraint(condition=Q(status__in=FindingStatus.values), name="finding_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.force}: {self.text[:50]}"

    @property
    def kind_colour(self) -> str:
        return KIND_COLOURS[self.kind]
