"""Writes to recovery plans and exit plans: create, goals, actions, reduction steps, reviews.

Each function checks dates and state before saving, raises a ValidationError naming the
field, and writes an audit entry with the client. A plan changes only while its episode
is open; a recovery plan only while it is the episode's newest.
"""

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, record_save
from beacon.core.dates import check_within_a_year
from beacon.core.models import User
from beacon.treatment import hooks
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanReview,
    ExitPlanStep,
    PlanAction,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
    TreatmentEpisode,
)
from beacon.treatment.selectors.journey import episode_on_ost
from beacon.treatment.selectors.plans import current_recovery_plans
from beacon.treatment.services.checks import check_not_before, check_not_in_future, on

PLAN_FIELDS = ["agreed_on", "next_review_date", "written_with_client"]
GOAL_FIELDS = ["text", "in_clients_words"]
ACTION_FIELDS = ["text", "owner", "due_date", "goal"]
REVIEW_FIELDS = ["reviewed_on", "notes", "next_review_date"]
# A plan is reviewed at least once a year (H-95).
REVIEW_WITHIN_A_YEAR = "Review date must be within a year"
EXIT_PLAN_FIELDS = ["agreed_on", "intended_duration_weeks", "client_view", "next_review_date"]
STEP_FIELDS = ["planned_from", "description"]
EXIT_PLAN_MAX_WEEKS = 520
M = TypeVar("M", bound=models.Model)
R = TypeVar("R", PlanReview, ExitPlanReview)


def with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _mark_done(
    item: M,
    field: str,
    when: datetime.date | None,
    *,
    noun: str,
    verb: str,
    plan_word: str,
    agreed_on: datetime.date,
    actor: User,
    client: Client,
    origin: AuditOrigin | None,
) -> M:
    """Mark a goal achieved, or an action or a reduction done, on `when`: once, not in the
    future, not before its plan was agreed."""
    if getattr(item, field):
        raise ValidationError(f"This {noun} was marked {verb} on {on(getattr(item, field))}")
    check_not_in_future(when, field, f"The date {verb}")
    check_not_before(
        when,
        agreed_on,
        field,
        f"{with_article(noun).capitalize()} cannot be {verb} before the {plan_word} was "
        f"agreed ({on(agreed_on)})",
    )
    setattr(item, field, when)
    return record_save(
        item,
        actor=actor,
        client=client,
        origin=origin,
        action=Action.UPDATE,
        detail=f"{noun} {verb} {on(when)}",
    )


def _only(data: dict, fields: list[str]) -> dict:
    return {key: value for key, value in data.items() if key in fields}


def _prefixed(exc: ValidationError, prefix: str, label: str = "") -> ValidationError:
    """A part's errors under the form's names for it (a goal's `text` is `goal_text`)."""
    if not hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}text": [f"{label}{m}" for m in exc.messages]})
    return ValidationError(
        {
            f"{prefix}{field}": [f"{label}{message}" for message in messages]
            for field, messages in exc.message_dict.items()
        }
    )


def _check_episode_open(episode: TreatmentEpisode) -> None:
    if not episode.is_open:
        raise ValidationError(
            f"This treatment episode ended on {on(episode.discharge_date)}: its plans cannot change"
        )


def _check_review(
    review: PlanReview | ExitPlanReview,
    *,
    agreed_on: datetime.date,
    last_review: PlanReview | ExitPlanReview | None,
) -> None:
    check_not_in_future(review.reviewed_on, "reviewed_on", "The review date")
    check_not_before(
        review.reviewed_on,
        agreed_on,
        "reviewed_on",
        f"The review cannot be before the plan was agreed ({on(agreed_on)})",
    )
    if last_review:
        check_not_before(
            review.reviewed_on,
            last_review.reviewed_on,
            "reviewed_on",
            f"The review cannot be before the last review ({on(last_review.reviewed_on)})",
        )
    later, earlier = review.next_review_date, review.reviewed_on
    if later and earlier and later <= earlier:
        raise ValidationError({"next_review_date": "The next review must be after this one"})
    check_within_a_year(later, earlier, field="next_review_date", message=REVIEW_WITHIN_A_YEAR)


