"""Shared building blocks with no SPR rules in them."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps (timezone-aware) to a model."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """Written by the `core.heartbeat` task: proof that a worker took a message off the broker."""

    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    enqueued_at = models.DateTimeField()
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_at"]
        get_latest_by = "seen_at"

    def __str__(self) -> str:
        return f"{self.hostname or 'worker'} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
