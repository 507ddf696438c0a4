"""How surveys, figures, events and actions are shown: table rows for the NHS.UK table
macro, figures as text, and the CSV of responses (anonymous ones without identifiers)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from beacon.core.exporters import Exporter
from beacon.core.presenters import date_uk
from beacon.voice.models import Action, ActionStatus, Event, QuestionKind, Response, Survey
from beacon.voice.selectors import (
    SMALL,
    SMALLEST_CELL,
    AnswerCount,
    ConsultationReport,
    CrossTabCell,
    QuestionCounts,
    QuestionFigures,
    ReportQuestion,
    cross_tab_suppressed,
    is_small,
    percent,
    question_counts,
)

SUPPRESSED = f"fewer than {SMALLEST_CELL}"
HIDES_ANOTHER = "not shown, so that a smaller group cannot be worked out"
# An answer's count hidden because it would give a smaller one away (H-282).
GIVES_AWAY = "not shown, so that a smaller count cannot be worked out"
NOT_SHOWN = "Not shown"


def percent_text(value: Decimal | None) -> str:
    return "No answers" if value is None else f"{value}%"


def number_text(value: Decimal | None) -> str:
    return "No answers" if value is None else str(value)


SURVEY_HEAD = [{"text": "Survey"}, {"text": "Version"}, {"text": "Status"}, {"text": "Questions"}]


def survey_rows(surveys: Iterable[Survey]) -> list[list[dict]]:
    return [
        [
            {"html": f'<a href="{reverse("voice:survey", args=[s.pk])}">{_escape(s.title)}</a>'},
            {"text": str(s.version)},
            {"text": s.get_status_display()},
            {"text": str(len(s.questions.all()))},
        ]
        for s in surveys
    ]


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def answered_text(count: int, *, suppress: bool) -> str:
    """How many answered: 1 to 4 as "fewer than 5" for a reader who may not see small
    numbers (H-282)."""
    return SUPPRESSED if suppress and is_small(count) else str(count)


def answer_count_text(each: AnswerCount) -> str:
    """An answer's count as the reader may see it (H-282)."""
    if not each.hidden:
        return str(each.count)
    return SUPPRESSED if each.hidden == SMALL else GIVES_AWAY


def answer_share_text(each: AnswerCount, whole: int) -> str:
    """An answer's share of those who answered; not shown when its count is hidden, as the
    share of a known whole would give the count back."""
    return percent_text(percent(each.count, whole)) if each.shown else NOT_SHOWN


def scale_rows(figures: QuestionFigures, counts: QuestionCounts) -> list[list[dict]]:
    scale = figures.scale
    assert scale is not None
    suppress = counts.answered_hidden
    ten = percent_text(scale.percent_ten) if counts.percent_ten_shown else NOT_SHOWN
    eight = (
        percent_text(scale.percent_eight_or_more)
        if counts.percent_eight_or_more_shown
        else NOT_SHOWN
    )
    return [
        [{"text": "Answers"}, {"text": answered_text(scale.count, suppress=suppress)}],
        [{"text": "Mean"}, {"text": number_text(scale.mean)}],
        [{"text": "Median"}, {"text": number_text(scale.median)}],
        [{"text": "Scoring 10"}, {"text": ten}],
        [{"text": "Scoring 8 or more"}, {"text": eight}],
    ]


def distribution_rows(counts: QuestionCounts) -> list[list[dict]]:
    return [[{"text": each.label}, {"text": answer_count_text(each)}] for each in counts.counts]


def choice_rows(figures: QuestionFigures, counts: QuestionCounts) -> list[list[dict]]:
    return [
        [
            {"text": each.label},
            {"text": answer_count_text(each)},
            {"text": answer_share_text(each, figures.answered)},
        ]
        for each in counts.counts
    ]


def theme_items(counts: QuestionCounts) -> list[str]:
    return [f"{each.label}: {answer_count_text(each)}" for each in counts.counts]


CROSS_TAB_HEAD = [
    {"text": "Group"},
    {"text": "Answers"},
    {"text": "Mean"},
    {"text": "Scoring 10"},
    {"text": "Scoring 8 or more"},
]


