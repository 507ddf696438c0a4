"""How a run sheet is shown: a stop as the driver's API answers it (held back is said only
as "do not deliver", never why), and a parcel as the coordinator follows it."""

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
