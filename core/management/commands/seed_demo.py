from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import demo_assessments_create
from core.demo import DEMO_FORCES, demo_accounts_create


class Command(BaseCommand):
    help = "Create demo accounts and data (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password. DEBUG is off, so this looks like a real "
                "deployment: refusing. Use --force if you really mean it."
            )
        call_command("load_forces", verbosity=0)
        call_command("load_editions", verbosity=0)
        accounts = demo_accounts_create()
        created = demo_assessments_create(DEMO_FORCES)
        self.stdout.write(self.style.SUCCESS(f"{created} demo assessments created"))
        self.stdout.write(self.style.SUCCESS(f"{len(accounts)} demo accounts ready:"))
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<22} {account.role.value}{f' ({account.force})' if account.force else ''}"
            )