def _review_save(
    review: R, plan: RecoveryPlan | ExitPlan, *, actor: User, origin: AuditOrigin | None
) -> R:
    """Save a review of a recovery plan or an exit plan; its next review date becomes the
    plan's."""
    _check_review(review, agreed_on=plan.agreed_on, last_review=plan.reviews.first())
    record_save(
        review,
        actor=actor,
        client=plan.client,
        origin=origin,
        detail=f"next review {on(review.next_review_date)}",
    )
    plan.next_review_date = review.next_review_date
    plan.save(update_fields=["next_review_date"])
    return review


def _lock(episode: TreatmentEpisode) -> None:
    # Two people saving at once wait for each other here, so the one-per-episode checks hold.
    TreatmentEpisode.objects.select_for_update().filter(pk=episode.pk).first()


# Recovery plans


def _check_plan_can_change(plan: RecoveryPlan) -> None:
    _check_episode_open(plan.episode)
    if not current_recovery_plans().filter(pk=plan.pk).exists():
        raise ValidationError("A newer recovery plan replaces this one: change that plan instead")


def _check_goal(goal: PlanGoal) -> None:
    goal.text = (goal.text or "").strip()
    if not goal.text:
        raise ValidationError({"text": "Write the goal"})


def _check_action(action: PlanAction, plan: RecoveryPlan) -> None:
    action.text = (action.text or "").strip()
    if not action.text:
        raise ValidationError({"text": "Write the action"})
    if action.goal_id and action.goal.plan_id != plan.pk:
        raise ValidationError({"goal": "Choose a goal of this plan"})
    check_not_before(
        action.due_date,
        plan.agreed_on,
        "due_date",
        f"An action cannot be due before the plan was agreed ({on(plan.agreed_on)})",
    )


@transaction.atomic
def recovery_plan_create(
    *,
    actor: User,
    episode: TreatmentEpisode,
    data: dict,
    goals: list[dict],
    actions: Sequence[dict] = (),
    origin: AuditOrigin | None = None,
) -> RecoveryPlan:
    """A plan for the open episode, with at least one goal; it becomes the plan in force.

    Errors about a goal or action are named `goal_<field>` and `action_<field>`.
    """
    _lock(episode)
    _check_episode_open(episode)
    client = episode.client
    plan = RecoveryPlan(
        provider_id=episode.provider_id,
        client=client,
        episode=episode,
        created_by=actor,
        **_only(data, PLAN_FIELDS),
    )
    check_not_in_future(plan.agreed_on, "agreed_on", "The date the plan was agreed")
    check_not_before(
        plan.agreed_on,
        episode.start_date,
        "agreed_on",
        f"The plan cannot be agreed before treatment started ({on(episode.start_date)})",
    )
    current = current_recovery_plans().filter(episode=episode).first()
    if current:
        check_not_before(
            plan.agreed_on,
            current.agreed_on,
            "agreed_on",
            f"A new plan cannot be agreed before the current one ({on(current.agreed_on)})",
        )
    check_not_before(
        plan.next_review_date,
        plan.agreed_on,
        "next_review_date",
        "The next review cannot be before the plan was agreed",
    )
    check_within_a_year(
        plan.next_review_date,
        plan.agreed_on,
        field="next_review_date",
        message=REVIEW_WITHIN_A_YEAR,
    )
    if not goals:
        raise ValidationError({"goal_text": "Write at least one goal: a plan needs one"})
    record_save(plan, actor=actor, client=client, origin=origin)
    for number, goal_data in enumerate(goals, start=1):
        goal = PlanGoal(provider_id=plan.provider_id, plan=plan, **_only(goal_data, GOAL_FIELDS))
        label = f"Goal {number}: " if len(goals) > 1 else ""
        try:
            _check_goal(goal)
            record_save(goal, actor=actor, client=client, origin=origin)
        except ValidationError as exc:
            raise _prefixed(exc, "goal_", label) from None
    for number, action_data in enumerate(actions, start=1):
        action = PlanAction(
            provider_id=plan.provider_id, plan=plan, **_only(action_data, ACTION_FIELDS)
        )
        label = f"Action {number}: " if len(actions) > 1 else ""
        try:
            _check_action(action, plan)
            record_save(action, actor=actor, client=client, origin=origin)
        except ValidationError as exc:
            raise _prefixed(exc, "action_", label) from None
    return plan


