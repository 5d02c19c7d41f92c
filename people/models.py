"""People: a person's job title (their name is the account's), and invitations to join the service.

An invitation is a one-time link: only the SHA-256 of its token is stored, so the database never holds
a usable link. Accepting it creates (or completes) the account in the invited role and force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import ROLE_SLUGS
from forces.models import Force
from forces.scoping import ForceScopedQuerySet

ROLE_CHOICES = [(slug, role.value) for role, slug in ROLE_SLUGS.items()]
NAME_MAX = 150
JOB_TITLE_MAX = 150


class Profile(models.Model):
    """What the service knows of a person beyond their account: their job title, and whether they want
    reminders one by one or only in the weekly digest. The full name is the account's (`first_name`
    holds it whole, `last_name` stays empty), so `get_full_name()` gives it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    job_title = models.CharField(_("job title"), max_length=JOB_TITLE_MAX, blank=True)
    digest_only = models.BooleanField(
        _("weekly digest only"), default=False, help_text=_("No reminder e-mails one by one: only the weekly digest")
    )

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}, {self.job_title}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class Invitation(models.Model):
    """An invitation by e-mail to join in a role (and, for a force role, a force)."""

    Status = InvitationStatus

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("full name"), max_length=NAME_MAX)
    job_title = models.CharField(_("job title"), max_length=JOB_TITLE_MAX)
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    #: The account it made (or, from create_admin, the account it completes).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InvitationStatus.values), name="invitation_status_known"),
            models.CheckConstraint(
                condition=Q(role__in=[slug for slug, _ in ROLE_CHOICES]), name="invitation_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired


class SsoGroupMapping(models.Model):
    """A value of the single sign-on provider's groups claim (Entra ID: a group's object id, or an
    app role's value when the claim is "roles") and the role, and for a force role the force, that a
    person signing in with it gets."""

    group = models.CharField(_("group claim value"), max_length=200, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True, related_name="sso_group_mappings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("single sign-on group mapping")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[slug for slug, _ in ROLE_CHOICES]), name="sso_group_mapping_role_known"
            ),
        ]

    def __str__(self) -> str:
        return self.group


class PendingSsoUser(models.Model):
    """Someone who signed in through single sign-on with no account and no mapped group: nothing else
    is made for them; their administrators see this request on the people page (and are e-mailed)."""

    provider = models.CharField(max_length=100)
    uid = models.CharField(max_length=255)
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("full name"), max_length=NAME_MAX, blank=True)
    groups = models.JSONField(default=list, blank=True)
    #: The force whose people share the person's e-mail domain, if exactly one does (whose force
    #: administrators are told and see the request).
    force = models.ForeignKey(Force, on_delete=models.SET_NULL, null=True, blank=True, related_name="pending_sso_users")
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=1)
    notified_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("single sign-on access request")
        constraints = [models.UniqueConstraint(fields=["provider", "uid"], name="pending_sso_user_unique")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.uid
