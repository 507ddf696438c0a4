"""The TOPs due and OST-without-exit-plan lists, as a manager shares out the work: filtered
by team and keyworker (kept when paging), the TOPs due downloaded as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory, days

pytestmark = pytest.mark.django_db
URL = reverse("treatment:tops_due")
CSV_URL = reverse("treatment:tops_due_csv")
OST_URL = reverse("treatment:ost_without_exit_plan")


@pytest.fixture
def two_teams(users, team, northside):
    """Start TOPs due for Centrum and Central (Central team, the keyworker's) and Northam
    (Northside team, a colleague's); all three on OST without an exit plan."""
    north, colleague = northside["north"], northside["colleague"]
    for last_name, their_team, keyworker in [
        ("Centrum", team, users["keyworker"]),
        ("Central", team, users["keyworker"]),
        ("Northam", north, colleague),
    ]:
        client = ClientFactory(
            provider=team.provider, team=their_team, keyworker=keyworker, last_name=last_name
        )
        episode = TreatmentEpisodeFactory(client=client, start_date=days(-20))
        ModalityFactory(episode=episode, ost=True)
    return northside


def names(page: str, table_id: str) -> list[str]:
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    return [name for name in ("CENTRAL", "CENTRUM", "NORTHAM") if name in table]


def test_manager_filters_the_tops_due_by_team(two_teams, web_as, team):
    page = web_as("manager").get(URL, {"team": two_teams["north"].pk}).text
    assert names(page, "tops-due") == ["NORTHAM"]
    page = web_as("manager").get(URL, {"team": team.pk}).text
    assert names(page, "tops-due") == ["CENTRAL", "CENTRUM"]


def test_manager_filters_the_tops_due_by_keyworker(two_teams, web_as):
    page = web_as("manager").get(URL, {"keyworker": two_teams["colleague"].pk}).text
    assert names(page, "tops-due") == ["NORTHAM"]


def test_page_two_keeps_the_team(two_teams, web_as, team, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    first = http.get(URL, {"team": team.pk}).text
    assert f"?team={team.pk}&amp;page=2" in first
    second = http.get(URL, {"team": team.pk, "page": 2}).text
    assert len(names(second, "tops-due")) == 1 and "NORTHAM" not in second


def test_a_keyworker_has_no_team_or_keyworker_filter(two_teams, web_as):
    page = web_as("keyworker").get(URL).text
    assert 'id="id_team"' not in page and 'id="id_q"' in page
    assert CSV_URL not in page


def test_tops_due_csv_has_the_filtered_rows_and_is_audited(two_teams, web_as, users, team):
    response = web_as("manager").get(CSV_URL, {"team": team.pk})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Surname"], row["Team"], row["TOP"]) for row in rows] == [
        ("Central", "Central team", "Start TOP"),
        ("Centrum", "Central team", "Start TOP"),
    ]
    entry = AuditEntry.objects.get(action="export", username=users["manager"].username)
    assert entry.detail.startswith("TOPs due list as CSV, 2 rows")


def test_a_csv_with_an_invalid_filter_downloads_nothing_and_shows_the_errors(
    two_teams, web_as, users
):
    response = web_as("manager").get(CSV_URL, {"team": "999999"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<title>Error: TOPs due" in response.text
    assert "Select one of the choices for" in response.text
    assert not AuditEntry.objects.filter(action="export", username=users["manager"].username)


def test_the_page_links_the_csv_with_its_filters(two_teams, web_as, team):
    page = web_as("manager").get(URL, {"team": team.pk}).text
    assert f"{CSV_URL}?team={team.pk}" in page


@pytest.mark.parametrize("role", ["keyworker", "nurse", "prescriber", "driver", "commissioner"])
def test_only_managers_download_the_tops_due(web_as, role):
    assert web_as(role).get(CSV_URL).status_code == 403


def test_manager_filters_ost_without_exit_plan_by_team(two_teams, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    page = http.get(OST_URL, {"team": two_teams["north"].pk}).text
    assert names(page, "ost-clients") == ["NORTHAM"]
    everyone = http.get(OST_URL, {"keyworker": "", "page": 2}).text
    assert len(names(everyone, "ost-clients")) == 1
