"""Test data for contacts (synthetic only), made through the services as in use:

booked = book(client, staff)                     # tomorrow 10:00, one hour
past = booked_in_the_past(client, staff, days=3) # booked earlier, its time has passed
contact = contact_at(client, staff, days=2)      # a drop-in two days ago, attended
"""

import datetime

from django.utils import timezone

from beacon.contacts import services
from beacon.contacts.models import Appointment, AppointmentKind


def at(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def book(client, staff, *, starts_at=None, weeks: int = 1, minutes: int = 60, **extra):
    booked = services.appointment_book(
        actor=staff,
        client=client,
        staff=staff,
        starts_at=starts_at or at(1),
        minutes=minutes,
        kind=extra.pop("kind", AppointmentKind.ONE_TO_ONE),
        weeks=weeks,
        **extra,
    )
    return booked if weeks > 1 else booked[0]


def booked_in_the_past(
    client, staff, *, days: int = 1, hour: int = 10, kind=AppointmentKind.ONE_TO_ONE
):
    """An appointment booked a while ago whose time has now passed (booking in the past is
    refused, so it is written as the booking would have saved it)."""
    return Appointment.objects.create(
        provider=client.provider,
        client=client,
        staff=staff,
        starts_at=at(-days, hour),
        minutes=60,
        kind=kind,
        booked_by=staff,
    )


def contact_at(client, staff, *, days: int = 1, hour: int = 10, kind=AppointmentKind.DROP_IN):
    return services.contact_record(
        actor=staff,
        client=client,
        staff=staff,
        starts_at=at(-days, hour),
        minutes=30,
        kind=kind,
    )
