from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from capabilities.editions import EditionFileError, EditionLoadResult, Tally, editions_load
from capabilities.editions.writing import is_reference_file


def _tally(name: str, tally: Tally) -> str:
    return f"{tally.total} {name} ({tally.created} created, {tally.updated} updated)"


class Command(BaseCommand):
    help = (
        "Load every SPR edition file (*.yaml) from SPR_EDITIONS_DIR, or --dir. Idempotent; a malformed "
        "file loads nothing at all. Rows a file no longer lists are kept and reported, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=None, help=f"Directory of edition files (default {settings.SPR_EDITIONS_DIR})"
        )

    def handle(self, *args, **options):
        try:
            results = editions_load(directory=options["dir"])
        except EditionFileError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] == 0:
            return
        for result in results:
            self._report(result)
        directory = Path(options["dir"] or settings.SPR_EDITIONS_DIR)
        for path in sorted(directory.glob("*.yaml")):
            if is_reference_file(path):
                self.stdout.write(f"{path.name}: a reference record (status: reference), not loaded")

    def _report(self, result: EditionLoadResult) -> None:
        parts = [
            _tally("threats", result.threats),
            _tally("areas", result.areas),
            _tally("requirements", result.requirements),
            _tally("judgement levels", result.judgement_levels),
        ]
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(f"{result.path.name}: edition {result.code} {result.edition}; {', '.join(parts)}"))
        if result.default_scale:
            self.stdout.write(f"{result.path.name}: no judgement_scale given, so the default scale was used")
        for name, tally in (
            ("threats", result.threats),
            ("areas", result.areas),
            ("requirements", result.requirements),
            ("judgement levels", result.judgement_levels),
        ):
            if tally.stale:
                self.stdout.write(
                    self.style.WARNING(
                        f"{result.path.name}: {name} no longer in the file were kept (delete them by hand if "
                        f"nothing refers to them): {', '.join(tally.stale)}"
                    )
                )
