"""`export_history --dir out/ [--provider CODE]`: write everything of a provider in the
history import's files (docs/import.md), so a service can move out as it moved in."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from beacon.core.audit import Action, audit_record
from beacon.core.models import Provider
from beacon.imports.exporter import HistoryExport


class Command(BaseCommand):
    help = "Export a provider's clients and history as the import's CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", required=True, help="The folder to write the files in")
        parser.add_argument(
            "--provider", help="The provider's code (needed when there is more than one)"
        )

    def handle(self, *args, dir: str, provider: str | None, **options) -> None:
        providers = Provider.objects.all()
        if provider:
            providers = providers.filter(code=provider)
        if providers.count() != 1:
            raise CommandError("Name the provider with --provider CODE")
        chosen = providers.get()
        with tqdm(
            total=chosen.clients.count(),
            desc="clients",
            unit=" clients",
            disable=options.get("verbosity", 1) < 1,
            file=self.stderr._out,
        ) as bar:
            counts = HistoryExport(
                provider=chosen, folder=dir, on_client=lambda: bar.update(1)
            ).write()
        # An export of every identifiable record of the provider: for the audit log.
        audit_record(
            actor=None,
            action=Action.EXPORT,
            detail=f"history export of {chosen.code} to {dir}: "
            + ", ".join(f"{n} {name}" for name, n in counts.items()),
        )
        self.stdout.write(
            self.style.SUCCESS("Exported " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        )
