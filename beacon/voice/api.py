"""Service-user voice endpoints of the JSON API: the surveys a service uses, events (read
and record), "you said, we did" actions (read, record, move on), and answering a survey
(interview by a staff token; kiosk and link by the kiosk's or the link's own token in
`X-Voice-Token`, which opens that endpoint and nothing else).

Thin, like the pages: parse (schemas.py), check the role, load through the selectors, call
the same services, return.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.security import APIKeyHeader

from beacon.clients.rules import clients_visible_to
from beacon.core.api import role_gate
from beacon.core.audit import Channel, audit_origin
from beacon.core.models import User
from beacon.core.permissions import ensure_can, user_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.voice import selectors, services
from beacon.voice.models import Action, ActionStatus, KioskSession, Mode, SurveyLink
from beacon.voice.schemas import (
    EventIn,
    EventOut,
    ResponseIn,
    ResponseOut,
    SurveyOut,
    VoiceActionIn,
    VoiceActionOut,
    VoiceActionStatusIn,
)

router = Router(tags=["service-user voice"])
M = TypeVar("M", bound=models.Model)

INTERVIEW = "voice.interview"


class VoiceToken(APIKeyHeader):
    """A kiosk's or a one-time link's token: a device that answers, never a person."""

    # It opens the one write of answering a survey and nothing else: that write's gate.
    gates_a_write = True

    param_name = "X-Voice-Token"

    def authenticate(self, request, key):
        if not key:
            return None
        found = selectors.kiosk_from_token(key) or selectors.link_from_token(key)
        if found is None:
            return None
        # A token answers its own survey only: for another it is refused (403) before the
        # body is read, whatever the body holds, not answered as a bad form (422).
        if found.survey_id != request.resolver_match.kwargs.get("survey_id"):
            raise PermissionDenied
        request.beacon_channel = Channel.API
        return found


def _survey_out(survey) -> dict:
    return {
        "id": survey.pk,
        "key": survey.key,
        "version": survey.version,
        "title": survey.title,
        "status": survey.status,
        "questions": [
            {
                "id": q.pk,
                "order": q.order,
                "section": q.section,
                "text": q.text,
                "kind": q.kind,
                "required": q.required,
                "choices": q.choices,
            }
            for q in survey.questions.all()
        ],
    }


@router.get(
    "/surveys",
    response={200: list[SurveyOut], **REFUSED},
    summary="The surveys of the service, newest version of each, with their questions",
)
def survey_list(request: HttpRequest):
    ensure_can(request.user, "voice.view_surveys")
    return [_survey_out(s) for s in selectors.surveys_current(provider_id=request.user.provider_id)]


def _today_only(payload: ResponseIn) -> None:
    if payload.date != timezone.localdate():
        raise ValidationError({"date": "A kiosk or link answer is dated today"})
    if payload.client_number is not None:
        raise ValidationError({"client_number": "A kiosk or link answer names no client"})


@router.post(
    "/surveys/{int:survey_id}/responses",
    response={201: ResponseOut, **INVALID},
    auth=[role_gate(INTERVIEW), VoiceToken()],
    summary="Record a response: interview (staff token), kiosk or link (X-Voice-Token)",
    url_name="voice_response_record",
)
@transaction.non_atomic_requests  # a link is marked used in its own transaction (H-181)
def response_record(request: HttpRequest, survey_id: int, payload: ResponseIn):
    device = request.auth
    answers = dict(payload.answers)
    if isinstance(device, KioskSession | SurveyLink):  # of this survey (VoiceToken)
        expected = Mode.KIOSK if isinstance(device, KioskSession) else Mode.LINK
        if payload.mode != expected:
            raise ValidationError({"mode": f"This token answers in {expected} mode"})
        _today_only(payload)
        if isinstance(device, KioskSession):
            response = services.response_from_kiosk(kiosk=device, answers=answers)
        else:
            response = services.response_from_link(link=device, answers=answers)
    else:
        user: User = request.user
        ensure_can(user, INTERVIEW)
        survey = selectors.survey_get(user=user, survey_id=survey_id, permission=INTERVIEW)
        if payload.mode != Mode.INTERVIEW:
            raise ValidationError(
                {"mode": "A staff token records interviews; kiosk and link use their own token"}
            )
        client = None
        if payload.client_number is not None:
            client = clients_visible_to(user).filter(client_number=payload.client_number).first()
            if client is None or not user_can(user, "voice.identify_client", client):
                raise ValidationError(
                    {"client_number": "No client with this number that you may open"}
                )
        response = services.response_interview(
            actor=user,
            survey=survey,
            date=payload.date,
            answers=answers,
            client=client,
            origin=audit_origin(request),
        )
    return Status(
        201,
        {
            "survey_id": response.survey_id,
            "mode": response.mode,
            "date": response.date,
            "anonymous": response.is_anonymous,
        },
    )


@router.get("/events", response={200: list[EventOut], **REFUSED}, summary="Events, newest first")
def event_list(request: HttpRequest):
    ensure_can(request.user, "voice.view_events")
    return list(selectors.events_of(provider_id=request.user.provider_id)[:200])


@router.post(
    "/events",
    response={201: EventOut, **INVALID},
    summary="Record an event (focus group, seminar, consultation meeting)",
    auth=role_gate("voice.record_events"),
)
def event_record(request: HttpRequest, payload: EventIn):
    """As the page: notes only when everyone consented, someone took part, not in the
    future (services.event_record, H-187); the answer carries no notes."""
    ensure_can(request.user, "voice.record_events")
    event = services.event_record(
        actor=request.user, data=payload.model_dump(), origin=audit_origin(request)
    )
    return Status(201, event)


def _linked(records: QuerySet[M], pk: int | None, *, field: str, refused: str) -> M | None:
    """The service's record `pk` names among `records`, or None when no id is given; an id
    not of the service is refused on `field` with the message `refused`."""
    if pk is None:
        return None
    record = records.filter(pk=pk).first()
    if record is None:
        raise ValidationError({field: refused})
    return record


def _action_out(action: Action) -> dict:
    return {
        "id": action.pk,
        "you_said": action.you_said,
        "we_did": action.we_did,
        "owner": action.owner.display_name,
        "due_on": action.due_on,
        "status": action.status,
        "completed_on": action.completed_on,
        "overdue": action.status != ActionStatus.DONE and action.due_on < timezone.localdate(),
    }


@router.get(
    "/actions",
    response={200: list[VoiceActionOut], **REFUSED},
    summary='"You said, we did" actions',
)
def action_list(request: HttpRequest):
    ensure_can(request.user, "voice.view_actions")
    actions = selectors.actions_of(provider_id=request.user.provider_id)[:500]
    return [_action_out(action) for action in actions]


@router.post(
    "/actions",
    response={201: VoiceActionOut, **INVALID},
    summary='Record a "you said, we did" action',
    auth=role_gate("voice.manage_actions"),
)
def action_create(request: HttpRequest, payload: VoiceActionIn):
    ensure_can(request.user, "voice.manage_actions")
    owner = selectors.staff_of(provider=request.provider).filter(pk=payload.owner_id).first()
    if owner is None:
        raise ValidationError({"owner_id": "No one with this id in your service"})
    event = _linked(
        selectors.events_of(provider_id=request.user.provider_id),
        payload.event_id,
        field="event_id",
        refused="No event with this id in your service",
    )
    survey = _linked(
        selectors.surveys_of(provider_id=request.user.provider_id),
        payload.survey_id,
        field="survey_id",
        refused="No survey with this id in your service",
    )
    if payload.due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date must be today or later"})
    action = services.action_create(
        actor=request.user,
        data={
            "you_said": payload.you_said,
            "we_did": payload.we_did,
            "owner": owner,
            "due_on": payload.due_on,
            "event": event,
            "survey": survey,
        },
        origin=audit_origin(request),
    )
    return Status(201, _action_out(action))


@router.post(
    "/actions/{int:voice_action_id}/status",
    response={200: VoiceActionOut, **INVALID},
    summary='Move a "you said, we did" action on: open, in progress or done',
    auth=role_gate("voice.manage_actions"),
)
def action_move(request: HttpRequest, voice_action_id: int, payload: VoiceActionStatusIn):
    ensure_can(request.user, "voice.manage_actions")
    action = selectors.action_get(
        user=request.user, action_id=voice_action_id, permission="voice.manage_actions"
    )
    moved = services.action_move(
        actor=request.user, action=action, status=payload.status, origin=audit_origin(request)
    )
    return _action_out(moved)
