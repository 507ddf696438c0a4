"""Round trip: export → import into an empty migrated database → export gives identical files."""

import filecmp

import pytest
from django.core.management import call_command

from beacon.core.roles import Role
from beacon.core.tests.factories import ProviderFactory, UserFactory
from beacon.imports.exporter import HistoryExport
from beacon.imports.formats import FILES
from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder


def _fresh_manager():
    provider = ProviderFactory(name="Moved In Service", code="MIS")
    return UserFactory(provider=provider, role=Role.MANAGER, username="mover", team=None)


@pytest.mark.django_db(transaction=True)
def test_export_import_into_an_empty_database_export_gives_identical_files(old_system, tmp_path):
    first = _fresh_manager()
    result = history_import_run(
        actor=first, files=CsvFolder(old_system), source="Old", dry_run=False
    )
    assert result.saved, result.problems[:3]
    HistoryExport(provider=first.provider, folder=tmp_path / "one").write()

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    second = _fresh_manager()
    result = history_import_run(
        actor=second, files=CsvFolder(tmp_path / "one"), source="Beacon", dry_run=False
    )
    assert result.saved, result.problems[:3]
    HistoryExport(provider=second.provider, folder=tmp_path / "two").write()

    names = [f"{fmt.name}.csv" for fmt in FILES]
    match, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "one", tmp_path / "two", names, shallow=False
    )
    assert mismatch == [] and errors == []
    assert len(match) == len(FILES)
    assert (tmp_path / "one" / "prescriptions.csv").read_text().count("\n") > 10


@pytest.mark.django_db(transaction=True)
def test_a_running_prescription_titrated_before_the_import_round_trips(tmp_path):
    import datetime

    from django.utils import timezone

    from beacon.imports.tests.factories import ago, one_client_files, write_files
    from beacon.prescribing.models import Prescription

    files = one_client_files()
    files["prescriptions"][0].update(start_date=ago(5), end_date=ago(-8))
    files["dose_changes"] = [
        {
            "dose_change_id": "DC1",
            "client_id": "C1",
            "prescription_id": "RX1",
            "effective_date": ago(3),
            "to_dose": "40",
            "reason": "Titrating",
        },
        {
            "dose_change_id": "DC2",
            "client_id": "C1",
            "prescription_id": "RX1",
            "effective_date": ago(-2),
            "to_dose": "45",
            "reason": "Titrating",
        },
    ]
    first = _fresh_manager()
    result = history_import_run(
        actor=first,
        files=CsvFolder(write_files(tmp_path / "old", files)),
        source="Old",
        dry_run=False,
    )
    assert result.saved, result.problems[:3]
    today = timezone.localdate()
    past, running = Prescription.objects.order_by("start_date")
    assert [(c.from_dose, c.to_dose) for c in past.dose_changes.all()] == [(30, 40)]
    assert past.last_day == today - datetime.timedelta(days=1)
    assert running.start_date == today
    assert [(c.from_dose, c.to_dose) for c in running.dose_changes.all()] == [(40, 45)]
    HistoryExport(provider=first.provider, folder=tmp_path / "one").write()

    call_command("flush", interactive=False, verbosity=0)
    second = _fresh_manager()
    result = history_import_run(
        actor=second, files=CsvFolder(tmp_path / "one"), source="Beacon", dry_run=False
    )
    assert result.saved, result.problems[:3]
    HistoryExport(provider=second.provider, folder=tmp_path / "two").write()
    for name in ("prescriptions.csv", "dose_changes.csv"):
        assert (tmp_path / "one" / name).read_text() == (tmp_path / "two" / name).read_text()
