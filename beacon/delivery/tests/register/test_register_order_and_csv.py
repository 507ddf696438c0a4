"""The register page reads newest first or, as a paper register does, oldest first (with
paging); the same order in the API and in the CSV download, whose cells are made safe."""

import re

import pytest

from beacon.core.models import AuditEntry
from beacon.delivery.tests.factories import METHADONE, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(users, site):
    return [record(users["manager"], "received", str(10 * n)) for n in (1, 2, 3)]


def listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]


def test_the_register_page_can_be_read_oldest_first_and_keeps_paging(
    web_as, settings, site, entries
):
    settings.BEACON_PAGE_SIZE = 2
    ids = [e.pk for e in entries]
    page = f"/delivery/register/{site.pk}/{METHADONE}/"
    http = web_as("manager")
    newest = http.get(page).content.decode()
    assert listed(newest) == ids[::-1][:2] and "newest first" in newest
    oldest = http.get(f"{page}?order=oldest").content.decode()
    assert listed(oldest) == ids[:2] and "oldest first" in oldest
    assert "order=oldest&amp;page=2" in oldest or "order=oldest&page=2" in oldest
    second = http.get(f"{page}?order=oldest&page=2").content.decode()
    assert listed(second) == ids[2:]


def test_the_api_lists_oldest_first_on_request(api_as, site, entries):
    path = f"/api/v1/delivery/register/{site.pk}/{METHADONE}/entries"
    ids = [e.pk for e in entries]
    assert [e["id"] for e in api_as("manager").get(path).json()] == ids[::-1]
    assert [e["id"] for e in api_as("manager").get(f"{path}?order=oldest").json()] == ids


def test_the_csv_download_follows_the_order_and_neutralises_formulas(web_as, users, site):
    first = record(users["manager"], "received", "10", notes='=HYPERLINK("x")')
    second = record(users["manager"], "received", "20")
    http = web_as("manager")
    response = http.get(f"/delivery/register/{site.pk}/{METHADONE}/entries.csv?order=oldest")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("entry,site,medicine,")
    assert [int(line.split(",")[0]) for line in lines[1:]] == [first.pk, second.pk]
    assert "'=HYPERLINK" in lines[1]
    assert AuditEntry.objects.filter(action="export", detail__contains="as CSV").exists()


def test_a_csv_with_an_invalid_filter_downloads_nothing_and_shows_the_errors(web_as, users, site):
    record(users["manager"], "received", "10")
    response = web_as("manager").get(
        f"/delivery/register/{site.pk}/{METHADONE}/entries.csv",
        {"kind": "received", "date_from[day]": "31", "date_from[month]": "2"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<title>Error: Register:" in response.text
    assert "entry,site,medicine," not in response.text
    assert not AuditEntry.objects.filter(action="export").exists()
