"""SPR editions and their Part A threats.

Editions are data: they are loaded from `editions/*.yaml` by `manage.py load_editions`, never typed
into migrations. Nothing here assumes how many threats, areas or requirements an edition has.
"""

from django.db import models
from django.db.models import Q

from core.querysets import PublicQuerySet
from core.roles import Role, has_role


class EditionQuerySet(PublicQuerySet):
    """Draft editions (uploaded, not yet published) are a national administrator's work in progress:
    `visible_to` never includes them (so reading the SPR costs no role lookup), and only the
    edition pages and API actions of national administrators reach them, through `managed_by`."""

    def visible_to(self, user):
        return super().visible_to(user).exclude(status=EditionStatus.DRAFT)

    def managed_by(self, user):
        """Every edition, drafts included, for a national administrator; else what `visible_to` gives."""
        if has_role(user, Role.NATIONAL_ADMIN):
            return super().visible_to(user)
        return self.visible_to(user)

    def published(self):
        return self.exclude(status=EditionStatus.DRAFT)


class CatalogueQuerySet(PublicQuerySet):
    """Rows that belong to an edition (threats, areas, requirements): never read while it is a draft
    (the draft's pages read them by edition, for national administrators only)."""

    def visible_to(self, user):
        return super().visible_to(user).exclude(edition__status=EditionStatus.DRAFT)


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"


class Edition(models.Model):
    """One issue of the Strategic Policing Requirement (e.g. July 2012)."""

    Status = EditionStatus

    code = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=100, default="Home Office")
    published_on = models.DateField()
    status = models.CharField(max_length=20, choices=EditionStatus.choices, default=EditionStatus.IN_FORCE)
    isbn = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the text was taken from")
    summary = models.TextField(blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        help_text="The edition this one replaces (its mapping is to that edition)",
    )
    effective_from = models.DateField(
        null=True,
        blank=True,
        help_text="The day it applies from (a period starting on or after it uses it); empty: its publication date",
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EditionStatus.values), name="edition_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == EditionStatus.DRAFT

    @property
    def applies_from(self):
        return self.effective_from or self.published_on


class JudgementLevel(models.Model):
    """One value of an edition's judgement scale (scales are data, not code).

    `score` orders levels from worst to best; a level with no score (e.g. "not yet assessed") means
    the response has not been judged.
    """

    class Tag(models.TextChoices):
        GREEN = "green", "Green"
        YELLOW = "yellow", "Yellow"
        ORANGE = "orange", "Orange"
        RED = "red", "Red"
        GREY = "grey", "Grey"
        BLUE = "blue", "Blue"
        TURQUOISE = "turquoise", "Turquoise"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="judgement_levels")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    colour = models.CharField(max_length=20, choices=Tag.choices, default=Tag.GREY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="judgement_code_unique_in_edition"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_assessed(self) -> bool:
        return self.score is not None


class Threat(models.Model):
    """A national threat of Part A (§2.2 in 2012)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="threats")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=150)
    description = models.TextField(help_text="The edition's own words")
    nsra_tier = models.PositiveSmallIntegerField(
        "National Security Risk Assessment tier",
        null=True,
        blank=True,
        help_text="Empty where the edition names no tier",
    )
    paragraph = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="threat_code_unique_in_edition")]

    def __str__(self) -> str:
        return self.name


class ThreatMapping(models.Model):
    """How a threat of an edition relates to the edition it follows: the earlier threats it continues
    (none: it is new), and whether it means the same (so judgements may carry over)."""

    threat = models.OneToOneField(Threat, on_delete=models.CASCADE, related_name="mapping")
    previous = models.ManyToManyField(Threat, related_name="continued_by", blank=True)
    same_meaning = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Mapping of {self.threat}"


class RetiredThreat(models.Model):
    """A threat of the earlier edition that `edition` no longer carries."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="retired_threats")
    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="retirements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "threat"], name="retired_threat_once")]

    def __str__(self) -> str:
        return f"{self.threat} retired by {self.edition}"
