"""The follow-ups and the group sessions, as a manager reads them: filtered (whose, which
team's clients, only the late; a group's name, facilitator and dates), counted, and paged
with the filters kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts import services
from beacon.contacts.models import FollowUpTask
from beacon.contacts.tests.factories import at, booked_in_the_past
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