def cross_tab_rows(cells: Sequence[CrossTabCell]) -> list[list[dict]]:
    rows = []
    for cell in cells:
        if cell.figures is None:
            count = HIDES_ANOTHER if cell.hides_another else SUPPRESSED
            rows.append([{"text": cell.group}, {"text": count}, *[{"text": "Not shown"}] * 3])
        else:
            rows.append(
                [
                    {"text": cell.group},
                    {"text": str(cell.count)},
                    {"text": number_text(cell.figures.mean)},
                    {
                        "text": percent_text(cell.figures.percent_ten)
                        if cell.percent_ten_shown
                        else NOT_SHOWN
                    },
                    {
                        "text": percent_text(cell.figures.percent_eight_or_more)
                        if cell.percent_eight_or_more_shown
                        else NOT_SHOWN
                    },
                ]
            )
    return rows


def cross_tab_tables(
    cross_tabs: list[tuple[str, list[CrossTabCell]]], counts: QuestionCounts
) -> list[dict]:
    """A scale question's cross-tabs, a table each; for a reader who may not see small
    numbers, without the shares that would give a hidden count back (H-282)."""
    return [
        {
            "title": f"By {label.lower()}",
            "table": {
                "head": CROSS_TAB_HEAD,
                "rows": cross_tab_rows(
                    cross_tab_suppressed(cells, counts=counts) if counts.suppressed else cells
                ),
            },
        }
        for label, cells in cross_tabs
    ]


def analysis_section(
    item: QuestionFigures,
    *,
    counts: QuestionCounts,
    cross_tabs: list[tuple[str, list[CrossTabCell]]],
) -> dict:
    """One question of the analysis page: how many answered, and its tables (the scale's
    figures, scores given and cross-tabs; the choices; the themes) with the counts the
    reader may see (H-282). Fewer than 5 answered, a reader who may not see small numbers
    sees only that (as on the consultation report, H-191)."""
    section: dict[str, Any] = {
        "figures": item,
        "answered_text": answered_text(item.answered, suppress=counts.answered_hidden),
        "shown": not counts.answered_hidden,
    }
    if counts.answered_hidden:
        return section
    if item.scale is not None:
        section["summary"] = {
            "head": [{"text": "Figure"}, {"text": "Value"}],
            "rows": scale_rows(item, counts),
        }
        section["distribution"] = {
            "head": [{"text": "Score"}, {"text": "Answers"}],
            "rows": distribution_rows(counts),
        }
        section["cross_tabs"] = cross_tab_tables(cross_tabs, counts)
    elif item.choices:
        section["choices"] = {
            "head": [{"text": "Answer"}, {"text": "Answers"}, {"text": "Share"}],
            "rows": choice_rows(item, counts),
        }
    else:
        section["themes"] = theme_items(counts)
    return section


EVENT_HEAD = [{"text": "Date"}, {"text": "Event"}, {"text": "Place"}, {"text": "Took part"}]


def event_rows(events: Iterable[Event]) -> list[list[dict]]:
    return [
        [
            {"text": date_uk(event.date)},
            {
                "html": f'<a href="{reverse("voice:event", args=[event.pk])}">'
                f"{_escape(event.get_kind_display())}: {_escape(event.title)}</a>"
            },
            {"text": event.place},
            {"text": str(event.taking_part)},
        ]
        for event in events
    ]


def event_summary(event: Event, *, with_notes: bool) -> list[dict]:
    """The event's rows; its notes only for staff (`voice.view_event_notes`)."""

    def row(key: str, value: str) -> dict:
        return {"key": {"text": key}, "value": {"text": value or "None recorded"}}

    rows = [
        row("Kind", event.get_kind_display()),
        row("Date", date_uk(event.date)),
        row("Place", event.place),
        row("Facilitated by", event.facilitated_by),
        row(
            "Took part",
            f"{event.clients} clients, {event.family} family, {event.providers} provider "
            f"staff, {event.commissioners} commissioners",
        ),
        row("Consent to notes", "Yes" if event.consent else "No"),
        row("Themes raised", event.themes),
    ]
    if with_notes:
        rows.insert(-1, row("Notes", event.notes))
    return rows


ACTION_HEAD = [
    {"text": "You said"},
    {"text": "We will"},
    {"text": "Owner"},
    {"text": "Due"},
    {"text": "Status"},
]


def action_status_text(action: Action, *, today: datetime.date) -> str:
    """Where an action stands, in the pages' and the report's tables: done on its date, or
    its status, overdue once its due date has passed."""
    status = action.get_status_display()
    if action.status == ActionStatus.DONE and action.completed_on:
        return f"Done {date_uk(action.completed_on)}"
    if action.due_on < today:
        return f"{status}, overdue"
    return status


