"""Reads of service-user voice: surveys a user may see, the record loaders, a kiosk or a
link from its token, and the analysis (per question; cross-tabs suppressed below 5)."""

import datetime
import statistics
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.models import Provider, Site, User
from beacon.core.permissions import ensure_can, user_can
from beacon.delivery.models import DeliveryStop
from beacon.treatment.codes import ModalityType, SubstanceGroup
from beacon.voice.models import (
    SCALE_TOP,
    Action,
    ActionStatus,
    Answer,
    Event,
    KioskSession,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyLink,
    SurveyStatus,
)
from beacon.voice.rules import STAFF
from beacon.voice.services import YES_NO, token_hash

# A cross-tab cell of fewer responses than this shows no figures (H-183).
SMALLEST_CELL = 5


def surveys_of(*, provider_id: int | None) -> QuerySet[Survey]:
    """The service's own surveys and the ones Beacon ships, every version."""
    return (
        Survey.objects.filter(Q(provider_id=provider_id) | Q(provider__isnull=True))
        .prefetch_related("questions")
        .order_by("title", "key", "-version")
    )


def surveys_current(*, provider_id: int | None) -> list[Survey]:
    """The newest version of each survey: a service's own version of a shipped key hides
    the shipped one."""
    newest: dict[str, Survey] = {}
    for survey in surveys_of(provider_id=provider_id):
        best = newest.get(survey.key)
        if best is None or (survey.provider_id or 0, survey.version) > (
            best.provider_id or 0,
            best.version,
        ):
            newest[survey.key] = survey
    return sorted(newest.values(), key=lambda survey: survey.title)


def survey_current(*, provider_id: int, key: str) -> Survey | None:
    """The newest published version of the survey `key` for the provider (its own, else
    the one Beacon ships), or None."""
    for survey in surveys_current(provider_id=provider_id):
        if survey.key == key and survey.status == SurveyStatus.PUBLISHED:
            return survey
    return None


# A client is asked about home delivery once a first week of it is behind them; if the
# morning's run is missed, up to a week later, never months after (a service turning the
# feature on does not text every client it ever delivered to).
FEEDBACK_AFTER_DAYS = 7
FEEDBACK_LATEST_DAYS = 14


def clients_due_delivery_feedback(*, provider: Provider, today: datetime.date) -> QuerySet[Client]:
    """Clients whose first home delivery was made 7 to 14 days before `today`."""
    first_deliveries = (
        DeliveryStop.objects.filter(provider=provider, status=DeliveryStop.Status.DELIVERED)
        .values("client_id")
        .annotate(first=Min("date"))
        .filter(
            first__lte=today - datetime.timedelta(days=FEEDBACK_AFTER_DAYS),
            first__gte=today - datetime.timedelta(days=FEEDBACK_LATEST_DAYS),
        )
        .values("client_id")
    )
    return Client.objects.filter(provider=provider, pk__in=first_deliveries).order_by("pk")


def survey_get(*, user: User, survey_id: int, permission: str = "voice.view_surveys") -> Survey:
    survey = surveys_of(provider_id=user.provider_id).filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such survey")
    ensure_can(user, permission)
    return survey


def kiosk_from_token(raw: str | None) -> KioskSession | None:
    """The open kiosk whose token the device holds, or None."""
    if not raw:
        return None
    return (
        KioskSession.objects.filter(token_hash=token_hash(raw), ended_at__isnull=True)
        .select_related("survey", "site")
        .first()
    )


def kiosks_open(*, provider_id: int) -> QuerySet[KioskSession]:
    return KioskSession.objects.filter(
        provider_id=provider_id, ended_at__isnull=True
    ).select_related("survey", "site", "started_by")


def kiosk_get(*, user: User, kiosk_id: int) -> KioskSession:
    kiosk = kiosks_open(provider_id=user.provider_id).filter(pk=kiosk_id).first()
    if kiosk is None:
        raise Http404("No such kiosk")
    ensure_can(user, "voice.manage_surveys", kiosk)
    return kiosk


def link_from_token(raw: str) -> SurveyLink | None:
    """The link of a token, while it is unused and not expired; None otherwise."""
    return (
        SurveyLink.objects.filter(
            token_hash=token_hash(raw), used=False, expires_on__gte=timezone.localdate()
        )
        .select_related("survey", "client")
        .first()
    )


