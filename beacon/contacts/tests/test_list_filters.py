"""The follow-ups and the group sessions, as a manager reads them: filtered (whose, which
team's clients, only the late; a group's name, facilitator and dates), counted, and paged
with the filters kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.tests.factories import ClientFactory
from beacon.contacts import services
from beacon.contacts.models import FollowUpTask
from beacon.contacts.tests.factories import at, booked_in_the_past
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
FOLLOW_UPS = reverse("contacts:follow_ups")
GROUPS = reverse("contacts:groups")


@pytest.fixture
def follow_ups(users, team, make_user):
    """DNA follow-ups: Centrum and Central (Central team) for the keyworker, Northam
    (Northside) for a colleague; Central's is past its due time."""
    north = TeamFactory(provider=team.provider, name="Northside team")
    colleague = make_user("keyworker", username="kw-north", team=north, first_name="Ash")
    for hour, (last_name, their_team, keyworker) in enumerate(
        [
            ("Centrum", team, users["keyworker"]),
            ("Central", team, users["keyworker"]),
            ("Northam", north, colleague),
        ],
        start=9,
    ):
        client = ClientFactory(
            provider=team.provider, team=their_team, keyworker=keyworker, last_name=last_name
        )
        missed = booked_in_the_past(client, keyworker, days=2, hour=hour)
        services.appointment_record_outcome(actor=keyworker, appointment=missed, outcome="dna")
    FollowUpTask.objects.filter(client__last_name="Central").update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    FollowUpTask.objects.exclude(client__last_name="Central").update(
        due_at=timezone.now() + datetime.timedelta(hours=5)
    )
    return {"north": north, "colleague": colleague}


def listed(page: str, table_id: str, names: tuple[str, ...]) -> list[str]:
    if f'<table id="{table_id}"' not in page and f'id="{table_id}"' not in page:
        return []
    part = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    return [name for name in names if name in part]


def followed(page: str) -> list[str]:
    return listed(page, "follow-ups", ("CENTRAL", "CENTRUM", "NORTHAM"))


def test_manager_reads_one_staff_members_follow_ups(follow_ups, web_as):
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "staff": follow_ups["colleague"].pk})
    assert followed(page.text) == ["NORTHAM"]
    assert "1 follow-up" in page.text


def test_manager_reads_a_teams_follow_ups(follow_ups, web_as, team):
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "team": team.pk}).text
    assert followed(page) == ["CENTRAL", "CENTRUM"]


def test_only_the_late_follow_ups(follow_ups, web_as):
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "overdue": "on"}).text
    assert followed(page) == ["CENTRAL"]


def test_follow_ups_page_two_keeps_the_filter(follow_ups, web_as, team, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    first = http.get(FOLLOW_UPS, {"all": 1, "team": team.pk}).text
    assert f"?all=1&amp;team={team.pk}&amp;page=2" in first
    assert "Showing 1 to 1 of 2 follow-ups" in first
    second = http.get(FOLLOW_UPS, {"all": 1, "team": team.pk, "page": 2}).text
    assert len(followed(second)) == 1 and "NORTHAM" not in second


def test_a_keyworker_has_their_own_follow_ups_and_no_filters(follow_ups, web_as):
    page = web_as("keyworker").get(FOLLOW_UPS, {"all": 1, "staff": follow_ups["colleague"].pk}).text
    assert followed(page) == ["CENTRAL", "CENTRUM"]
    assert 'id="id_staff"' not in page


@pytest.fixture
def groups(users, team, provider, make_user):
    """Three group sessions: "Mutual aid" 10 and 3 days ago by the keyworker, "Women's
    group" yesterday by a second keyworker."""
    second = make_user("keyworker", username="kw-second", first_name="Rowan")
    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    for name, facilitator, days in [
        ("Mutual aid", users["keyworker"], -10),
        ("Mutual aid", users["keyworker"], -3),
        ("Women's group", second, -1),
    ]:
        services.group_session_record(
            actor=users["keyworker"],
            name=name,
            facilitator=facilitator,
            starts_at=at(days, 14),
            minutes=90,
            attendees=[client],
        )
    return {"second": second}


def test_groups_filter_by_name_and_facilitator(groups, web_as):
    http = web_as("manager")
    assert "2 group sessions" in http.get(GROUPS, {"name": "mutual"}).text
    page = http.get(GROUPS, {"facilitator": groups["second"].pk}).text
    assert "Women&#39;s group" in page and "Mutual aid" not in page


def test_groups_filter_by_date(groups, web_as):
    since = timezone.localdate() - datetime.timedelta(days=5)
    page = (
        web_as("manager")
        .get(
            GROUPS,
            {
                "date_from[day]": since.day,
                "date_from[month]": since.month,
                "date_from[year]": since.year,
            },
        )
        .text
    )
    assert "2 group sessions" in page and "Women&#39;s group" in page


def test_groups_page_two_keeps_the_filter(groups, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    first = http.get(GROUPS, {"name": "mutual"}).text
    assert "Showing 1 to 1 of 2 group sessions" in first
    assert "?name=mutual&amp;page=2" in first
    second = http.get(GROUPS, {"name": "mutual", "page": 2}).text
    assert "Showing 2 to 2 of 2 group sessions" in second and "Women" not in second


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_outside_the_service_are_refused_the_lists(web_as, role):
    http = web_as(role)
    assert http.get(GROUPS).status_code == 403
    assert http.get(FOLLOW_UPS, {"all": 1}).status_code == 403


FOLLOW_UPS_CSV = reverse("contacts:follow_ups_csv")
GROUPS_CSV = reverse("contacts:groups_csv")


def test_a_keyworker_searches_their_follow_ups_by_name(follow_ups, web_as):
    page = web_as("keyworker").get(FOLLOW_UPS, {"q": "centrum"}).text
    assert followed(page) == ["CENTRUM"]
    assert "1 follow-up" in page


def test_a_follow_up_is_found_by_client_number(follow_ups, web_as):
    number = FollowUpTask.objects.get(client__last_name="Northam").client.client_number
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "q": number}).text
    assert followed(page) == ["NORTHAM"]


