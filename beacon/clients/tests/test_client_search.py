"""Searching for clients: by name, date of birth, NHS number or client number, paged, scoped."""

import datetime

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_keyworker_finds_client_by_surname(web_as, users, team):
    ClientFactory(provider=team.provider, team=team, first_name="Robin", last_name="Fellwood")
    ClientFactory(provider=team.provider, team=team, first_name="Ash", last_name="Marram")
    response = web_as("keyworker").get(reverse("clients:search"), {"q": "fellw"})
    assert response.status_code == 200
    assert "Fellwood" in response.text.upper() or "FELLWOOD" in response.text
    assert "MARRAM" not in response.text


@pytest.fixture
def caseload(team):
    return [
        ClientFactory(
            provider=team.provider,
            team=team,
            first_name="Robin",
            last_name="Fellwood",
            nhs_number="9990000018",
            date_of_birth=datetime.date(1980, 1, 2),
        ),
        ClientFactory(
            provider=team.provider,
            team=team,
            first_name="Ash",
            last_name="Marram",
            preferred_name="Ashy",
            date_of_birth=datetime.date(1991, 7, 30),
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("999 000 0018", "FELLWOOD"),
        ("14/02/1999", None),
        ("02/01/1980", "FELLWOOD"),
        ("1991-07-30", "MARRAM"),
        ("ashy", "MARRAM"),
        ("robin fell", "FELLWOOD"),
    ],
)
def test_search_by_nhs_number_date_of_birth_and_names(web_as, caseload, query, expected):
    response = web_as("keyworker").get(reverse("clients:search"), {"q": query})
    found = {name for name in ("FELLWOOD", "MARRAM") if name in response.text}
    assert found == ({expected} if expected else set())


def test_search_by_client_number(web_as, caseload):
    number = caseload[1].client_number
    response = web_as("keyworker").get(reverse("clients:search"), {"q": number.lower()})
    assert "MARRAM" in response.text and "FELLWOOD" not in response.text


def test_results_are_paged(web_as, team, settings):
    settings.BEACON_PAGE_SIZE = 2
    for index in range(5):
        ClientFactory(provider=team.provider, team=team, last_name=f"Pagewood{index}")
    http = web_as("keyworker")
    first = http.get(reverse("clients:search"), {"q": "pagewood"})
    assert first.text.count("PAGEWOOD") == 2 and "Page 2 of 3" in first.text
    last = http.get(reverse("clients:search"), {"q": "pagewood", "page": 3})
    assert last.text.count("PAGEWOOD") == 1


def test_search_is_audited_without_the_search_terms(web_as, caseload):
    from beacon.core.models import AuditEntry

    web_as("keyworker").get(reverse("clients:search"), {"q": "Fellwood"})
    entry = AuditEntry.objects.get(action="search")
    assert "Fellwood" not in entry.detail and "1 results" in entry.detail


def test_keyworker_search_covers_team_and_caseload_only(web_as, users, provider):
    from beacon.core.tests.factories import TeamFactory

    south = TeamFactory(provider=provider, name="South")
    ClientFactory(provider=provider, team=south, last_name="Southwell")
    ClientFactory(provider=provider, team=south, last_name="Mycase", keyworker=users["keyworker"])
    response = web_as("keyworker").get(reverse("clients:search"))
    assert "MYCASE" in response.text and "SOUTHWELL" not in response.text
    assert "SOUTHWELL" in web_as("nurse").get(reverse("clients:search"), {"q": "southwell"}).text
