"""When a TOP is due: at the start, 182 days after the latest, and looking ahead to exit."""

import datetime

import pytest
from django.urls import reverse

from beacon.clients.models import Client
from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.codes import TOP_REVIEW_INTERVAL_DAYS, TopStage
from beacon.treatment.selectors.tops import tops_due, tops_due_list
from beacon.treatment.tests.factories import TopFactory, TreatmentEpisodeFactory, days

pytestmark = pytest.mark.django_db
URL = reverse("treatment:tops_due")
INTERVAL = TOP_REVIEW_INTERVAL_DAYS


@pytest.fixture
def in_treatment(users, team):
    """in_treatment(last_name, started=-400, **client fields): an open episode."""

    def make(last_name: str, started: int = -400, **fields):
        fields.setdefault("team", team)
        fields.setdefault("keyworker", users["keyworker"])
        client = ClientFactory(provider=team.provider, last_name=last_name, **fields)
        return TreatmentEpisodeFactory(client=client, start_date=days(started))

    return make


def due(until: int = 0) -> list[tuple[str, str, datetime.date]]:
    items = tops_due(clients=Client.objects.all(), until=days(until))
    return [(item.client.last_name, item.stage, item.due_on) for item in items]


def test_start_top_is_due_from_the_episode_start_until_recorded(in_treatment):
    episode = in_treatment("Newstart", started=-3)
    assert due() == [("Newstart", TopStage.START, days(-3))]
    TopFactory(episode=episode, completed_on=days(-2))
    assert due() == []


def test_review_is_due_exactly_182_days_after_the_latest_top(in_treatment):
    TopFactory(episode=in_treatment("Today"), completed_on=days(-INTERVAL))
    TopFactory(episode=in_treatment("Tomorrow"), completed_on=days(-INTERVAL + 1))
    TopFactory(episode=in_treatment("Overdue"), completed_on=days(-INTERVAL - 1))
    assert due() == [
        ("Overdue", TopStage.REVIEW, days(-1)),
        ("Today", TopStage.REVIEW, days(0)),
    ]
    assert ("Tomorrow", TopStage.REVIEW, days(1)) in due(until=1)


def test_the_latest_top_of_any_stage_restarts_the_clock(in_treatment):
    episode = in_treatment("Reviewed")
    TopFactory(episode=episode, completed_on=days(-390))
    TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-200))
    assert due() == [("Reviewed", TopStage.REVIEW, days(-200 + INTERVAL))]


def test_discharged_episodes_need_no_top(in_treatment, team):
    episode = in_treatment("Gone")
    episode.discharge_date, episode.discharge_reason = days(-1), "dropped_out"
    episode.save()
    assert due() == []


def test_the_list_looks_14_days_ahead(in_treatment, users):
    TopFactory(episode=in_treatment("In14"), completed_on=days(14 - INTERVAL))
    TopFactory(episode=in_treatment("In15"), completed_on=days(15 - INTERVAL))
    listed = tops_due_list(user=users["keyworker"], today=days(0))
    assert [item.client.last_name for item in listed] == ["In14"]


def test_keyworker_sees_team_and_caseload_and_manager_the_service(in_treatment, users, provider):
    elsewhere = TeamFactory(provider=provider)
    in_treatment("Teammate", keyworker=None)
    in_treatment("Otherteam", keyworker=None, team=elsewhere)
    in_treatment("Mine", team=elsewhere)

    def listed(user):
        return sorted(item.client.last_name for item in tops_due_list(user=user, today=days(0)))

    assert listed(users["keyworker"]) == ["Mine", "Teammate"]
    assert listed(users["manager"]) == ["Mine", "Otherteam", "Teammate"]


def test_page_shows_what_is_due_searches_and_pages(web_as, in_treatment, settings):
    settings.BEACON_PAGE_SIZE = 2
    for index in range(3):
        in_treatment(f"Pagewood{index}", first_name="Sky")
    TopFactory(
        episode=in_treatment("Fellwood", first_name="Robin"), completed_on=days(-INTERVAL - 1)
    )
    http = web_as("keyworker")
    everyone = http.get(URL)
    assert "Page 2 of 2" in everyone.text and "Overdue by" in everyone.text
    found = http.get(URL, {"q": "robin"})
    assert "FELLWOOD" in found.text and "PAGEWOOD" not in found.text
    assert "6-month review TOP" in found.text and "Overdue by 1 day" in found.text
    searched = http.get(URL, {"q": "pagewood", "page": 2})
    assert searched.text.count("PAGEWOOD") == 1 and "Start TOP" in searched.text


def test_page_is_audited_as_a_read_of_a_list(web_as, in_treatment, users):
    in_treatment("Listed")
    web_as("keyworker").get(URL)
    entry = AuditEntry.objects.get(action="view", username=users["keyworker"].username)
    assert "TOPs due" in entry.detail and "1 shown" in entry.detail


@pytest.mark.parametrize("role", ["prescriber", "driver", "volunteer", "commissioner"])
def test_only_keyworkers_nurses_and_managers_open_the_list(web_as, role):
    assert web_as(role).get(URL).status_code == 403
