"""Contacts endpoints of the JSON API: appointments, outcomes, contacts, case notes, groups,
follow-ups and attendance figures.

Thin, like the pages: parse (schemas.py), check the role, load through the selectors
(another provider's record is a 404), call a service, return. The rules and the audit of
writes are the services', the same as the pages'; reads are audited here. Drivers,
volunteers and commissioners reach none of it (beacon/contacts/rules.py).
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.clients import selectors as client_selectors
from beacon.clients.models import Client
from beacon.contacts import selectors, services
from beacon.contacts.models import Appointment
from beacon.contacts.schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentOutcomeIn,
    AppointmentPageOut,
    AttendanceFiguresOut,
    CaseNoteCorrectionIn,
    CaseNoteIn,
    CaseNoteOut,
    ContactRecordIn,
    FollowUpDoneIn,
    FollowUpOut,
    GroupSessionIn,
    GroupSessionOut,
    PageQuery,
    PeriodQuery,
)
from beacon.core.api import role_gate
from beacon.core.audit import audit_origin
from beacon.core.models import Site, User
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED

router = Router(tags=["contacts"])

VIEW = "contacts.view_contacts"
RECORD = "contacts.record_contact"


def _viewed(request: HttpRequest, what: str, client=None) -> None:
    services.contacts_viewed(
        actor=request.user, what=what, client=client, origin=audit_origin(request)
    )


def _client_to_record(request: HttpRequest, client_number: str) -> Client:
    """The client whose contacts the request records: the role is checked first, so a
    role that may never record gets 403 whether or not the client exists."""
    ensure_can(request.user, RECORD)
    return client_selectors.client_get(
        user=request.user, client_number=client_number, permission=RECORD
    )


def _appointment_to_record(request: HttpRequest, appointment_id: int) -> Appointment:
    """The appointment whose outcome or notes the request records, the role checked first."""
    ensure_can(request.user, RECORD)
    return selectors.appointment_get(
        user=request.user, appointment_id=appointment_id, permission=RECORD
    )


def _staff(request: HttpRequest, staff_id: int, field: str = "staff_id") -> User:
    staff = selectors.bookable_staff(provider=request.provider).filter(pk=staff_id).first()
    if staff is None:
        raise ValidationError({field: "No keyworker, prescriber, nurse or manager with this id"})
    return staff


def _site(request: HttpRequest, site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    site = request.provider.sites.filter(pk=site_id).first()
    if site is None:
        raise ValidationError({"site_id": "No site with this id in your service"})
    return site


def _when(request: HttpRequest, payload) -> dict:
    return {
        "staff": _staff(request, payload.staff_id),
        "starts_at": payload.starts_at,
        "minutes": payload.minutes,
        "kind": payload.kind,
        "site": _site(request, payload.site_id),
        "place": payload.place,
    }


@router.get(
    "/clients/{str:client_number}/appointments",
    response={200: AppointmentPageOut, **INVALID},
    summary="A client's appointments and contacts, latest first",
)
def appointment_list(request: HttpRequest, client_number: str, paging: Query[PageQuery]):
    ensure_can(request.user, VIEW)  # the role first: 403 whether or not the number exists
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    appointments = selectors.client_appointments(client=client).select_related("client")
    start = (paging.page - 1) * paging.page_size
    _viewed(request, "appointments and contacts", client)
    return {
        "count": appointments.count(),
        "page": paging.page,
        "page_size": paging.page_size,
        "items": list(appointments[start : start + paging.page_size]),
    }


@router.post(
    "/clients/{str:client_number}/appointments",
    response={201: list[AppointmentOut], **INVALID},
    summary="Book an appointment; `weeks` above 1 books the same time every week",
    auth=role_gate(RECORD),
)
def appointment_book(request: HttpRequest, client_number: str, payload: AppointmentIn):
    client = _client_to_record(request, client_number)
    booked = services.appointment_book(
        actor=request.user,
        client=client,
        weeks=payload.weeks,
        origin=audit_origin(request),
        **_when(request, payload),
    )
    return Status(201, booked)


@router.post(
    "/clients/{str:client_number}/contacts",
    response={201: AppointmentOut, **INVALID},
    summary="Record a contact that was not booked (a drop-in, a call, outreach)",
    auth=role_gate(RECORD),
)
def contact_record(request: HttpRequest, client_number: str, payload: ContactRecordIn):
    client = _client_to_record(request, client_number)
    contact = services.contact_record(
        actor=request.user, client=client, origin=audit_origin(request), **_when(request, payload)
    )
    return Status(201, contact)


@router.get(
    "/appointments/{int:appointment_id}",
    response={200: AppointmentOut, **REFUSED},
    summary="Read an appointment or contact",
)
def appointment_read(request: HttpRequest, appointment_id: int):
    ensure_can(request.user, VIEW)
    appointment = selectors.appointment_get(user=request.user, appointment_id=appointment_id)
    _viewed(request, f"appointment {appointment.pk}", appointment.client)
    return appointment


@router.post(
    "/appointments/{int:appointment_id}/outcome",
    response={200: AppointmentOut, **INVALID},
    summary="Record an appointment's outcome (a DNA raises a follow-up for the keyworker)",
    auth=role_gate(RECORD),
)
def appointment_outcome(request: HttpRequest, appointment_id: int, payload: AppointmentOutcomeIn):
    appointment = _appointment_to_record(request, appointment_id)
    return services.appointment_record_outcome(
        actor=request.user,
        appointment=appointment,
        outcome=payload.outcome,
        origin=audit_origin(request),
    )


@router.get(
    "/appointments/{int:appointment_id}/notes",
    response={200: list[CaseNoteOut], **REFUSED},
    summary="The case notes of an appointment or contact, corrections included",
)
def case_note_list(request: HttpRequest, appointment_id: int):
    ensure_can(request.user, VIEW)
    appointment = selectors.appointment_get(user=request.user, appointment_id=appointment_id)
    _viewed(request, f"case notes of appointment {appointment.pk}", appointment.client)
    return list(selectors.appointment_notes(appointment=appointment))


def _linked(found: list, ids: list[int], field: str) -> list:
    if len(found) != len(set(ids)):
        raise ValidationError({field: "One of these ids is not in your service"})
    return found


@router.post(
    "/appointments/{int:appointment_id}/notes",
    response={201: CaseNoteOut, **INVALID},
    summary="Write a case note, linked to the plan goals and actions it touched",
    auth=role_gate(RECORD),
)
def case_note_write(request: HttpRequest, appointment_id: int, payload: CaseNoteIn):
    appointment = _appointment_to_record(request, appointment_id)
    goals, actions = selectors.plan_links_by_id(
        provider=request.provider, goal_ids=payload.goal_ids, action_ids=payload.action_ids
    )
    note = services.case_note_write(
        actor=request.user,
        appointment=appointment,
        text=payload.text,
        goals=_linked(goals, payload.goal_ids, "goal_ids"),
        actions=_linked(actions, payload.action_ids, "action_ids"),
        origin=audit_origin(request),
    )
    return Status(201, note)


@router.post(
    "/notes/{int:note_id}/corrections",
    response={201: CaseNoteOut, **INVALID},
    summary="Correct a case note: a new note that refers to it (the first stays)",
    auth=role_gate(RECORD),
)
def case_note_correct(request: HttpRequest, note_id: int, payload: CaseNoteCorrectionIn):
    ensure_can(request.user, RECORD)
    note = selectors.case_note_get(user=request.user, note_id=note_id, permission=RECORD)
    correction = services.case_note_correct(
        actor=request.user, note=note, text=payload.text, origin=audit_origin(request)
    )
    return Status(201, correction)


@router.post(
    "/groups",
    response={201: GroupSessionOut, **INVALID},
    summary="Record a group session and who came (each attendance is a contact)",
    auth=role_gate("contacts.run_groups"),
)
def group_record(request: HttpRequest, payload: GroupSessionIn):
    ensure_can(request.user, "contacts.run_groups")
    attendees = [
        client_selectors.client_get(user=request.user, client_number=number, permission=RECORD)
        for number in dict.fromkeys(payload.client_numbers)
    ]
    group = services.group_session_record(
        actor=request.user,
        name=payload.name,
        facilitator=_staff(request, payload.facilitator_id, "facilitator_id"),
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        attendees=attendees,
        site=_site(request, payload.site_id),
        place=payload.place,
        origin=audit_origin(request),
    )
    group.visible_attendances = selectors.group_attendances_visible(user=request.user, group=group)
    return Status(201, group)


@router.get(
    "/groups/{int:group_id}",
    response={200: GroupSessionOut, **REFUSED},
    summary="Read a group session and its attendances",
)
def group_read(request: HttpRequest, group_id: int):
    group = selectors.group_session_get(user=request.user, group_id=group_id)
    group.visible_attendances = selectors.group_attendances_visible(user=request.user, group=group)
    _viewed(request, f"group session {group.pk} attendees")
    return group


@router.get(
    "/follow-ups",
    response={200: list[FollowUpOut], **REFUSED},
    summary="Your follow-ups after a DNA that are not yet done",
)
def follow_up_list(request: HttpRequest):
    ensure_can(request.user, "contacts.view_follow_ups")
    tasks = list(selectors.follow_ups_open(user=request.user)[:500])
    _viewed(request, f"follow-ups, {len(tasks)}")
    return tasks


@router.post(
    "/follow-ups/{int:follow_up_id}/done",
    response={200: FollowUpOut, **INVALID},
    summary="Mark a follow-up as done, saying what happened",
    auth=role_gate("contacts.view_follow_ups"),
)
def follow_up_done(request: HttpRequest, follow_up_id: int, payload: FollowUpDoneIn):
    ensure_can(request.user, "contacts.view_follow_ups")
    follow_up = selectors.follow_up_get(user=request.user, follow_up_id=follow_up_id)
    return services.follow_up_done(
        actor=request.user, follow_up=follow_up, note=payload.note, origin=audit_origin(request)
    )


@router.get(
    "/attendance",
    response={200: AttendanceFiguresOut, **INVALID},
    summary="Attended ÷ booked per keyworker and team for a period",
)
def attendance(request: HttpRequest, period: Query[PeriodQuery]):
    ensure_can(request.user, "contacts.view_attendance")
    last = period.last or timezone.localdate()
    first = period.first or last.replace(day=1)
    if last < first:
        raise ValidationError({"last": "The end of the period must be on or after its start"})
    keyworkers, teams = selectors.attendance_figures(
        provider=request.provider, first=first, last=last
    )
    return {"first": first, "last": last, "keyworkers": keyworkers, "teams": teams}
