"""The driver's run sheet, built for a phone, and the coordinator's hand-over and returns.

A driver (`delivery.drive_round`) sees only their own round of today: stops in order with
client name, address, access notes, parcel number and time window; no dose, medicine or
diagnosis, no other day, no other driver (selectors/runsheet.py loads everything through the
driver's own shift; anything else is a 404). They confirm the parcels handed to them,
then record each stop as delivered or not delivered. The coordinator
(`delivery.keep_register`) hands a round's parcels over, holds a parcel back and takes
undelivered parcels back, from the delivery day page. Writes go through
services/runsheet.py, which audits them; reading the run sheet is audited per client.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from beacon.clients.hooks import SummaryRow
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import (
    form_saved,
    form_saved_by,
    offline_recorded_at,
    service_errors_onto,
)
from beacon.core.permissions import permission_required, user_can
from beacon.delivery.forms.runsheet import DeliveredForm, HoldBackForm, NotDeliveredForm
from beacon.delivery.models import DeliveryStop
from beacon.delivery.presenters import runsheet as presenters
from beacon.delivery.selectors import planning
from beacon.delivery.selectors import runsheet as selectors
from beacon.delivery.services import runsheet as services
from beacon.delivery.views.planning import day_page, hand_over_forms
from beacon.prescribing import selectors as prescribing_selectors
from beacon.prescribing.rules import VIEW as VIEW_PRESCRIPTION

DRIVE = "delivery.drive_round"
KEEP = "delivery.keep_register"


@permission_required(DRIVE)
@require_http_methods(["GET"])
def my_round(request: HttpRequest) -> HttpResponse:
    today = selectors.delivery_today()
    delivery_round = selectors.driver_round(user=request.user, date=today)
    stops = list(selectors.driver_stops(delivery_round=delivery_round)) if delivery_round else []
    services.run_sheet_read_record(
        actor=request.user, stops=stops, date=today, origin=audit_origin(request)
    )
    return render(
        request,
        "delivery/runsheet/round.html",
        {
            "today": today,
            "round": delivery_round,
            "stops": stops,
            "progress": selectors.round_progress(stops),
            "handed": [s for s in stops if s.handed_over_entry_id],
        },
    )


def _stop_viewed(request: HttpRequest, stop: DeliveryStop, what: str) -> None:
    """Audit a page showing one stop (`what` it is), with its client."""
    audit_request(
        request,
        action=Action.VIEW,
        obj=stop,
        client=stop.client,
        detail=f"{what}, parcel {stop.parcel_number}",
    )


def _stop_page(
    request: HttpRequest,
    stop: DeliveryStop,
    *,
    delivered_form: DeliveredForm | None = None,
    missed_form: NotDeliveredForm | None = None,
    status: int = 200,
) -> HttpResponse:
    _stop_viewed(request, stop, "run sheet stop")
    return render(
        request,
        "delivery/runsheet/stop.html",
        {
            "stop": stop,
            "details": getattr(stop.client, "delivery_details", None),
            "confirmed": stop.round.receipt_confirmed_parcels
            == selectors.handed_over_count(stop.round),
            "delivered_form": delivered_form or DeliveredForm(prefix="delivered"),
            "missed_form": missed_form or NotDeliveredForm(prefix="missed"),
        },
        status=status,
    )


@permission_required(DRIVE)
@require_http_methods(["GET"])
def my_stop(request: HttpRequest, stop_id: int) -> HttpResponse:
    return _stop_page(request, selectors.driver_stop_get(user=request.user, stop_id=stop_id))


# What each outcome form records: (form, its prefix, the service, the message after it).
OUTCOMES = {
    "delivered": (
        DeliveredForm,
        "delivered",
        services.stop_delivered,
        "Parcel {parcel} recorded as delivered.",
    ),
    "not_delivered": (
        NotDeliveredForm,
        "missed",
        services.stop_not_delivered,
        "Parcel {parcel} recorded as not delivered. Bring it back to the base; the "
        "keyworker and prescriber have been alerted.",
    ),
}


def _record_outcome(request: HttpRequest, stop_id: int, outcome: str) -> HttpResponse:
    form_class, prefix, service, done = OUTCOMES[outcome]
    stop = selectors.driver_stop_get(user=request.user, stop_id=stop_id)
    form = form_class(request.POST, prefix=prefix)

    recorded = {}

    def save(data):
        # Sent from the phone's outbox: when the driver recorded it at the door (H-283).
        data = {**data, "recorded_at": offline_recorded_at(request.POST)}
        recorded["stop"] = service(
            actor=request.user, stop=stop, data=data, origin=audit_origin(request)
        )

    if form_saved(request, form, save):
        if recorded["stop"].status == DeliveryStop.Status.HELD_BACK:
            messages.warning(request, services.DO_NOT_DELIVER)
        else:
            messages.success(request, done.format(parcel=stop.parcel_number))
        return redirect("delivery:my_round")
    # Sent back with its errors as every form is: 200, the form and what was typed.
    return _stop_page(request, stop, **{f"{prefix}_form": form})


@permission_required(DRIVE)
@require_http_methods(["POST"])
def stop_delivered(request: HttpRequest, stop_id: int) -> HttpResponse:
    return _record_outcome(request, stop_id, "delivered")


@permission_required(DRIVE)
@require_http_methods(["POST"])
def stop_not_delivered(request: HttpRequest, stop_id: int) -> HttpResponse:
    return _record_outcome(request, stop_id, "not_delivered")


@permission_required(DRIVE)
@require_http_methods(["POST"])
def my_round_confirm(request: HttpRequest) -> HttpResponse:
    today = selectors.delivery_today()
    delivery_round = selectors.driver_round(user=request.user, date=today)
    if delivery_round is None:
        raise Http404("You have no round today")
    try:
        count = services.round_receipt_confirm(
            actor=request.user,
            delivery_round=delivery_round,
            data={"parcels": request.POST.getlist("parcel")},
            origin=audit_origin(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"You confirmed you have {count} parcels.")
    return redirect("delivery:my_round")


@permission_required(KEEP)
@require_http_methods(["POST"])
def round_hand_over(request: HttpRequest, round_id: int) -> HttpResponse:
    """The ticked parcels handed to the driver; refused, the day page again with the
    errors next to the boxes (the ticks kept), nothing recorded."""
    delivery_round = planning.round_get(user=request.user, round_id=round_id)
    day = delivery_round.date
    plan = planning.day_plan(provider=request.provider, date=day)
    forms = hand_over_forms(plan, sent=(delivery_round.pk, request.POST))
    form = forms.get(delivery_round.pk)
    if form is None:
        messages.error(request, "Every parcel of this round is already handed over.")
        return redirect("delivery:day", day=day.isoformat())
    if form.is_valid():
        try:
            result = services.round_hand_over(
                actor=request.user,
                delivery_round=delivery_round,
                data=form.cleaned_data,
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            count = len(result["handed"])
            text = f"{count} parcel{'s' if count != 1 else ''} recorded as handed to the driver."
            for held in result["held_back"]:
                text += f" Parcel {held['parcel_number']} held back: {held['reason']}."
            messages.success(request, text)
            return redirect("delivery:day", day=day.isoformat())
    return day_page(request, day, plan=plan, sent_hand_over=forms)


@permission_required(KEEP)
@require_http_methods(["POST"])
def stop_returned(request: HttpRequest, stop_id: int) -> HttpResponse:
    stop = planning.stop_get(user=request.user, stop_id=stop_id)
    try:
        services.stop_returned(actor=request.user, stop=stop, origin=audit_origin(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Parcel {stop.parcel_number} recorded back in the cabinet.")
    return redirect("delivery:day", day=stop.date.isoformat())


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def stop_hold_back(request: HttpRequest, stop_id: int) -> HttpResponse:
    stop = planning.stop_get(user=request.user, stop_id=stop_id)
    form = HoldBackForm(request.POST if request.method == "POST" else None)
    if form_saved_by(request, form, services.stop_hold_back, stop=stop):
        messages.success(request, f"Parcel {stop.parcel_number} held back; staff alerted.")
        return redirect("delivery:day", day=stop.date.isoformat())
    _stop_viewed(request, stop, "hold back form")
    return render(
        request,
        "delivery/runsheet/hold_back.html",
        {"stop": stop, "form": form},
    )


# What delivery adds to lower apps' pages ---------------------------------------------------


def client_summary_rows(
    client, user, *, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """The client page's summary line for today's home delivery (registered in
    `beacon/clients/hooks.py`): for a user who may read the client's prescriptions, since
    it says how today's dose went."""
    if not user_can(user, VIEW_PRESCRIPTION, client):
        return []
    stops = selectors.client_stops_on(client=client, day=today)
    if not stops:
        return []
    blocked = prescribing_selectors.supply_blocked_ids(
        prescription_ids={stop.instalment.prescription_id for stop in stops}, today=today
    )
    several = len({stop.instalment.prescription_id for stop in stops}) > 1
    return [
        presenters.todays_delivery_row(
            stop,
            supply_blocked=stop.instalment.prescription_id in blocked,
            name_medicine=several,
        )
        for stop in stops
    ]
