"""The pages that correct a saved journey: referral, triage, assessment, episode."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.treatment.models import Referral
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
    days_ago,
    journey_episode,
)
from beacon.treatment.tests.journey.test_pages import date_fields, field_error, journey_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


@pytest.fixture
def episode(client_record):
    """Referred 100 days ago, triaged 98, assessed 95, in treatment from 90, a modality."""
    return journey_episode(client_record)


def edit_urls(episode) -> list[str]:
    referral_id = episode.referral_id
    return [
        reverse("treatment:referral_edit", args=[referral_id]),
        reverse("treatment:triage_edit", args=[referral_id]),
        reverse("treatment:assessment_edit", args=[referral_id]),
        reverse("treatment:episode_edit", args=[episode.pk]),
    ]


def referral_form(**changes) -> dict:
    return {
        **date_fields("referral_date", days_ago(100)),
        "source": "self",
        "referrer_details": "",
        "reason": "Wants help with heroin use",
        **changes,
    }


def triage_form(**changes) -> dict:
    return {**date_fields("triage_date", days_ago(98)), "outcome": "accepted", **changes}


def assessment_form(**changes) -> dict:
    return {
        **date_fields("assessment_date", days_ago(95)),
        "primary_substance": "heroin",
        "primary_age_first_use": "19",
        "primary_route": "smoke",
        "injecting_status": "never",
        "housing_need": "no_problem",
        "employment_status": "unemployed",
        "parental_status": "not_a_parent",
        **changes,
    }


def updates() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE))


# Corrections that are saved


def test_overview_links_each_saved_step_to_its_correction(web_as, episode, client_record):
    page = web_as("keyworker").get(journey_url(client_record)).text
    for url in edit_urls(episode):
        assert f'href="{url}"' in page


def test_keyworker_corrects_the_referral(web_as, episode, client_record, users):
    http = web_as("keyworker")
    url = reverse("treatment:referral_edit", args=[episode.referral_id])
    form = http.get(url)
    assert form.status_code == 200 and "Wants help with heroin use" in form.text
    viewed = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, user=users["keyworker"])
    assert viewed.client == client_record
    response = http.post(url, referral_form(source="gp", referrer_details="Dr Example"))
    assert response.headers["Location"] == journey_url(client_record)
    referral = Referral.objects.get()
    assert (referral.source, referral.referrer_details) == ("gp", "Dr Example")
    [entry] = updates()
    assert entry.detail == "changed source, referrer_details"


def test_keyworker_corrects_the_triage_date(web_as, episode, client_record):
    url = reverse("treatment:triage_edit", args=[episode.referral_id])
    response = web_as("keyworker").post(
        url, triage_form(**date_fields("triage_date", days_ago(99)))
    )
    assert response.headers["Location"] == journey_url(client_record)
    episode.referral.triage.refresh_from_db()
    assert episode.referral.triage.triage_date == days_ago(99)


def test_keyworker_corrects_the_assessment(web_as, episode, client_record):
    url = reverse("treatment:assessment_edit", args=[episode.referral_id])
    response = web_as("keyworker").post(url, assessment_form(secondary_substance="crack"))
    assert response.headers["Location"] == journey_url(client_record)
    episode.referral.assessment.refresh_from_db()
    assert episode.referral.assessment.secondary_substance == "crack"
    assert [entry.detail for entry in updates()] == ["changed secondary_substance"]


def test_manager_changes_the_episodes_keyworker(web_as, episode, client_record, make_user):
    colleague = make_user("keyworker", username="colleague")
    url = reverse("treatment:episode_edit", args=[episode.pk])
    data = {**date_fields("start_date", days_ago(90)), "keyworker": colleague.pk}
    response = web_as("manager").post(url, data)
    assert response.headers["Location"] == journey_url(client_record)
    episode.refresh_from_db()
    assert episode.keyworker == colleague


def test_saving_an_unchanged_form_writes_no_update(web_as, episode):
    url = reverse("treatment:referral_edit", args=[episode.referral_id])
    assert web_as("keyworker").post(url, referral_form()).status_code == 302
    assert updates() == []


# Refused corrections save nothing


@pytest.mark.parametrize(
    ("name", "data", "field", "message"),
    [
        (
            "referral_edit",
            referral_form(**date_fields("referral_date", days_ago(97))),
            "id_referral_date",
            "The referral date cannot be after triage",
        ),
        (
            "triage_edit",
            triage_form(**date_fields("triage_date", days_ago(94))),
            "id_triage_date",
            "Triage cannot be after the assessment",
        ),
        (
            "triage_edit",
            triage_form(outcome="signposted"),
            "id_outcome",
            "Treatment has started on this referral",
        ),
        (
            "assessment_edit",
            assessment_form(secondary_substance="heroin"),
            "id_secondary_substance",
            "Each substance may be named once",
        ),
    ],
)
def test_bad_correction_is_shown_next_to_the_field_and_saves_nothing(
    web_as, episode, name, data, field, message
):
    response = web_as("keyworker").post(
        reverse(f"treatment:{name}", args=[episode.referral_id]), data
    )
    assert response.status_code == 200
    assert field_error(response, field).startswith(message)
    referral = Referral.objects.get()
    assert referral.referral_date == days_ago(100)
    assert referral.triage.triage_date == days_ago(98) and referral.triage.outcome == "accepted"
    assert referral.assessment.secondary_substance == ""
    assert updates() == []


def test_episode_start_after_its_interventions_is_refused(web_as, episode):
    url = reverse("treatment:episode_edit", args=[episode.pk])
    data = {**date_fields("start_date", days_ago(80)), "keyworker": episode.keyworker_id}
    response = web_as("keyworker").post(url, data)
    assert field_error(response, "id_start_date").startswith(
        "Treatment cannot start after an intervention&#39;s dates"
    )
    episode.refresh_from_db()
    assert episode.start_date == days_ago(90) and updates() == []


def test_correcting_a_step_not_yet_recorded_is_not_found(web_as, client_record):
    episode = TreatmentEpisodeFactory(client=client_record, assessed=False)  # neither step
    http = web_as("keyworker")
    for name in ("triage_edit", "assessment_edit"):
        assert http.get(reverse(f"treatment:{name}", args=[episode.referral_id])).status_code == 404


# Who may correct


@pytest.mark.parametrize("role", ["prescriber", "nurse"])
def test_prescriber_and_nurse_may_not_correct_the_journey(web_as, episode, client_record, role):
    http = web_as(role)
    overview = http.get(journey_url(client_record)).text
    for url in edit_urls(episode):
        assert url not in overview
        assert http.get(url).status_code == 403, url
        assert http.post(url, {}).status_code == 403, url
    assert updates() == []


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_may_not_correct_anything(web_as, episode, role):
    http = web_as(role)
    for url in edit_urls(episode):
        assert http.get(url).status_code == 403, url
        assert http.post(url, {}).status_code == 403, url


def test_keyworker_of_another_team_may_not_correct(web_as, episode, make_user, provider):
    outsider = make_user(
        "keyworker", username="outsider", team=TeamFactory(provider=provider, name="North")
    )
    http = web_as(outsider)
    for url in edit_urls(episode):
        assert http.get(url).status_code == 403, url
    response = http.post(edit_urls(episode)[0], referral_form(source="gp"))
    assert response.status_code == 403
    assert Referral.objects.get().source == "self"


def test_another_providers_records_are_not_found(web_as, other_provider):
    stranger = ClientFactory(provider=other_provider)
    episode = TreatmentEpisodeFactory(client=stranger, assessed=False)
    TriageFactory(referral=episode.referral)
    AssessmentFactory(referral=episode.referral)
    http = web_as("keyworker")
    for url in edit_urls(episode):
        assert http.get(url).status_code == 404, url
