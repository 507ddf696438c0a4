"""Recovery plan and exit plan endpoints of the JSON API (conventions: api/journey.py).

Plans belong to the client's open episode; prescribers write them too (ending substitute
medication is a clinical decision), so they take treatment.record_plan.
"""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beacon.core.api import api_write, role_gate
from beacon.core.audit import audit_origin
from beacon.core.schemas import INVALID, REFUSED
from beacon.treatment.api.journey import record_read
from beacon.treatment.models import ExitPlan, RecoveryPlan
from beacon.treatment.schemas.plans import (
    ExitPlanIn,
    ExitPlanOut,
    PlanReviewIn,
    PlanReviewOut,
    RecoveryPlanIn,
    RecoveryPlanOut,
)
from beacon.treatment.selectors import plans as plan_selectors
from beacon.treatment.selectors.journey import open_episode_required, treatment_client_get
from beacon.treatment.selectors.plans import exit_plan_get, plan_get
from beacon.treatment.services import plans as plan_services

router = Router(tags=["treatment"])

RECORD_PLAN = "treatment.record_plan"


Plan = TypeVar("Plan", RecoveryPlan, ExitPlan)


def _plan_written(
    request: HttpRequest,
    client_number: str,
    payload: Schema,
    create: Callable[..., Plan],
    *parts: str,
) -> Plan:
    """A new plan for the open episode of the client (loaded for RECORD_PLAN): `create` (the
    service) is given the payload's fields as `data`, but for its `parts` (goals and actions,
    or steps), each given on its own."""
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_PLAN
    )
    data = payload.model_dump()
    lists = {part: data.pop(part) for part in parts}
    return create(
        actor=request.user,
        episode=open_episode_required(client=client),
        data=data,
        origin=audit_origin(request),
        **lists,
    )


# Recovery plans --------------------------------------------------------------------------


@router.get(
    "/clients/{str:client_number}/plans",
    response={200: list[RecoveryPlanOut], **REFUSED},
    summary="List a client's recovery plans, newest first, with goals, actions and reviews",
    operation_id="beacon_treatment_api_recovery_plan_list",
)
def recovery_plan_list(request: HttpRequest, client_number: str) -> list[RecoveryPlan]:
    client = treatment_client_get(user=request.user, client_number=client_number)
    plans = list(plan_selectors.client_recovery_plans(client=client))
    return record_read(request, plans, client=client, what="recovery plans")


@router.post(
    "/clients/{str:client_number}/plans",
    response={201: RecoveryPlanOut, **INVALID},
    summary="Write a recovery plan for the client's open episode",
    operation_id="beacon_treatment_api_recovery_plan_create",
    auth=role_gate(RECORD_PLAN),
)
def recovery_plan_create(request: HttpRequest, client_number: str, payload: RecoveryPlanIn):
    plan = _plan_written(
        request, client_number, payload, plan_services.recovery_plan_create, "goals", "actions"
    )
    return Status(201, plan_get(user=request.user, plan_id=plan.pk))


@router.get(
    "/plans/{int:plan_id}",
    response={200: RecoveryPlanOut, **REFUSED},
    summary="Read a recovery plan",
    operation_id="beacon_treatment_api_recovery_plan_read",
)
def recovery_plan_read(request: HttpRequest, plan_id: int) -> RecoveryPlan:
    plan = plan_get(user=request.user, plan_id=plan_id)
    return record_read(request, plan, client=plan.client, what=f"recovery plan {plan.pk}")


@router.post(
    "/plans/{int:plan_id}/reviews",
    response={201: PlanReviewOut, **INVALID},
    summary="Record a review of a recovery plan; its next review date becomes the plan's",
    operation_id="beacon_treatment_api_recovery_plan_review_create",
    auth=role_gate(RECORD_PLAN),
)
def recovery_plan_review_create(request: HttpRequest, plan_id: int, payload: PlanReviewIn):
    plan = plan_get(user=request.user, plan_id=plan_id, permission=RECORD_PLAN)
    review = api_write(request, plan_services.plan_review_record, payload, plan=plan)
    return Status(201, review)


# Exit plans ------------------------------------------------------------------------------
# The exit plan is that of the client's open episode: one per episode, for clients on OST.


@router.get(
    "/clients/{str:client_number}/exit-plan",
    response={200: ExitPlanOut, **REFUSED},
    summary="Read the exit plan of the client's open episode",
    operation_id="beacon_treatment_api_exit_plan_read",
)
def exit_plan_read(request: HttpRequest, client_number: str) -> ExitPlan:
    exit_plan = exit_plan_get(user=request.user, client_number=client_number)
    return record_read(
        request, exit_plan, client=exit_plan.client, what=f"exit plan {exit_plan.pk}"
    )


@router.post(
    "/clients/{str:client_number}/exit-plan",
    response={201: ExitPlanOut, **INVALID},
    summary="Agree an exit plan from opioid substitution for the client's open episode",
    operation_id="beacon_treatment_api_exit_plan_create",
    auth=role_gate(RECORD_PLAN),
)
def exit_plan_create(request: HttpRequest, client_number: str, payload: ExitPlanIn):
    exit_plan = _plan_written(
        request, client_number, payload, plan_services.exit_plan_create, "steps"
    )
    return Status(201, exit_plan)


@router.post(
    "/clients/{str:client_number}/exit-plan/reviews",
    response={201: PlanReviewOut, **INVALID},
    summary="Record a review of the exit plan; its next review date becomes the plan's",
    operation_id="beacon_treatment_api_exit_plan_review_create",
    auth=role_gate(RECORD_PLAN),
)
def exit_plan_review_create(request: HttpRequest, client_number: str, payload: PlanReviewIn):
    exit_plan = exit_plan_get(
        user=request.user, client_number=client_number, permission=RECORD_PLAN
    )
    review = api_write(request, plan_services.exit_plan_review_record, payload, exit_plan=exit_plan)
    return Status(201, review)
