import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from assessments import notifications
from demo.accounts import DEMO_FORCES, demo_accounts_create
from demo.assessments import demo_assessments_create, demo_years
from demo.collaboration import demo_agreements_seed
from demo.cycle import demo_deadlines_seed
from demo.inspection import demo_inspection_create
from demo.national import demo_capacity_seed


class Command(BaseCommand):
    help = (
        "Create demo accounts and data (idempotent). Refuses to run with DEBUG off unless --force. "
        "--scale national also fills all 46 forces with three periods of assessments for load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off")
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="demo (default): four forces; national: every force, the three periods up to today's, in bulk",
        )

    def handle(self, *args, force: bool = False, scale: str = "demo", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password. DEBUG is off, so this looks like a real "
                "deployment: refusing. Use --force if you really mean it."
            )
        call_command("load_forces", verbosity=0)
        call_command("load_editions", verbosity=0)
        accounts = demo_accounts_create()
        # The workflow e-mails the next actor at each step (through the worker); a demo has nobody to tell.
        with notifications.suppressed():
            created = demo_assessments_create(DEMO_FORCES)
        figures = demo_capacity_seed(DEMO_FORCES, demo_years())
        deadlines = demo_deadlines_seed()
        with notifications.suppressed():
            inspection = demo_inspection_create(demo_years()[1])
        agreements = demo_agreements_seed(*demo_years())
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} demo assessments, {figures} capacity figures, {deadlines} periods' deadlines, "
                f"{inspection} HMIC requests and findings and {agreements} collaboration agreements created"
            )
        )
        self.stdout.write(self.style.SUCCESS(f"{len(accounts)} demo accounts ready:"))
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<22} {account.role.value}{f' ({account.force})' if account.force else ''}"
            )
        if scale == "national":
            from demo.national import national_seed

            started = time.monotonic()
            result = national_seed()
            self.stdout.write(
                self.style.SUCCESS(
                    f"National scale: {result.assessments} assessments, {result.responses} responses, "
                    f"{result.evidence} evidence items, {result.commitments} capacity figures and {result.users} "
                    f"accounts (staff-<force>, chief-<force>, pcc-<force>) created in "
                    f"{time.monotonic() - started:.1f} s"
                )
            )
