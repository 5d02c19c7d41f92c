"""Scan stored evidence files with the configured virus scanner (CLAMD_SOCKET or CLAMD_HOST).

Uploads are scanned as they arrive; this scans what is waiting (`pending`) and, with --all, the files
stored before a scanner was configured (`not_scanned`). An infected file is quarantined for good and
logged to `spr.security`; the command exits non-zero if it found one or could not reach the scanner.
"""

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import Evidence, EvidenceKind, ScanStatus
from core import antivirus


class Command(BaseCommand):
    help = "Scan evidence files waiting for a virus scan (--all: also those stored unscanned)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also scan files stored before scanning was set up")

    def handle(self, *args, **options):
        if not antivirus.scanner_configured():
            raise CommandError("No virus scanner is configured: set CLAMD_SOCKET or CLAMD_HOST.")
        states = [ScanStatus.PENDING, ScanStatus.NOT_SCANNED] if options["all"] else [ScanStatus.PENDING]
        counts = dict.fromkeys(ScanStatus.values, 0)
        items = Evidence.objects.filter(kind=EvidenceKind.FILE, scan_status__in=states).select_related("force")
        for item in items.order_by("id").iterator():
            try:
                counts[services.evidence_scan(evidence=item)] += 1
            except antivirus.ScannerUnavailable as exc:
                raise CommandError(f"The scanner did not answer for evidence {item.pk}: {exc}") from exc
        self.stdout.write(f"Clean: {counts[ScanStatus.CLEAN]}. Infected (quarantined): {counts[ScanStatus.INFECTED]}.")
        if counts[ScanStatus.INFECTED]:
            raise CommandError(f"{counts[ScanStatus.INFECTED]} file(s) failed the virus scan and are quarantined.")
