"""The export reads a chunk of clients with all their records in a fixed number of queries:
a service of thousands of clients is exported in minutes, not hours."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beacon.imports.exporter import HistoryExport
from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder
from bench.old_system import write_old_system

pytestmark = pytest.mark.django_db


def _import(manager, folder, *, clients, seed, source):
    write_old_system(folder, clients=clients, seed=seed, staff_prefix=source.lower())
    result = history_import_run(
        actor=manager, files=CsvFolder(folder), source=source, dry_run=False
    )
    assert result.saved, result.problems[:3]


def _export_queries(manager, folder) -> int:
    with CaptureQueriesContext(connection) as queries:
        HistoryExport(provider=manager.provider, folder=folder).write()
    return len(queries)


def test_the_export_makes_as_many_queries_for_six_clients_as_for_two(manager, tmp_path):
    _import(manager, tmp_path / "a", clients=2, seed=3, source="A")
    two = _export_queries(manager, tmp_path / "out-two")
    _import(manager, tmp_path / "b", clients=4, seed=9, source="B")
    assert manager.provider.clients.count() == 6
    six = _export_queries(manager, tmp_path / "out-six")
    assert six == two
    assert (tmp_path / "out-six" / "clients.csv").read_text().count("\n") == 7
