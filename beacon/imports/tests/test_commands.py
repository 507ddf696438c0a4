"""import_history and export_history on the command line, and the same files as sheets of
one XLSX workbook."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from beacon.imports.sources import CsvFolder
from beacon.imports.sources import Workbook as HistoryWorkbook
from beacon.imports.tests.factories import one_client_files, write_files

pytestmark = pytest.mark.django_db


def test_a_dry_run_saves_nothing_and_the_real_run_saves_the_history(manager, tmp_path):
    folder = write_files(tmp_path / "old", one_client_files())
    out = io.StringIO()
    call_command(
        "import_history",
        dir=str(folder),
        username=manager.username,
        dry_run=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Checked (dry run): would import" in out.getvalue()
    assert manager.provider.clients.count() == 0
    call_command(
        "import_history",
        dir=str(folder),
        username=manager.username,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert manager.provider.clients.count() == 1


def test_bad_rows_are_printed_and_written_to_the_report_and_nothing_is_saved(manager, tmp_path):
    folder = write_files(tmp_path / "old", one_client_files(nhs="9990000001"))
    report = tmp_path / "report.csv"
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing saved"):
        call_command(
            "import_history",
            dir=str(folder),
            username=manager.username,
            report=str(report),
            stdout=out,
            stderr=io.StringIO(),
        )
    assert "clients row 2 nhs_number" in out.getvalue()
    rows = list(csv.DictReader(report.open()))
    assert [(r["file"], r["row"], r["column"]) for r in rows] == [("clients", "2", "nhs_number")]
    assert manager.provider.clients.count() == 0


def test_only_a_manager_may_import(users, tmp_path):
    folder = write_files(tmp_path / "old", one_client_files())
    with pytest.raises(CommandError, match="only managers import"):
        call_command("import_history", dir=str(folder), username=users["keyworker"].username)


def test_the_same_files_as_sheets_of_one_workbook_read_alike(tmp_path):
    folder = write_files(tmp_path / "old", one_client_files())
    book = Workbook()
    book.remove(book.active)
    csv_files = CsvFolder(folder)
    for name in csv_files.names():
        sheet = book.create_sheet(name)
        sheet.append(csv_files.header(name))
        for _, row in csv_files.rows(name):
            sheet.append([row[c] for c in csv_files.header(name)])
    book.save(tmp_path / "old.xlsx")
    workbook = HistoryWorkbook(tmp_path / "old.xlsx")
    assert workbook.names() == csv_files.names()
    for name in csv_files.names():
        assert list(workbook.rows(name)) == list(csv_files.rows(name))


def test_export_history_writes_every_file_of_the_provider(manager, tmp_path):
    folder = write_files(tmp_path / "old", one_client_files())
    call_command(
        "import_history",
        dir=str(folder),
        username=manager.username,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    out = tmp_path / "out"
    call_command(
        "export_history",
        dir=str(out),
        provider=manager.provider.code,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    clients = list(csv.DictReader((out / "clients.csv").open()))
    assert [c["client_id"] for c in clients] == ["C1"]
    assert len(list(csv.DictReader((out / "prescriptions.csv").open()))) == 1