def action_rows(actions: Iterable[Action], *, today: datetime.date) -> list[list[dict]]:
    rows = []
    for action in actions:
        status = action_status_text(action, today=today)
        rows.append(
            [
                {
                    "html": f'<a href="{reverse("voice:action", args=[action.pk])}">'
                    f"{_escape(action.you_said)}</a>"
                },
                {"text": action.we_did},
                {"text": action.owner.display_name},
                {"text": date_uk(action.due_on)},
                {"text": status},
            ]
        )
    return rows


class EventsExport(Exporter):
    """The focus groups and events: who took part by role and the themes raised, never the
    notes (H-187)."""

    filename = "events.csv"
    sheet = "Events"
    columns = (
        "Date",
        "Kind",
        "Title",
        "Place",
        "Facilitated by",
        "Clients",
        "Family members",
        "Provider staff",
        "Commissioners",
        "Themes raised",
    )

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = events

    def rows(self) -> Iterable[Sequence[Any]]:
        for event in self.events:
            yield (
                event.date,
                event.get_kind_display(),
                event.title,
                event.place,
                event.facilitated_by,
                event.clients,
                event.family,
                event.providers,
                event.commissioners,
                event.themes,
            )


class ActionsExport(Exporter):
    """ "You said, we did": each action with its owner, due date and status."""

    filename = "you-said-we-did.csv"
    sheet = "Actions"
    columns = ("You said", "We will (or we did)", "Owner", "Due", "Status", "Completed on")

    def __init__(self, actions: Iterable[Action], *, today: datetime.date) -> None:
        self.actions, self.today = actions, today

    def rows(self) -> Iterable[Sequence[Any]]:
        for action in self.actions:
            status = action.get_status_display()
            if action.status != ActionStatus.DONE and action.due_on < self.today:
                status = f"{status}, overdue"
            yield (
                action.you_said,
                action.we_did,
                action.owner.display_name,
                action.due_on,
                status,
                action.completed_on,
            )


def _answer_value(answer) -> Any:
    if answer.number is not None:
        return answer.number
    if answer.chosen:
        return "; ".join(answer.chosen)
    return answer.text


def question_heading(question) -> str:
    return f"{question.order}. {question.text}"


class ResponsesExport(Exporter):
    """One row per response, one column per question (H-190). A response is numbered in
    date order, and within a day by its random key (never by when it was given); anonymous
    responses carry no client number, no interviewer, no key and no link (H-181);
    identified ones the client number."""

    sheet = "Responses"

    def __init__(self, survey: Survey, responses: Iterable[Response]) -> None:
        self.survey = survey
        self.responses = responses
        self.questions = list(survey.questions.all())
        self.columns = (
            "response",
            "date",
            "mode",
            "site",
            "client_number",
            *(question_heading(question) for question in self.questions),
        )
        self.filename = f"{survey.key}-v{survey.version}-responses.csv"

    def rows(self) -> Iterable[Sequence[Any]]:
        ordered = sorted(self.responses, key=lambda response: (response.date, str(response.pk)))
        for number, response in enumerate(ordered, 1):
            answers = {answer.question_id: answer for answer in response.answers.all()}
            yield (
                number,
                response.date,
                response.get_mode_display(),
                response.site.name if response.site else None,
                response.client.client_number if response.client else None,
                *(
                    _answer_value(answers[question.pk]) if question.pk in answers else None
                    for question in self.questions
                ),
            )


# The consultation report ------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_FOOT = 480, 150, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


def bar_text(each: AnswerCount) -> str:
    """The figure above a bar, short enough for it: a hidden count as "<5" or "hidden"."""
    if each.shown:
        return str(each.count)
    return "<5" if each.hidden == SMALL else "hidden"


