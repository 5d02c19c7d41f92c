from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_verify
from core.checkpoints import checkpoint_path, latest_checkpoint


class Command(BaseCommand):
    help = (
        "Check the audit trail: every entry's keyed hash and link, and that the chain still reaches every "
        "checkpoint in SPR_AUDIT_CHECKPOINT_DIR (a deleted tail or a truncation fails). Exits non-zero on "
        "any failure."
    )

    def handle(self, *args, **options):
        result = audit_verify()
        for problem in result.problems:
            self.stderr.write(f"Checkpoint problem: {problem}")
        if result.first_broken_id is not None:
            raise CommandError(
                f"Audit trail broken at entry {result.first_broken_id}: {result.reason}. "
                f"{max(result.entries - 1, 0)} entries before it are intact."
            )
        if result.problems:
            raise CommandError(f"The checkpoints in {checkpoint_path()} cannot all be trusted (see above).")
        if not result.checkpoints:
            self.stderr.write(
                self.style.WARNING(
                    f"No checkpoint in {checkpoint_path()}: a deleted tail or a truncation cannot be detected. "
                    "Run the Celery beat schedule (core.audit_checkpoint) and keep that directory."
                )
            )
        keyed = result.entries - result.unkeyed
        lines = [
            f"Audit trail intact: {result.entries} entries verified "
            f"({keyed} keyed with HMAC-SHA256, {result.unkeyed} unkeyed from before the chain was keyed)."
        ]
        latest = latest_checkpoint()
        if latest is not None:
            lines.append(
                f"It reaches all {result.checkpoints} checkpoints; the latest, {latest.at}, recorded "
                f"{latest.count} entries with head {latest.short_hash}."
            )
        if settings.SPR_AUDIT_KEY.startswith("development-only-audit-key:"):
            lines.append("The key is the development key derived from SECRET_KEY: set SPR_AUDIT_KEY in production.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
