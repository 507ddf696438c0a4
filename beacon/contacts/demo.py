"""Demo appointments and contacts (synthetic only): each keyworker's clients get a contact
last week with a case note, some a DNA since with its follow-up, and a weekly appointment
for the next four weeks."""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.contacts import services
from beacon.contacts.models import Appointment, AppointmentKind, AppointmentOutcome
from beacon.core.audit import AuditOrigin

DEMO_NOTES = [
    "Talked through the week: using less, sleeping better. Agreed to try the Tuesday group.",
    "Reviewed the goal of reconnecting with family; phone call with sister planned.",
    "Discussed cravings at weekends and two coping plans. Naloxone kit still in date.",
]
WEEKS_AHEAD = 4


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_contacts(rng, org, *, stdout=None) -> int:
    """For every client with a keyworker and no appointments yet. Returns how many
    appointments and contacts were made; a time the keyworker is already busy is skipped
    (the services refuse a double booking), so running it again adds nothing."""
    made = 0
    clients = (
        org["provider"]
        .clients.filter(keyworker__isnull=False, appointments__isnull=True)
        .select_related("keyworker")
        .order_by("pk")
    )
    for index, client in enumerate(clients):
        made += _seed_client(rng, client, index)
    return made


def _seed_client(rng, client, index: int) -> int:
    keyworker, origin, today = client.keyworker, AuditOrigin(), timezone.localdate()
    hour = 9 + index % 8
    made = 0
    try:
        contact = services.contact_record(
            actor=keyworker,
            client=client,
            staff=keyworker,
            starts_at=_local(today - datetime.timedelta(days=7 + index % 5), hour),
            minutes=45,
            kind=AppointmentKind.ONE_TO_ONE,
            origin=origin,
        )
        services.case_note_write(
            actor=keyworker, appointment=contact, text=rng.choice(DEMO_NOTES), origin=origin
        )
        made += 1
    except ValidationError:
        pass
    if index % 3 == 0:
        # Booked a while ago and missed yesterday: its follow-up is on the keyworker's list.
        # (A booking's time must still be to come, so the demo writes it as it was booked.)
        missed = Appointment.objects.create(
            provider=client.provider,
            client=client,
            staff=keyworker,
            starts_at=_local(today - datetime.timedelta(days=1), hour, 30),
            minutes=30,
            kind=AppointmentKind.ONE_TO_ONE,
            booked_by=keyworker,
        )
        services.appointment_record_outcome(
            actor=keyworker, appointment=missed, outcome=AppointmentOutcome.DNA, origin=origin
        )
        made += 1
    with contextlib.suppress(ValidationError):
        made += len(
            services.appointment_book(
                actor=keyworker,
                client=client,
                staff=keyworker,
                starts_at=_local(today + datetime.timedelta(days=1 + index % 5), hour, 30),
                minutes=45,
                kind=AppointmentKind.ONE_TO_ONE,
                weeks=WEEKS_AHEAD,
                origin=origin,
            )
        )
    return made