def sites_of(*, provider: Provider) -> QuerySet[Site]:
    return provider.sites.order_by("name")


def survey_responses(
    *,
    survey: Survey,
    provider_id: int,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> QuerySet[Response]:
    """The service's responses to one survey version, from `first` to `last` when given.
    Newest day first; within a day by the random key, so no order of answering shows."""
    responses = Response.objects.filter(provider_id=provider_id, survey=survey)
    if first is not None:
        responses = responses.filter(date__gte=first)
    if last is not None:
        responses = responses.filter(date__lte=last)
    return (
        responses.select_related("site", "client", "interviewer")
        .prefetch_related("answers")
        .order_by("-date", "id")
    )


def responses_for_export(
    *, user: User, survey: Survey, first: datetime.date | None, last: datetime.date | None
) -> QuerySet[Response]:
    """The responses `user` may download (H-190): a manager every one of the service's
    (anonymous ones without identifiers: presenters.ResponsesExport); a keyworker only
    the identified responses of clients whose record they may open, never an anonymous
    one (its free text, read by the staff it speaks of, could give the person away)."""
    responses = survey_responses(
        survey=survey, provider_id=user.provider_id, first=first, last=last
    )
    if user_can(user, "voice.export_responses"):
        return responses
    ensure_can(user, "voice.export_identified_responses")
    return responses.filter(client__isnull=False, client__in=clients_visible_to(user))


# Analysis ---------------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass
class ScaleFigures:
    count: int
    distribution: list[int]  # how many scored 0, 1, … 10
    mean: Decimal | None
    median: Decimal | None
    percent_ten: Decimal | None
    percent_eight_or_more: Decimal | None


def scale_figures(numbers: list[int]) -> ScaleFigures:
    """The figures of a 0 to 10 question (H-182): % 10 and % 8 or more of those who
    answered it, rounded half up to a whole percent."""
    count = len(numbers)
    distribution = [numbers.count(score) for score in range(SCALE_TOP + 1)]
    if not count:
        return ScaleFigures(0, distribution, None, None, None, None)
    mean = (Decimal(sum(numbers)) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    median = Decimal(str(statistics.median(numbers))).quantize(Decimal("0.1"))
    return ScaleFigures(
        count=count,
        distribution=distribution,
        mean=mean,
        median=median,
        percent_ten=percent(numbers.count(SCALE_TOP), count),
        percent_eight_or_more=percent(sum(1 for n in numbers if n >= 8), count),
    )


@dataclass
class QuestionFigures:
    question: Question
    answered: int
    scale: ScaleFigures | None = None
    choices: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)


def _answers_by_question(responses: list[Response]) -> dict[int, list[Answer]]:
    found: dict[int, list[Answer]] = {}
    for response in responses:
        for answer in response.answers.all():
            found.setdefault(answer.question_id, []).append(answer)
    return found


def question_figures(question: Question, answers: list[Answer]) -> QuestionFigures:
    figures = QuestionFigures(question=question, answered=len(answers))
    if question.kind == QuestionKind.SCALE:
        figures.scale = scale_figures([a.number for a in answers if a.number is not None])
    elif question.kind == QuestionKind.TEXT:
        figures.texts = [answer.text for answer in answers]
        counted: dict[str, int] = {}
        for answer in answers:
            for theme in answer.themes:
                counted[theme] = counted.get(theme, 0) + 1
        figures.themes = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    else:
        options = question.choices or YES_NO
        for option in options:
            chosen = sum(1 for answer in answers if option in answer.chosen)
            figures.choices.append((option, chosen, percent(chosen, len(answers))))
    return figures


# How a count is hidden from a reader who may not see small numbers (H-282).
SMALL = "small"  # 1 to 4
GIVES_AWAY = "gives_away"  # 5 or more, hidden so that a small one cannot be worked out


def is_small(count: int) -> bool:
    """A count from 1 to 4: it could identify a person (0 cannot)."""
    return 0 < count < SMALLEST_CELL


@dataclass(frozen=True)
class AnswerCount:
    label: str  # the score, the option or the theme
    count: int
    hidden: str = ""  # "" when shown; else SMALL or GIVES_AWAY

    @property
    def shown(self) -> bool:
        return not self.hidden


@dataclass(frozen=True)
class QuestionCounts:
    """A question's counts as one reader sees them: how many answered, each answer's count,
    and which of the scale's percentages would give a hidden count back."""

    answered_hidden: bool
    counts: list[AnswerCount]
    suppressed: bool = False  # for a reader who may not see small numbers
    percent_ten_shown: bool = True
    percent_eight_or_more_shown: bool = True


def counts_hidden(counts: list[int], *, add_up: bool) -> list[str]:
    """Which of a question's answer counts a reader who may not see small numbers does not
    see (H-282): each count from 1 to 4 is SMALL; when the counts add up to the answers shown
    (a score, one choice, yes or no) and that leaves one alone hidden, the smallest other
    count above 0 is hidden too (GIVES_AWAY), as `cross_tab` does, else the answers less the
    counts shown would give the small one back."""
    hidden = [SMALL if is_small(count) else "" for count in counts]
    if add_up and hidden.count(SMALL) == 1:
        others = [index for index, count in enumerate(counts) if count and not hidden[index]]
        if others:
            hidden[min(others, key=lambda index: (counts[index], index))] = GIVES_AWAY
    return hidden


def question_counts(figures: QuestionFigures, *, suppress: bool) -> QuestionCounts:
    """Each answer's count of a question (each score 0 to 10, each option, each tagged
    theme), hidden as `counts_hidden` says when `suppress`; the percentages scoring 10 and 8
    or more are not shown when a count they are made of is hidden (they would give it
    back). Themes do not add up to the answers (an answer has several, or none)."""
    if figures.scale is not None:
        labelled = [(str(score), n) for score, n in enumerate(figures.scale.distribution)]
    elif figures.question.kind == QuestionKind.TEXT:
        labelled = list(figures.themes)
    else:
        labelled = [(option, count) for option, count, _share in figures.choices]
    if not suppress:
        return QuestionCounts(
            answered_hidden=False, counts=[AnswerCount(label, n) for label, n in labelled]
        )
    add_up = figures.question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.YES_NO)
    hidden = counts_hidden([n for _label, n in labelled], add_up=add_up)
    counts = [AnswerCount(label, n, why) for (label, n), why in zip(labelled, hidden, strict=True)]
    if figures.scale is None:
        return QuestionCounts(
            answered_hidden=is_small(figures.answered), counts=counts, suppressed=True
        )
    return QuestionCounts(
        answered_hidden=is_small(figures.answered),
        counts=counts,
        suppressed=True,
        percent_ten_shown=not hidden[SCALE_TOP],
        percent_eight_or_more_shown=not any(hidden[8:]),
    )


