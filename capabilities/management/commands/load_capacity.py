from django.core.management.base import BaseCommand

from capabilities.services import capacity_capabilities_load


class Command(BaseCommand):
    help = (
        "Create the capacity capabilities of data/capacity_capabilities.csv that are missing (idempotent). "
        "Their planning assumptions are ILLUSTRATIVE, not official figures."
    )

    def handle(self, *args, **options):
        created = capacity_capabilities_load()
        self.stdout.write(self.style.SUCCESS(f"{created} capacity capabilities created"))
