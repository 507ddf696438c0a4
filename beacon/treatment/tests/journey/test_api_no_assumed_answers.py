"""The API records only what a clinician chose: a triage outcome, a modality's setting,
whether a plan was written with the client and whether a goal is in their words are sent,
never assumed; leaving one out is a 422 naming the field with a clear message, and nothing
is saved (issue #11, H-137)."""

import pytest

from beacon.core.tests.helpers import post_json
from beacon.treatment.models import Modality, RecoveryPlan, Referral, Triage
from beacon.treatment.tests.api_calls import API, iso, url
from beacon.treatment.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def refused_for(response, field: str) -> str:
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in messages, messages
    return messages[field]


def test_a_triage_without_an_outcome_is_refused_not_accepted(api_as, record):
    referral = ReferralFactory(client=record)  # received 120 days ago
    response = post_json(
        api_as("keyworker"), f"{API}/referrals/{referral.pk}/triage", {"triage_date": iso(1)}
    )
    message = refused_for(response, "outcome")
    assert message == "Send outcome: it is required, and Beacon does not assume it"
    assert not Triage.objects.exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED


def test_a_modality_without_a_setting_is_refused_not_community(api_as, episode):
    before = Modality.objects.count()
    response = post_json(
        api_as("keyworker"),
        f"{API}/episodes/{episode.pk}/modalities",
        {"modality_type": "psychosocial", "referred_date": iso(30)},
    )
    assert "Beacon does not assume it" in refused_for(response, "setting")
    assert Modality.objects.count() == before


PLAN = {
    "agreed_on": iso(10),
    "next_review_date": iso(-80),
    "written_with_client": False,
    "goals": [{"text": "Keep my flat", "in_clients_words": False}],
}


@pytest.mark.parametrize(
    "left_out, field",
    [
        ({"written_with_client"}, "written_with_client"),
        ({"in_clients_words"}, "goals.0.in_clients_words"),
    ],
)
def test_a_plan_that_does_not_say_how_it_was_written_is_refused(api_as, episode, left_out, field):
    payload = {key: value for key, value in PLAN.items() if key not in left_out}
    payload["goals"] = [
        {k: v for k, v in goal.items() if k not in left_out} for goal in PLAN["goals"]
    ]
    response = post_json(api_as("keyworker"), url(episode.client, "plans"), payload)
    assert "Beacon does not assume it" in refused_for(response, field)
    assert not RecoveryPlan.objects.exists()


def test_a_plan_not_written_with_the_client_is_recorded_as_such(api_as, episode):
    response = post_json(api_as("keyworker"), url(episode.client, "plans"), PLAN)
    assert response.status_code == 201
    plan = RecoveryPlan.objects.get()
    assert plan.written_with_client is False
    assert plan.goals.get().in_clients_words is False


def test_the_schema_marks_them_required(api_as):
    schema = api_as("keyworker").get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "outcome" in schema["TriageIn"]["required"]
    assert "setting" in schema["ModalityIn"]["required"]
    assert "written_with_client" in schema["RecoveryPlanIn"]["required"]
    assert "in_clients_words" in schema["GoalIn"]["required"]