def test_the_search_keeps_a_managers_filters(follow_ups, web_as, team):
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "team": team.pk, "q": "cent"}).text
    assert followed(page) == ["CENTRAL", "CENTRUM"]
    page = web_as("manager").get(FOLLOW_UPS, {"all": 1, "overdue": "on", "q": "centrum"}).text
    assert followed(page) == [] and "No follow-ups match these filters." in page


def test_a_keyworkers_own_follow_ups_have_the_search_and_the_late_filter(follow_ups, web_as):
    page = web_as("keyworker").get(FOLLOW_UPS, {"overdue": "on"}).text
    assert 'id="id_q"' in page and followed(page) == ["CENTRAL"]


def csv_lines(response) -> list[str]:
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode().splitlines()


def test_the_follow_ups_csv_holds_the_filtered_rows_of_every_page(
    follow_ups, web_as, team, settings
):
    settings.BEACON_PAGE_SIZE = 1
    lines = csv_lines(web_as("manager").get(FOLLOW_UPS_CSV, {"all": 1, "team": team.pk}))
    assert lines[0] == "due,overdue,client_number,client,did_not_attend,for"
    assert len(lines) == 3
    assert not any("Northam" in line for line in lines)
    late = next(line for line in lines if " Central," in line)
    assert ",yes," in late


def test_the_follow_ups_csv_of_a_search(follow_ups, web_as):
    lines = csv_lines(web_as("keyworker").get(FOLLOW_UPS_CSV, {"q": "centrum"}))
    assert len(lines) == 2 and "Centrum" in lines[1]
    assert AuditEntry.objects.filter(action="export", detail__startswith="follow-ups").exists()


def test_a_keyworkers_follow_ups_csv_holds_only_their_own(follow_ups, web_as):
    lines = csv_lines(web_as("keyworker").get(FOLLOW_UPS_CSV, {"all": 1}))
    assert len(lines) == 3 and not any("Northam" in line for line in lines)


def test_a_follow_ups_csv_of_a_search_too_long_gives_no_file(follow_ups, web_as):
    response = web_as("keyworker").get(FOLLOW_UPS_CSV, {"q": "x" * 101})
    assert not response["Content-Type"].startswith("text/csv")
    assert "There is a problem" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_groups_csv_holds_the_filtered_sessions_and_how_many_came(groups, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    lines = csv_lines(web_as("manager").get(GROUPS_CSV, {"name": "mutual"}))
    assert lines[0] == "starts,minutes,group,facilitator,place,attended"
    assert len(lines) == 3
    assert all(",Mutual aid," in line and line.endswith(",1") for line in lines[1:])
    assert AuditEntry.objects.filter(action="export", detail__startswith="group sessions").exists()


def test_the_groups_csv_names_no_client(groups, web_as):
    text = web_as("manager").get(GROUPS_CSV).content.decode()
    assert len(text.splitlines()) == 4
    assert not any(c.full_name in text or c.client_number in text for c in Client.objects.all())


def test_the_groups_page_shows_how_many_came(groups, web_as):
    page = web_as("manager").get(GROUPS, {"facilitator": groups["second"].pk}).text
    row = page.split('id="groups"')[1].split("</table>")[0]
    assert "Attended" in page and ">1<" in row.replace(" ", "").replace("\n", "")


def test_a_groups_csv_of_filters_not_valid_gives_no_file(groups, web_as):
    response = web_as("manager").get(GROUPS_CSV, {"name": "x" * 101})
    assert not response["Content-Type"].startswith("text/csv")
    assert "There is a problem" in response.content.decode()
