"""Surveys and their versions, answers checked against their questions, anonymous responses
that hold no way back to a person, links and kiosks, and actions' states."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.audit import AuditOrigin
from beacon.core.models import AuditEntry
from beacon.voice import selectors, services
from beacon.voice.models import (
    STANDARD_SATISFACTION,
    Answer,
    QuestionKind,
    Response,
    Survey,
    SurveyLink,
)
from beacon.voice.tests.factories import interview, kiosk_for, scale_answers

ORIGIN = AuditOrigin(ip_address="203.0.113.9", channel="web")


def test_the_standard_satisfaction_survey_ships_published(db):
    survey = Survey.objects.get(key=STANDARD_SATISFACTION, provider__isnull=True)
    kinds = [q.kind for q in survey.questions.all()]
    assert survey.status == "published"
    assert kinds == [QuestionKind.SCALE, QuestionKind.YES_NO, QuestionKind.TEXT]


def test_the_delivery_feedback_survey_ships_with_its_three_questions(db):
    survey = Survey.objects.get(key="delivery-feedback", provider__isnull=True)
    convenient = survey.questions.get(kind=QuestionKind.SINGLE)
    assert survey.questions.count() == 3
    assert convenient.choices == ["Very convenient", "Convenient", "Not convenient"]


def test_a_published_surveys_questions_are_frozen(users, survey):
    with pytest.raises(ValidationError, match="frozen"):
        services.question_add(
            actor=users["manager"], survey=survey, text="Another?", kind=QuestionKind.TEXT
        )
    assert survey.questions.count() == 3


def test_editing_a_published_survey_makes_a_new_version_and_keeps_the_old(users, survey):
    manager = users["manager"]
    draft = services.survey_new_version(actor=manager, survey=survey)
    services.question_add(actor=manager, survey=draft, text="Was it clean?", kind="yes_no")
    services.survey_publish(actor=manager, survey=draft)
    survey.refresh_from_db()
    assert (draft.version, draft.key) == (2, survey.key)
    assert survey.status == "retired" and survey.questions.count() == 3
    assert draft.questions.count() == 4
    assert selectors.surveys_current(provider_id=manager.provider_id)[-1].pk == draft.pk


def test_a_shipped_survey_becomes_the_services_own_from_its_next_version(users):
    shipped = Survey.objects.get(key=STANDARD_SATISFACTION, provider__isnull=True)
    draft = services.survey_new_version(actor=users["manager"], survey=shipped)
    assert draft.provider_id == users["manager"].provider_id and draft.version == 2
    assert shipped.questions.count() == 3


def test_a_choice_question_needs_two_choices(users):
    survey = services.survey_create(actor=users["manager"], title="Groups")
    with pytest.raises(ValidationError) as refused:
        services.question_add(
            actor=users["manager"], survey=survey, text="Which?", kind="single", choices=["A"]
        )
    assert "choices" in refused.value.message_dict


@pytest.mark.parametrize("score", [11, -1, "7.5", True])
def test_a_scale_answer_outside_0_to_10_is_refused_and_nothing_saved(users, survey, score):
    answers = scale_answers(survey, 5)
    scale = survey.questions.get(kind="scale")
    answers[str(scale.pk)] = score
    with pytest.raises(ValidationError):
        services.response_interview(
            actor=users["keyworker"], survey=survey, date=timezone.localdate(), answers=answers
        )
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_required_answer_left_out_is_refused(users, survey):
    answers = scale_answers(survey, 8)
    del answers[str(survey.questions.get(kind="yes_no").pk)]
    with pytest.raises(ValidationError, match="Would you recommend"):
        services.response_interview(
            actor=users["nurse"], survey=survey, date=timezone.localdate(), answers=answers
        )


def test_a_draft_survey_takes_no_answers(users):
    draft = services.survey_create(actor=users["manager"], title="Draft")
    with pytest.raises(ValidationError, match="not open"):
        services.response_interview(
            actor=users["manager"], survey=draft, date=timezone.localdate(), answers={}
        )


def test_an_anonymous_kiosk_response_holds_no_way_back_to_a_person(users, survey, site):
    kiosk, _raw = kiosk_for(users["manager"], survey, site)
    before = AuditEntry.objects.count()
    response = services.response_from_kiosk(
        kiosk=kiosk, answers=scale_answers(survey, 10), origin=ORIGIN
    )
    stored = Response.objects.get(pk=response.pk)
    assert stored.client_id is None and stored.interviewer_id is None
    assert stored.modality == "" and stored.substance_group == ""
    # No time finer than the day: the record has a date and no time field at all.
    assert not [f for f in Response._meta.fields if f.get_internal_type() == "DateTimeField"]
    assert not [f for f in Answer._meta.fields if f.get_internal_type() == "DateTimeField"]
    # Random keys, for the response and its answers: neither orders it among others.
    assert not str(stored.pk).isdigit()
    assert stored.answers.exists()
    assert not any(str(answer.pk).isdigit() for answer in stored.answers.all())
    # The audit log keeps nothing of it: no entry, so no time to the second.
    assert AuditEntry.objects.count() == before


def test_an_anonymous_interview_writes_no_audit_entry(users, survey):
    before = AuditEntry.objects.count()
    response = interview(users["volunteer"], survey, 6)
    assert response.is_anonymous
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(user=users["volunteer"], action="create").exists()


def test_an_anonymous_link_keeps_only_that_it_was_used(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    link, raw = services.link_issue(
        actor=users["keyworker"],
        survey=survey,
        client=client,
        expires_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    before = AuditEntry.objects.count()
    response = services.response_from_link(
        link=selectors.link_from_token(raw), answers=scale_answers(survey, 7), origin=ORIGIN
    )
    link.refresh_from_db()
    assert response.client_id is None and link.used
    field_names = {f.name for f in SurveyLink._meta.fields}
    assert not field_names & {"response", "used_at", "used_on"}
    assert AuditEntry.objects.count() == before


def test_an_anonymous_link_keeps_no_client_and_its_audit_not_the_link(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    before = AuditEntry.objects.count()
    link, _raw = services.link_issue(
        actor=users["keyworker"],
        survey=survey,
        client=client,
        expires_on=timezone.localdate() + datetime.timedelta(days=7),
        origin=ORIGIN,
    )
    link.refresh_from_db()
    assert link.client_id is None and not link.identified
    entry = AuditEntry.objects.order_by("pk")[before:].get()
    # The client was sent a link (an act about them); which link is not kept.
    assert entry.client_id == client.pk
    assert entry.object_id == "" and entry.detail == f"anonymous link to {survey} sent"


def test_a_link_is_marked_used_in_a_step_of_its_own(users, survey, monkeypatch):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    link, _raw = services.link_issue(
        actor=users["keyworker"], survey=survey, client=client, expires_on=timezone.localdate()
    )

    def fails(**_kwargs):
        raise RuntimeError("the response's own transaction fails")

    monkeypatch.setattr(services, "response_record", fails)
    with pytest.raises(RuntimeError):
        services.response_from_link(link=link, answers=scale_answers(survey, 8))
    # The response's transaction rolled back; the link's own step had committed already.
    link.refresh_from_db()
    assert link.used and not Response.objects.filter(survey=survey).exists()


def test_a_wrong_answer_on_a_link_leaves_it_unused(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    link, _raw = services.link_issue(
        actor=users["keyworker"], survey=survey, client=client, expires_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.response_from_link(link=link, answers=scale_answers(survey, 11))
    link.refresh_from_db()
    assert not link.used


def test_the_link_page_is_not_one_transaction_with_the_response():
    from beacon.voice import views

    assert getattr(views.answer_link, "_non_atomic_requests", None)


def test_an_identified_link_response_links_the_client(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    _link, raw = services.link_issue(
        actor=users["keyworker"],
        survey=survey,
        client=client,
        expires_on=timezone.localdate(),
        identified=True,
    )
    response = services.response_from_link(
        link=selectors.link_from_token(raw), answers=scale_answers(survey, 7)
    )
    assert response.client_id == client.pk and not response.is_anonymous


def test_a_link_works_once_and_not_after_it_expires(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    link, raw = services.link_issue(
        actor=users["keyworker"], survey=survey, client=client, expires_on=timezone.localdate()
    )
    services.response_from_link(link=link, answers=scale_answers(survey, 9))
    assert selectors.link_from_token(raw) is None
    with pytest.raises(ValidationError, match="used already"):
        services.response_from_link(link=link, answers=scale_answers(survey, 9))
    other, raw_other = services.link_issue(
        actor=users["keyworker"], survey=survey, client=client, expires_on=timezone.localdate()
    )
    SurveyLink.objects.filter(pk=other.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert selectors.link_from_token(raw_other) is None
    with pytest.raises(ValidationError, match="expired"):
        services.response_from_link(link=other, answers=scale_answers(survey, 9))


def test_a_link_longer_than_28_days_is_refused(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    with pytest.raises(ValidationError) as refused:
        services.link_issue(
            actor=users["keyworker"],
            survey=survey,
            client=client,
            expires_on=timezone.localdate() + datetime.timedelta(days=29),
        )
    assert "expires_on" in refused.value.message_dict


def test_an_ended_kiosk_takes_no_answers_and_its_token_opens_nothing(users, survey, site):
    kiosk, raw = kiosk_for(users["manager"], survey, site)
    services.kiosk_end(actor=users["manager"], kiosk=kiosk)
    assert selectors.kiosk_from_token(raw) is None
    with pytest.raises(ValidationError, match="ended"):
        services.response_from_kiosk(kiosk=kiosk, answers=scale_answers(survey, 9))


def test_an_interview_records_the_interviewer_and_an_identified_one_the_client(users, survey):
    client = ClientFactory(provider=users["keyworker"].provider, keyworker=users["keyworker"])
    anonymous = interview(users["volunteer"], survey, 6)
    identified = interview(users["keyworker"], survey, 9, client=client)
    assert anonymous.interviewer == users["volunteer"] and anonymous.client is None
    assert identified.client == client
    assert AuditEntry.objects.filter(client=client, action="create").exists()


def test_a_done_action_cannot_move_again(users):
    manager = users["manager"]
    action = services.action_create(
        actor=manager,
        data={
            "you_said": "Too long a wait",
            "we_did": "A second duty worker",
            "owner": manager,
            "due_on": timezone.localdate(),
        },
    )
    services.action_move(actor=manager, action=action, status="done")
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="done already"):
        services.action_move(actor=manager, action=action, status="open")


def _event_data(**changes):
    return {
        "kind": "focus_group",
        "title": "Evening group",
        "date": timezone.localdate(),
        "place": "Harbour Street hub",
        "facilitated_by": "Peer lead",
        "clients": 6,
        "consent": False,
        "notes": "",
        "themes": "Opening hours",
        **changes,
    }


def test_event_notes_without_consent_are_refused_and_nothing_saved(users):
    from beacon.voice.models import Event

    with pytest.raises(ValidationError) as refused:
        services.event_record(actor=users["manager"], data=_event_data(notes="Said X"))
    assert "notes" in refused.value.message_dict and not Event.objects.exists()
    kept = services.event_record(
        actor=users["manager"], data=_event_data(notes="Said X", consent=True)
    )
    assert kept.notes == "Said X"


def test_only_the_services_voice_staff_are_offered_as_action_owners(users):
    provider = users["manager"].provider
    offered = set(selectors.staff_of(provider=provider).values_list("role", flat=True))
    assert offered and offered <= {"keyworker", "prescriber", "nurse", "manager"}
    assert (
        not selectors.staff_of(provider=provider)
        .filter(partner_organisation__isnull=False)
        .exists()
    )
    for role in ("driver", "pharmacist", "volunteer", "commissioner"):
        assert users[role] not in selectors.staff_of(provider=provider)
