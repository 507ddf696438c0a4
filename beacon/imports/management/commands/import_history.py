"""`import_history --dir exported/ --as USERNAME [--source NAME] [--dry-run] [--report F]`:
check, then import, an old system's history files (docs/import.md), all or nothing.

The files are a folder of CSV files (or `--dir book.xlsx`, a workbook). Every bad row is
printed (and written to `--report` as CSV); nothing is saved unless the run has none.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from beacon.core.models import User
from beacon.core.roles import Role
from beacon.imports.report import report_csv
from beacon.imports.services import history_import_run
from beacon.imports.sources import history_files


class Command(BaseCommand):
    help = "Import an old system's history files, all or nothing (docs/import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", required=True, help="Folder of CSV files, or an .xlsx")
        parser.add_argument(
            "--as", dest="username", required=True, help="The manager the import acts as"
        )
        parser.add_argument("--source", default="old system", help="The system the files came from")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing")
        parser.add_argument("--report", help="Write the report of bad rows to this CSV file")

    def handle(
        self,
        *args,
        dir: str,
        username: str,
        source: str,
        dry_run: bool,
        report: str | None,
        **options,
    ) -> None:
        actor = User.objects.select_related("provider").filter(username=username).first()
        if actor is None or actor.role != Role.MANAGER or not actor.is_active:
            raise CommandError(f"{username!r} is not an active manager: only managers import")
        try:
            files = history_files(dir)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {dir}: {exc}") from exc
        with tqdm(
            desc="rows",
            unit=" rows",
            disable=options.get("verbosity", 1) < 1,
            file=self.stderr._out,
        ) as bar:

            def on_row(done: int) -> None:
                bar.update(done - bar.n)

            result = history_import_run(
                actor=actor, files=files, source=source, dry_run=dry_run, on_row=on_row
            )
        for problem in result.problems:
            self.stdout.write(
                f"{problem.file} row {problem.row} {problem.column or '-'} "
                f"{problem.value!r}: {problem.reason}"
            )
        if report:
            with open(report, "w", encoding="utf-8", newline="") as handle:
                handle.write(report_csv(result.problems))
        if result.problems:
            raise CommandError(f"Nothing saved: {result.summary}")
        verb = "Checked (dry run): would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {result.summary}"))
