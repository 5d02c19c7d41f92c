"""Report jobs: the state of every PDF request lives here, in the database, never in the broker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import Assessment, assessment_prefix, inspector_assessment_filter
from core.roles import reads_only_shared
from forces.models import Region
from forces.scoping import ForceScopedQuerySet
from threats.models import Edition


class ReportKind(models.TextChoices):
    ACCOUNTABILITY = "accountability", "PCC accountability report"
    NATIONAL = "national", "National overview"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportJobQuerySet(ForceScopedQuerySet):
    """Accountability reports follow their assessment's visibility (force roles reach them through the
    assessment's force); national overviews have no force and are for national roles only."""

    def across_forces(self, user):
        if reads_only_shared(user):
            readable = Q(kind=ReportKind.ACCOUNTABILITY) & inspector_assessment_filter(assessment_prefix(ReportJob))
            return self.filter(Q(kind=ReportKind.NATIONAL) | readable)
        return self.all()


class ReportJob(models.Model):
    """One PDF to build. The worker locks the row, renders, writes the file atomically and records
    its SHA-256; a sweeper re-dispatches jobs stuck in queued or running."""

    Kind = ReportKind
    Status = JobStatus

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    period = models.CharField(max_length=7, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="What went wrong, in words a user can act on")
    input_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of everything the PDF shows")
    file_path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    # The Celery task id of the delivery that holds the job. The broker gives the same message back
    # only when the worker running it was lost (late acknowledgement, rejected on worker loss), so a
    # running job held by the same task id is taken over, never dropped as busy.
    task_id = models.CharField(max_length=255, blank=True)

    force_path = "assessment__force"
    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_kind_known"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="report_status_known"),
            models.CheckConstraint(
                condition=Q(kind=ReportKind.ACCOUNTABILITY, assessment__isnull=False)
                | Q(kind=ReportKind.NATIONAL, edition__isnull=False) & ~Q(period=""),
                name="report_subject_complete",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
        ]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="report_sweep_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
