"""Reads of delivery set-up: vehicles, drivers, shifts, a client's delivery details, and
the loaders of a vehicle and of a client whose delivery details are kept."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.selectors import client_get
from beacon.core.models import Provider, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.delivery.models import ClientDeliveryDetails, DriverShift, Vehicle

MANAGE = "delivery.manage_setup"
DETAILS = "delivery.edit_delivery_details"
DETAILS_FIELDS = [
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "access_notes",
    "authorised_representatives",
    "usually_in_from",
    "usually_in_to",
    "lockable_box_recorded_on",
    "latitude",
    "longitude",
    "window_text_agreed",
]


def vehicles(*, provider: Provider, active_only: bool = False) -> QuerySet[Vehicle]:
    found = provider.vehicles.select_related("partner_organisation")
    return found.filter(active=True) if active_only else found


def vehicle_get(*, user: User, vehicle_id: int, permission: str = MANAGE) -> Vehicle:
    """One vehicle of the user's provider, or 404."""
    ensure_can(user, permission)
    vehicle = vehicles(provider=user.provider).filter(pk=vehicle_id).first()
    if vehicle is None:
        raise Http404("No such vehicle")
    return vehicle


def drivers(*, provider: Provider) -> QuerySet[User]:
    """The provider's active drivers, the only people a shift may name."""
    return provider.users.filter(role=Role.DRIVER, is_active=True).order_by(
        "last_name", "first_name"
    )


def shifts_on(*, provider: Provider, date: datetime.date) -> QuerySet[DriverShift]:
    return provider.driver_shifts.filter(date=date).select_related("driver", "vehicle")


def delivery_client_get(*, user: User, client_number: str, permission: str = DETAILS) -> Client:
    """The client whose delivery details are opened: the role is checked first, so a refused
    role gets no hint whether the client exists; then 404, then the client's own check."""
    ensure_can(user, permission)
    return client_get(user=user, client_number=client_number.upper(), permission=permission)


def delivery_details_of(*, client: Client) -> ClientDeliveryDetails | None:
    return ClientDeliveryDetails.objects.filter(client=client).first()


def needs_lockable_box(client: Client) -> bool:
    """True when children live in the home and no lockable box has been seen there yet:
    take-home doses are not delivered to such a home until one is recorded."""
    if not client.children_in_household:
        return False
    details = delivery_details_of(client=client)
    return details is None or details.lockable_box_recorded_on is None


def authorised_representatives(client: Client) -> list[str]:
    """Who the client agreed may take a supply for them (prescribing asks for a pharmacy's
    collection by a representative)."""
    details = delivery_details_of(client=client)
    return details.representative_names if details is not None else []


def lockable_box_seen(client: Client) -> bool:
    """A lockable box has been seen at the client's home (prescribing asks this before any
    take-home supply to a home with children, from a pharmacy as well as by delivery)."""
    details = delivery_details_of(client=client)
    return details is not None and details.lockable_box_recorded_on is not None