def survey_figures(*, survey: Survey, responses: list[Response]) -> list[QuestionFigures]:
    by_question = _answers_by_question(responses)
    return [
        question_figures(question, by_question.get(question.pk, []))
        for question in survey.questions.all()
    ]


@dataclass
class CrossTabCell:
    group: str
    count: int
    figures: ScaleFigures | None  # None when suppressed (fewer than SMALLEST_CELL)
    # Suppressed though it has SMALLEST_CELL or more: else the one small cell's count and
    # scores would be the whole question's less the others.
    hides_another: bool = False
    # False when the share would give a count of 1 to 4 away (`cross_tab_suppressed`).
    percent_ten_shown: bool = True
    percent_eight_or_more_shown: bool = True


CROSS_TABS = {
    "site": "Site",
    "modality": "Modality",
    "substance_group": "Substance group",
}
NOT_KNOWN = "Not known (anonymous or not in treatment)"


def _group_of(response: Response, by: str) -> str:
    if by == "site":
        return response.site.name if response.site else "No site"
    if by == "modality":
        return ModalityType(response.modality).label if response.modality else NOT_KNOWN
    if response.substance_group:
        return SubstanceGroup(response.substance_group).label
    return NOT_KNOWN


def cross_tab(*, question: Question, responses: list[Response], by: str) -> list[CrossTabCell]:
    """A scale question's figures per group (`by`: site, modality or substance group); a
    group of fewer than 5 answers shows its count as "fewer than 5" and no figures. When
    that leaves one group alone suppressed, the smallest other group is suppressed too
    (secondary suppression): the question's figures for everyone are on the same page, so
    one hidden group would be the whole less the groups shown."""
    groups: dict[str, list[int]] = {}
    for response in responses:
        for answer in response.answers.all():
            if answer.question_id == question.pk and answer.number is not None:
                groups.setdefault(_group_of(response, by), []).append(answer.number)
    cells = [
        CrossTabCell(
            group=group,
            count=len(numbers),
            figures=scale_figures(numbers) if len(numbers) >= SMALLEST_CELL else None,
        )
        for group, numbers in sorted(groups.items())
    ]
    suppressed = [cell for cell in cells if cell.figures is None]
    shown = [cell for cell in cells if cell.figures is not None]
    if len(suppressed) == 1 and shown:
        smallest = min(shown, key=lambda cell: (cell.count, cell.group))
        smallest.figures, smallest.hides_another = None, True
    return cells


