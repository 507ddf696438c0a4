"""Demo appointments and contacts (synthetic only): each keyworker's clients get a weekly
appointment, some past ones attended with a case note, some DNAs with their follow-ups."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.contacts import services
from beacon.contacts.models import Appointment, Kind, Outcome
from beacon.core.audit import AuditOrigin

DEMO_NOTES = [
    "Talked through the week: using less, sleeping better. Agreed to try the Tuesday group.",
    "Reviewed the goal of reconnecting with family; phone call with sister planned.",
    "Discussed cravings at weekends and two coping plans. Naloxone kit still in date.",
]


def seed_contacts(rng, org, *, stdout=None) -> int:
    """For every client with a keyworker who has no appointments yet: two past contacts
    (one attended with a note, one a DNA or attended), and a weekly appointment for the
    next four weeks. Returns how many appointments were made."""
    provider = org["provider"]
    timezone.now()
    made = 0
    clients = (
        provider.clients.filter(keyworker__isnull=False)
        .exclude(appointments__isnull=False)
        .select_related("keyworker")
    )
    origin = AuditOrigin()
    for index, client in enumerate(clients):
        keyworker = client.keyworker
        hour = 9 + index % 8
        day = timezone.localdate() - datetime.timedelta(days=7 + index % 5)
        past = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
        contact = services.contact_record(
            actor=keyworker,
            client=client,
            staff=keyworker,
            starts_at=past,
            minutes=45,
            kind=Kind.ONE_TO_ONE,
            origin=origin,
        )
        services.case_note_write(
            actor=keyworker, appointment=contact, text=rng.choice(DEMO_NOTES), origin=origin
        )
        made += 1
        if index % 3 == 0:
            # A missed appointment last week: its follow-up is on the keyworker's list.
            missed = Appointment.objects.create(
                provider=provider,
                client=client,
                staff=keyworker,
                starts_at=past + datetime.timedelta(days=3, minutes=30),
                minutes=30,
                kind=Kind.ONE_TO_ONE,
                booked_by=keyworker,
            )
            services.appointment_record_outcome(
                actor=keyworker, appointment=missed, outcome=Outcome.DNA, origin=origin
            )
            made += 1
        upcoming_day = timezone.localdate() + datetime.timedelta(days=1 + index % 5)
        upcoming = timezone.make_aware(
            datetime.datetime.combine(upcoming_day, datetime.time(hour, 30))
        )
        try:
            made += len(
                services.appointment_book(
                    actor=keyworker,
                    client=client,
                    staff=keyworker,
                    starts_at=upcoming,
                    minutes=45,
                    kind=Kind.ONE_TO_ONE,
                    weeks=4,
                    origin=origin,
                )
            )
        except ValidationError:
            continue  # the keyworker is busy then: this client gets no series in the demo
    return made
