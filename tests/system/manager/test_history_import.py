"""A service manager moves in: uploads the old system's files, reads the report of the bad
row, uploads them corrected, and imports."""

import io
import zipfile

from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.imports.tests.factories import one_client_files, write_files

from ..axe import axe_violations
from ..steps import given_i_am_signed_in_as, when_i_open_from_the_menu


def test_manager_reads_the_report_of_a_bad_row_then_imports_the_corrected_files(
    page: Page, make_user, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.BEACON_IMPORT_DIR = str(tmp_path / "uploads")
    manager = make_user(Role.MANAGER, first_name="Morgan")
    bad = given_the_old_systems_files(tmp_path / "bad.zip", nhs="9990000001")
    good = given_the_old_systems_files(tmp_path / "good.zip")

    given_i_am_signed_in_as(page, manager)
    when_i_open_from_the_menu(page, "Import history")
    and_i_upload(page, bad)

    then_the_status_is(page, "Checked: has problems")
    and_the_report_names(page, "nhs_number", "9990000001")
    and_there_is_nothing_to_confirm(page)
    assert axe_violations(page) == []

    when_i_open_from_the_menu(page, "Import history")
    and_i_upload(page, good)
    then_the_status_is(page, "Checked: ready to import")
    when_i_import_now(page)
    then_the_status_is(page, "Imported")
    expect(page.locator("#import-counts")).to_contain_text("1 client")


def given_the_old_systems_files(path, **client) -> str:
    folder = write_files(path.with_suffix(""), one_client_files(**client))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for csv_file in sorted(folder.glob("*.csv")):
            archive.write(csv_file, csv_file.name)
    path.write_bytes(buffer.getvalue())
    return str(path)


def and_i_upload(page: Page, path: str) -> None:
    page.get_by_role("link", name="Upload files").click()
    page.get_by_label("Which system the files come from").fill("OldCase")
    page.get_by_label("Workbook or ZIP file").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()


def then_the_status_is(page: Page, status: str) -> None:
    expect(page.locator("#import-status")).to_have_text(status)


def and_the_report_names(page: Page, column: str, value: str) -> None:
    row = page.locator("#problems tbody tr").first
    expect(row).to_contain_text("clients")
    expect(row).to_contain_text(column)
    expect(row).to_contain_text(value)


def and_there_is_nothing_to_confirm(page: Page) -> None:
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)


def when_i_import_now(page: Page) -> None:
    page.get_by_role("button", name="Import now").click()
