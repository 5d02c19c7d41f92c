"""Self-assessments: a force's answers to one SPR edition for one reporting period.

Every model here belongs to a force, directly (Assessment, Evidence) or through its assessment, and
is read only through `objects.visible_to(user)`.

Past 400 lines on purpose: these are the rows of one aggregate (an assessment and what hangs off it),
declared in one place so each model's scoping (`force_path`), history and constraints read side by
side; migrations and the records refer to them as `assessments.models`. A package would split them
without making any of them shorter.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from capabilities.models import Requirement
from collaboration.models import Agreement
from core.history import HistoricalRecords
from core.models import TimeStampedModel
from core.periods import validate_period
from core.roles import reads_only_shared
from forces.models import Force
from forces.scoping import ForceScopedQuerySet
from threats.models import Edition, JudgementLevel


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RESPONDED = "responded", "Chief constable's response given"
    SIGNED_OFF = "signed_off", "Signed off"
    PUBLISHED = "published", "Published"


#: States an HMIC inspector may read when the force has chosen to share before publication.
SHARED_STATUSES = (
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.RESPONDED,
    AssessmentStatus.SIGNED_OFF,
    AssessmentStatus.PUBLISHED,
)


def inspector_assessment_filter(prefix: str = "") -> Q:
    """What HMIC sees: published assessments, and submitted ones a force chose to share. `prefix` is
    the path from the queried model to its assessment ("" for Assessment, "assessment__", ...)."""
    return Q(**{f"{prefix}status": AssessmentStatus.PUBLISHED}) | Q(
        **{f"{prefix}share_with_hmic": True, f"{prefix}status__in": SHARED_STATUSES}
    )


def assessment_prefix(model) -> str:
    """The lookup from a model to its assessment, from where it says its force is: a model owned
    through its assessment has a `force_path` that ends "assessment__force"."""
    return model.force_path.removesuffix("force")


class AssessmentScopedQuerySet(ForceScopedQuerySet):
    """Assessments and the rows that hang off them: force roles see their force's; HMIC inspectors
    see only what belongs to assessments they may read (published, or shared once submitted)."""

    def across_forces(self, user):
        if reads_only_shared(user):
            return self.filter(inspector_assessment_filter(assessment_prefix(self.model)))
        return self.all()


class Assessment(TimeStampedModel):
    """One force's self-assessment against one edition for one financial year."""

    Status = AssessmentStatus

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="assessments")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="assessments")
    period = models.CharField(max_length=7, validators=[validate_period], help_text="Financial year, e.g. 2025/26")
    revision = models.PositiveSmallIntegerField(default=1, help_text="1 for the first version; revisions add 1")
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The assessment this one was copied from",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The published version this revision was started from",
    )
    share_with_hmic = models.BooleanField(
        default=False, help_text="Let HMIC inspectors read it once submitted, before it is published"
    )
    chief_statement = models.TextField(
        "chief constable's statement", blank=True, max_length=settings.SPR_NARRATIVE_MAX_LENGTH
    )
    chief_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chief_statement_at = models.DateTimeField(null=True, blank=True)
    assurance_statement = models.TextField(
        "PCC's annual assurance statement", blank=True, max_length=settings.SPR_NARRATIVE_MAX_LENGTH
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    force_path = "force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "-period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "edition", "period", "revision"], name="one_assessment_per_force_edition_period"
            ),
            models.CheckConstraint(condition=Q(status__in=AssessmentStatus.values), name="assessment_status_known"),
            models.CheckConstraint(
                condition=Q(period__regex=r"^20[0-9]{2}/[0-9]{2}$"), name="assessment_period_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force} — {self.edition.code} {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Response(models.Model):
    """The assessment's answer to one requirement.

    `version` rises by one on every save through `response_update`; a save that names an older
    version is refused, so two people editing at once never overwrite each other silently.
    """

    # No index of its own: one_response_per_requirement (assessment, requirement) serves it.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses", db_index=False)
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="responses")
    judgement = models.ForeignKey(JudgementLevel, on_delete=models.PROTECT, related_name="responses")
    narrative = models.TextField(blank=True, max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    evidence = models.ManyToManyField("Evidence", blank=True, related_name="responses")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who in the force owns answering this requirement (a member of the assessment's force: the
    # services check). Assigning an owner is not a change to the answer: `version` stays as it is.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_responses",
        help_text="The person of the force who owns this requirement",
    )

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    # A response's history is read by its id only; indexes on the other keys would cost every
    # assessment's creation 1,000-odd index entries each and serve no query.
    history = HistoricalRecords(
        m2m_fields=[evidence],
        excluded_fields=["updated_at"],
        no_db_index=["assessment", "requirement", "judgement", "updated_by", "owner"],
    )

    class Meta:
        ordering = ["assessment", "requirement__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="one_response_per_requirement"),
            models.CheckConstraint(condition=Q(version__gte=1), name="response_version_positive"),
        ]
        indexes = [
            # The judgements of a set of assessments, read from the index alone (an index-only scan on
            # PostgreSQL): the heat maps and the national trends read nothing else of a response, and
            # the trends aggregate every response of up to five periods of every force (the national
            # view's trends query: 7.5 ms without it, 4 ms with it, at four times the national data).
            models.Index(fields=["assessment", "requirement", "judgement"], name="response_judgements"),
        ]

    def __str__(self) -> str:
        return self.label_for(self.assessment, self.requirement.ref)

    @staticmethod
    def label_for(assessment: Assessment, requirement_ref: str) -> str:
        """What `str()` says of the response to a requirement, without a Response to ask."""
        return f"{assessment} — {requirement_ref}"

    def clean(self) -> None:
        if self.judgement_id and self.assessment_id and self.judgement.edition_id != self.assessment.edition_id:
            raise ValidationError({"judgement": "Choose a judgement from this edition's scale"})
        if self.requirement_id and self.assessment_id and self.requirement.edition_id != self.assessment.edition_id:
            raise ValidationError({"requirement": "The requirement belongs to another edition"})

    @property
    def status(self) -> ResponseStatus:
        """Completed: judged and explained. In progress: anything recorded. Otherwise not started."""
        return self.status_of(self.judgement.score, self.narrative, self.version)

    @staticmethod
    def status_of(score, narrative: str, version: int) -> ResponseStatus:
        """`status` from the judgement's score and the response's narrative and version (for reads
        that fetch values rather than objects)."""
        judged = score is not None
        if judged and narrative.strip():
            return ResponseStatus.COMPLETED
        if judged or narrative.strip() or version > 1:
            return ResponseStatus.IN_PROGRESS
        return ResponseStatus.NOT_STARTED


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"
    REFERENCE = "reference", "Reference"


class ProtectiveMarking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class ScanStatus(models.TextChoices):
    """Where a stored file stands with the virus scanner. Only CLEAN and NOT_SCANNED (no scanner is
    configured) files may be downloaded; a PENDING file is quarantined until a scan finds it clean."""

    PENDING = "pending", gettext_lazy("Waiting for a virus scan")
    CLEAN = "clean", gettext_lazy("No virus found")
    INFECTED = "infected", gettext_lazy("A virus was found")
    NOT_SCANNED = "not_scanned", gettext_lazy("Not scanned: no virus scanner is set up")


DOWNLOADABLE_SCAN_STATUSES = (ScanStatus.CLEAN, ScanStatus.NOT_SCANNED)


class PrivateStorage(FileSystemStorage):
    """Evidence files on disk with no URL: they are served only by views that check the force."""

    def url(self, name):
        raise NotImplementedError("Evidence has no public URL; use the download view")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A generated name: the uploader's file name is kept for display only, never as a path."""
    return f"evidence/{instance.force.code}/{uuid.uuid4().hex}"


class EvidenceQuerySet(ForceScopedQuerySet):
    """A force's library, and the items other forces have shared with it (read-only: `owned_by` and
    the permission predicates decide changes). HMIC inspectors see the items that support an
    assessment they may read."""

    def of_forces(self, force_ids):
        shared = Evidence.shared_with.through.objects.filter(force_id__in=force_ids).values("evidence_id")
        return self.filter(Q(force_id__in=force_ids) | Q(id__in=shared))

    def across_forces(self, user):
        if reads_only_shared(user):
            return self.filter(id__in=Response.objects.across_forces(user).values("evidence"))
        return self.all()


class Evidence(TimeStampedModel):
    """A force's document, link or reference. One item can support many responses and periods."""

    Kind = EvidenceKind

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    owner = models.CharField(max_length=150, help_text="Who holds the evidence, e.g. 'Head of Special Branch'")
    evidence_date = models.DateField(help_text="The date of the document or record")
    review_by = models.DateField(null=True, blank=True)
    protective_marking = models.CharField(
        max_length=20, choices=ProtectiveMarking.choices, default=ProtectiveMarking.OFFICIAL_SENSITIVE
    )
    file = models.FileField(upload_to=evidence_upload_to, storage=PrivateStorage, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # A file is quarantined (PENDING) until a scan finds it clean; links and references have none ("").
    scan_status = models.CharField(max_length=12, choices=ScanStatus.choices, blank=True, default=ScanStatus.PENDING)
    url = models.URLField(blank=True, max_length=1000)
    reference = models.CharField(max_length=300, blank=True, help_text="A record reference, e.g. a file number")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Sharing (issue 17): partner forces read, download and cite the item, never change it.
    # Sharing under an agreement shares with all its parties (copied into `shared_with` when shared).
    shared_with = models.ManyToManyField(
        Force, blank=True, related_name="evidence_shared_with_them", help_text="Forces that may read this item"
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The collaboration agreement it is shared under",
    )

    force_path = "force"
    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[shared_with], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_known"),
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$"))
                | (Q(kind="link") & ~Q(url=""))
                | (Q(kind="reference") & ~Q(reference="")),
                name="evidence_has_its_content",
            ),
            models.CheckConstraint(
                condition=Q(scan_status__in=[*ScanStatus.values, ""]), name="evidence_scan_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.review_by and self.evidence_date and self.review_by < self.evidence_date:
            raise ValidationError({"review_by": "The review date must be on or after the evidence date"})

    @property
    def is_past_review(self) -> bool:
        return self.review_by is not None and self.review_by < timezone.localdate()

    @property
    def is_downloadable(self) -> bool:
        """A stored file that is not quarantined (waiting for a scan, or found infected)."""
        return self.kind == EvidenceKind.FILE and bool(self.file) and self.scan_status in DOWNLOADABLE_SCAN_STATUSES


class DepartingParty(models.TextChoices):
    CHIEF_CONSTABLE = "chief_constable", "Chief constable"
    PCC = "pcc", "Police and crime commissioner"
    BOTH = "both", "Chief constable and police and crime commissioner"


class DepartureStatus(models.TextChoices):
    LIVE = "live", "Live"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Departure(TimeStampedModel):
    """A justified decision not to follow one requirement (SPR §1.9, "have regard to").

    Not a judgement value: a response keeps its own judgement whether or not there is a departure.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="departures")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="departures")
    departing_party = models.CharField(max_length=20, choices=DepartingParty.choices)
    circumstances = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    reasons = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    alternative_arrangements = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    residual_risk = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    review_date = models.DateField()
    status = models.CharField(max_length=12, choices=DepartureStatus.choices, default=DepartureStatus.LIVE)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="departures")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[evidence], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "requirement__position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DepartureStatus.values), name="departure_status_known"),
            models.CheckConstraint(
                condition=Q(departing_party__in=DepartingParty.values), name="departure_party_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Departure from {self.requirement.ref}"

    @property
    def is_review_overdue(self) -> bool:
        return self.status == DepartureStatus.LIVE and self.review_date < timezone.localdate()


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(TimeStampedModel):
    """A gap against a requirement and what will be done about it, by whom and by when."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="actions")
    gap = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH, help_text="What is missing")
    description = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH, help_text="What will be done")
    # Who owns it, as a person reads it. For a person of the force (`owner_user`) it is their name and
    # job title, written by the services; for someone outside the service, the name entered.
    owner = models.CharField(max_length=150, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name="owner in the service",
        help_text="The person of the force who owns the action (a member of the assessment's force)",
    )
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_known"),
        ]

    def __str__(self) -> str:
        return f"Action on {self.requirement.ref}: {self.description[:50]}"

    def clean(self) -> None:
        if not self.owner_user_id and not self.owner.strip():
            raise ValidationError({"owner": "Choose the owner, or enter the name of someone outside the service"})

    @cached_property
    def is_overdue(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_date < timezone.localdate()


class Transition(models.Model):
    """One move of an assessment through the workflow: who, when, from, to, and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    to_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=4000)

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(from_status__in=AssessmentStatus.values), name="transition_from_known"),
            models.CheckConstraint(condition=Q(to_status__in=AssessmentStatus.values), name="transition_to_known"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Challenge(TimeStampedModel):
    """The PCC's challenge to the chief constable, on one response or on the whole assessment.

    Open until the PCC (or their office) closes it; sign-off is refused while any is open.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="challenges")
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="challenges",
        help_text="Empty for a challenge on the whole assessment",
    )
    text = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True, max_length=4000)

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ChallengeStatus.values), name="challenge_status_known"),
        ]

    def __str__(self) -> str:
        subject = self.response.requirement.ref if self.response_id else "the assessment"
        return f"Challenge on {subject}"

    @property
    def is_open(self) -> bool:
        return self.status == ChallengeStatus.OPEN


class ChallengeReply(models.Model):
    """A message in a challenge's thread: the chief constable's reply, or the PCC's follow-up."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=settings.SPR_NARRATIVE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    force_path = "challenge__assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "created_at", "id"]
        verbose_name_plural = "challenge replies"

    def __str__(self) -> str:
        return f"Reply by {self.author} on {self.challenge}"


class Snapshot(models.Model):
    """The frozen content of a published assessment, with the SHA-256 of its canonical JSON."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="snapshot")
    payload = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    force_path = "assessment__force"
    objects = AssessmentScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="snapshot_hash_hex")]

    def __str__(self) -> str:
        return f"Snapshot of {self.assessment} ({self.sha256[:12]})"
