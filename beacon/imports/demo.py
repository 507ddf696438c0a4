"""Demo history import (synthetic only): a small old system's export, made by the bench
generator, checked and imported as the demo manager, so the import page shows a finished
import with its counts and the prescriptions kept as history only, and the audit log its
entry."""

import tempfile

from beacon.imports import services
from beacon.imports.models import HistoryImport
from beacon.imports.sources import CsvFolder

DEMO_SOURCE = "Demo old system"
DEMO_CLIENTS = 6
# A fixed made-up history whose opiate clients have a 28-day prescription of the old days.
DEMO_SEED = 2


def seed_imports(rng, org) -> str:
    provider = org["provider"]
    if HistoryImport.objects.filter(provider=provider, source=DEMO_SOURCE).exists():
        return "history import already seeded"
    users = org["users"]
    manager = users["manager"]
    from bench.old_system import write_old_system  # the bench's generator, beside manage.py

    with tempfile.TemporaryDirectory() as folder:
        # The old system's staff are the demo's keyworker and prescriber; every journey
        # is over, so the other apps' demos find nothing of it still running.
        write_old_system(
            folder,
            clients=DEMO_CLIENTS,
            seed=DEMO_SEED,
            history_only=True,
            staff_usernames={
                "K1": users["keyworker"].username,
                "K2": users["keyworker"].username,
                "K3": users["keyworker"].username,
                "P1": users["prescriber"].username,
                "P2": users["prescriber"].username,
            },
        )
        files = CsvFolder(folder)
        record = HistoryImport.objects.create(
            provider=provider,
            source=DEMO_SOURCE,
            file_name="old-system-export.zip",
            created_by=manager,
            confirmed_by=manager,
            status=HistoryImport.Status.IMPORTING,
        )
        result = services.history_import_run(
            actor=manager,
            files=files,
            source=DEMO_SOURCE,
            dry_run=False,
            file_name=record.file_name,
            history_import=record,
        )
        record.rows_total = result.rows
        services.history_import_finish(history_import=record, result=result)
    if not result.saved:
        return f"history import refused: {result.problems[:1]}"
    return f"history import of {result.counts.get('client', 0)} clients from {DEMO_SOURCE}"
