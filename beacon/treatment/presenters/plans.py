"""How recovery plans and exit plans are shown: their actions, reduction steps and reviews
as table rows, and the list of clients on OST without a reviewed exit plan."""

import datetime
from collections.abc import Iterable

from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from beacon.core.exporters import Exporter
from beacon.core.presenters import Worklist, action_link, date_uk, worklist
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanStep,
    PlanAction,
    RecoveryPlan,
    TreatmentEpisode,
)
from beacon.treatment.presenters.caseload import (
    client_link_html,
    due_on_html,
    keyworker_name,
    review_due_html,
    tag_html,
)


def truncate(text: str, length: int) -> str:
    """As Jinja's `truncate` filter: whole words, "..." when cut (a little leeway allowed)."""
    if len(text) <= length + 5:
        return text
    return text[: length - 3].rsplit(" ", 1)[0] + "..."


def mark_done_html(href: str, what: str) -> SafeString:
    return format_html(
        '<a href="{}">Mark done<span class="nhsuk-u-visually-hidden">: {}</span></a>',
        href,
        truncate(what, 40),
    )


def actions_table(
    plan: RecoveryPlan,
    actions: Iterable[PlanAction],
    *,
    today: datetime.date,
    is_current: bool,
    may_change: bool,
) -> dict:
    """The plan's actions: what, who, by when (tagged while the plan is current), done."""
    rows = []
    for action in actions:
        what = format_html("{}", action.text)
        if action.goal:
            what = format_html(
                '{}<br><span class="nhsuk-body-s">Towards: {}</span>',
                what,
                truncate(action.goal.text, 60),
            )
        if action.done_on or not is_current:
            due = format_html("{}", date_uk(action.due_date))
        else:
            due = review_due_html(action.due_date, today)
        if action.done_on:
            done = format_html("{}", date_uk(action.done_on))
        elif may_change:
            href = reverse("treatment:plan_action_done", args=[plan.pk, action.pk])
            done = mark_done_html(href, action.text)
        else:
            done = "Not yet"
        rows.append(
            [{"html": what}, {"text": action.get_owner_display()}, {"html": due}, {"html": done}]
        )
    head = ["Action", "Who does it", "Due by", "Done"]
    return {"id": "actions", "responsive": True, "head": _head(head), "rows": rows}


def steps_table(client_number: str, steps: Iterable[ExitPlanStep], *, may_change: bool) -> dict:
    """The exit plan's reduction steps: from when, what, and when done."""
    rows = []
    for step in steps:
        if step.done_on:
            done = format_html("{}", date_uk(step.done_on))
        elif may_change:
            href = reverse("treatment:exit_plan_step_done", args=[client_number, step.pk])
            done = mark_done_html(href, step.description)
        else:
            done = "Not yet"
        rows.append(
            [{"text": date_uk(step.planned_from)}, {"text": step.description}, {"html": done}]
        )
    return {
        "id": "steps",
        "responsive": True,
        "head": _head(["From", "Reduction", "Done"]),
        "rows": rows,
    }


def reviews_table(reviews: Iterable[Model]) -> dict:
    """A recovery plan's or an exit plan's reviews (both have the same fields)."""
    rows = [
        [
            {"text": date_uk(review.reviewed_on)},
            {"text": review.notes or "No notes"},
            {"text": date_uk(review.next_review_date)},
            {"text": review.reviewed_by.display_name if review.reviewed_by else ""},
        ]
        for review in reviews
    ]
    head = ["Reviewed", "What was discussed", "Next review", "By"]
    return {"id": "reviews", "responsive": True, "head": _head(head), "rows": rows}


def ost_without_exit_plan_table(episodes: Iterable[TreatmentEpisode]) -> dict:
    """Clients on OST with no exit plan, or one overdue for review, each linked to it."""
    rows = []
    for episode in episodes:
        client = episode.client
        exit_plan = getattr(episode, "exit_plan", None)
        if exit_plan:
            since = date_uk(exit_plan.next_review_date)
            status = tag_html(f"Review overdue since {since}", "red")
        else:
            status = tag_html("No exit plan", "orange")
        medicine = (episode.ost_medicine or "").capitalize()
        rows.append(
            [
                {"html": client_link_html(client)},
                {"text": client.client_number},
                {"text": keyworker_name(client)},
                {"text": f"{date_uk(episode.ost_since)} ({medicine})"},
                {
                    "html": format_html(
                        '<a href="{}">{}</a>',
                        reverse("treatment:exit_plan", args=[client.client_number]),
                        status,
                    )
                },
            ]
        )
    head = ["Client", "Client number", "Keyworker", "On OST since", "Exit plan"]
    return {"id": "ost-clients", "responsive": True, "head": _head(head), "rows": rows}


def _head(headings: list[str]) -> list[dict]:
    return [{"text": heading} for heading in headings]


EXIT_PLAN_REVIEWS_HEAD = ["Client", "Client number", "Review due"]


def exit_plan_review_rows(exit_plans: Iterable[ExitPlan], *, today: datetime.date) -> list:
    """The exit plan reviews due, each with the way to record the review."""
    return [
        [
            {"html": client_link_html(plan.client)},
            {"text": plan.client.client_number},
            {"html": due_on_html(plan.next_review_date, (plan.next_review_date - today).days)},
            action_link(
                reverse("treatment:exit_plan_review_add", args=[plan.client.client_number]),
                "Review",
                f"the exit plan of {plan.client.full_name}",
            ),
        ]
        for plan in exit_plans
    ]


def exit_plan_reviews_worklist(exit_plans: Iterable[ExitPlan], *, today: datetime.date) -> Worklist:
    """The prescriber's exit plan reviews due (their own clients first), with the full list."""
    exit_plans = list(exit_plans)
    rows = exit_plan_review_rows(exit_plans, today=today)
    return worklist(
        section_id="worklist-exit-plan-reviews",
        clients=[plan.client for plan in exit_plans],
        heading="Exit plan reviews due",
        head=EXIT_PLAN_REVIEWS_HEAD,
        rows=rows,
        empty="No exit plan review is due this week.",
        more_href=reverse("treatment:exit_plan_reviews"),
        more_text=f"See all {len(rows)} exit plan reviews due",
    )


def exit_plan_reviews_table(exit_plans: Iterable[ExitPlan], *, today: datetime.date) -> dict:
    """The full list of exit plan reviews due, the worklist's rows."""
    return {
        "id": "exit-plan-reviews",
        "responsive": True,
        "head": [*_head(EXIT_PLAN_REVIEWS_HEAD), {"visuallyHiddenText": "Action"}],
        "rows": exit_plan_review_rows(exit_plans, today=today),
    }


class ExitPlanReviewsExport(Exporter):
    """The filtered exit plan reviews due as a file."""

    filename = "exit-plan-reviews-due.csv"
    columns = ("Client number", "Surname", "First name", "Review due")

    def __init__(self, exit_plans: Iterable[ExitPlan]) -> None:
        self.exit_plans = exit_plans

    def rows(self) -> Iterable[tuple]:
        for plan in self.exit_plans:
            client = plan.client
            yield (client.client_number, client.last_name, client.first_name, plan.next_review_date)