def bars(counts: Sequence[AnswerCount]) -> list[Bar]:
    """The PDF's chart of a question (it has no script): one bar an answer, scaled to the
    tallest shown, each with its count above and its answer below (cut to 12 characters);
    a hidden count has no bar, only "<5" or "hidden" (H-282)."""
    tallest = max((each.count for each in counts if each.shown), default=0) or 1
    slot = CHART_WIDTH / max(len(counts), 1)
    top = 14
    plot = CHART_HEIGHT - CHART_FOOT - top
    drawn = []
    for index, each in enumerate(counts):
        height = plot * each.count / tallest if each.shown else 0
        value_text = bar_text(each)
        label = each.label
        drawn.append(
            Bar(
                x=round(index * slot + slot * 0.15, 1),
                y=round(top + plot - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label if len(label) <= 12 else label[:11] + "…",
                value_text=value_text,
            )
        )
    return drawn


def _first_heading(item: ReportQuestion) -> str:
    """The first column's heading of a question's chart and table."""
    if item.figures.scale is not None:
        return "Score"
    return "Theme" if item.figures.question.kind == QuestionKind.TEXT else "Answer"


def _count_cell(each: AnswerCount) -> dict:
    """A count in the chart's table; only a shown one carries its number for the chart."""
    cell: dict[str, Any] = {"text": answer_count_text(each), "format": "numeric"}
    if each.shown:
        cell["attributes"] = {"data-value": each.count}
    return cell


def report_question(item: ReportQuestion) -> dict:
    """One question of the report: its chart's table (each count carrying its number for
    the chart that reads it), the scale's figures and cross-tabs, and the PDF's bars. A
    question fewer than 5 answered in the period shows none of it (H-191)."""
    question = item.figures.question
    shown: dict[str, Any] = {
        "question": question,
        "answered": item.figures.answered,
        "answered_text": (
            str(item.figures.answered) if item.shown or not item.figures.answered else SUPPRESSED
        ),
        "shown": item.shown,
        "table_id": f"report-question-{question.pk}",
    }
    if not item.shown:
        return shown
    # The report is made to be shared: its counts are suppressed for every reader (H-282).
    counts = question_counts(item.figures, suppress=True)
    whole = item.figures.answered
    shown["table"] = {
        "id": shown["table_id"],
        "head": [
            {"text": _first_heading(item)},
            {"text": "Answers", "format": "numeric"},
            {"text": "Share", "format": "numeric"},
        ],
        "rows": [
            [
                {"text": each.label},
                _count_cell(each),
                {"text": answer_share_text(each, whole), "format": "numeric"},
            ]
            for each in counts.counts
        ],
    }
    shown["bars"] = bars(counts.counts)
    if item.figures.scale is not None:
        shown["summary"] = {
            "head": [{"text": "Figure"}, {"text": "Value", "format": "numeric"}],
            "rows": scale_rows(item.figures, counts),
        }
        shown["cross_tabs"] = cross_tab_tables(item.cross_tabs, counts)
    if question.kind == QuestionKind.TEXT and not counts.counts:
        shown["no_themes"] = True
    return shown


def count_text(count: int) -> str:
    """A count the report shows: 1 to 4 as "fewer than 5" (H-191)."""
    if 0 < count < SMALLEST_CELL:
        return SUPPRESSED
    return str(count)


REPORT_EVENT_HEAD = [
    {"text": "Date"},
    {"text": "Event"},
    {"text": "Took part"},
    {"text": "Themes raised"},
]


def report_event_rows(events: Iterable[Event]) -> list[list[dict]]:
    """The period's events with their themes, never their notes (H-187)."""
    return [
        [
            {"text": date_uk(event.date)},
            {"text": f"{event.get_kind_display()}: {event.title}, {event.place}"},
            {
                "text": f"{event.taking_part}: {event.clients} clients, {event.family} family, "
                f"{event.providers} provider staff, {event.commissioners} commissioners"
            },
            {"text": event.themes or "None recorded"},
        ]
        for event in events
    ]


REPORT_ACTION_HEAD = [
    {"text": "You said"},
    {"text": "We will (or we did)"},
    {"text": "From"},
    {"text": "Due"},
    {"text": "Status"},
]


def report_action_rows(actions: Iterable[Action], *, today: datetime.date) -> list[list[dict]]:
    """Plain text (the report is printed): what people said, what the service does, where
    it came from, and where it stands."""
    rows = []
    for action in actions:
        status = action_status_text(action, today=today)
        source = (
            action.event.title if action.event else (action.survey.title if action.survey else "")
        )
        rows.append(
            [
                {"text": action.you_said},
                {"text": action.we_did},
                {"text": source},
                {"text": date_uk(action.due_on)},
                {"text": status},
            ]
        )
    return rows


def report_context(report: ConsultationReport, *, today: datetime.date) -> dict:
    return {
        "report": report,
        "count_text": count_text(report.count),
        "questions": [report_question(item) for item in report.questions] if report.shown else [],
        "events": {"head": REPORT_EVENT_HEAD, "rows": report_event_rows(report.events)},
        "actions": {
            "head": REPORT_ACTION_HEAD,
            "rows": report_action_rows(report.actions, today=today),
        },
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "chart_foot": CHART_FOOT,
        "smallest": SMALLEST_CELL,
    }
