"""Shared building blocks with no SPR rules in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def force_id_of(instance) -> int | None:
    """The id of the force that owns a row, by the lookup its model declares once as `force_path`
    ("force", "assessment__force", ...; forces.scoping reads the same declaration for visibility).
    None for a row of no force. Follows the relations in memory (a query only where one is unloaded)."""
    path = getattr(type(instance), "force_path", None)
    if not path:
        return None
    *relations, last = path.split("__")
    target = instance
    for name in relations:
        target = getattr(target, name, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


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


class AuditEntry(models.Model):
    """One change to an audited record: who, when, what (before and after), in a hash chain.

    Each entry's `hash` covers its content and the previous entry's hash, so editing or deleting an
    entry breaks the chain at that point (`manage.py verify_audit` finds it). The database refuses
    UPDATE (and, on PostgreSQL, DELETE) on this table; the app has no way to change an entry.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        #: A security event (its `kind` says which): no record changed.
        EVENT = "event", "Security event"

    class Kind(models.TextChoices):
        """What the entry records: a change to a record, or one kind of security event."""

        RECORD = "record", _("Record changed")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out")
        MFA_CHANGED = "mfa_changed", _("Two-factor authentication changed")
        TOKEN_CHANGED = "token_changed", _("API token changed")
        ACCESS_DENIED = "access_denied", _("Denied access to another force’s record")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")

    class Version(models.IntegerChoices):
        """How the entry's hash is made (`core.audit.entry_hash`)."""

        UNKEYED = 1, "SHA-256, unkeyed (entries written before the chain was keyed)"
        KEYED = 2, "HMAC-SHA256 with SPR_AUDIT_KEY"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        "auth.User", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Username at the time, kept if the user goes")
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=100, help_text="app_label.model of the changed record")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    force_id = models.BigIntegerField(null=True, blank=True, db_index=True, help_text="The record's force, if any")
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Database defaults too, so a row written by raw SQL is what it was before these columns: a
    # record's change, hashed unkeyed (which verify_audit refuses after the first keyed entry).
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECORD, db_default=Kind.RECORD)
    # Existing entries are version 1; every writer in core.audit sets the current version.
    version = models.PositiveSmallIntegerField(
        choices=Version.choices, default=Version.UNKEYED, db_default=Version.UNKEYED
    )
    key_id = models.CharField(
        max_length=16, blank=True, default="", db_default="", help_text="Which key made a keyed hash"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
            models.Index(fields=["kind", "at"], name="audit_kind_at_idx"),
        ]
        # A constraint, not unique=True: on PostgreSQL that would add a second, varchar_pattern_ops
        # index for LIKE, which nothing asks of a hash and every INSERT would keep up.
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action} {self.model} {self.object_id}"


class UserSession(models.Model):
    """One signed-in session of a person: which device, when it signed in, when it was last active.

    The session itself lives in Django's session store; this row lets a person see and end their
    sessions ("sign out everywhere") and lets a password change end every other one
    (core.user_sessions). A row is removed when its session ends by sign-out, timeout or from here.
    """

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "last_seen_at"], name="user_session_user_seen_idx")]

    def __str__(self) -> str:
        return f"Session of user {self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token (`Authorization: Bearer <token>`), made and revoked by its owner.

    Only the SHA-256 of the token is kept (the token is 256 random bits, so a fast hash is enough):
    it is shown once, when made. `prefix` (the token's first characters) tells tokens apart in lists.
    A token stops working when it expires or is revoked; revoked tokens stay listed for the record.
    """

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, in its owner's words")
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > (now or timezone.now())
