"""The managers' pages: upload, the background check and its report, confirm, progress."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.imports.models import HistoryImport
from beacon.imports.tests.factories import one_client_files, write_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_in_the_request(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.BEACON_IMPORT_DIR = str(tmp_path / "uploads")


def zipped(folder) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"export/{path.name}")
    return SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip")


def upload(web, folder, capture):
    with capture(execute=True):
        response = web.post(
            reverse("imports:upload"), {"source": "OldCase", "file": zipped(folder)}
        )
    assert response.status_code == 302
    return HistoryImport.objects.get()


def test_an_upload_is_checked_in_the_background_and_its_report_downloads(
    web_as, manager, tmp_path, django_capture_on_commit_callbacks
):
    folder = write_files(tmp_path / "bad", one_client_files(nhs="9990000001"))
    record = upload(web_as(manager), folder, django_capture_on_commit_callbacks)
    assert record.status == HistoryImport.Status.REFUSED
    page = web_as(manager).get(reverse("imports:detail", args=[record.pk]))
    assert "9990000001" in page.content.decode()
    assert "Import now" not in page.content.decode()
    report = web_as(manager).get(reverse("imports:report_csv", args=[record.pk]))
    lines = report.content.decode().splitlines()
    assert lines[0] == "file,row,column,value,reason"
    assert lines[1].startswith("clients,2,nhs_number,9990000001,")
    assert manager.provider.clients.count() == 0


def test_a_clean_check_is_imported_on_confirmation_and_audited(
    web_as, manager, tmp_path, django_capture_on_commit_callbacks
):
    folder = write_files(tmp_path / "good", one_client_files())
    web = web_as(manager)
    record = upload(web, folder, django_capture_on_commit_callbacks)
    assert record.status == HistoryImport.Status.CHECKED
    assert manager.provider.clients.count() == 0
    page = web.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "Import now" in page and "Would save" in page
    with django_capture_on_commit_callbacks(execute=True):
        web.post(reverse("imports:confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == HistoryImport.Status.IMPORTED
    assert manager.provider.clients.count() == 1
    entry = AuditEntry.objects.filter(detail__startswith="history import imported").get()
    assert "export.zip" in entry.detail and manager.username in entry.detail
    assert "1 client" in entry.detail
    page = web.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "Kept as history only" in page


def test_a_file_that_is_neither_a_workbook_nor_a_zip_is_refused_beside_the_field(web_as, manager):
    response = web_as(manager).post(
        reverse("imports:upload"),
        {"source": "OldCase", "file": SimpleUploadedFile("clients.csv", b"client_id\n")},
    )
    assert response.status_code == 200
    assert "Upload an XLSX workbook or a ZIP of CSV files" in response.content.decode()
    assert 'value="OldCase"' in response.content.decode()
    assert HistoryImport.objects.count() == 0


def test_a_running_import_shows_its_progress_and_refreshes(web_as, manager, tmp_path):
    stored = tmp_path / "running"
    stored.mkdir()
    (tmp_path / "running.progress").write_text("40")
    record = HistoryImport.objects.create(
        provider=manager.provider,
        source="Old",
        file_name="big.zip",
        stored_path=str(stored),
        created_by=manager,
        status=HistoryImport.Status.CHECKING,
        rows_total=160,
    )
    page = web_as(manager).get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "40 of 160 rows read (25%)" in page
    assert 'http-equiv="refresh"' in page


def test_another_providers_import_is_not_found(web_as, manager, other_provider):
    from beacon.core.tests.factories import UserFactory

    theirs = HistoryImport.objects.create(
        provider=other_provider,
        source="Old",
        file_name="x.zip",
        created_by=UserFactory(provider=other_provider, role="manager"),
    )
    assert web_as(manager).get(reverse("imports:detail", args=[theirs.pk])).status_code == 404
