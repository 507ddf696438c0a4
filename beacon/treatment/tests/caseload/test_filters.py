"""The manager's Caseloads page: paged, filtered by team, keyworker, status, what is due and
client, with a count and the filtered clients as CSV; every filter kept in the query string."""

import csv
import io

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.models import Referral
from beacon.treatment.selectors.caseload import (
    CaseloadStatus,
    caseload_clients,
    caseload_status,
)
from beacon.treatment.tests.factories import (
    RecoveryPlanFactory,
    ReferralFactory,
    TopFactory,
    TreatmentEpisodeFactory,
    days,
)

pytestmark = pytest.mark.django_db
URL = reverse("treatment:caseload")
CSV_URL = reverse("treatment:caseload_csv")


@pytest.fixture
def small_pages(settings):
    settings.BEACON_PAGE_SIZE = 2


@pytest.fixture
def service(users, team, make_user):
    """Two teams: Central (the keyworker's) and Northside (a colleague's), with clients in
    treatment, referred and discharged, and one whose plan review is overdue."""
    north = TeamFactory(provider=team.provider, name="Northside team")
    colleague = make_user("keyworker", username="kw-north", first_name="Ash", team=north)

    def client(last_name, *, keyworker, team, status):
        person = ClientFactory(
            provider=team.provider, team=team, keyworker=keyworker, last_name=last_name
        )
        if status == "in_treatment":
            episode = TreatmentEpisodeFactory(client=person, start_date=days(-100))
            TopFactory(episode=episode, completed_on=days(-100))
            return episode
        if status == "referred":
            ReferralFactory(client=person)
        if status == "discharged":
            ReferralFactory(client=person, status=Referral.Status.CLOSED)
        return person

    late = client("Overdale", keyworker=users["keyworker"], team=team, status="in_treatment")
    RecoveryPlanFactory(episode=late, agreed_on=days(-90), next_review_date=days(-3))
    client("Centrum", keyworker=users["keyworker"], team=team, status="referred")
    client("Closewood", keyworker=users["keyworker"], team=team, status="discharged")
    client("Northam", keyworker=colleague, team=north, status="in_treatment")
    client("Norbury", keyworker=colleague, team=north, status="referred")
    return {"north": north, "colleague": colleague}


def clients_shown(page: str) -> list[str]:
    table = page.split('id="caseload-clients"')[1].split("</table>")[0]
    return [
        name for name in ("OVERDALE", "CENTRUM", "CLOSEWOOD", "NORTHAM", "NORBURY") if name in table
    ]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_manager_filters_by_team(service, web_as):
    page = web_as("manager").get(URL, {"team": service["north"].pk}).text
    assert sorted(clients_shown(page)) == ["NORBURY", "NORTHAM"]
    assert "2 clients" in page


def test_manager_filters_by_status(service, web_as):
    http = web_as("manager")
    referred = http.get(URL, {"status": CaseloadStatus.REFERRED}).text
    assert sorted(clients_shown(referred)) == ["CENTRUM", "NORBURY"]
    out = http.get(URL, {"status": CaseloadStatus.NOT_IN_TREATMENT}).text
    assert clients_shown(out) == ["CLOSEWOOD"]


def test_filters_combine_team_keyworker_and_status(service, web_as):
    page = (
        web_as("manager")
        .get(
            URL,
            {
                "team": service["north"].pk,
                "keyworker": service["colleague"].pk,
                "status": CaseloadStatus.IN_TREATMENT,
            },
        )
        .text
    )
    assert clients_shown(page) == ["NORTHAM"]


def test_manager_shows_only_clients_with_something_overdue(service, web_as):
    page = web_as("manager").get(URL, {"due": "overdue"}).text
    assert clients_shown(page) == ["OVERDALE"]
    assert "1 client" in page


def test_search_finds_a_client_by_number(service, web_as):
    number = caseload_clients(user=service["colleague"]).get(last_name="Northam").client_number
    page = web_as("manager").get(URL, {"q": number.lower()}).text
    assert clients_shown(page) == ["NORTHAM"]


