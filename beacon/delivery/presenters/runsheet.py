"""How a run sheet is shown: a stop as the driver's API answers it (held back is said only
as "do not deliver", never why), a parcel as the coordinator follows it, and today's
delivery on the client page."""

from django.utils import timezone
from django.utils.html import format_html

from beacon.clients.hooks import SummaryRow
from beacon.clients.presenters import tag_html
from beacon.delivery.models import DeliveryStop
from beacon.delivery.presenters.planning import stop_times_data


def run_sheet_stop_data(stop: DeliveryStop) -> dict:
    """A stop as the driver's run sheet API answers it."""
    details = getattr(stop.client, "delivery_details", None)
    return {
        **stop_times_data(stop),
        "client_name": stop.client.full_name,
        "address_line_1": details.address_line_1 if details else "",
        "address_line_2": details.address_line_2 if details else "",
        "town": details.town if details else "",
        "postcode": details.postcode if details else "",
        "access_notes": details.access_notes if details else "",
        "authorised_representatives": details.representative_names if details else [],
        "parcel_number": stop.parcel_number,
        "handed_over": stop.handed_over_entry_id is not None,
        # Held back is said to the driver only as "do not deliver", never why.
        "status": "do_not_deliver" if stop.status == DeliveryStop.Status.HELD_BACK else stop.status,
        "not_delivered_reason": stop.not_delivered_reason,
        "do_not_deliver": stop.status == DeliveryStop.Status.HELD_BACK,
    }


def parcel_data(stop: DeliveryStop) -> dict:
    """A stop as the coordinator follows its parcel (no dose: see the register)."""
    return {
        "id": stop.pk,
        "parcel_number": stop.parcel_number,
        "client_number": stop.client.client_number,
        "status": stop.status,
        "handed_over": stop.handed_over_entry_id is not None,
        "returned": stop.returned_entry_id is not None,
        "not_delivered_reason": stop.not_delivered_reason,
        "held_back_reason": stop.held_back_reason,
    }


def _at(value) -> str:
    return f" at {timezone.localtime(value):%H:%M}" if value else ""


def todays_delivery_row(
    stop: DeliveryStop, *, supply_blocked: bool = False, name_medicine: bool = False
) -> SummaryRow:
    """The client page's summary line for today's home delivery: where the parcel is, and
    a missed delivery said plainly with why and when (H-153). A parcel still to deliver
    whose supply prescribing refuses today (`supply_blocked`: suspended, or the days
    missed in a row: H-152) says "Do not deliver", never "To deliver", so the delivery
    line never contradicts the dose line. `name_medicine`: the client has more than one
    parcel today (a cross-titration), so each says which medicine it holds."""
    status = DeliveryStop.Status
    parcel = (
        f"{stop.parcel_number} ({stop.instalment.prescription.medicine_name})"
        if name_medicine
        else stop.parcel_number
    )
    if stop.status == status.NOT_DELIVERED:
        notes = f" ({stop.outcome_notes})" if stop.outcome_notes else ""
        html = format_html(
            "{} Parcel {} not delivered{}: {}{}.",
            tag_html("Missed delivery", "red"),
            parcel,
            _at(stop.outcome_recorded_at),
            stop.get_not_delivered_reason_display().lower(),
            notes,
        )
    elif stop.status == status.DELIVERED:
        html = format_html(
            "{} Parcel {} delivered{}.",
            tag_html("Delivered", "green"),
            parcel,
            _at(stop.outcome_recorded_at),
        )
    elif stop.status == status.HELD_BACK:
        html = format_html(
            "{} Parcel {} held back by the coordinator: {}.",
            tag_html("Held back", "orange"),
            parcel,
            stop.held_back_reason,
        )
    elif supply_blocked:
        html = format_html(
            "{} Parcel {}{}: supply blocked; ask the coordinator to hold it back.",
            tag_html("Do not deliver", "red"),
            parcel,
            f" (with {stop.round.shift.driver.display_name})" if stop.handed_over_entry_id else "",
        )
    elif stop.round_id is None:
        html = format_html(
            "{} Parcel {} is on no round: {}.",
            tag_html("Not on a round", "red"),
            parcel,
            stop.unassigned_reason or "not yet planned",
        )
    else:
        where = "with" if stop.handed_over_entry_id else "to go out with"
        due = f", due about {stop.planned_arrival:%H:%M}" if stop.planned_arrival else ""
        html = format_html(
            "{} Parcel {} {} {}{}.",
            tag_html("To deliver", "blue"),
            parcel,
            where,
            stop.round.shift.driver.display_name,
            due,
        )
    return SummaryRow(slot="todays_delivery", key="Today's delivery", html=html)