@transaction.atomic
def plan_goal_add(
    *, actor: User, plan: RecoveryPlan, data: dict, origin: AuditOrigin | None = None
) -> PlanGoal:
    _check_plan_can_change(plan)
    goal = PlanGoal(provider_id=plan.provider_id, plan=plan, **_only(data, GOAL_FIELDS))
    _check_goal(goal)
    return record_save(goal, actor=actor, client=plan.client, origin=origin)


@transaction.atomic
def plan_goal_achieved(
    *, actor: User, goal: PlanGoal, achieved_on: datetime.date, origin: AuditOrigin | None = None
) -> PlanGoal:
    plan = goal.plan
    _check_plan_can_change(plan)
    return _mark_done(
        goal,
        "achieved_on",
        achieved_on,
        noun="goal",
        verb="achieved",
        plan_word="plan",
        agreed_on=plan.agreed_on,
        actor=actor,
        client=plan.client,
        origin=origin,
    )


@transaction.atomic
def plan_action_add(
    *, actor: User, plan: RecoveryPlan, data: dict, origin: AuditOrigin | None = None
) -> PlanAction:
    _check_plan_can_change(plan)
    action = PlanAction(provider_id=plan.provider_id, plan=plan, **_only(data, ACTION_FIELDS))
    _check_action(action, plan)
    return record_save(action, actor=actor, client=plan.client, origin=origin)


@transaction.atomic
def plan_action_done(
    *, actor: User, action: PlanAction, done_on: datetime.date, origin: AuditOrigin | None = None
) -> PlanAction:
    plan = action.plan
    _check_plan_can_change(plan)
    return _mark_done(
        action,
        "done_on",
        done_on,
        noun="action",
        verb="done",
        plan_word="plan",
        agreed_on=plan.agreed_on,
        actor=actor,
        client=plan.client,
        origin=origin,
    )


@transaction.atomic
def plan_review_record(
    *, actor: User, plan: RecoveryPlan, data: dict, origin: AuditOrigin | None = None
) -> PlanReview:
    """A review of the plan; its next review date becomes the plan's."""
    _check_plan_can_change(plan)
    review = PlanReview(
        provider_id=plan.provider_id, plan=plan, reviewed_by=actor, **_only(data, REVIEW_FIELDS)
    )
    return _review_save(review, plan, actor=actor, origin=origin)


# Exit plans


def _check_exit_plan_can_change(exit_plan: ExitPlan) -> None:
    _check_episode_open(exit_plan.episode)


def _check_step(step: ExitPlanStep, exit_plan: ExitPlan) -> None:
    step.description = (step.description or "").strip()
    if not step.description:
        raise ValidationError({"description": "Describe the reduction"})
    check_not_before(
        step.planned_from,
        exit_plan.agreed_on,
        "planned_from",
        f"A reduction cannot be planned before the exit plan was agreed "
        f"({on(exit_plan.agreed_on)})",
    )


