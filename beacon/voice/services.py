"""Every write of service-user voice: surveys and their versions, questions, responses
(interview, kiosk, link), kiosk sessions, links, events and "you said, we did" actions.

Each is keyword-only, one transaction, and audited, except an anonymous response: it is
not a record about a person, and an audit entry (a timestamp to the second, the
interviewer) would trace it back (H-181).
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from beacon.clients.models import Client
from beacon.core.audit import Action as AuditAction
from beacon.core.audit import AuditOrigin, audit_record, record_save
from beacon.core.models import Provider, Site, TextMessage, TextPurpose, User
from beacon.core.selectors import text_refusal
from beacon.core.services import TextsQueued, text_queue
from beacon.core.states import StateMachine
from beacon.treatment.selectors import journey as treatment
from beacon.voice.models import (
    SCALE_TOP,
    Action,
    ActionStatus,
    Answer,
    Event,
    KioskSession,
    Mode,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyLink,
    SurveyStatus,
)

LINK_MOST_DAYS = 28
YES_NO = ["Yes", "No"]

action_states: StateMachine[Action] = StateMachine(
    ActionStatus,
    {
        ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE},
        ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE},
        ActionStatus.DONE: set(),
    },
    refusal=lambda action, to: "This action is done already: record a new one instead",
)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


# Surveys ----------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, actor: User, title: str, introduction: str = "", origin: AuditOrigin | None = None
) -> Survey:
    base = slugify(title)[:50] or "survey"
    key, number = base, 1
    while Survey.objects.filter(provider_id=actor.provider_id, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    survey = Survey(
        provider_id=actor.provider_id,
        key=key,
        title=title,
        introduction=introduction,
        created_by=actor,
    )
    return record_save(survey, actor=actor, origin=origin, detail=f"survey {key} drafted")


def _refuse_if_frozen(survey: Survey) -> None:
    if survey.is_frozen:
        raise ValidationError(
            "This version is published and its questions are frozen: make a new version to "
            "change them"
        )


@transaction.atomic
def question_add(
    *,
    actor: User,
    survey: Survey,
    text: str,
    kind: str,
    required: bool = True,
    section: str = "",
    choices: list[str] | None = None,
    origin: AuditOrigin | None = None,
) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_frozen(survey)
    options = [choice.strip() for choice in (choices or []) if choice.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise ValidationError({"choices": "Give at least 2 choices, one a line"})
        if len(set(options)) != len(options):
            raise ValidationError({"choices": "Give each choice once"})
    elif options:
        raise ValidationError({"choices": "Only single and multiple choice questions have choices"})
    last = survey.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(
        survey=survey,
        order=last + 1,
        section=section,
        text=text,
        kind=kind,
        required=required,
        choices=options,
    )
    return record_save(question, actor=actor, origin=origin, detail=f"question on {survey}")


@transaction.atomic
def survey_publish(*, actor: User, survey: Survey, origin: AuditOrigin | None = None) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _refuse_if_frozen(survey)
    if not survey.questions.exists():
        raise ValidationError("Add at least one question before publishing")
    Survey.objects.filter(
        provider_id=survey.provider_id, key=survey.key, status=SurveyStatus.PUBLISHED
    ).update(status=SurveyStatus.RETIRED)
    # A kiosk bound to an older version would refuse every answer: it is ended, and the
    # manager told (views.survey_publish), so a new kiosk is started on this version.
    for kiosk in kiosks_on_older_versions(survey=survey).select_for_update():
        kiosk_end(actor=actor, kiosk=kiosk, origin=origin)
    survey.status = SurveyStatus.PUBLISHED
    survey.published_on = timezone.localdate()
    return record_save(
        survey, actor=actor, action=AuditAction.UPDATE, origin=origin, detail="published"
    )


def kiosks_on_older_versions(*, survey: Survey) -> QuerySet[KioskSession]:
    """The open kiosks of the survey's service bound to another version of it."""
    return KioskSession.objects.filter(
        provider_id=survey.provider_id, survey__key=survey.key, ended_at__isnull=True
    ).exclude(survey_id=survey.pk)


