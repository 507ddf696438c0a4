"""The prescriptions ending soon, narrowed to a team or a keyworker's clients: kept when
paging and in the CSV (audited with its filters)."""

import csv
import io

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.prescribing.tests.factories import days_from_today, prescribe

pytestmark = pytest.mark.django_db
URL = reverse("prescribing:ending_soon")
CSV_URL = reverse("prescribing:ending_soon_csv")


@pytest.fixture
def two_teams(users, provider, team, northside):
    """Prescriptions ending in 2 days for Centrum and Central (Central team) and Northam
    (Northside team, a colleague's client)."""
    north, colleague = northside["north"], northside["colleague"]
    for last_name, their_team, keyworker in [
        ("Centrum", team, users["keyworker"]),
        ("Central", team, users["keyworker"]),
        ("Northam", north, colleague),
    ]:
        client = ClientFactory(
            provider=provider, team=their_team, keyworker=keyworker, last_name=last_name
        )
        prescribe(
            client=client,
            prescriber=users["prescriber"],
            start_date=days_from_today(2 - 13),  # 14 days, the last in 2 days
        )
    return northside


def listed(page: str) -> list[str]:
    if "<table" not in page.split('id="ending-soon"')[0][-300:]:
        return []
    part = page.split('id="ending-soon"')[1].split("</table>")[0]
    return [name for name in ("Central", "Centrum", "Northam") if name in part]


def test_a_prescriber_narrows_to_a_team(two_teams, web_as):
    page = web_as("prescriber").get(URL, {"team": two_teams["north"].pk}).text
    assert listed(page) == ["Northam"]


def test_a_prescriber_narrows_to_a_keyworkers_clients(two_teams, web_as, users):
    page = web_as("prescriber").get(URL, {"keyworker": users["keyworker"].pk}).text
    assert listed(page) == ["Central", "Centrum"]


def test_page_two_keeps_the_team(two_teams, web_as, team, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("prescriber")
    first = http.get(URL, {"team": team.pk}).text
    assert f"?team={team.pk}&amp;page=2" in first
    second = http.get(URL, {"team": team.pk, "page": 2}).text
    assert len(listed(second)) == 1 and "Northam" not in second


def test_the_csv_keeps_the_filter_and_its_audit_names_it(two_teams, web_as, users):
    http = web_as("prescriber")
    north = two_teams["north"].pk
    assert f"{CSV_URL}?team={north}" in http.get(URL, {"team": north}).text
    response = http.get(CSV_URL, {"team": north})
    text = response.content.decode()
    assert "Northam" in text and "Centrum" not in text and "Central," not in text
    assert len(list(csv.reader(io.StringIO(text)))) == 2  # the head and one row
    entry = AuditEntry.objects.get(action="export", username=users["prescriber"].username)
    assert "CSV of 1" in entry.detail and "Northside team" in entry.detail


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_the_list_are_refused_the_csv(web_as, role):
    assert web_as(role).get(CSV_URL, {"team": 1}).status_code == 403
