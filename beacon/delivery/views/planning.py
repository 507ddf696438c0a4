"""Pages of delivery planning: a date picker, and a day's plan (per driver, the stops in
order; the unassigned stops with their reason; "Plan this day"; moving a stop).

All need `delivery.plan_rounds` (managers), checked before anything is loaded; records
load through request.provider; writes go through services/planning.py, which audits them.
Viewing a day's plan is audited. The day page also draws the rounds on a Leaflet map
(data from presenters/planning.day_map, drawn by static/delivery/round-map.js).
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import json_script
from django.views.decorators.http import require_http_methods

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import service_errors_onto
from beacon.core.models import TextPurpose
from beacon.core.notify import texts_off_reason
from beacon.core.permissions import permission_required, user_can
from beacon.delivery.forms.planning import MoveStopForm, PlanDayForm
from beacon.delivery.forms.runsheet import HandOverForm
from beacon.delivery.models import DeliveryStop
from beacon.delivery.presenters import planning as presenters
from beacon.delivery.routing import DeliveryInputError
from beacon.delivery.selectors import planning as selectors
from beacon.delivery.selectors.runsheet import delivery_today
from beacon.delivery.services import planning as services
from beacon.delivery.services.planning import HANDED_OVER

PLAN = "delivery.plan_rounds"


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date") from None


@permission_required(PLAN)
@require_http_methods(["GET"])
def day_picker(request: HttpRequest) -> HttpResponse:
    form = PlanDayForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("delivery:day", day=form.cleaned_data["date"].isoformat())
    return render(request, "delivery/planning/picker.html", {"form": form})


def hand_over_forms(plan: dict, sent: tuple[int, dict] | None = None) -> dict[int, HandOverForm]:
    """Per round, the form ticking its parcels still in the cabinet (rounds with none have
    no form); `sent`, a round's id and the POST its hand-over sent, binds that one."""
    forms = {}
    for entry in plan["rounds"]:
        waiting = [
            stop
            for stop in entry["stops"]
            if stop.status == DeliveryStop.Status.PLANNED and stop.handed_over_entry_id is None
        ]
        if waiting:
            round_id = entry["round"].pk
            forms[round_id] = HandOverForm(
                sent[1] if sent is not None and sent[0] == round_id else None,
                prefix=f"round-{round_id}",
                stops=waiting,
                driver_name=entry["round"].shift.driver.display_name,
                contents=presenters.parcel_contents_text,
            )
    return forms


def day_page(
    request: HttpRequest,
    day: datetime.date,
    move_form: MoveStopForm | None = None,
    plan: dict | None = None,
    sent_hand_over: dict[int, HandOverForm] | None = None,
) -> HttpResponse:
    """The day page; `sent_hand_over`, the hand-over forms with the one sent back with its
    errors (from views/runsheet.round_hand_over)."""
    plan = plan or selectors.day_plan(provider=request.provider, date=day)
    audit_request(request, action=Action.VIEW, detail=f"delivery plan for {day:%Y-%m-%d}")
    can_keep_register = user_can(request.user, "delivery.keep_register")
    return render(
        request,
        "delivery/planning/day.html",
        {
            "day": day,
            "plan": plan,
            "move_form": move_form or MoveStopForm(plan=plan),
            "round_head": presenters.ROUND_HEAD,
            "round_rows": {
                entry["round"].pk: presenters.round_stop_rows(entry["stops"])
                for entry in plan["rounds"]
            },
            "unassigned_head": presenters.UNASSIGNED_HEAD,
            "unassigned_rows": presenters.unassigned_rows(plan["unassigned"]),
            "round_map_data": json_script(
                presenters.day_map(
                    plan=plan, depot_name=selectors.depot_name(provider=request.provider)
                ),
                "round-map-data",
            ),
            "map_tile_url": settings.BEACON_MAP_TILE_URL,
            "today": delivery_today(),
            "can_keep_register": can_keep_register,
            "hand_over_forms": sent_hand_over
            if sent_hand_over is not None
            else hand_over_forms(plan)
            if can_keep_register and day == delivery_today()
            else {},
            "window_texts_off": texts_off_reason(TextPurpose.DELIVERY_WINDOW),
            # No "Plan this day" button that cannot work: the reason instead.
            "cannot_plan": HANDED_OVER
            if selectors.day_is_handed_over(provider=request.provider, date=day)
            else "",
        },
    )


@permission_required(PLAN)
@require_http_methods(["GET"])
def day_view(request: HttpRequest, day: str) -> HttpResponse:
    return day_page(request, parse_day(day))


@permission_required(PLAN)
@require_http_methods(["POST"])
def day_plan(request: HttpRequest, day: str) -> HttpResponse:
    date = parse_day(day)
    try:
        summary = services.delivery_day_plan(
            actor=request.user, date=date, origin=audit_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, f"The day could not be planned. {' '.join(exc.messages)}")
    except DeliveryInputError as exc:
        messages.error(request, f"The day could not be planned: {exc}")
    else:
        messages.success(
            request,
            f"Planned {summary['rounds']} rounds with {summary['stops']} stops; "
            f"{summary['unassigned']} unassigned.",
        )
    return redirect("delivery:day", day=date.isoformat())


@permission_required(PLAN)
@require_http_methods(["POST"])
def stop_move(request: HttpRequest, day: str) -> HttpResponse:
    date = parse_day(day)
    plan = selectors.day_plan(provider=request.provider, date=date)
    form = MoveStopForm(request.POST, plan=plan)
    if form.is_valid():
        stop = selectors.stop_get(
            user=request.user, stop_id=form.cleaned_data["stop"], permission=PLAN
        )
        to_round = selectors.round_get(
            user=request.user, round_id=form.cleaned_data["round"], permission=PLAN
        )
        try:
            services.delivery_stop_move(
                actor=request.user, stop=stop, to_round=to_round, origin=audit_origin(request)
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Parcel {stop.parcel_number} moved.")
            return redirect("delivery:day", day=date.isoformat())
    return day_page(request, date, move_form=form)