@transaction.atomic
def survey_new_version(*, actor: User, survey: Survey, origin: AuditOrigin | None = None) -> Survey:
    """The next version of a published survey, a draft with the same questions to edit. A
    survey Beacon ships becomes the service's own from its next version."""
    if not survey.is_frozen:
        raise ValidationError("This version is a draft: edit it")
    family = Survey.objects.select_for_update().filter(key=survey.key)
    family = family.filter(Q(provider_id=actor.provider_id) | Q(provider_id=survey.provider_id))
    if survey.provider_id is None:
        family = family.filter(Q(provider_id=actor.provider_id) | Q(provider__isnull=True))
    draft = family.filter(provider_id=actor.provider_id, status=SurveyStatus.DRAFT).first()
    if draft is not None:
        return draft
    newest = max(version.version for version in family)
    copy = Survey(
        provider_id=actor.provider_id,
        key=survey.key,
        version=newest + 1,
        title=survey.title,
        introduction=survey.introduction,
        created_by=actor,
    )
    record_save(copy, actor=actor, origin=origin, detail=f"version {copy.version} of {survey.key}")
    Question.objects.bulk_create(
        Question(
            survey=copy,
            order=question.order,
            section=question.section,
            text=question.text,
            kind=question.kind,
            required=question.required,
            choices=question.choices,
        )
        for question in survey.questions.all()
    )
    return copy


# Responses --------------------------------------------------------------------------------


def _answer(question: Question, value: Any) -> Answer | None:
    """One answer checked against its question's kind; None when left unanswered."""
    if value is None or value == "" or value == []:
        if question.required:
            raise ValidationError({str(question.pk): f"Answer: {question.text}"})
        return None
    answer = Answer(question=question)
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if isinstance(value, bool) or not 0 <= number <= SCALE_TOP or str(number) != str(value):
            raise ValidationError({str(question.pk): "Choose a whole number from 0 to 10"})
        answer.number = number
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        options = question.choices or YES_NO
        if value not in options:
            raise ValidationError({str(question.pk): "Choose one of the answers given"})
        answer.chosen = [value]
    elif question.kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        if any(item not in question.choices for item in values) or len(set(values)) != len(values):
            raise ValidationError({str(question.pk): "Choose from the answers given"})
        answer.chosen = values
    else:
        if not isinstance(value, str) or len(value) > 2000:
            raise ValidationError({str(question.pk): "Write up to 2000 characters"})
        answer.text = value.strip()
    return answer


def _treatment_snapshot(client: Client) -> dict[str, str]:
    episode = treatment.open_episode(client=client)
    if episode is None:
        return {"modality": "", "substance_group": ""}
    types = [
        modality.modality_type
        for modality in episode.modalities.all()
        if modality.start_date is not None and modality.end_date is None
    ]
    group = treatment.substance_group(episode)
    return {"modality": sorted(types)[0] if types else "", "substance_group": group or ""}


def _answers_checked(survey: Survey, answers: dict[str, Any]) -> list[Answer | None]:
    """Every answer checked against its question, nothing saved."""
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError("This survey is not open for answers")
    questions = list(survey.questions.all())
    known = {str(question.pk) for question in questions}
    unknown = sorted(set(map(str, answers)) - known)
    if unknown:
        raise ValidationError({"answers": f"No question {', '.join(unknown)} in this survey"})
    given = {str(key): value for key, value in answers.items()}
    return [_answer(question, given.get(str(question.pk))) for question in questions]


@transaction.atomic
def response_record(
    *,
    survey: Survey,
    mode: str,
    date: datetime.date,
    answers: dict[str, Any],
    provider_id: int,
    interviewer: User | None = None,
    client: Client | None = None,
    site: Site | None = None,
    origin: AuditOrigin | None = None,
) -> Response:
    """One response, every answer checked; nothing is saved when one is wrong. Anonymous
    unless `client` is given."""
    if date > timezone.localdate():
        raise ValidationError({"date": "The date cannot be in the future"})
    if mode == Mode.KIOSK and (client is not None or interviewer is not None):
        raise ValidationError("A kiosk response is anonymous")
    if mode == Mode.INTERVIEW and interviewer is None:
        raise ValidationError("An interview names its interviewer")
    checked = _answers_checked(survey, answers)
    response = Response(
        provider_id=provider_id,
        survey=survey,
        mode=mode,
        date=date,
        site=site,
        client=client,
        interviewer=interviewer,
        **(_treatment_snapshot(client) if client is not None else {}),
    )
    response.full_clean()
    response.save()
    for answer in checked:
        if answer is not None:
            answer.response = response
            answer.full_clean(exclude=["response"])
            answer.save()
    if client is not None:
        audit_record(
            actor=interviewer,
            action=AuditAction.CREATE,
            obj=response,
            client=client,
            detail=f"{mode} response to {survey}",
            origin=origin,
        )
    # H-181: an anonymous response is not a record about a person and is not audited: an
    # entry's timestamp (to the second) and interviewer, written in the response's own
    # transaction, would trace it back. The responses themselves count the day's answers.
    return response


