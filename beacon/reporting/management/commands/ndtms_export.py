"""`ndtms_export --month 2026-10 --out file.csv [--provider BCN] [--dataset K] [--draft]`: the
NDTMS monthly return as a file, streamed (flat memory however many clients), with a progress
bar on stderr. The export is audited as run on the server. While the validation report has
errors it is refused (nothing written); `--draft` writes a copy marked not for submission."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from beacon.core.models import Provider
from beacon.reporting.datasets import DATASET_VERSIONS, dataset_version
from beacon.reporting.selectors.ndtms import month_period, return_journeys
from beacon.reporting.services.ndtms import (
    ReturnNotReady,
    draft_filename,
    ndtms_return_lines,
    ndtms_return_write,
)


class Command(BaseCommand):
    help = "Write the NDTMS monthly return of a provider as a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month, YYYY-MM (e.g. 2026-10).")
        parser.add_argument("--out", required=True, type=Path, help="The CSV file to write.")
        parser.add_argument(
            "--provider", default="", help="The provider's code (needed when there are several)."
        )
        parser.add_argument(
            "--dataset",
            default="",
            choices=["", *DATASET_VERSIONS],
            help="The dataset version (default: the current one).",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Write the file even with errors, marked NOT FOR SUBMISSION (for checking).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(
        self,
        *args,
        month: str,
        out: Path,
        provider: str,
        dataset: str,
        no_progress: bool,
        draft: bool = False,
        **options,
    ) -> None:
        try:
            first, last = month_period(month)
        except ValueError as error:
            raise CommandError(f"--month: {error}") from error
        chosen = _provider(provider)
        version = dataset_version(dataset or None)
        journeys = return_journeys(provider=chosen, first=first, last=last).count()

        def progress(items):
            return tqdm(items, total=journeys, unit="journey", file=sys.stderr, disable=no_progress)

        try:
            lines = ndtms_return_lines(
                actor=None,
                provider=chosen,
                first=first,
                last=last,
                version=version,
                journeys=journeys,
                progress=progress,
                draft=draft,
            )
        except ReturnNotReady as refused:
            raise CommandError(
                f"{refused} Open Reporting › NDTMS return for the list, or run with --draft."
            ) from refused
        try:
            with out.open("w", encoding="utf-8", newline="") as handle:
                rows = ndtms_return_write(lines=lines, out=handle)
        except OSError as error:
            raise CommandError(f"--out: cannot write {out}: {error}") from error
        name = version.filename(agency=chosen.ndtms_agency_code, first=first, last=last)
        if draft:
            self.stdout.write(
                f"DRAFT, NOT FOR SUBMISSION: {version.name}: {rows} rows for {journeys} "
                f"journeys written to {out} (as {draft_filename(name)})"
            )
            return
        self.stdout.write(
            f"{version.name}: {rows} rows for {journeys} journeys written to {out} "
            f"(NDTMS names it {name})"
        )


def _provider(code: str) -> Provider:
    providers = Provider.objects.all()
    if code:
        found = providers.filter(code=code).first()
        if found is None:
            raise CommandError(f"--provider: no provider has the code {code!r}")
        return found
    if providers.count() != 1:
        raise CommandError("--provider: name the provider's code (there is not exactly one)")
    return providers.get()
