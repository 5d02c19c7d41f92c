"""Send today's reminders (and, on Mondays, the weekly digests) now, as the daily beat job does.
Safe to run at any time: nothing already sent goes again."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cycle.reminders import reminders_send


class Command(BaseCommand):
    help = "Send due reminders and, on Mondays, weekly digests (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), for a rehearsal")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("Give --date as YYYY-MM-DD") from None
        report = reminders_send(today=today)
        self.stdout.write(
            f"{report.sent} e-mails sent ({report.digests} digests), {report.skipped} already sent or not wanted, "
            f"{report.failed} failed"
        )
