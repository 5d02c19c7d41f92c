"""Forces' capacity returns: what each force commits to the national pool for a capability, what it
has available and the notice it needs (SPR §3.2, §3.3, §4.2). Force data, read through forces.scoping;
the capabilities and their planning assumptions are catalogue data in `capabilities`."""

from django.db import models

from capabilities.models import CapacityCapability
from forces.scoping import ForceScopedQuerySet


class CapacityCommitment(models.Model):
    """One force's figures for one capability in one period: committed to the national pool,
    available now, and the notice it needs to mobilise them."""

    force = models.ForeignKey("forces.Force", on_delete=models.PROTECT, related_name="capacity_commitments")
    capability = models.ForeignKey(CapacityCapability, on_delete=models.PROTECT, related_name="commitments")
    period = models.CharField(max_length=7)
    committed = models.PositiveIntegerField()
    available = models.PositiveIntegerField()
    notice_period_hours = models.PositiveIntegerField(help_text="Hours needed to mobilise")
    as_of = models.DateField(help_text="The date the figures were true")
    updated_at = models.DateTimeField(auto_now=True)

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        # The table it had when it lived in the capabilities app (moved without touching the data).
        db_table = "capabilities_capacitycommitment"
        ordering = ["force__name", "capability__position"]
        constraints = [
            models.UniqueConstraint(fields=["force", "capability", "period"], name="one_commitment_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.capability} {self.period}"


class ExpectedContribution(models.Model):
    """What one force is expected to contribute to the national pool for one capability in one
    period, in the capability's unit (SPR §3.1(b), §3.3: "the contribution that is expected of
    them"). Set by a national administrator; a force's commitment is measured against it.

    `official` says whether the figure is an official one (for example, agreed with NPoCC); until it
    is, every page, PDF and CSV that shows it carries the "illustrative" label.
    """

    force = models.ForeignKey("forces.Force", on_delete=models.PROTECT, related_name="expected_contributions")
    capability = models.ForeignKey(CapacityCapability, on_delete=models.PROTECT, related_name="expected_contributions")
    period = models.CharField(max_length=7)
    expected = models.PositiveIntegerField(help_text="In the capability's unit")
    official = models.BooleanField(default=False, help_text="An official figure, not an illustrative one")
    updated_at = models.DateTimeField(auto_now=True)

    force_path = "force"
    objects = ForceScopedQuerySet.as_manager()

    class Meta:
        ordering = ["force__name", "capability__position"]
        constraints = [
            models.UniqueConstraint(fields=["force", "capability", "period"], name="one_expectation_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.capability} {self.period}: {self.expected}"
