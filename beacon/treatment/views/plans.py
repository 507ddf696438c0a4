"""Pages for recovery plans and exit plans, and the list of clients on OST without a
reviewed exit plan.

Each page loads its record through a selector (beacon/treatment/selectors/plans.py), which
checks the treatment rule against the client; opening a page about a client is written to
the audit log.
"""

import datetime
from functools import partial

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients.models import Client
from beacon.core.audit import audit_origin
from beacon.core.forms import form_saved, form_saved_by
from beacon.core.models import User
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import Worklist, date_uk
from beacon.treatment.forms.plans import (
    ActionForm,
    DoneForm,
    ExitPlanForm,
    ExitPlanStepForm,
    GoalForm,
    RecoveryPlanForm,
    ReviewForm,
)
from beacon.treatment.models import ExitPlan
from beacon.treatment.presenters import plans as presenters
from beacon.treatment.presenters.caseload import review_due_html
from beacon.treatment.selectors import plans as selectors
from beacon.treatment.selectors.journey import episode_on_ost, open_episode, treatment_client_get
from beacon.treatment.services import plans as services
from beacon.treatment.views.caseload import due_list_csv, due_list_page
from beacon.treatment.views.journey import record_viewed

VIEW = "treatment.view_journey"
RECORD_PLAN = "treatment.record_plan"
CASELOAD = "treatment.view_caseload"
EXIT_PLAN_REVIEWS = "treatment.view_exit_plan_reviews"


def _form_page(request: HttpRequest, client: Client, form: Form, **context) -> HttpResponse:
    return render(request, "treatment/plans/form.html", {"client": client, "form": form, **context})


# Recovery plans


def _done_page(request, *, client, item, field, noun, verb, mark, back, viewed, quote, cancel):
    """Mark a goal achieved, or an action or a reduction done, on a date (once): `mark` is the
    service, given the item, which takes the date as `field`; `back` is where to go after."""
    if getattr(item, field):
        messages.info(request, f"This {noun} is already marked {verb}.")
        return back
    form = DoneForm(request.POST or None, label=f"Date {verb}")

    def save(data):
        mark(actor=request.user, origin=audit_origin(request), **{field: data["done_on"]})

    if form_saved(request, form, save):
        messages.success(request, f"{noun.capitalize()} marked {verb}.")
        return back
    record_viewed(request, client, viewed)
    return _form_page(
        request,
        client,
        form,
        title=f"Mark {services.with_article(noun)} {verb}",
        quote=quote,
        submit_text=f"Mark {verb}",
        cancel=cancel,
    )


def _plan_page(request, client, plan, *, is_current: bool) -> HttpResponse:
    earlier = selectors.client_recovery_plans(client=client)
    if plan:
        earlier = earlier.exclude(pk=plan.pk)
    episode = open_episode(client=client)
    today = timezone.localdate()
    may_write = bool(episode) and user_can(request.user, RECORD_PLAN, client)
    may_change = may_write and is_current
    context = {
        "client": client,
        "plan": plan,
        "is_current": is_current,
        "earlier": earlier,
        "episode": episode,
        "may_write": may_write,
        "may_change": may_change,
    }
    if plan:
        next_review = plan.next_review_date
        context |= {
            "next_review": review_due_html(next_review, today)
            if is_current
            else date_uk(next_review),
            "actions_table": presenters.actions_table(
                plan,
                plan.actions.all(),
                today=today,
                is_current=is_current,
                may_change=may_change,
            ),
            "reviews_table": presenters.reviews_table(plan.reviews.all()),
        }
    return render(request, "treatment/plans/plan.html", context)


@permission_required(VIEW)
def plan_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(user=request.user, client_number=client_number, permission=VIEW)
    record_viewed(request, client, "recovery plan")
    plan = selectors.current_recovery_plan(client=client)
    return _plan_page(request, client, plan, is_current=plan is not None)


@permission_required(VIEW)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    record_viewed(request, plan.client, f"recovery plan {plan.pk}")
    return _plan_page(
        request, plan.client, plan, is_current=selectors.recovery_plan_is_current(plan)
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_PLAN
    )
    episode = open_episode(client=client)
    form = RecoveryPlanForm(request.POST or None, initial={"agreed_on": timezone.localdate()})

    def save(data):
        services.recovery_plan_create(
            actor=request.user,
            episode=episode,
            data=form.plan_data(),
            goals=form.goals(),
            actions=form.actions(),
            origin=audit_origin(request),
        )

    if episode and form_saved(request, form, save):
        messages.success(request, "Recovery plan saved.")
        return redirect("treatment:plan", client_number=client.client_number)
    record_viewed(request, client, "new recovery plan form")
    return render(
        request,
        "treatment/plans/plan_form.html",
        {"client": client, "form": form, "episode": episode},
    )


