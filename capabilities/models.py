"""Part B of an edition: the areas (the five Cs in 2012), every assessable requirement, and the
capabilities forces commit capacity to (their national planning assumptions)."""

from django.db import models

from threats.models import CatalogueQuerySet, Edition, Threat


class Area(models.Model):
    """An area of Part B: capacity, contribution, capability, consistency, connectivity (2012)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    section = models.CharField(max_length=20, help_text="The section of the edition that sets it out")
    position = models.PositiveSmallIntegerField(default=0)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="area_code_unique_in_edition")]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """One assessable statement of an edition, with its text exactly as published.

    `ref` is stable across loads (e.g. `4.1(c)`, `3.2(a)(ii)`); `paragraph` is the numbered
    paragraph it sits in (`4.1`). A nested bullet keeps its parent's sentence in `group_heading`
    and the paragraph's lead-in in `lead_in`, so it reads on its own.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="requirements")
    ref = models.CharField(max_length=30)
    paragraph = models.CharField(max_length=20)
    section = models.CharField(max_length=150, help_text="The section heading, e.g. 'Capability'")
    lead_in = models.TextField(blank=True, help_text="The paragraph's opening sentence, for context")
    group_heading = models.TextField(blank=True, help_text="The parent bullet of a nested bullet")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    areas = models.ManyToManyField(Area, related_name="requirements")
    threats = models.ManyToManyField(Threat, related_name="requirements")

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "ref"], name="requirement_ref_unique_in_edition")]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"


class RequirementMapping(models.Model):
    """How a requirement of an edition relates to the edition it follows: the earlier requirements it
    continues (one: reworded or unchanged; several: merged; none: new), and whether it means the same,
    so a force's judgement may carry over. Confirmed by a national administrator, never guessed."""

    requirement = models.OneToOneField(Requirement, on_delete=models.CASCADE, related_name="mapping")
    previous = models.ManyToManyField(Requirement, related_name="continued_by", blank=True)
    same_meaning = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Mapping of {self.requirement.ref}"


class RetiredRequirement(models.Model):
    """A requirement of the earlier edition that `edition` no longer asks for."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="retired_requirements")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="retirements")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "requirement"], name="retired_requirement_once")]

    def __str__(self) -> str:
        return f"{self.requirement.ref} retired by {self.edition}"


class CapacityCapability(models.Model):
    """A capability the SPR asks forces to contribute to nationally (§3.2, §3.3, §4.2), with the
    national planning assumption it is measured against. Data the national administrator edits."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    unit = models.CharField(max_length=80, help_text="What one is counted in, e.g. 'police support units'")
    national_planning_assumption = models.PositiveIntegerField(
        help_text="How many the police service should be able to field nationally"
    )
    paragraphs = models.CharField(max_length=60, blank=True, help_text="SPR paragraphs it serves, e.g. '3.2, 4.2'")
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "capacity capabilities"

    def __str__(self) -> str:
        return self.name
