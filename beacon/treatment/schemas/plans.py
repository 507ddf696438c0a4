"""Shapes of the recovery plan and exit plan API (conventions: schemas/journey.py)."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool, StringConstraints, conint

from beacon.core.schemas import Input, IsoDate, choice
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanReview,
    ExitPlanStep,
    PlanAction,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
)
from beacon.treatment.schemas.journey import Notes
from beacon.treatment.selectors.plans import recovery_plan_is_current

# Recovery plans and exit plans ------------------------------------------------------------

GoalText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
ActionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
StepText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
WeeksOnOst = conint(strict=True, ge=1, le=520)


class GoalIn(Input):
    text: GoalText
    # No default: whether a goal is in the client's own words is what someone heard.
    in_clients_words: StrictBool = Field(description="Whether the goal is in the client's words")


class ActionIn(Input):
    text: ActionText
    owner: choice(PlanAction.Owner)
    due_date: IsoDate


class RecoveryPlanIn(Input):
    """A plan for the client's open episode; it becomes the plan in force."""

    agreed_on: IsoDate
    next_review_date: IsoDate
    # No default: a plan is recorded as written with the client only when someone says so.
    written_with_client: StrictBool = Field(description="Whether the client wrote it with you")
    goals: list[GoalIn] = Field(min_length=1, description="At least one, in the client's words")
    actions: list[ActionIn] = []


class PlanReviewIn(Input):
    reviewed_on: IsoDate
    next_review_date: IsoDate
    notes: Notes = ""


class PlanReviewOut(Schema):
    id: int
    reviewed_on: datetime.date
    notes: str
    next_review_date: datetime.date
    reviewed_by: str | None

    @staticmethod
    def resolve_reviewed_by(review: PlanReview | ExitPlanReview) -> str | None:
        return review.reviewed_by.username if review.reviewed_by_id else None


class GoalOut(Schema):
    id: int
    text: str
    in_clients_words: bool
    achieved_on: datetime.date | None


class ActionOut(Schema):
    id: int
    text: str
    owner: choice(PlanAction.Owner)
    due_date: datetime.date
    done_on: datetime.date | None
    goal_id: int | None


class RecoveryPlanOut(Schema):
    id: int
    client_number: str
    episode_id: int
    agreed_on: datetime.date
    written_with_client: bool
    next_review_date: datetime.date
    current: bool = Field(description="The plan in force: the newest of an open episode")
    created_by: str | None
    created_at: datetime.datetime
    goals: list[GoalOut]
    actions: list[ActionOut]
    reviews: list[PlanReviewOut]

    @staticmethod
    def resolve_client_number(plan: RecoveryPlan) -> str:
        return plan.client.client_number

    @staticmethod
    def resolve_current(plan: RecoveryPlan) -> bool:
        return recovery_plan_is_current(plan)

    @staticmethod
    def resolve_created_by(plan: RecoveryPlan) -> str | None:
        return plan.created_by.username if plan.created_by_id else None

    @staticmethod
    def resolve_goals(plan: RecoveryPlan) -> list[PlanGoal]:
        return list(plan.goals.all())

    @staticmethod
    def resolve_actions(plan: RecoveryPlan) -> list[PlanAction]:
        return list(plan.actions.all())

    @staticmethod
    def resolve_reviews(plan: RecoveryPlan) -> list[PlanReview]:
        return list(plan.reviews.all())


class StepIn(Input):
    planned_from: IsoDate
    description: StepText = Field(description="For example: reduce methadone to 40 mg daily")


class ExitPlanIn(Input):
    """How opioid substitution will end, for the client's open episode."""

    agreed_on: IsoDate
    intended_duration_weeks: WeeksOnOst
    client_view: Notes = Field("", description="What the client wants, in their own words")
    next_review_date: IsoDate
    steps: list[StepIn] = []


class StepOut(Schema):
    id: int
    planned_from: datetime.date
    description: str
    done_on: datetime.date | None


class ExitPlanOut(Schema):
    id: int
    episode_id: int
    agreed_on: datetime.date
    intended_duration_weeks: int
    client_view: str
    next_review_date: datetime.date
    created_by: str | None
    steps: list[StepOut]
    reviews: list[PlanReviewOut]

    @staticmethod
    def resolve_created_by(exit_plan: ExitPlan) -> str | None:
        return exit_plan.created_by.username if exit_plan.created_by_id else None

    @staticmethod
    def resolve_steps(exit_plan: ExitPlan) -> list[ExitPlanStep]:
        return list(exit_plan.steps.all())

    @staticmethod
    def resolve_reviews(exit_plan: ExitPlan) -> list[ExitPlanReview]:
        return list(exit_plan.reviews.all())