def _back_to_plan(plan) -> HttpResponse:
    return redirect("treatment:plan_detail", plan_id=plan.pk)


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id, permission=RECORD_PLAN)
    return _plan_part_add(
        request, plan, GoalForm(request.POST or None), services.plan_goal_add, "goal", "a goal"
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_goal_achieved(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get(
        user=request.user, plan_id=plan_id, goal_id=goal_id, permission=RECORD_PLAN
    )
    return _plan_item_done(
        request,
        goal,
        field="achieved_on",
        noun="goal",
        verb="achieved",
        mark=partial(services.plan_goal_achieved, goal=goal),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_action_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id, permission=RECORD_PLAN)
    form = ActionForm(request.POST or None, plan=plan)
    return _plan_part_add(request, plan, form, services.plan_action_add, "action", "an action")


def _plan_part_add(request: HttpRequest, plan, form, add, noun: str, a_noun: str) -> HttpResponse:
    """The page that adds a goal or an action to a plan: the form, the service, back to the
    plan; showing the form is a read of the client's record."""

    if form_saved_by(request, form, add, plan=plan):
        messages.success(request, f"{noun.capitalize()} added.")
        return _back_to_plan(plan)
    record_viewed(request, plan.client, f"recovery plan {plan.pk}: new {noun} form")
    return _form_page(
        request,
        plan.client,
        form,
        title=f"Add {a_noun}",
        submit_text=f"Add {noun}",
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_action_done(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    action = selectors.action_get(
        user=request.user, plan_id=plan_id, action_id=action_id, permission=RECORD_PLAN
    )
    return _plan_item_done(
        request,
        action,
        field="done_on",
        noun="action",
        verb="done",
        mark=partial(services.plan_action_done, action=action),
    )


def _plan_item_done(request: HttpRequest, item, *, field, noun, verb, mark) -> HttpResponse:
    """The page that marks a goal achieved or an action done, back to its plan."""
    plan = item.plan
    return _done_page(
        request,
        client=plan.client,
        item=item,
        field=field,
        noun=noun,
        verb=verb,
        mark=mark,
        back=_back_to_plan(plan),
        viewed=f"recovery plan {plan.pk}: {noun} {item.pk}",
        quote=item.text,
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def plan_review_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id, permission=RECORD_PLAN)
    return _review_page(
        request,
        plan,
        service=services.plan_review_record,
        records={"plan": plan},
        saved="Review saved.",
        back=_back_to_plan(plan),
        viewed=f"recovery plan {plan.pk}: review form",
        title="Review the recovery plan",
        cancel=reverse("treatment:plan_detail", args=[plan.pk]),
    )


def _review_page(
    request: HttpRequest, plan, *, service, records, saved, back, viewed, title, cancel
):
    """The page that reviews a recovery plan or an exit plan: the review form, `service` for
    `records`, back to the plan with the message `saved`."""
    form = ReviewForm(request.POST or None)
    if form_saved_by(request, form, service, **records):
        messages.success(request, saved)
        return back
    record_viewed(request, plan.client, viewed)
    return _form_page(
        request,
        plan.client,
        form,
        title=title,
        intro=f"The review was due on {plan.next_review_date:%d/%m/%Y}. The next review "
        "date you give becomes the plan's.",
        submit_text="Save review",
        cancel=cancel,
    )


# Exit plans


def _exit_plan_context(client: Client) -> dict:
    episode = open_episode(client=client)
    return {
        "client": client,
        "episode": episode,
        "on_ost": bool(episode and episode_on_ost(episode)),
        "exit_plan": selectors.exit_plan_for(episode=episode),
    }


@permission_required(VIEW)
def exit_plan_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(user=request.user, client_number=client_number, permission=VIEW)
    record_viewed(request, client, "exit plan")
    context = _exit_plan_context(client)
    exit_plan = context["exit_plan"]
    may_change = bool(context["episode"]) and user_can(request.user, RECORD_PLAN, client)
    context["may_change"] = may_change
    if exit_plan:
        context |= {
            "next_review": review_due_html(exit_plan.next_review_date, timezone.localdate()),
            "steps_table": presenters.steps_table(
                client.client_number, exit_plan.steps.all(), may_change=may_change
            ),
            "reviews_table": presenters.reviews_table(exit_plan.reviews.all()),
        }
    return render(request, "treatment/plans/exit_plan.html", context)


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_PLAN
    )
    context = _exit_plan_context(client)
    if context["exit_plan"]:
        messages.info(request, f"{client.known_as} already has an exit plan: review it here.")
        return redirect("treatment:exit_plan", client_number=client.client_number)
    form = ExitPlanForm(request.POST or None, initial={"agreed_on": timezone.localdate()})

    def save(data):
        services.exit_plan_create(
            actor=request.user,
            episode=context["episode"],
            data=form.plan_data(),
            steps=form.steps(),
            origin=audit_origin(request),
        )

    if context["on_ost"] and form_saved(request, form, save):
        messages.success(request, "Exit plan saved.")
        return redirect("treatment:exit_plan", client_number=client.client_number)
    record_viewed(request, client, "new exit plan form")
    return render(request, "treatment/plans/exit_plan_form.html", {**context, "form": form})


def _exit_plan_to_change(
    request: HttpRequest, client_number: str
) -> tuple[Client, ExitPlan | None]:
    """The client, loaded for RECORD_PLAN, and the exit plan of their open episode that a
    page changes (None when there is none yet)."""
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_PLAN
    )
    return client, selectors.exit_plan_for(episode=open_episode(client=client))


def _no_exit_plan(request: HttpRequest, client: Client) -> HttpResponse:
    messages.info(request, f"{client.known_as} has no exit plan in this episode yet.")
    return redirect("treatment:exit_plan", client_number=client.client_number)


def _back_to_exit_plan(client: Client) -> HttpResponse:
    return redirect("treatment:exit_plan", client_number=client.client_number)


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_step_add(request: HttpRequest, client_number: str) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    form = ExitPlanStepForm(request.POST or None)
    if form_saved_by(request, form, services.exit_plan_step_add, exit_plan=exit_plan):
        messages.success(request, "Reduction step added.")
        return _back_to_exit_plan(client)
    record_viewed(request, client, "exit plan: new reduction step form")
    return _form_page(
        request,
        client,
        form,
        title="Add a reduction step",
        submit_text="Add step",
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_step_done(request: HttpRequest, client_number: str, step_id: int) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    step = get_object_or_404(exit_plan.steps.all(), pk=step_id)
    return _done_page(
        request,
        client=client,
        item=step,
        field="done_on",
        noun="reduction",
        verb="done",
        mark=partial(services.exit_plan_step_done, step=step),
        back=_back_to_exit_plan(client),
        viewed=f"exit plan: reduction step {step.pk}",
        quote=step.description,
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


@permission_required(RECORD_PLAN)
@require_http_methods(["GET", "POST"])
def exit_plan_review_add(request: HttpRequest, client_number: str) -> HttpResponse:
    client, exit_plan = _exit_plan_to_change(request, client_number)
    if exit_plan is None:
        return _no_exit_plan(request, client)
    return _review_page(
        request,
        exit_plan,
        service=services.exit_plan_review_record,
        records={"exit_plan": exit_plan},
        saved="Exit plan review saved.",
        back=_back_to_exit_plan(client),
        viewed="exit plan: review form",
        title="Review the exit plan",
        cancel=reverse("treatment:exit_plan", args=[client.client_number]),
    )


# Lists of what is due


@permission_required(CASELOAD)
def ost_without_exit_plan_page(request: HttpRequest) -> HttpResponse:
    return due_list_page(
        request,
        rows=partial(selectors.ost_clients_needing_exit_plan, user=request.user),
        what="OST clients needing an exit plan",
        template="treatment/plans/ost_without_exit_plan.html",
        context=lambda rows, today: {"ost_table": presenters.ost_without_exit_plan_table(rows)},
    )


@permission_required(EXIT_PLAN_REVIEWS)
def exit_plan_reviews_page(request: HttpRequest) -> HttpResponse:
    """The full list behind the prescriber's worklist section: every exit plan review due."""
    return due_list_page(
        request,
        rows=partial(selectors.exit_plan_reviews_due, user=request.user),
        what="exit plan reviews due",
        template="treatment/plans/exit_plan_reviews.html",
        context=lambda rows, today: {
            "reviews_table": presenters.exit_plan_reviews_table(rows, today=today),
            "ahead": selectors.EXIT_PLAN_REVIEW_AHEAD_DAYS,
        },
        csv_url=reverse("treatment:exit_plan_reviews_csv"),
        export_permission=EXIT_PLAN_REVIEWS,
    )


@permission_required(EXIT_PLAN_REVIEWS)
def exit_plan_reviews_csv(request: HttpRequest) -> HttpResponse:
    return due_list_csv(
        request,
        rows=lambda **kwargs: list(selectors.exit_plan_reviews_due(user=request.user, **kwargs)),
        what="exit plan reviews due",
        exporter=presenters.ExitPlanReviewsExport,
        page=exit_plan_reviews_page,
    )


def exit_plan_reviews_section(*, user: User, today: datetime.date) -> Worklist:
    """Treatment's section of the prescriber's worklist: exit plan reviews due."""
    return presenters.exit_plan_reviews_worklist(
        selectors.exit_plan_reviews_due(user=user, today=today), today=today
    )