def test_a_keyworker_filters_their_own_caseload_by_status_but_not_by_team(service, web_as):
    http = web_as("keyworker")
    page = http.get(URL, {"status": CaseloadStatus.REFERRED}).text
    assert clients_shown(page) == ["CENTRUM"]
    assert 'id="id_team"' not in page and 'id="id_keyworker"' not in page
    # A team in the query string widens nothing: a keyworker's caseload is their own.
    assert "NORTHAM" not in http.get(URL, {"team": service["north"].pk}).text


def test_page_two_exists_and_keeps_the_filter(service, web_as, team, small_pages):
    http = web_as("manager")
    assert "Showing 1 to 2 of 5 clients" in http.get(URL).text
    first = http.get(URL, {"team": team.pk}).text
    assert clients_shown(first) == ["CENTRUM", "CLOSEWOOD"]
    assert f"?team={team.pk}&amp;page=2" in first
    second = http.get(URL, {"team": team.pk, "page": 2}).text
    assert clients_shown(second) == ["OVERDALE"]
    assert "Showing 3 to 3 of 3 clients" in second


def test_each_due_list_pages_on_its_own_keeping_the_filters(service, web_as, team, small_pages):
    for name in ("Lateby", "Laterton"):
        episode = TreatmentEpisodeFactory(
            client=ClientFactory(provider=team.provider, team=team, last_name=name),
            start_date=days(-100),
        )
        TopFactory(episode=episode, completed_on=days(-100))
        RecoveryPlanFactory(episode=episode, agreed_on=days(-90), next_review_date=days(-1))
    http = web_as("manager")
    first = http.get(URL, {"team": team.pk}).text
    overdue = first.split('id="overdue"')[1].split("</table>")[0]
    # Longest overdue first: Overdale (3 days), then Lateby and Laterton (1 day).
    assert "OVERDALE" in overdue and "LATEBY" in overdue and "LATERTON" not in overdue
    assert f"?team={team.pk}&amp;overdue_page=2" in first
    second = http.get(URL, {"team": team.pk, "overdue_page": 2}).text
    overdue = second.split('id="overdue"')[1].split("</table>")[0]
    assert "LATERTON" in overdue and "OVERDALE" not in overdue
    # The clients' list stays on its first page.
    assert clients_shown(second) == ["CENTRUM", "CLOSEWOOD"]


def test_the_status_shown_and_the_status_filter_agree(service, users):
    manager = users["manager"]
    for status in CaseloadStatus:
        for client in caseload_clients(user=manager, status=status):
            assert caseload_status(client) == status
    assert sum(caseload_clients(user=manager, status=s).count() for s in CaseloadStatus) == 5


def test_csv_has_the_filtered_clients_and_is_audited_as_an_export(service, web_as, users):
    response = web_as("manager").get(CSV_URL, {"team": service["north"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert sorted(row["Surname"] for row in rows) == ["Norbury", "Northam"]
    assert {row["Team"] for row in rows} == {"Northside team"}
    assert {row["Status"] for row in rows} == {"In treatment", "Referred, not yet in treatment"}
    entry = AuditEntry.objects.get(action="export", username=users["manager"].username)
    assert "caseload as CSV, 2 clients" in entry.detail and "Northside team" in entry.detail


def test_a_csv_with_an_invalid_filter_downloads_nothing_and_shows_the_errors(
    service, web_as, users
):
    response = web_as("manager").get(CSV_URL, {"team": service["north"].pk, "status": "gone"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<title>Error: Caseloads" in response.text
    assert "Select one of the choices for" in response.text
    assert not AuditEntry.objects.filter(action="export", username=users["manager"].username)


def test_csv_counts_what_is_due(service, web_as):
    rows = csv_rows(web_as("manager").get(CSV_URL, {"due": "overdue"}))
    assert [(row["Surname"], row["Overdue"], row["Next due"]) for row in rows] == [
        ("Overdale", "1", "Recovery plan review")
    ]


def test_the_page_links_the_csv_with_its_filters(service, web_as):
    page = web_as("manager").get(URL, {"status": "referred"}).text
    assert f"{CSV_URL}?status=referred" in page
    assert CSV_URL not in web_as("keyworker").get(URL).text


@pytest.mark.parametrize(
    "role", ["keyworker", "nurse", "prescriber", "driver", "volunteer", "commissioner"]
)
def test_only_managers_take_the_caseload_as_csv(web_as, role):
    assert web_as(role).get(CSV_URL).status_code == 403
