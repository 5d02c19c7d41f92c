from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero naming the first broken entry."

    def handle(self, *args, **options):
        result = audit_verify()
        if result.first_broken_id is not None:
            raise CommandError(
                f"Audit trail broken at entry {result.first_broken_id}: {result.reason}. "
                f"{result.entries - 1} entries before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.entries} entries verified."))
