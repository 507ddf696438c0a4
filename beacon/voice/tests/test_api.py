"""The voice API: GET /api/v1/voice/surveys and POST /api/v1/voice/surveys/{id}/responses,
for interviews (staff token) and kiosks and links (their own token); events and actions;
with the pages' rules."""

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.voice import services
from beacon.voice.models import STANDARD_SATISFACTION, Action, Response
from beacon.voice.tests.factories import kiosk_for, link_for, scale_answers

pytestmark = pytest.mark.django_db


def post(http, survey, body, **headers):
    return http.post(
        f"/api/v1/voice/surveys/{survey.pk}/responses",
        body,
        content_type="application/json",
        headers=headers,
    )


def body(survey, score=9, **extra):
    return {
        "mode": "interview",
        "date": timezone.localdate().isoformat(),
        "answers": scale_answers(survey, score),
        **extra,
    }


def test_the_surveys_list_gives_ids_keys_versions_and_questions(api_as, survey):
    listed = api_as("keyworker").get("/api/v1/voice/surveys").json()
    by_key = {item["key"]: item for item in listed}
    standard = by_key[STANDARD_SATISFACTION]
    assert standard["version"] == 1
    assert [q["kind"] for q in standard["questions"]] == ["scale", "yes_no", "text"]
    assert all(isinstance(q["id"], int) for q in standard["questions"])
    assert by_key[survey.key]["id"] == survey.pk


def test_an_interview_by_api_links_the_client_when_given(api_as, survey, users):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    answer = post(api_as("keyworker"), survey, body(survey, client_number=client.client_number))
    assert answer.status_code == 201 and answer.json()["anonymous"] is False
    assert Response.objects.get().client == client


def test_a_volunteer_cannot_identify_a_client_by_api(api_as, survey, users):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    answer = post(api_as("volunteer"), survey, body(survey, client_number=client.client_number))
    assert answer.status_code == 422 and Response.objects.count() == 0


def test_a_driver_cannot_record_a_response(api_as, survey):
    assert post(api_as("driver"), survey, body(survey)).status_code == 403


def test_a_scale_answer_of_11_is_refused_by_api(api_as, survey):
    answers = scale_answers(survey, 9)
    answers[str(survey.questions.get(kind="scale").pk)] = 11
    answer = post(api_as("nurse"), survey, body(survey, answers=answers))
    assert answer.status_code == 422 and Response.objects.count() == 0


def test_a_kiosk_answers_with_its_own_token_and_only_its_survey(users, survey, site):
    _kiosk, raw = kiosk_for(users["manager"], survey, site)
    http = HttpClient()
    answer = post(http, survey, body(survey, mode="kiosk"), **{"X-Voice-Token": raw})
    assert answer.status_code == 201 and answer.json()["anonymous"] is True
    assert Response.objects.get().mode == "kiosk"
    other = services.survey_create(actor=users["manager"], title="Other")
    assert post(http, other, body(other, mode="kiosk"), **{"X-Voice-Token": raw}).status_code == 403
    assert http.get("/api/v1/voice/surveys", headers={"X-Voice-Token": raw}).status_code == 401
    wrong_mode = post(http, survey, body(survey), **{"X-Voice-Token": raw})
    assert wrong_mode.status_code == 422


def test_a_kiosk_token_for_another_survey_is_refused_whatever_its_body(users, survey, site):
    _kiosk, raw = kiosk_for(users["manager"], survey, site)
    other = services.survey_create(actor=users["manager"], title="Other")
    http, token = HttpClient(), {"X-Voice-Token": raw}
    # Not for that survey: refused, not a bad form, even with a body that is not one.
    for bad_body in ({"mode": "kiosk"}, {**body(survey, mode="kiosk"), "answers": "none"}):
        refused = post(http, other, bad_body, **token)
        assert refused.status_code == 403, refused.content
        assert post(http, survey, bad_body, **token).status_code == 422  # its own: a bad form
    assert post(http, other, body(other, mode="kiosk"), **token).status_code == 403
    assert not Response.objects.exists()
    # Its own survey still takes the answer.
    assert post(http, survey, body(survey, mode="kiosk"), **token).status_code == 201
    assert Response.objects.get().survey == survey


def test_a_link_token_for_another_survey_is_refused(users, survey):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    _link, raw = link_for(users["keyworker"], survey, client)
    other = services.survey_create(actor=users["manager"], title="Other")
    http, token = HttpClient(), {"X-Voice-Token": raw}
    assert post(http, other, {"mode": "link"}, **token).status_code == 403
    assert post(http, survey, body(survey, mode="link"), **token).status_code == 201