@transaction.atomic
def exit_plan_create(
    *,
    actor: User,
    episode: TreatmentEpisode,
    data: dict,
    steps: Sequence[dict] = (),
    origin: AuditOrigin | None = None,
) -> ExitPlan:
    """How OST will end, for a client on it; one per episode. Step errors are `step_<field>`."""
    _lock(episode)
    _check_episode_open(episode)
    client = episode.client
    if not episode_on_ost(episode):
        raise ValidationError(
            f"{client.known_as} is not on opioid substitution therapy: an exit plan is only "
            "for clients on OST"
        )
    if ExitPlan.objects.filter(episode=episode).exists():
        raise ValidationError(
            f"{client.known_as} already has an exit plan for this episode: review it instead"
        )
    exit_plan = ExitPlan(
        provider_id=episode.provider_id,
        client=client,
        episode=episode,
        created_by=actor,
        **_only(data, EXIT_PLAN_FIELDS),
    )
    check_not_in_future(exit_plan.agreed_on, "agreed_on", "The date the plan was agreed")
    check_not_before(
        exit_plan.agreed_on,
        episode.start_date,
        "agreed_on",
        f"The exit plan cannot be agreed before treatment started ({on(episode.start_date)})",
    )
    check_not_before(
        exit_plan.next_review_date,
        exit_plan.agreed_on,
        "next_review_date",
        "The next review cannot be before the plan was agreed",
    )
    check_within_a_year(
        exit_plan.next_review_date,
        exit_plan.agreed_on,
        field="next_review_date",
        message=REVIEW_WITHIN_A_YEAR,
    )
    weeks = exit_plan.intended_duration_weeks
    if weeks is None or not 1 <= weeks <= EXIT_PLAN_MAX_WEEKS:
        raise ValidationError(
            {"intended_duration_weeks": f"Enter a number of weeks from 1 to {EXIT_PLAN_MAX_WEEKS}"}
        )
    record_save(exit_plan, actor=actor, client=client, origin=origin)
    for number, step_data in enumerate(steps, start=1):
        step = ExitPlanStep(
            provider_id=exit_plan.provider_id, exit_plan=exit_plan, **_only(step_data, STEP_FIELDS)
        )
        try:
            _check_step(step, exit_plan)
            record_save(step, actor=actor, client=client, origin=origin)
        except ValidationError as exc:
            raise _prefixed(exc, "step_", f"Step {number}: " if len(steps) > 1 else "") from None
    # Coming off OST lowers tolerance: the exit plan is a moment to offer naloxone.
    hooks.overdose_risk_told(client=client, moment="exit_plan", on=timezone.localdate())
    return exit_plan


@transaction.atomic
def exit_plan_step_add(
    *, actor: User, exit_plan: ExitPlan, data: dict, origin: AuditOrigin | None = None
) -> ExitPlanStep:
    _check_exit_plan_can_change(exit_plan)
    step = ExitPlanStep(
        provider_id=exit_plan.provider_id, exit_plan=exit_plan, **_only(data, STEP_FIELDS)
    )
    _check_step(step, exit_plan)
    return record_save(step, actor=actor, client=exit_plan.client, origin=origin)


@transaction.atomic
def exit_plan_step_done(
    *, actor: User, step: ExitPlanStep, done_on: datetime.date, origin: AuditOrigin | None = None
) -> ExitPlanStep:
    exit_plan = step.exit_plan
    _check_exit_plan_can_change(exit_plan)
    return _mark_done(
        step,
        "done_on",
        done_on,
        noun="reduction",
        verb="done",
        plan_word="exit plan",
        agreed_on=exit_plan.agreed_on,
        actor=actor,
        client=exit_plan.client,
        origin=origin,
    )


@transaction.atomic
def exit_plan_review_record(
    *, actor: User, exit_plan: ExitPlan, data: dict, origin: AuditOrigin | None = None
) -> ExitPlanReview:
    """A review of the exit plan; its next review date becomes the plan's."""
    _check_exit_plan_can_change(exit_plan)
    review = ExitPlanReview(
        provider_id=exit_plan.provider_id,
        exit_plan=exit_plan,
        reviewed_by=actor,
        **_only(data, REVIEW_FIELDS),
    )
    return _review_save(review, exit_plan, actor=actor, origin=origin)
