from django.core.management.base import BaseCommand

from forces.services import forces_load


class Command(BaseCommand):
    help = "Load forces, regions, ROCUs and policing bodies from data/*.csv (idempotent)."

    def handle(self, *args, **options):
        result = forces_load()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.forces} forces in {result.regions} regions, {result.policing_bodies} policing bodies"
            )
        )