def test_a_link_answers_once_by_api(users, survey):
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    _link, raw = link_for(users["keyworker"], survey, client)
    http = HttpClient()
    first = post(http, survey, body(survey, mode="link"), **{"X-Voice-Token": raw})
    second = post(http, survey, body(survey, mode="link"), **{"X-Voice-Token": raw})
    assert first.status_code == 201 and second.status_code == 401
    assert Response.objects.get().client is None


@pytest.mark.django_db(transaction=True)  # the request's own transactions, as served
def test_a_link_answered_by_api_is_marked_used_in_a_step_of_its_own(users, survey, monkeypatch):
    """As on the page (H-181): the link's use commits before the response is written, so the
    two are not one transaction; when the response fails, the link stays used."""
    client = ClientFactory(provider=survey.provider, keyworker=users["keyworker"])
    link, raw = link_for(users["keyworker"], survey, client)

    def fails(**_kwargs):
        raise RuntimeError("the response's own transaction fails")

    monkeypatch.setattr(services, "response_record", fails)
    http = HttpClient(raise_request_exception=False)
    answer = post(http, survey, body(survey, mode="link"), **{"X-Voice-Token": raw})
    assert answer.status_code == 500
    link.refresh_from_db()
    assert link.used and not Response.objects.exists()


def test_the_other_api_writes_stay_one_transaction_with_their_request():
    from django.urls import resolve

    assert resolve("/api/v1/voice/surveys/1/responses").func._non_atomic_requests == {"default"}
    assert not getattr(resolve("/api/v1/voice/actions").func, "_non_atomic_requests", None)


def test_a_manager_records_an_action_by_api_and_a_keyworker_cannot(api_as, users):
    action = {
        "you_said": "Longer hours",
        "we_did": "Open late on Thursdays",
        "owner_id": users["manager"].pk,
        "due_on": timezone.localdate().isoformat(),
    }
    made = api_as("manager").post("/api/v1/voice/actions", action, content_type="application/json")
    assert made.status_code == 201 and made.json()["overdue"] is False
    refused = api_as("keyworker").post(
        "/api/v1/voice/actions", action, content_type="application/json"
    )
    assert refused.status_code == 403
    listed = api_as("commissioner").get("/api/v1/voice/actions").json()
    assert [item["you_said"] for item in listed] == ["Longer hours"]


EVENT = {
    "kind": "focus_group",
    "title": "Evening group",
    "place": "Harbour Street hub",
    "facilitated_by": "Peer lead",
    "clients": 6,
    "consent": True,
    "notes": "People spoke about the pharmacy",
    "themes": "Opening hours",
}


def test_a_manager_records_an_event_by_api_and_its_answer_has_no_notes(api_as):
    today = timezone.localdate().isoformat()
    made = api_as("manager").post(
        "/api/v1/voice/events", {**EVENT, "date": today}, content_type="application/json"
    )
    assert made.status_code == 201
    assert made.json()["themes"] == "Opening hours" and "notes" not in made.json()
    listed = api_as("commissioner").get("/api/v1/voice/events").json()
    assert [event["title"] for event in listed] == ["Evening group"]


def test_an_event_by_api_follows_the_pages_rules(api_as):
    today = timezone.localdate().isoformat()
    manager = api_as("manager")
    refused = manager.post(
        "/api/v1/voice/events",
        {**EVENT, "date": today, "consent": False},
        content_type="application/json",
    )
    assert refused.status_code == 422
    for role in ("keyworker", "commissioner"):
        answer = api_as(role).post(
            "/api/v1/voice/events", {**EVENT, "date": today}, content_type="application/json"
        )
        assert answer.status_code == 403
    assert api_as("commissioner").get("/api/v1/voice/events").json() == []


def test_a_manager_moves_an_action_on_by_api_and_done_is_final(api_as, users, survey):
    manager = api_as("manager")
    made = manager.post(
        "/api/v1/voice/actions",
        {
            "you_said": "Longer hours",
            "we_did": "Open late on Thursdays",
            "owner_id": users["manager"].pk,
            "due_on": timezone.localdate().isoformat(),
            "survey_id": survey.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    url = f"/api/v1/voice/actions/{made.json()['id']}/status"
    refused = api_as("keyworker").post(url, {"status": "done"}, content_type="application/json")
    assert refused.status_code == 403
    done = manager.post(url, {"status": "done"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["completed_on"] is not None
    again = manager.post(url, {"status": "open"}, content_type="application/json")
    assert again.status_code == 422
    assert Action.objects.get().survey == survey