def response_interview(
    *,
    actor: User,
    survey: Survey,
    date: datetime.date,
    answers: dict[str, Any],
    client: Client | None = None,
    site: Site | None = None,
    origin: AuditOrigin | None = None,
) -> Response:
    return response_record(
        survey=survey,
        mode=Mode.INTERVIEW,
        date=date,
        answers=answers,
        provider_id=actor.provider_id,
        interviewer=actor,
        client=client,
        site=site or (actor.team.site if actor.team_id else None),
        origin=origin,
    )


# Kiosks -----------------------------------------------------------------------------------


@transaction.atomic
def kiosk_start(
    *, actor: User, survey: Survey, site: Site, origin: AuditOrigin | None = None
) -> tuple[KioskSession, str]:
    """A kiosk locked to `survey` at `site`: the raw token for the device's cookie, once."""
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError("Publish the survey before starting a kiosk")
    if site.provider_id != actor.provider_id:
        raise ValidationError({"site": "Choose a site of your service"})
    raw, hashed = _new_token()
    kiosk = KioskSession(
        provider_id=actor.provider_id, survey=survey, site=site, token_hash=hashed, started_by=actor
    )
    record_save(kiosk, actor=actor, origin=origin, detail=f"kiosk started for {survey}")
    return kiosk, raw


@transaction.atomic
def kiosk_end(*, actor: User, kiosk: KioskSession, origin: AuditOrigin | None = None) -> None:
    if kiosk.ended_at is None:
        kiosk.ended_at = timezone.now()
        record_save(kiosk, actor=actor, action=AuditAction.UPDATE, origin=origin, detail="ended")


def response_from_kiosk(
    *,
    kiosk: KioskSession,
    answers: dict[str, Any],
    origin: AuditOrigin | None = None,
) -> Response:
    if kiosk.ended_at is not None:
        raise ValidationError("This kiosk has been ended")
    return response_record(
        survey=kiosk.survey,
        mode=Mode.KIOSK,
        date=timezone.localdate(),
        answers=answers,
        provider_id=kiosk.provider_id,
        site=kiosk.site,
        origin=origin,
    )


# Links ------------------------------------------------------------------------------------


@transaction.atomic
def link_issue(
    *,
    actor: User | None,
    survey: Survey,
    client: Client,
    expires_on: datetime.date,
    identified: bool = False,
    origin: AuditOrigin | None = None,
) -> tuple[SurveyLink, str]:
    today = timezone.localdate()
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError("Publish the survey before sending links")
    if not today <= expires_on <= today + datetime.timedelta(days=LINK_MOST_DAYS):
        raise ValidationError(
            {"expires_on": f"The link must expire between today and {LINK_MOST_DAYS} days"}
        )
    raw, hashed = _new_token()
    link = SurveyLink(
        provider_id=client.provider_id,
        survey=survey,
        client=client if identified else None,
        identified=identified,
        token_hash=hashed,
        expires_on=expires_on,
        created_by=actor,
        created_on=today,
    )
    if identified:
        record_save(link, actor=actor, origin=origin, detail=f"identified link to {survey}")
    else:
        # H-181: an anonymous link keeps no client, and its audit names the client (a link
        # was sent to them) but not the link, so neither joins to the response it gives.
        link.full_clean()
        link.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            client=client,
            detail=f"anonymous link to {survey} sent",
            origin=origin,
        )
    return link, raw


def _link_refusal(link: SurveyLink) -> None:
    if link.used:
        raise ValidationError("This link has been used already")
    if link.expires_on < timezone.localdate():
        raise ValidationError("This link has expired")


@transaction.atomic
def _link_mark_used(*, link: SurveyLink) -> None:
    locked = SurveyLink.objects.select_for_update().get(pk=link.pk)
    _link_refusal(locked)
    locked.used = True
    locked.save(update_fields=["used"])


def response_from_link(
    *, link: SurveyLink, answers: dict[str, Any], origin: AuditOrigin | None = None
) -> Response:
    """The one answer a link gives. The answers are checked first; then the link is marked
    used in a transaction of its own (row lock), and the response saved in another, so the
    link's write is not joinable to the response's (H-181, H-185). An anonymous link keeps
    only that it was used."""
    link = SurveyLink.objects.select_related("survey", "client").get(pk=link.pk)
    _link_refusal(link)
    _answers_checked(link.survey, answers)
    _link_mark_used(link=link)
    return response_record(
        survey=link.survey,
        mode=Mode.LINK,
        date=timezone.localdate(),
        answers=answers,
        provider_id=link.provider_id,
        client=link.client if link.identified else None,
        origin=origin,
    )


