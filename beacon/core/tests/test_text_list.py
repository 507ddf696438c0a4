"""The texts sent, as a manager chases them: filtered by client, kind, status and date,
paged with the filters kept, and downloaded as CSV (audited as an export)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry, TextMessage, TextPurpose

pytestmark = pytest.mark.django_db
URL = reverse("core:texts")
CSV_URL = reverse("core:texts_csv")
Status = TextMessage.Status


@pytest.fixture
def texts(provider, team):
    """Four texts: two delivered reminders to Fellwood (10 and 3 days ago), a failed
    delivery-window text to Marram (2 days ago), one waiting to Marram (today)."""
    fellwood = ClientFactory(provider=provider, team=team, last_name="Fellwood")
    marram = ClientFactory(provider=provider, team=team, last_name="Marram")
    now = timezone.now()

    def text(client, purpose, status, days_ago, error=""):
        return TextMessage.objects.create(
            provider=provider,
            client=client,
            purpose=purpose,
            reference=f"{client.client_number}-{purpose}-{days_ago}",
            body="Reminder: you have an appointment.",
            phone="07700900123",
            status=status,
            queued_at=now - datetime.timedelta(days=days_ago),
            error=error,
        )

    text(fellwood, TextPurpose.APPOINTMENT_REMINDER, Status.DELIVERED, 10)
    text(fellwood, TextPurpose.APPOINTMENT_REMINDER, Status.DELIVERED, 3)
    text(marram, TextPurpose.DELIVERY_WINDOW, Status.PERMANENT_FAILURE, 2, "Number not in use")
    text(marram, TextPurpose.DELIVERY_WINDOW, Status.QUEUED, 0)
    return {"fellwood": fellwood, "marram": marram}


def rows_of(page: str) -> int:
    table = page.split('id="texts"')[1].split("</table>")[0]
    return table.count("<tr") - 1  # less the head


def test_the_status_filter_finds_the_failures(texts, web_as):
    page = web_as("manager").get(URL, {"status": "failed"}).text
    assert rows_of(page) == 1 and "Number not in use" in page
    assert "1 text" in page


def test_the_client_filter_takes_part_of_a_client_number(texts, web_as):
    number = texts["fellwood"].client_number
    page = web_as("manager").get(URL, {"client_number": number[-3:]}).text
    assert rows_of(page) == 2 and texts["marram"].client_number not in page


def test_the_date_range_keeps_the_texts_queued_in_it(texts, web_as):
    start = timezone.localdate() - datetime.timedelta(days=4)
    end = timezone.localdate() - datetime.timedelta(days=1)
    page = (
        web_as("manager")
        .get(
            URL,
            {
                "date_from[day]": start.day,
                "date_from[month]": start.month,
                "date_from[year]": start.year,
                "date_to[day]": end.day,
                "date_to[month]": end.month,
                "date_to[year]": end.year,
            },
        )
        .text
    )
    assert rows_of(page) == 2  # 3 and 2 days ago


def test_an_end_before_the_start_is_explained_and_filters_nothing(texts, web_as):
    today = timezone.localdate()
    page = (
        web_as("manager")
        .get(
            URL,
            {
                "date_from[day]": today.day,
                "date_from[month]": today.month,
                "date_from[year]": today.year,
                "date_to[day]": 1,
                "date_to[month]": 1,
                "date_to[year]": 2020,
            },
        )
        .text
    )
    assert "The end date must be on or after the start date" in page
    assert "<title>Error: " in page


def test_page_two_exists_and_keeps_the_filter(texts, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    first = http.get(URL, {"purpose": TextPurpose.APPOINTMENT_REMINDER}).text
    assert "Showing 1 to 1 of 2 texts" in first
    assert "?purpose=appointment_reminder&amp;page=2" in first
    second = http.get(URL, {"purpose": TextPurpose.APPOINTMENT_REMINDER, "page": 2}).text
    assert "Showing 2 to 2 of 2 texts" in second and "Delivery window</td>" not in second


def test_csv_has_the_filtered_texts_and_is_audited(texts, web_as, users):
    response = web_as("manager").get(CSV_URL, {"purpose": TextPurpose.DELIVERY_WINDOW})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Status"], row["Reason"]) for row in rows] == [
        ("Waiting to send", ""),
        ("Failed: number not in use", "Number not in use"),
    ]
    assert {row["Client number"] for row in rows} == {texts["marram"].client_number}
    assert "07700" not in response.content.decode()  # the phone number stays in Beacon
    entry = AuditEntry.objects.get(action="export", username=users["manager"].username)
    assert entry.detail.startswith("texts as CSV, 2 texts")


def test_a_csv_with_an_invalid_filter_downloads_nothing_and_shows_the_errors(texts, web_as, users):
    response = web_as("manager").get(CSV_URL, {"status": "lost", "client_number": "206"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.text
    assert "<title>Error: Texts to clients" in page
    assert "Select one of the choices for" in page
    assert not AuditEntry.objects.filter(action="export", username=users["manager"].username)


@pytest.mark.parametrize("role", ["keyworker", "prescriber", "nurse", "driver", "commissioner"])
def test_only_managers_download_the_texts(web_as, role):
    assert web_as(role).get(CSV_URL).status_code == 403
