"""Authorization matrix rows for the contacts app (see beacon/core/tests/matrix.py).

Keyworkers (their team's clients), prescribers, nurses and managers read and record
appointments, contacts and case notes, and have a diary and follow-ups; managers also see
the team's diary and the attendance figures. Drivers, volunteers and commissioners open
none of it.
"""

from beacon.contacts import services
from beacon.contacts.tests.factories import contact_at
from beacon.core.tests.matrix import (
    CLIENT_READERS,
    MANAGERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)

STAFF = CLIENT_READERS  # keyworker, prescriber, nurse, manager (and the set-up admin)


def samples(base: dict) -> dict:
    keyworker = base["users"]["keyworker"]
    contact = contact_at(base["client"], keyworker, days=1)
    note = services.case_note_write(actor=keyworker, appointment=contact, text="Matrix note")
    group = services.group_session_record(
        actor=keyworker,
        name="Matrix group",
        facilitator=keyworker,
        starts_at=contact.starts_at.replace(hour=16),
        minutes=60,
        attendees=[base["client"]],
    )
    missed = services.contact_record(
        actor=keyworker,
        client=base["client"],
        staff=keyworker,
        starts_at=contact.starts_at.replace(hour=8),
        minutes=30,
        kind="phone_or_video",
    )
    return {
        "appointment_id": missed.pk,
        "note_id": note.pk,
        "group_id": group.pk,
        "follow_up_id": _follow_up(base, keyworker).pk,
    }


def _follow_up(base: dict, keyworker):
    from beacon.contacts.tests.factories import booked_in_the_past

    missed = booked_in_the_past(base["client"], keyworker, days=2, hour=9)
    services.appointment_record_outcome(actor=keyworker, appointment=missed, outcome="dna")
    return missed.follow_up


READ = outcome_for(STAFF)
API_READ = outcome_for(STAFF, anonymous=UNAUTHENTICATED)
# Recording (`contacts.record_contact`, `contacts.run_groups`, follow-ups): the staff who
# open client records; other roles are refused before the body is read, and the staff's
# request without a body is invalid (422). Which client a keyworker may record for is
# pinned in test_api.py.
API_WRITE = api_write_for(STAFF)

PAGES = {
    "contacts/clients/<str:client_number>/": ("GET", READ),
    "contacts/clients/<str:client_number>/appointments.csv": ("GET", READ),
    "contacts/clients/<str:client_number>/book/": ("GET", READ),
    "contacts/clients/<str:client_number>/record/": ("GET", READ),
    "contacts/appointments/<int:appointment_id>/": ("GET", READ),
    "contacts/appointments/<int:appointment_id>/outcome/": ("GET", READ),
    "contacts/appointments/<int:appointment_id>/notes/new/": ("GET", READ),
    "contacts/notes/<int:note_id>/correct/": ("GET", READ),
    "contacts/groups/": ("GET", READ),
    "contacts/groups.csv": ("GET", READ),
    "contacts/groups/new/": ("GET", READ),
    "contacts/groups/<int:group_id>/": ("GET", READ),
    "contacts/diary/": ("GET", READ),
    "contacts/follow-ups/": ("GET", READ),
    "contacts/follow-ups.csv": ("GET", READ),
    "contacts/follow-ups/<int:follow_up_id>/done/": ("GET", READ),
    "contacts/not-seen/": ("GET", READ),
    "contacts/not-seen.csv": ("GET", READ),
    "contacts/attendance/": ("GET", outcome_for(MANAGERS)),
    "contacts/attendance.csv": ("GET", outcome_for(MANAGERS)),
}
API = {
    "api/v1/contacts/clients/<str:client_number>/appointments": ("GET", API_READ),
    "api/v1/contacts/clients/<str:client_number>/contacts": ("POST", API_WRITE),
    "api/v1/contacts/appointments/<int:appointment_id>": ("GET", API_READ),
    "api/v1/contacts/appointments/<int:appointment_id>/outcome": ("POST", API_WRITE),
    "api/v1/contacts/appointments/<int:appointment_id>/notes": ("GET", API_READ),
    "api/v1/contacts/notes/<int:note_id>/corrections": ("POST", API_WRITE),
    "api/v1/contacts/groups": ("POST", API_WRITE),
    "api/v1/contacts/groups/<int:group_id>": ("GET", API_READ),
    "api/v1/contacts/follow-ups": ("GET", API_READ),
    "api/v1/contacts/follow-ups/<int:follow_up_id>/done": ("POST", API_WRITE),
    "api/v1/contacts/attendance": ("GET", outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)),
}
API_WRITES = {
    "api/v1/contacts/clients/<str:client_number>/appointments": ("POST", API_WRITE),
    "api/v1/contacts/appointments/<int:appointment_id>/notes": ("POST", API_WRITE),
}
