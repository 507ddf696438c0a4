"""Planning endpoints of the JSON API, under /api/v1/delivery/: a day's rounds and stops
(services/planning.py plans them). No dose, medicine or diagnosis leaves through these."""

from django.http import HttpRequest
from ninja import Router

from beacon.core.api import role_gate
from beacon.core.audit import audit_origin
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED, IsoDate
from beacon.delivery.api.register import viewed
from beacon.delivery.presenters.planning import day_plan_data
from beacon.delivery.schemas.planning import DayPlanOut
from beacon.delivery.selectors import planning as selectors
from beacon.delivery.services import planning as services

router = Router(tags=["delivery"])

PLAN = "delivery.plan_rounds"


@router.get(
    "/days/{day}",
    response={200: DayPlanOut, **REFUSED},
    summary="A day's delivery rounds (stops in order) and unassigned stops",
)
def day_plan_get(request: HttpRequest, day: IsoDate):
    ensure_can(request.user, PLAN)
    viewed(request, f"delivery plan for {day:%Y-%m-%d}")
    return day_plan_data(selectors.day_plan(provider=request.provider, date=day), day)


@router.post(
    "/days/{day}/plan",
    response={200: DayPlanOut, **INVALID},
    summary="Plan (or re-plan, replacing the earlier plan) a day's delivery rounds",
    auth=role_gate(PLAN),
)
def day_plan_post(request: HttpRequest, day: IsoDate, seconds: float = 2.0):
    ensure_can(request.user, PLAN)
    services.delivery_day_plan(
        actor=request.user,
        date=day,
        seconds=max(0.1, min(seconds, 30.0)),
        origin=audit_origin(request),
    )
    return day_plan_data(selectors.day_plan(provider=request.provider, date=day), day)