def _percents_hidden(cells: list[CrossTabCell], numerators: list[int], whole: bool) -> list[bool]:
    """Which shown cells' share of one measure is hidden: all when the question's own is
    (the cells' counts of it add up to the question's); else a cell whose count of it, or
    of the rest, is 1 to 4, and when that leaves one alone, the next smallest above 0."""
    if not whole:
        return [True] * len(cells)
    hidden = [
        is_small(n) or is_small(cell.count - n) for cell, n in zip(cells, numerators, strict=True)
    ]
    others = [index for index, _n in enumerate(numerators) if not hidden[index]]
    if hidden.count(True) == 1 and others:
        # The smallest above 0 if there is one (a hidden 0 hides less), else a 0.
        second = min(others, key=lambda index: (not numerators[index], numerators[index], index))
        hidden[second] = True
    return hidden


def cross_tab_suppressed(
    cells: list[CrossTabCell], *, counts: QuestionCounts
) -> list[CrossTabCell]:
    """A cross-tab as a reader who may not see small numbers sees it (H-282): a cell's %
    scoring 10 (or 8 or more) is not shown when the question's is not, or when it would
    give a count of 1 to 4 away in the cell (scoring it, or not), with the next smallest
    hidden too when one is alone; otherwise the cells' counts would give back what
    `question_counts` hid."""
    shown = [cell for cell in cells if cell.figures is not None]
    ten = _percents_hidden(
        shown, [cell.figures.distribution[SCALE_TOP] for cell in shown], counts.percent_ten_shown
    )
    eight = _percents_hidden(
        shown,
        [sum(cell.figures.distribution[8:]) for cell in shown],
        counts.percent_eight_or_more_shown,
    )
    hidden = {id(cell): (t, e) for cell, t, e in zip(shown, ten, eight, strict=True)}
    result = []
    for cell in cells:
        t, e = hidden.get(id(cell), (False, False))
        result.append(replace(cell, percent_ten_shown=not t, percent_eight_or_more_shown=not e))
    return result


def text_answers(*, survey: Survey, provider_id: int) -> QuerySet[Answer]:
    """The free-text answers of a survey version that say something, for tagging themes."""
    return (
        Answer.objects.filter(
            response__provider_id=provider_id,
            response__survey=survey,
            question__kind=QuestionKind.TEXT,
        )
        .exclude(text="")
        .select_related("question", "question__survey")
        .order_by("question__order", "text")
    )


def text_answer_get(*, user: User, survey: Survey, answer_id: str) -> Answer:
    ensure_can(user, "voice.tag_themes")
    answer = text_answers(survey=survey, provider_id=user.provider_id).filter(pk=answer_id).first()
    if answer is None:
        raise Http404("No such answer")
    return answer


# Events and actions -----------------------------------------------------------------------


def events_of(*, provider_id: int) -> QuerySet[Event]:
    return Event.objects.filter(provider_id=provider_id).select_related("recorded_by")


def event_get(*, user: User, event_id: int, permission: str = "voice.view_events") -> Event:
    event = events_of(provider_id=user.provider_id).filter(pk=event_id).first()
    if event is None:
        raise Http404("No such event")
    ensure_can(user, permission, event)
    return event


