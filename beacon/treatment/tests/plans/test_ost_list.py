"""The list of clients on OST with no exit plan, or one overdue for review."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.models import TreatmentEpisode
from beacon.treatment.selectors.journey import episode_on_ost
from beacon.treatment.selectors.plans import episodes_on_ost, ost_clients_needing_exit_plan
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ModalityFactory,
    TreatmentEpisodeFactory,
    days,
)

pytestmark = pytest.mark.django_db
URL = reverse("treatment:ost_without_exit_plan")


@pytest.fixture
def on_ost(users, team):
    """on_ost(last_name, **client fields): a client of the team, in treatment, on methadone."""

    def make(last_name: str, **fields):
        fields.setdefault("keyworker", users["keyworker"])
        fields.setdefault("team", team)
        client = ClientFactory(provider=team.provider, last_name=last_name, **fields)
        episode = TreatmentEpisodeFactory(client=client, start_date=days(-200))
        ModalityFactory(episode=episode, ost=True, referred_date=days(-150))
        return episode

    return make


def names(user, **kwargs) -> list[str]:
    episodes = ost_clients_needing_exit_plan(user=user, today=days(0), **kwargs)
    return [episode.client.last_name for episode in episodes]


def test_lists_clients_with_no_exit_plan_or_one_overdue_by_a_day(on_ost, users):
    on_ost("Noplan")
    ExitPlanFactory(episode=on_ost("Overdue"), next_review_date=days(-1))
    ExitPlanFactory(episode=on_ost("Duetoday"), next_review_date=days(0))
    ExitPlanFactory(episode=on_ost("Uptodate"), next_review_date=days(10))
    assert names(users["keyworker"]) == ["Noplan", "Overdue"]


def test_clients_not_on_ost_are_not_listed(on_ost, users, team):
    ended = on_ost("Ended")
    ended.modalities.update(end_date=days(-1), exit_reason="A")
    discharged = on_ost("Discharged")
    TreatmentEpisode.objects.filter(pk=discharged.pk).update(
        discharge_date=days(-1), discharge_reason="dropped_out"
    )
    never = ClientFactory(provider=team.provider, team=team, last_name="Psychosocial")
    ModalityFactory(episode=TreatmentEpisodeFactory(client=never))
    assert names(users["keyworker"]) == []


def test_the_list_query_agrees_with_the_one_ost_rule(on_ost, team):
    on_ost("Running")
    ended = on_ost("Ended")
    ended.modalities.update(end_date=days(-1), exit_reason="A")
    unstarted = TreatmentEpisodeFactory(client=ClientFactory(provider=team.provider, team=team))
    ModalityFactory(episode=unstarted, ost=True, start_date=None)
    ModalityFactory(episode=TreatmentEpisodeFactory(client=ClientFactory(provider=team.provider)))
    every = TreatmentEpisode.objects.all()
    assert set(episodes_on_ost(every)) == {e for e in every if episode_on_ost(e)}
    assert episodes_on_ost(every).count() == 1


def test_keyworker_sees_team_and_caseload_and_manager_sees_the_service(on_ost, users, provider):
    elsewhere = TeamFactory(provider=provider)
    on_ost("Teammate", keyworker=None)
    on_ost("Otherteam", keyworker=None, team=elsewhere)
    on_ost("Mine", team=elsewhere)
    assert sorted(names(users["keyworker"])) == ["Mine", "Teammate"]
    assert sorted(names(users["manager"])) == ["Mine", "Otherteam", "Teammate"]


def test_page_searches_by_name_and_pages(web_as, on_ost, settings):
    settings.BEACON_PAGE_SIZE = 2
    for index in range(3):
        on_ost(f"Pagewood{index}", first_name="Sky")
    on_ost("Fellwood", first_name="Robin")
    http = web_as("keyworker")
    first = http.get(URL, {"q": "pagewood"})
    assert first.text.count("PAGEWOOD") == 2 and "Page 2 of 2" in first.text
    assert "FELLWOOD" not in first.text and "No exit plan" in first.text
    found = http.get(URL, {"q": "robin"})
    assert "FELLWOOD" in found.text and "PAGEWOOD" not in found.text


def test_page_shows_since_when_the_review_is_overdue_and_is_audited(web_as, on_ost, users):
    episode = on_ost("Overdue")
    ExitPlanFactory(episode=episode, agreed_on=days(-60), next_review_date=days(-3))
    page = web_as("manager").get(URL)
    assert "Review overdue since" in page.text
    assert reverse("clients:detail", args=[episode.client.client_number]) in page.text
    entry = AuditEntry.objects.get(action="view", username=users["manager"].username)
    assert entry.client is None and "1 shown" in entry.detail


@pytest.mark.parametrize("role", ["nurse", "prescriber", "driver", "volunteer", "commissioner"])
def test_only_keyworkers_and_managers_open_the_list(web_as, role):
    assert web_as(role).get(URL).status_code == 403
