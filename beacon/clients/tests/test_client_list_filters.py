"""Narrowing the list of clients by team and keyworker: kept when paging, never widening
what a role may open."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
URL = reverse("clients:search")


@pytest.fixture
def two_teams(users, team, northside):
    north, colleague = northside["north"], northside["colleague"]
    for last_name, their_team, keyworker in [
        ("Centrum", team, users["keyworker"]),
        ("Central", team, None),
        ("Northam", north, colleague),
        ("Norbury", north, colleague),
    ]:
        ClientFactory(
            provider=team.provider, team=their_team, keyworker=keyworker, last_name=last_name
        )
    return northside


def shown(page: str) -> list[str]:
    table = page.split('id="client-results"')[1].split("</table>")[0]
    return [name for name in ("CENTRAL", "CENTRUM", "NORBURY", "NORTHAM") if name in table]


def test_manager_narrows_the_clients_to_a_team(two_teams, web_as):
    page = web_as("manager").get(URL, {"team": two_teams["north"].pk}).text
    assert shown(page) == ["NORBURY", "NORTHAM"]
    assert "2 clients found" in page


def test_a_keyworker_narrows_to_their_own_caseload(two_teams, web_as, users):
    page = web_as("keyworker").get(URL, {"keyworker": users["keyworker"].pk}).text
    assert shown(page) == ["CENTRUM"]


def test_a_filter_widens_nothing(two_teams, web_as):
    # A keyworker of Central opens Central's clients and their caseload only.
    page = web_as("keyworker").get(URL, {"team": two_teams["north"].pk}).text
    assert shown(page) == []


def test_page_two_keeps_the_team_and_the_search(two_teams, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    north = two_teams["north"].pk
    first = http.get(URL, {"q": "nor", "team": north}).text
    assert shown(first) == ["NORBURY"]
    assert f"?q=nor&amp;team={north}&amp;page=2" in first
    second = http.get(URL, {"q": "nor", "team": north, "page": 2}).text
    assert shown(second) == ["NORTHAM"]


def test_a_leaver_who_still_holds_clients_can_be_chosen_marked_left(two_teams, web_as, make_user):
    leaver = two_teams["colleague"]
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    gone = make_user("keyworker", username="kw-gone", team=two_teams["north"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    http = web_as("manager")
    choices = http.get(URL).text.split('id="id_keyworker"')[1].split("</select>")[0]
    assert f"{leaver.display_name} (left)" in choices
    assert f'value="{gone.pk}"' not in choices  # left, and holds no clients
    page = http.get(URL, {"keyworker": leaver.pk}).text
    assert shown(page) == ["NORBURY", "NORTHAM"]
