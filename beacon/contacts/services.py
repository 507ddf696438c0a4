"""Every write of appointments, contacts, case notes, groups and follow-ups: each a
keyword-only function in one transaction that checks the rules and writes the audit log.

Bad input raises a ValidationError naming the field, and nothing is saved: a past time
booked as future, an outcome before the appointment's time, a note over the size limit,
a staff member booked twice at once.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.contacts import selectors
from beacon.contacts.models import (
    CANCELLATIONS,
    FACE_TO_FACE_KINDS,
    NOTE_MAX_LENGTH,
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    AppointmentSeries,
    CaseNote,
    FollowUpTask,
    GroupSession,
)
from beacon.contacts.rules import BOOKABLE_ROLES
from beacon.core import working_days
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.dates import check_within_a_year
from beacon.core.models import Provider, Site, TextPurpose, User
from beacon.core.permissions import ensure_can
from beacon.core.presenters import datetime_uk
from beacon.core.services import TextsQueued, texts_queue_each
from beacon.naloxone import services as naloxone_services
from beacon.treatment.models import PlanAction, PlanGoal

RECORD = "contacts.record_contact"
MOST_WEEKS = 26


def _check_staff(staff: User, provider_id: int, client: Client | None = None) -> None:
    if staff.provider_id != provider_id or staff.role not in BOOKABLE_ROLES:
        raise ValidationError({"staff": "Choose a keyworker, prescriber, nurse or manager"})
    if not staff.is_active:
        raise ValidationError({"staff": f"{staff.display_name} no longer works here"})
    if client is not None and not clients_visible_to(staff).filter(pk=client.pk).exists():
        # Their diary would name a client they may not open, and a follow-up of a DNA
        # could reach them that they could not close.
        raise ValidationError(
            {"staff": f"{staff.display_name} does not work with {client.full_name}'s team"}
        )


def _check_site(site: Site | None, provider_id: int) -> None:
    if site is not None and site.provider_id != provider_id:
        raise ValidationError({"site": "Choose one of your service's sites"})


def _check_free(
    staff: User,
    starts_at: datetime.datetime,
    minutes: int,
    *,
    group_session: GroupSession | None = None,
) -> None:
    # Two bookings of one person at once wait for each other here, so both cannot pass.
    User.objects.select_for_update().filter(pk=staff.pk).first()
    clashes = selectors.staff_clashes(
        staff=staff, starts_at=starts_at, minutes=minutes, group_session=group_session
    )
    if clashes:
        clash = clashes[0]
        raise ValidationError(
            {
                "starts_at": f"{staff.display_name} already has an appointment at "
                f"{datetime_uk(clash.starts_at)} ({clash.minutes} minutes): choose another time"
            }
        )


def _weekly(starts_at: datetime.datetime, weeks: int) -> list[datetime.datetime]:
    # The same local time each week, also across a change of the clocks.
    local = timezone.localtime(starts_at).replace(tzinfo=None)
    return [timezone.make_aware(local + datetime.timedelta(weeks=week)) for week in range(weeks)]


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    client: Client,
    staff: User,
    starts_at: datetime.datetime,
    minutes: int,
    kind: str,
    site: Site | None = None,
    place: str = "",
    weeks: int = 1,
    origin: AuditOrigin | None = None,
) -> list[Appointment]:
    """Book an appointment ahead, or (weeks > 1) a weekly series booked once: every one of
    its appointments is made, or none when any of them clashes."""
    ensure_can(actor, RECORD, client)
    _check_staff(staff, client.provider_id, client)
    _check_site(site, client.provider_id)
    if starts_at <= timezone.now():
        raise ValidationError(
            {
                "starts_at": "The time has passed: book an appointment for a time still to "
                "come, or record a contact that has happened"
            }
        )
    check_within_a_year(
        timezone.localtime(starts_at).date(),
        timezone.localdate(),
        field="starts_at",
        message="The appointment must be within a year",
    )
    if not 1 <= weeks <= MOST_WEEKS:
        raise ValidationError({"weeks": f"Book 1 to {MOST_WEEKS} weeks at a time"})
    if kind == AppointmentKind.GROUP:
        raise ValidationError({"kind": "Record a group as a group session"})
    series = None
    if weeks > 1:
        series = record_save(
            AppointmentSeries(
                provider_id=client.provider_id, client=client, weeks=weeks, created_by=actor
            ),
            actor=actor,
            origin=origin,
            detail=f"weekly series of {weeks}",
        )
    booked = []
    for when in _weekly(starts_at, weeks):
        _check_free(staff, when, minutes)
        booked.append(
            record_save(
                Appointment(
                    provider_id=client.provider_id,
                    client=client,
                    staff=staff,
                    starts_at=when,
                    minutes=minutes,
                    kind=kind,
                    site=site,
                    place=place,
                    booked_by=actor,
                    series=series,
                ),
                actor=actor,
                origin=origin,
                detail=f"booked with {staff.display_name}",
            )
        )
    return booked


@transaction.atomic
def contact_record(
    *,
    actor: User,
    client: Client,
    staff: User,
    starts_at: datetime.datetime,
    minutes: int,
    kind: str,
    site: Site | None = None,
    place: str = "",
    naloxone: dict | None = None,
    origin: AuditOrigin | None = None,
) -> Appointment:
    """A contact that was not booked (a drop-in, an unplanned call, outreach), recorded
    once it happened: attended. `naloxone` is the opt-out offer's outcome asked with it
    (naloxone.services.contact_offer_record), saved with the contact or neither is."""
    ensure_can(actor, RECORD, client)
    if kind == AppointmentKind.GROUP:
        raise ValidationError({"kind": "Record a group as a group session, with its attendees"})
    _check_staff(staff, client.provider_id, client)
    _check_site(site, client.provider_id)
    now = timezone.now()
    if starts_at > now:
        raise ValidationError(
            {"starts_at": "A contact is recorded once it has happened: book a future one"}
        )
    _check_free(staff, starts_at, minutes)
    contact = record_save(
        _attended(
            actor,
            client,
            staff=staff,
            starts_at=starts_at,
            minutes=minutes,
            kind=kind,
            site=site,
            place=place,
            at=now,
        ),
        actor=actor,
        origin=origin,
        detail="unbooked contact recorded",
    )
    _naloxone_offer(actor, contact, naloxone, origin)
    return contact


def _naloxone_offer(
    actor: User, contact: Appointment, naloxone: dict | None, origin: AuditOrigin | None
) -> None:
    """The naloxone outcome asked with a contact, on its day; a kit is seen only at a
    contact face to face, never on a phone or video call (H-113)."""
    if naloxone is not None:
        naloxone_services.contact_offer_record(
            actor=actor,
            client=contact.client,
            on=timezone.localdate(contact.starts_at),
            offer=naloxone,
            in_person=contact.kind in FACE_TO_FACE_KINDS,
            origin=origin,
        )


def _attended(
    actor: User, client: Client, *, at: datetime.datetime, **fields: object
) -> Appointment:
    """An unsaved contact that was not booked, recorded by `actor` at `at` as attended
    (`fields`: staff, start, minutes, kind, site, place, and the group session if any)."""
    return Appointment(
        provider_id=client.provider_id,
        client=client,
        booked=False,
        booked_by=actor,
        outcome=AppointmentOutcome.ATTENDED,
        outcome_recorded_at=at,
        outcome_recorded_by=actor,
        **fields,
    )


def next_working_day(at: datetime.datetime) -> datetime.datetime:
    """The same time on the next working day (Monday to Friday, not a bank holiday)."""
    local = timezone.localtime(at).replace(tzinfo=None)
    due = datetime.datetime.combine(working_days.next_working_day(local.date()), local.time())
    return timezone.make_aware(due)


@transaction.atomic
def appointment_record_outcome(
    *,
    actor: User,
    appointment: Appointment,
    outcome: str,
    naloxone: dict | None = None,
    origin: AuditOrigin | None = None,
) -> Appointment:
    """Record what happened. Attended, DNA and arrived late only once the appointment's
    time has come; a cancellation at any time. A DNA raises the keyworker's follow-up
    (phone the client within a working day, H-88). An outcome is recorded once. When
    attended, `naloxone` is the opt-out offer's outcome asked with it, saved together."""
    ensure_can(actor, RECORD, appointment.client)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if outcome not in AppointmentOutcome.values:
        raise ValidationError({"outcome": "Choose what happened"})
    if appointment.outcome:
        raise ValidationError(
            {"outcome": f"The outcome is already recorded: {appointment.get_outcome_display()}"}
        )
    now = timezone.now()
    if outcome not in CANCELLATIONS and now < appointment.starts_at:
        raise ValidationError(
            {
                "outcome": f"The appointment is at {datetime_uk(appointment.starts_at)}: "
                "record whether they came once that time has come (a cancellation can be "
                "recorded now)"
            }
        )
    appointment.outcome = outcome
    appointment.outcome_recorded_at = now
    appointment.outcome_recorded_by = actor
    record_save(
        appointment,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"outcome {appointment.get_outcome_display()}",
    )
    if outcome == AppointmentOutcome.ATTENDED:
        _naloxone_offer(actor, appointment, naloxone, origin)
    if outcome == AppointmentOutcome.DNA:
        client = appointment.client
        keyworker = client.keyworker if client.keyworker and client.keyworker.is_active else None
        record_save(
            FollowUpTask(
                provider_id=appointment.provider_id,
                client=client,
                appointment=appointment,
                # A keyworker who has left would never see it: then whoever was booked.
                assigned_to=keyworker or appointment.staff,
                due_at=next_working_day(max(now, appointment.starts_at)),
            ),
            actor=actor,
            origin=origin,
            detail="follow-up after a DNA",
        )
    return appointment


