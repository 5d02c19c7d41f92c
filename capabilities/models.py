"""Part B of an edition: the areas (the five Cs in 2012) and every assessable requirement."""

from django.db import models

from threats.models import Edition, EditionQuerySet, Threat


class Area(models.Model):
    """An area of Part B: capacity, contribution, capability, consistency, connectivity (2012)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    section = models.CharField(max_length=20, help_text="The section of the edition that sets it out")
    position = models.PositiveSmallIntegerField(default=0)

    objects = EditionQuerySet.as_manager()

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

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "ref"], name="requirement_ref_unique_in_edition")]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"
