"""`manage.py reset_mfa <username>`: remove a person's second factors from the command line (the last
national administrator who lost their phone cannot reach the admin's action). Audited as done by
the system; the person sets up an authenticator app again at their next sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.signin import mfa_reset


class Command(BaseCommand):
    help = "Remove a person's second factors (authenticator app and recovery codes) and end their sessions."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No account with the username {username!r}.")
        removed = mfa_reset(person=person, by=None)
        self.stdout.write(f"Removed {removed} second factor(s) of {username}; their sessions have ended.")
