"""How delivery set-up is shown: the rows of the vehicles and shifts tables, and a client's
delivery details as the API answers them."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html

from beacon.clients.models import Client
from beacon.delivery.models import ClientDeliveryDetails, DriverShift, Vehicle
from beacon.delivery.selectors.setup import DETAILS_FIELDS, needs_lockable_box


def delivery_details_data(client: Client, details: ClientDeliveryDetails) -> dict:
    out = {name: getattr(details, name, None) for name in DETAILS_FIELDS}
    texts = ("address_line_1", "address_line_2", "town", "postcode", "access_notes")
    for name in (*texts, "authorised_representatives"):
        out[name] = out[name] or ""
    out.update(
        client_number=client.client_number,
        children_in_household=client.children_in_household,
        needs_lockable_box=needs_lockable_box(client),
    )
    return out


VEHICLES_HEAD = ["Registration", "Make", "Colour", "Lent by", "In use"]


def vehicle_rows(vehicles: Iterable[Vehicle]) -> list[list[dict]]:
    return [
        [
            {
                "html": format_html(
                    '<a href="{}">{}</a>',
                    reverse("delivery:vehicle_edit", args=[vehicle.pk]),
                    vehicle.registration,
                )
            },
            {"text": vehicle.make},
            {"text": vehicle.colour},
            {"text": vehicle.partner_organisation.name},
            {"text": "Yes" if vehicle.active else "No"},
        ]
        for vehicle in vehicles
    ]


SHIFTS_HEAD = ["Driver", "Vehicle", "From", "To"]


def shift_rows(shifts: Iterable[DriverShift]) -> list[list[dict]]:
    return [
        [
            {"text": shift.driver.display_name},
            {"text": shift.vehicle.registration},
            {"text": f"{shift.start_time:%H:%M}"},
            {"text": f"{shift.end_time:%H:%M}"},
        ]
        for shift in shifts
    ]
