"""Correcting the journey and TOPs through the API: PATCH, the services' rules as 422, roles."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.core.tests.helpers import error_fields, patch_json
from beacon.treatment.codes import TopStage
from beacon.treatment.models import Referral
from beacon.treatment.tests.api_calls import API, iso
from beacon.treatment.tests.factories import (
    TopFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
    journey_episode,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(record):
    """Referred 100 days ago, triaged 98, assessed 95, in treatment from 90, a modality."""
    return journey_episode(record)


@pytest.fixture
def top(episode):
    """A start TOP 89 days ago: the episode cannot start after it."""
    return TopFactory(episode=episode, completed_on=days_ago(89))


def paths(episode, top) -> dict[str, str]:
    referral = f"{API}/referrals/{episode.referral_id}"
    return {
        "referral": referral,
        "triage": f"{referral}/triage",
        "assessment": f"{referral}/assessment",
        "episode": f"{API}/episodes/{episode.pk}",
        "top": f"{API}/tops/{top.pk}",
    }


# A harmless, real change for each record.
CHANGES = {
    "referral": {"reason": "Corrected reason"},
    "triage": {"notes": "Corrected notes"},
    "assessment": {"drinking_days": 3},
    "episode": {"start_date": iso(89)},
    # Not opiate days: using days of 1 or more also ask for the amount (H-80).
    "top": {"tobacco_days": 4},
}


def updates() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE))


def saved_state(episode, top) -> tuple:
    referral = Referral.objects.select_related("triage", "assessment", "episode").get(
        pk=episode.referral_id
    )
    top.refresh_from_db()
    return (
        referral.referral_date,
        referral.source,
        referral.reason,
        referral.status,
        referral.triage.triage_date,
        referral.triage.outcome,
        referral.assessment.assessment_date,
        referral.assessment.secondary_substance,
        referral.episode.start_date,
        referral.episode.keyworker_id,
        top.stage,
        top.opiate_days,
    )


# Corrections that are saved


@pytest.mark.parametrize("what", list(CHANGES))
def test_keyworker_corrects_each_record_and_it_is_audited(api_as, episode, top, users, what):
    response = patch_json(api_as("keyworker"), paths(episode, top)[what], CHANGES[what])
    assert response.status_code == 200, response.content
    field, value = next(iter(CHANGES[what].items()))
    assert response.json()[field] == value
    [entry] = updates()
    assert entry.user == users["keyworker"] and entry.client == episode.client
    assert entry.detail == f"changed {field}" and entry.channel == "api"


def test_changing_the_episodes_keyworker_by_id(api_as, episode, top, make_user):
    colleague = make_user("keyworker", username="colleague")
    response = patch_json(
        api_as("manager"), paths(episode, top)["episode"], {"keyworker_id": colleague.pk}
    )
    assert response.status_code == 200
    assert response.json()["keyworker"] == "colleague"


def test_signposting_an_accepted_referral_before_treatment_closes_it(api_as, users, team):
    record = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    triage = TriageFactory(referral__client=record)
    response = patch_json(
        api_as("keyworker"),
        f"{API}/referrals/{triage.referral_id}/triage",
        {"outcome": "signposted"},
    )
    assert response.status_code == 200 and response.json()["outcome"] == "signposted"
    assert Referral.objects.get().status == Referral.Status.CLOSED


@pytest.mark.parametrize("what", list(CHANGES))
def test_an_empty_patch_is_a_read_and_writes_no_update(api_as, episode, top, users, what):
    http = api_as("keyworker")
    assert patch_json(http, paths(episode, top)[what], {}).status_code == 200
    assert updates() == []
    assert AuditEntry.objects.filter(action="view", user=users["keyworker"]).count() == 1


def test_a_top_is_read_by_anyone_who_reads_the_journey(api_as, episode, top):
    for role in ("keyworker", "prescriber", "nurse", "manager"):
        response = api_as(role).get(paths(episode, top)["top"])
        assert response.status_code == 200 and response.json()["id"] == top.pk


# Broken rules: 422 naming the field, nothing saved


@pytest.mark.parametrize(
    ("what", "payload", "field"),
    [
        ("referral", {"referral_date": iso(97)}, "referral_date"),
        ("referral", {"referral_date": iso(-1)}, "referral_date"),
        ("referral", {"source": None}, "source"),
        ("referral", {"status": "closed"}, "status"),
        ("triage", {"triage_date": iso(94)}, "triage_date"),
        ("triage", {"outcome": "signposted"}, "outcome"),
        ("triage", {"outcome": "maybe"}, "outcome"),
        ("assessment", {"assessment_date": iso(99)}, "assessment_date"),
        ("assessment", {"secondary_substance": "heroin"}, "secondary_substance"),
        ("assessment", {"primary_substance": None}, "primary_substance"),
        ("assessment", {"drinking_days": 29}, "drinking_days"),
        ("episode", {"start_date": iso(99)}, "start_date"),
        ("episode", {"start_date": iso(80)}, "start_date"),
        ("episode", {"start_date": iso(88)}, "start_date"),
        ("episode", {"start_date": None}, "start_date"),
        ("episode", {"keyworker_id": 999999}, "keyworker_id"),
        ("top", {"opiate_days": 29}, "opiate_days"),
        ("top", {"stage": TopStage.POST_EXIT}, "stage"),
        ("top", {"completed_on": iso(91)}, "completed_on"),
    ],
)
def test_broken_rule_is_refused_naming_the_field(api_as, episode, top, what, payload, field):
    before = saved_state(episode, top)
    response = patch_json(api_as("keyworker"), paths(episode, top)[what], payload)
    assert field in error_fields(response)
    assert saved_state(episode, top) == before
    assert updates() == []


def test_correcting_a_triage_not_yet_recorded_is_not_found(api_as, users, team):
    record = ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
    episode = TreatmentEpisodeFactory(client=record, assessed=False)
    http = api_as("keyworker")
    referral = f"{API}/referrals/{episode.referral_id}"
    assert patch_json(http, f"{referral}/triage", {"notes": "x"}).status_code == 404
    assert patch_json(http, f"{referral}/assessment", {"drinking_days": 1}).status_code == 404


# Who may correct


@pytest.mark.parametrize("role", ["prescriber", "nurse", "driver", "volunteer", "commissioner"])
def test_roles_that_do_not_record_the_journey_cannot_correct_it(api_as, episode, top, role):
    before = saved_state(episode, top)
    http = api_as(role)
    for what in ("referral", "triage", "assessment", "episode"):
        response = patch_json(http, paths(episode, top)[what], CHANGES[what])
        assert response.status_code == 403, what
    assert saved_state(episode, top) == before


@pytest.mark.parametrize("role", ["prescriber", "driver", "volunteer", "commissioner"])
def test_roles_that_do_not_record_tops_cannot_correct_them(api_as, episode, top, role):
    response = patch_json(api_as(role), paths(episode, top)["top"], CHANGES["top"])
    assert response.status_code == 403
    top.refresh_from_db()
    assert top.opiate_days == 0


def test_nurse_corrects_a_top(api_as, episode, top):
    response = patch_json(api_as("nurse"), paths(episode, top)["top"], CHANGES["top"])
    assert response.status_code == 200 and response.json()["tobacco_days"] == 4


def test_keyworker_of_another_team_cannot_correct(api_as, episode, top, make_user, provider):
    outsider = make_user(
        "keyworker", username="outsider", team=TeamFactory(provider=provider, name="North")
    )
    before = saved_state(episode, top)
    http = api_as(outsider)
    for what, payload in CHANGES.items():
        assert patch_json(http, paths(episode, top)[what], payload).status_code == 403, what
    assert saved_state(episode, top) == before


def test_another_providers_token_gets_404(api_as, episode, top, make_user, other_provider):
    stranger = make_user("manager", provider=other_provider)
    http = api_as(stranger)
    for what, payload in CHANGES.items():
        assert patch_json(http, paths(episode, top)[what], payload).status_code == 404, what
    assert http.get(paths(episode, top)["top"]).status_code == 404