def actions_of(*, provider_id: int) -> QuerySet[Action]:
    return Action.objects.filter(provider_id=provider_id).select_related("owner", "event", "survey")


def action_get(*, user: User, action_id: int, permission: str = "voice.view_actions") -> Action:
    action = actions_of(provider_id=user.provider_id).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    ensure_can(user, permission, action)
    return action


def actions_overdue(*, provider_id: int, today: datetime.date) -> QuerySet[Action]:
    """Actions not done by their due date: due before today."""
    return (
        actions_of(provider_id=provider_id)
        .exclude(status=ActionStatus.DONE)
        .filter(due_on__lt=today)
    )


def actions_completed(*, provider_id: int) -> QuerySet[Action]:
    return (
        actions_of(provider_id=provider_id)
        .filter(status=ActionStatus.DONE)
        .order_by("-completed_on")
    )


def staff_of(*, provider: Provider) -> QuerySet[User]:
    """Who may own a "you said, we did": the service's own voice staff (keyworkers,
    prescribers, nurses, managers), never drivers, pharmacists or partner staff."""
    return provider.users.filter(
        is_active=True, role__in=STAFF, partner_organisation__isnull=True
    ).order_by("first_name")


# The consultation report ------------------------------------------------------------------


def report_period(
    *,
    survey: Survey,
    provider_id: int,
    first: datetime.date | None,
    last: datetime.date | None,
    today: datetime.date,
) -> tuple[datetime.date, datetime.date]:
    """The report's period: as asked, else from the version's first answer (or its
    publication, if earlier or unanswered) to today."""
    if first is None:
        earliest = (
            Response.objects.filter(provider_id=provider_id, survey=survey)
            .aggregate(first=Min("date"))
            .get("first")
        )
        starts = [day for day in (earliest, survey.published_on) if day is not None]
        first = min(starts) if starts else today
    last = last or today
    return first, max(first, last)


@dataclass
class ReportQuestion:
    figures: QuestionFigures
    # False when fewer than SMALLEST_CELL answered in the period: nothing but that is shown.
    shown: bool
    cross_tabs: list[tuple[str, list[CrossTabCell]]] = field(default_factory=list)


@dataclass
class ConsultationReport:
    survey: Survey
    first: datetime.date
    last: datetime.date
    count: int
    questions: list[ReportQuestion]
    events: list[Event]
    actions: list[Action]

    @property
    def shown(self) -> bool:
        """False when the period has fewer than SMALLEST_CELL responses: no figures."""
        return self.count >= SMALLEST_CELL


def consultation_report(
    *, survey: Survey, provider_id: int, first: datetime.date, last: datetime.date
) -> ConsultationReport:
    """What the printable consultation report shows (H-191), the same for every reader (it
    is made to be shared): the period's responses to the version and each question's
    figures, except a question fewer than 5 answered, which shows only that; cross-tabs
    as on the analysis (H-183); the events held in the period (their themes, never their
    notes: H-187); and the actions that came from those events or from the survey."""
    responses = list(
        survey_responses(survey=survey, provider_id=provider_id, first=first, last=last)
    )
    questions = []
    for figures in survey_figures(survey=survey, responses=responses):
        shown = figures.answered >= SMALLEST_CELL
        item = ReportQuestion(figures=figures, shown=shown)
        if shown and figures.scale is not None:
            item.cross_tabs = [
                (label, cross_tab(question=figures.question, responses=responses, by=by))
                for by, label in CROSS_TABS.items()
            ]
        questions.append(item)
    events = list(
        events_of(provider_id=provider_id)
        .filter(date__gte=first, date__lte=last)
        .order_by("date", "id")
    )
    family = Q(survey__key=survey.key) & (
        Q(survey__provider_id=provider_id) | Q(survey__provider__isnull=True)
    )
    actions = list(
        actions_of(provider_id=provider_id)
        .filter(family | Q(event__in=[event.pk for event in events]))
        .order_by("due_on", "id")
    )
    return ConsultationReport(
        survey=survey,
        first=first,
        last=last,
        count=len(responses),
        questions=questions,
        events=events,
        actions=actions,
    )
