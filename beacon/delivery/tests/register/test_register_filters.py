"""A register page narrowed to one kind of entry and to the UK days movements happened:
kept when paging, when turning the order round and in the CSV (audited with its filters)."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from beacon.core.models import AuditEntry
from beacon.delivery.tests.factories import METHADONE, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(users, site):
    """Two receipts yesterday (the register takes a movement of the day before at the
    latest, reg 20) and one today; 5 ml destroyed today."""
    yesterday = timezone.localtime().replace(hour=9, minute=0) - datetime.timedelta(days=1)
    made = {
        "yesterday 9:00": record(users["manager"], "received", "100", at=yesterday),
        "yesterday 15:00": record(
            users["manager"], "received", "100", at=yesterday.replace(hour=15)
        ),
        "today": record(users["manager"], "received", "100"),
    }
    made["destroyed"] = record(users["manager"], "destroyed", "5", reason="Spilt")
    return made


def listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]


def day_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}[day]": day.day, f"{name}[month]": day.month, f"{name}[year]": day.year}


def test_a_kind_of_entry_narrows_the_page(web_as, site, entries):
    page = web_as("manager").get(
        f"/delivery/register/{site.pk}/{METHADONE}/", {"kind": "destroyed"}
    )
    assert listed(page.text) == [entries["destroyed"].pk]
    assert "1 entry match" in page.text


def test_the_days_narrow_the_page_and_paging_and_order_keep_them(web_as, site, entries, settings):
    settings.BEACON_PAGE_SIZE = 1
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    days = {**day_fields("date_from", yesterday), **day_fields("date_to", yesterday)}
    http = web_as("manager")
    url = f"/delivery/register/{site.pk}/{METHADONE}/"
    first = http.get(url, {"order": "oldest", **days}).text
    assert listed(first) == [entries["yesterday 9:00"].pk]
    assert "page=2" in first and "date_from%5Bday%5D=" in first
    second = http.get(url, {"order": "oldest", **days, "page": 2}).text
    assert listed(second) == [entries["yesterday 15:00"].pk]
    newest = re.search(r'href="\?([^"]*order=newest[^"]*)"', first).group(1)
    assert "date_to%5Bday%5D=" in newest  # turning the order round keeps the days


def test_the_csv_has_the_filtered_entries_and_its_audit_names_the_filter(web_as, site, entries):
    response = web_as("manager").get(
        f"/delivery/register/{site.pk}/{METHADONE}/entries.csv", {"kind": "destroyed"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [int(row[0]) for row in rows[1:]] == [entries["destroyed"].pk]
    entry = AuditEntry.objects.get(action="export", detail__contains="as CSV")
    assert "destroyed" in entry.detail


def test_an_end_before_the_start_is_explained(web_as, site, entries):
    today = timezone.localdate()
    page = (
        web_as("manager")
        .get(
            f"/delivery/register/{site.pk}/{METHADONE}/",
            {
                **day_fields("date_from", today),
                **day_fields("date_to", today - datetime.timedelta(days=3)),
            },
        )
        .text
    )
    assert "The end date must be on or after the start date" in page
