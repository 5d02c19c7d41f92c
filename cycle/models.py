"""The annual cycle: the national deadlines of each reporting period, and the record of every
reminder and digest sent (so none is sent twice).

Deadlines are national (one row per period, set by a national administrator) and hold no force's data;
reminders belong to the person they were sent to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.periods import validate_period

#: The workflow steps a deadline is set for, in order: (step, the date field). A step is a key of
#: assessments.transitions.TRANSITIONS.
DEADLINE_STEPS = (
    ("submit", "submit_by"),
    ("respond", "respond_by"),
    ("sign_off", "sign_off_by"),
    ("publish", "publish_by"),
)


class PeriodDeadlines(models.Model):
    """The dates by which every force's self-assessment for one reporting period should be submitted
    to the chief constable, responded to, signed off by the PCC and published to HMIC."""

    period = models.CharField(max_length=7, unique=True, validators=[validate_period])
    submit_by = models.DateField(_("submitted by"))
    respond_by = models.DateField(_("chief constable's response by"))
    sign_off_by = models.DateField(_("signed off by"))
    publish_by = models.DateField(_("published by"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        verbose_name_plural = "period deadlines"
        constraints = [
            models.CheckConstraint(
                condition=Q(submit_by__lte=F("respond_by"))
                & Q(respond_by__lte=F("sign_off_by"))
                & Q(sign_off_by__lte=F("publish_by")),
                name="deadlines_in_workflow_order",
            ),
            models.CheckConstraint(condition=Q(period__regex=r"^20[0-9]{2}/[0-9]{2}$"), name="deadlines_period_format"),
        ]

    def __str__(self) -> str:
        return f"Deadlines {self.period}"

    #: The error for a date before the step's previous one (GDS wording: say what is wrong).
    ORDER_ERRORS = {
        "respond_by": _("The response date must be the same as or after the submission date"),
        "sign_off_by": _("The sign-off date must be the same as or after the response date"),
        "publish_by": _("The publication date must be the same as or after the sign-off date"),
    }

    def clean(self):
        fields = [field for _step, field in DEADLINE_STEPS]
        errors = {}
        for earlier, later in zip(fields, fields[1:], strict=False):
            before, after = getattr(self, earlier), getattr(self, later)
            if before and after and after < before:
                errors[later] = self.ORDER_ERRORS[later]
        if errors:
            raise ValidationError(errors)

    def date_for(self, step: str):
        return getattr(self, dict(DEADLINE_STEPS)[step])


class ReminderKind(models.TextChoices):
    STEP_DUE = "step_due", _("Workflow step coming due")
    STEP_LATE = "step_late", _("Workflow step late")
    ACTION_DUE = "action_due", _("Action coming due")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    EVIDENCE_REVIEW = "evidence_review", _("Evidence past its review date")
    DEPARTURE_REVIEW = "departure_review", _("Departure due for review")
    DIGEST = "digest", _("Weekly digest")


class Reminder(models.Model):
    """One reminder or digest sent (or being sent) to one person about one thing on one day.

    The row is inserted *before* the e-mail is sent, and the unique constraint makes the insert the
    claim: a second run, or a second worker running at the same moment, fails to insert and sends
    nothing. `sent_at` is set once the mail server has taken the message; a claim whose sending failed
    is deleted so that the next run tries again.
    """

    Kind = ReminderKind

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    #: What it is about: "<model>:<id>" plus, for a workflow step, the step and its deadline
    #: (e.g. "assessment:12:submit:2027-01-31"); a digest names its week ("week:2026-W49").
    subject = models.CharField(max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    force = models.ForeignKey("forces.Force", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "recipient", "day"], name="one_reminder_per_day"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_known"),
        ]
        indexes = [models.Index(fields=["recipient", "kind", "subject"], name="reminder_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} to {self.recipient_id} on {self.day}"