def _plan_links(
    client: Client, goals: Sequence[PlanGoal], actions: Sequence[PlanAction]
) -> tuple[list[PlanGoal], list[PlanAction]]:
    if any(goal.plan.client_id != client.pk for goal in goals):
        raise ValidationError({"goals": "Link only goals of this client's plans"})
    if any(action.plan.client_id != client.pk for action in actions):
        raise ValidationError({"actions": "Link only actions of this client's plans"})
    return list(goals), list(actions)


@transaction.atomic
def case_note_write(
    *,
    actor: User,
    appointment: Appointment,
    text: str,
    goals: Sequence[PlanGoal] = (),
    actions: Sequence[PlanAction] = (),
    corrects: CaseNote | None = None,
    origin: AuditOrigin | None = None,
) -> CaseNote:
    """A case note on a contact (or any appointment with an outcome), linked to the plan
    goals and actions it touched. Saved once; `corrects` makes it the correction of an
    earlier note of the same client."""
    ensure_can(actor, RECORD, appointment.client)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write what was discussed"})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": f"A note can be {NOTE_MAX_LENGTH:,} characters at most; this one is "
                f"{len(text):,}. Shorten it, or write a second note"
            }
        )
    if not appointment.outcome:
        raise ValidationError(
            {"text": "Record the appointment's outcome before writing its case note"}
        )
    if corrects is not None and corrects.client_id != appointment.client_id:
        raise ValidationError({"corrects": "A correction is of a note of the same client"})
    goals, actions = _plan_links(appointment.client, list(goals), list(actions))
    note = record_save(
        CaseNote(
            provider_id=appointment.provider_id,
            client=appointment.client,
            appointment=appointment,
            text=text,
            corrects=corrects,
            written_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=(f"correction of case note {corrects.pk}" if corrects else "case note")
        + (f", {len(goals)} goals and {len(actions)} actions linked" if goals or actions else ""),
    )
    note.goals.set(goals)
    note.actions.set(actions)
    return note


@transaction.atomic
def case_note_correct(
    *, actor: User, note: CaseNote, text: str, origin: AuditOrigin | None = None
) -> CaseNote:
    """Correct a note: a new note on the same contact that refers to it, keeping its links."""
    return case_note_write(
        actor=actor,
        appointment=note.appointment,
        text=text,
        goals=list(note.goals.select_related("plan")),
        actions=list(note.actions.select_related("plan")),
        corrects=note,
        origin=origin,
    )


@transaction.atomic
def group_session_record(
    *,
    actor: User,
    name: str,
    facilitator: User,
    starts_at: datetime.datetime,
    minutes: int,
    attendees: list[Client],
    site: Site | None = None,
    place: str = "",
    origin: AuditOrigin | None = None,
) -> GroupSession:
    """A group that took place and who came: each attendance is a contact of that client
    with the facilitator."""
    ensure_can(actor, "contacts.run_groups")
    _check_staff(facilitator, actor.provider_id)
    _check_site(site, actor.provider_id)
    now = timezone.now()
    if starts_at > now:
        raise ValidationError({"starts_at": "Record a group once it has taken place"})
    if not attendees:
        raise ValidationError({"attendees": "Choose who came"})
    for client in attendees:
        ensure_can(actor, RECORD, client)
    group = record_save(
        GroupSession(
            provider_id=actor.provider_id,
            name=name.strip(),
            facilitator=facilitator,
            starts_at=starts_at,
            minutes=minutes,
            site=site,
            place=place,
            created_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"group session, {len(attendees)} attended",
    )
    _check_free(facilitator, starts_at, minutes, group_session=group)
    for client in attendees:
        record_save(
            _attended(
                actor,
                client,
                staff=facilitator,
                starts_at=starts_at,
                minutes=minutes,
                kind=AppointmentKind.GROUP,
                site=site,
                place=place,
                group_session=group,
                at=now,
            ),
            actor=actor,
            origin=origin,
            detail=f"attended group {group.name}",
        )
    return group


@transaction.atomic
def follow_up_done(
    *, actor: User, follow_up: FollowUpTask, note: str, origin: AuditOrigin | None = None
) -> FollowUpTask:
    ensure_can(actor, RECORD, follow_up.client)
    follow_up = FollowUpTask.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise ValidationError({"done_note": "This follow-up is already done"})
    if not note.strip():
        raise ValidationError({"done_note": "Say what happened: reached, left a message…"})
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.done_note = note.strip()
    return record_save(
        follow_up, actor=actor, action=Action.UPDATE, origin=origin, detail="follow-up done"
    )


def contacts_viewed(
    *, actor: User, what: str, client: Client | None = None, origin: AuditOrigin | None = None
) -> None:
    """A read of appointments or notes (a client's, or a diary naming clients), audited."""
    audit_record(
        actor=actor, action=Action.VIEW, obj=client, client=client, detail=what, origin=origin
    )


def reminder_reference(appointment: Appointment) -> str:
    """What names an appointment's reminder text, once (core's selectors.text_by_reference)."""
    return f"appointment-reminder-{appointment.pk}"


def reminder_place(appointment: Appointment) -> str:
    """Where the reminder says: a site by the first line of its address (its name may say
    what the service is: "Southbank clinic"), otherwise the place given."""
    if appointment.site is not None:
        return appointment.site.address.split(",")[0].strip() or appointment.site.name
    if not appointment.place and appointment.kind == AppointmentKind.PHONE_OR_VIDEO:
        return "by phone or video"
    return appointment.place


def appointment_reminders_queue(*, provider: Provider, day: datetime.date) -> TextsQueued:
    """Queue a reminder text for each of the provider's appointments on `day` (run the day
    before): "appointment with {staff first name} tomorrow at {time}, {place}", worded by
    the provider's template and sent only to a client who agreed to texts. Idempotent: an
    appointment already reminded is not reminded again; a reminder whose place names a
    clinical word is not sent, and counted with the reason."""
    tomorrow = day == timezone.localdate() + datetime.timedelta(days=1)
    return texts_queue_each(
        purpose=TextPurpose.APPOINTMENT_REMINDER,
        wanted=(
            (
                appointment.client,
                reminder_reference(appointment),
                {
                    "staff_first_name": appointment.staff.first_name,
                    "day": "tomorrow" if tomorrow else f"on {day:%A %-d %B}",
                    "time": f"{timezone.localtime(appointment.starts_at):%H:%M}",
                    "place": reminder_place(appointment),
                },
            )
            for appointment in selectors.appointments_to_remind(provider=provider, day=day)
        ),
    )