# Delivery feedback ------------------------------------------------------------------------

FEEDBACK_LINK_DAYS = 14


def delivery_feedback_reference(client: Client) -> str:
    """The text's reference: one delivery feedback text a client, ever."""
    return f"delivery-feedback-{client.pk}"


def delivery_feedback_texts_send(
    *, provider: Provider, survey: Survey, clients: Iterable[Client], today: datetime.date
) -> TextsQueued:
    """Text each of `clients` (selectors.clients_due_delivery_feedback: a first week of home
    deliveries behind them) an anonymous one-time link to `survey`, the delivery feedback
    survey, in the provider's wording of a survey link text. Each client is texted once:
    a client texted before, one who cannot be texted (no consent to texts, no mobile) or a
    text that would say what the service is (a clinical word in Beacon's address) is
    counted with why, and no link is made for them. The link keeps no client (H-181)."""
    result = TextsQueued()
    site = settings.BEACON_SITE_URL.rstrip("/")
    for client in clients:
        reference = delivery_feedback_reference(client)
        if TextMessage.objects.filter(provider_id=provider.pk, reference=reference).exists():
            result.already += 1
            continue
        reason = text_refusal(client=client, purpose=TextPurpose.SURVEY_LINK)
        if not reason and not site:
            reason = "Set BEACON_SITE_URL (Beacon's address) to send survey links."
        if reason:
            result.not_sent[reason] += 1
            continue
        try:
            with transaction.atomic():
                _link, raw = link_issue(
                    actor=None,
                    survey=survey,
                    client=client,
                    expires_on=today + datetime.timedelta(days=FEEDBACK_LINK_DAYS),
                )
                text_queue(
                    client=client,
                    purpose=TextPurpose.SURVEY_LINK,
                    personalisation={"link": site + reverse("voice:answer", args=[raw])},
                    reference=reference,
                )
        except ValidationError as exc:
            result.not_sent[" ".join(exc.messages)] += 1
            continue
        result.queued += 1
    return result


# Events and "you said, we did" ------------------------------------------------------------


@transaction.atomic
def event_record(*, actor: User, data: dict[str, Any], origin: AuditOrigin | None = None) -> Event:
    if data.get("date") and data["date"] > timezone.localdate():
        raise ValidationError({"date": "Record an event once it has happened"})
    event = Event(provider_id=actor.provider_id, recorded_by=actor, **data)
    if event.notes.strip() and not event.consent:
        raise ValidationError(
            {"notes": "Keep notes only when everyone consented: tick consent or leave them out"}
        )
    if event.taking_part == 0:
        raise ValidationError({"clients": "Give how many took part"})
    return record_save(event, actor=actor, origin=origin, detail=f"event {event.title}")


@transaction.atomic
def action_create(
    *, actor: User, data: dict[str, Any], origin: AuditOrigin | None = None
) -> Action:
    owner = data.get("owner")
    if owner is not None and owner.provider_id != actor.provider_id:
        raise ValidationError({"owner": "Choose someone in your service"})
    action = Action(provider_id=actor.provider_id, created_by=actor, **data)
    return record_save(action, actor=actor, origin=origin, detail="you said, we did")


@transaction.atomic
def action_move(
    *, actor: User, action: Action, status: str, origin: AuditOrigin | None = None
) -> Action:
    action = Action.objects.select_for_update().get(pk=action.pk)
    action_states.move(action, status, save=False)
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    return record_save(
        action, actor=actor, action=AuditAction.UPDATE, origin=origin, detail=f"status {status}"
    )


MOST_THEMES = 5


@transaction.atomic
def answer_themes_set(
    *, actor: User, answer: Answer, themes: list[str], origin: AuditOrigin | None = None
) -> Answer:
    """Tag a free-text answer with the themes staff read in it (counted in the analysis);
    audited without the answer's key when its response is anonymous (H-181)."""
    if answer.question.kind != QuestionKind.TEXT:
        raise ValidationError({"themes": "Only free-text answers take themes"})
    cleaned = sorted({theme.strip().capitalize()[:40] for theme in themes if theme.strip()})
    if len(cleaned) > MOST_THEMES:
        raise ValidationError({"themes": f"Give at most {MOST_THEMES} themes"})
    answer.themes = cleaned
    answer.save(update_fields=["themes"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        detail=f"themes tagged on an answer to {answer.question.survey}",
        origin=origin,
    )
    return answer


def voice_viewed(*, actor: User, what: str, origin: AuditOrigin | None = None) -> None:
    audit_record(actor=actor, action=AuditAction.VIEW, detail=what, origin=origin)
