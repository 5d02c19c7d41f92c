"""manage.py create_admin --email E [--name N]: the first national administrator of a fresh database.

It makes the account without a usable password and prints a one-time link that sets one (valid for
SPR_INVITATION_DAYS days; run it again for a new link)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from people.services import admin_bootstrap


class Command(BaseCommand):
    help = "Create a national administrator and print a one-time link to set their password"

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="Their e-mail address (also how they sign in)")
        parser.add_argument("--name", default="", help="Their full name")

    def handle(self, *args, email: str, name: str, **options):
        try:
            person, link = admin_bootstrap(email=email, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"National administrator {person.get_username()} created.")
        self.stdout.write("Open this one-time link to set the password (it works once):")
        self.stdout.write(link)
