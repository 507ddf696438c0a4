"""Every write of peer volunteers and outreach: records, training, supervision, hours and
representation; shifts, check-in and check-out, the overdue check-out alert; contacts (with
what was given, through naloxone's and harm reduction's own services, so stock moves and
their rules hold) and referrals picked up and followed to an outcome.

Each is keyword-only and atomic, refuses bad input with a ValidationError naming the
field (nothing saved) and writes the audit log.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Alert, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.core.services import alert_raise
from beacon.harmreduction import services as harm_reduction
from beacon.naloxone import selectors as naloxone_selectors
from beacon.naloxone import services as naloxone
from beacon.naloxone.models import NaloxoneSupply, Recipient
from beacon.volunteers import selectors
from beacon.volunteers.models import (
    SHIFT_LONGEST,
    AdviceTopic,
    CheckIn,
    Concern,
    Course,
    HoursGiven,
    OutreachContact,
    OutreachReferral,
    ReferralOutcome,
    ReferralTo,
    Representation,
    Shift,
    SupervisionSession,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from beacon.volunteers.rules import FOLLOW_REFERRALS, MANAGE, RECORD_OUTREACH

LONE_WORKING_ALERT = Alert.Kind.LONE_WORKING
CONCERN_ALERT = Alert.Kind.OUTREACH_CONCERN
# How many days after its shift a contact may still be recorded (sent from a phone that
# had no signal).
CONTACT_LATEST_DAYS = 1
NALOXONE_TRAINING_LAPSED = (
    "You cannot record a naloxone supply: your naloxone supply training {when}. "
    "Ask your supervisor to book the refresher. Record the contact without the naloxone "
    "pack and refer the person to the outreach nurse."
)


def _today() -> datetime.date:
    return timezone.localdate()


# Volunteers, training, supervision, hours --------------------------------------------------

VOLUNTEER_FIELDS = (
    "kind",
    "started_on",
    "status",
    "dbs_level",
    "dbs_checked_on",
    "dbs_result",
    "emergency_contact_name",
    "emergency_contact_phone",
    "supervisor",
    "languages",
    "availability",
    "client",
)


def _check_people(actor: User, data: Mapping) -> None:
    supervisor = data.get("supervisor")
    if supervisor is not None and supervisor.provider_id != actor.provider_id:
        raise ValidationError({"supervisor": "Choose a member of your service's staff"})
    client = data.get("client")
    if client is not None and client.provider_id != actor.provider_id:
        raise ValidationError({"client": "No such client in your service"})


@transaction.atomic
def volunteer_create(*, actor: User, data: Mapping, origin: AuditOrigin | None = None) -> Volunteer:
    """A volunteer record for an account of the volunteer role."""
    ensure_can(actor, MANAGE)
    user = data.get("user")
    if (
        not isinstance(user, User)
        or user.provider_id != actor.provider_id
        or user.role != Role.VOLUNTEER
    ):
        raise ValidationError({"user": "Choose the volunteer's account"})
    if selectors.volunteer_of(user) is not None:
        raise ValidationError({"user": "This volunteer has a record already"})
    if data.get("client") is not None and actor.role != Role.MANAGER:
        raise ValidationError({"client": "Only a manager links a volunteer to a client record"})
    _check_people(actor, data)
    fields = {name: data[name] for name in VOLUNTEER_FIELDS if name in data}
    return record_save(
        Volunteer(provider_id=actor.provider_id, user=user, **fields),
        actor=actor,
        origin=origin,
        client=None,
        detail="volunteer record made",
    )


@transaction.atomic
def volunteer_update(
    *, actor: User, volunteer: Volunteer, data: Mapping, origin: AuditOrigin | None = None
) -> Volunteer:
    ensure_can(actor, MANAGE)
    _check_people(actor, data)
    for name in VOLUNTEER_FIELDS:
        if name == "client" and actor.role != Role.MANAGER:
            continue  # only a manager sees, and so changes, the client link
        if name in data:
            setattr(volunteer, name, data[name])
    return record_save(
        volunteer,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        client=None,
        detail="volunteer record changed",
    )


def _not_future(day: datetime.date | None, field: str) -> datetime.date:
    if day is None:
        raise ValidationError({field: "Enter the date"})
    if day > _today():
        raise ValidationError({field: "The date cannot be in the future"})
    return day


@transaction.atomic
def training_record(
    *, actor: User, volunteer: Volunteer, data: Mapping, origin: AuditOrigin | None = None
) -> TrainingRecord:
    """A course the volunteer completed, with the day it must be refreshed by."""
    ensure_can(actor, MANAGE)
    course = data.get("course") or ""
    if course not in Course.values:
        raise ValidationError({"course": "Choose the course"})
    completed = _not_future(data.get("completed_on"), "completed_on")
    refresh_by = data.get("refresh_by")
    if refresh_by is None:
        raise ValidationError({"refresh_by": "Enter the date the course must be refreshed by"})
    if refresh_by <= completed:
        raise ValidationError({"refresh_by": "The refresh date must be after the completion"})
    return record_save(
        TrainingRecord(
            provider_id=actor.provider_id,
            volunteer=volunteer,
            course=course,
            completed_on=completed,
            refresh_by=refresh_by,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"volunteer training: {Course(course).label.lower()}",
    )


@transaction.atomic
def supervision_record(
    *, actor: User, volunteer: Volunteer, data: Mapping, origin: AuditOrigin | None = None
) -> SupervisionSession:
    ensure_can(actor, MANAGE)
    held = _not_future(data.get("held_on"), "held_on")
    supervisor = data.get("supervisor") or actor
    if supervisor.provider_id != actor.provider_id:
        raise ValidationError({"supervisor": "Choose a member of your service's staff"})
    next_due = data.get("next_due_on")
    if next_due is None or next_due <= held:
        raise ValidationError({"next_due_on": "Enter the next supervision, after this one"})
    if not data.get("wellbeing"):
        raise ValidationError({"wellbeing": "Choose how the volunteer is"})
    return record_save(
        SupervisionSession(
            provider_id=actor.provider_id,
            volunteer=volunteer,
            held_on=held,
            supervisor=supervisor,
            wellbeing=data["wellbeing"],
            notes=(data.get("notes") or "").strip(),
            next_due_on=next_due,
        ),
        actor=actor,
        origin=origin,
        detail="volunteer supervision",
    )


@transaction.atomic
def hours_record(
    *, actor: User, volunteer: Volunteer, data: Mapping, origin: AuditOrigin | None = None
) -> HoursGiven:
    """The hours a volunteer gave in a month (a second entry for the month replaces it)."""
    ensure_can(actor, MANAGE)
    month = _not_future(data.get("month"), "month").replace(day=1)
    hours = data.get("hours")
    if hours is None or hours <= 0:
        raise ValidationError({"hours": "Enter the hours given, more than 0"})
    record = HoursGiven.objects.filter(volunteer=volunteer, month=month).first() or HoursGiven(
        provider_id=actor.provider_id, volunteer=volunteer, month=month
    )
    record.hours, record.recorded_by = hours, actor
    return record_save(
        record,
        actor=actor,
        action=Action.UPDATE if record.pk else Action.CREATE,
        origin=origin,
        detail=f"volunteer hours for {month:%B %Y}",
    )


@transaction.atomic
def representation_record(
    *, actor: User, volunteer: Volunteer, data: Mapping, origin: AuditOrigin | None = None
) -> Representation:
    ensure_can(actor, MANAGE)
    forum = (data.get("forum") or "").strip()
    if not forum:
        raise ValidationError({"forum": "Enter the meeting"})
    return record_save(
        Representation(
            provider_id=actor.provider_id,
            volunteer=volunteer,
            on=_not_future(data.get("on"), "on"),
            forum=forum,
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail="volunteer representation",
    )


# The naloxone rule (registered with naloxone's supply_checks in apps.py) -------------------


def naloxone_training_check(*, actor: User, on: datetime.date) -> None:
    """A volunteer supplies naloxone only while their naloxone supply training is in date
    (H-200); staff are not volunteers and are not asked."""
    if actor.role != Role.VOLUNTEER:
        return
    volunteer = selectors.volunteer_of(actor)
    if volunteer is not None and selectors.training_in_date(
        volunteer=volunteer, course=Course.NALOXONE_SUPPLY, on=on
    ):
        return
    latest = (
        selectors.latest_training(volunteer=volunteer, course=Course.NALOXONE_SUPPLY)
        if volunteer
        else None
    )
    if latest is None:
        when = "is not recorded"
    elif latest.refresh_by < on:
        when = f"expired on {latest.refresh_by:%d/%m/%Y}"
    else:
        when = f"starts on {latest.completed_on:%d/%m/%Y}"
    raise ValidationError({"naloxone": NALOXONE_TRAINING_LAPSED.format(when=when)})


# Shifts and lone working -------------------------------------------------------------------


@transaction.atomic
def shift_create(*, actor: User, data: Mapping, origin: AuditOrigin | None = None) -> Shift:
    ensure_can(actor, MANAGE)
    area = (data.get("area") or "").strip()
    if not area:
        raise ValidationError({"area": "Enter the area of the shift"})
    site = data.get("site")
    if site is None or site.provider_id != actor.provider_id:
        raise ValidationError({"site": "Choose the base the stock comes from"})
    if data.get("on") is None:
        raise ValidationError({"on": "Enter the date of the shift"})
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None:
        raise ValidationError({"starts_at": "Enter the start time of the shift"})
    if ends is None or ends == starts:
        raise ValidationError({"ends_at": "Enter an end time different from the start time"})
    length = Shift(on=data["on"], starts_at=starts, ends_at=ends).length
    if length > SHIFT_LONGEST:
        hours = SHIFT_LONGEST.total_seconds() // 3600
        raise ValidationError(
            {
                "ends_at": f"A shift is at most {hours:.0f} hours: enter an end time within "
                f"{hours:.0f} hours of the start (an end before the start is the next morning)"
            }
        )
    duty = data.get("duty_manager")
    if duty is None or duty.provider_id != actor.provider_id or duty.role != Role.MANAGER:
        raise ValidationError({"duty_manager": "Choose the duty manager"})
    volunteers = list(data.get("volunteers") or [])
    if not volunteers or any(v.provider_id != actor.provider_id for v in volunteers):
        raise ValidationError({"volunteers": "Choose the volunteers on the shift"})
    inactive = [v for v in volunteers if v.status != VolunteerStatus.ACTIVE]
    if inactive:
        raise ValidationError(
            {"volunteers": f"{inactive[0]} is not an active volunteer: choose active volunteers"}
        )
    staff = list(data.get("staff") or [])
    if any(u.provider_id != actor.provider_id for u in staff):
        raise ValidationError({"staff": "Choose staff of your service"})
    shift = record_save(
        Shift(
            provider_id=actor.provider_id,
            on=data["on"],
            area=area,
            site=site,
            starts_at=starts,
            ends_at=ends,
            duty_manager=duty,
            created_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail=f"outreach shift in {area}",
    )
    shift.volunteers.set(volunteers)
    shift.staff.set(staff)
    return shift


def _on_shift(actor: User, shift: Shift) -> Volunteer:
    ensure_can(actor, RECORD_OUTREACH)
    volunteer = selectors.volunteer_of(actor)
    if volunteer is None or not shift.volunteers.filter(pk=volunteer.pk).exists():
        raise PermissionDenied
    if volunteer.status != VolunteerStatus.ACTIVE:
        # Paused (a peer's wellbeing, a DBS check awaited) or left: no outreach, also on
        # shifts they were put on before (H-201).
        raise ValidationError(
            "Your volunteering is paused, so you cannot work on a shift: ask your supervisor"
        )
    return volunteer


@transaction.atomic
def check_in(*, actor: User, shift: Shift, origin: AuditOrigin | None = None) -> CheckIn:
    """A volunteer starts lone working on their shift; due to check out by its end (the
    next morning for a shift past midnight, H-206)."""
    volunteer = _on_shift(actor, shift)
    if shift.on > _today():
        raise ValidationError("Check in on the day of the shift")
    existing = selectors.check_in_of(shift=shift, volunteer=volunteer)
    if existing is not None:
        return existing  # checked in already (a retry from a phone that lost its signal)
    now = timezone.now()
    due = shift.end()
    if due <= now:
        raise ValidationError("This shift has ended: it is too late to check in")
    return record_save(
        CheckIn(
            provider_id=actor.provider_id,
            shift=shift,
            volunteer=volunteer,
            checked_in_at=now,
            check_out_due_at=due,
        ),
        actor=actor,
        origin=origin,
        detail=f"checked in on outreach in {shift.area}",
    )


@transaction.atomic
def check_out(*, actor: User, shift: Shift, origin: AuditOrigin | None = None) -> CheckIn:
    volunteer = _on_shift(actor, shift)
    record = CheckIn.objects.select_for_update().filter(shift=shift, volunteer=volunteer).first()
    if record is None:
        raise ValidationError("You have not checked in on this shift")
    if record.checked_out_at is not None:
        return record
    record.checked_out_at = timezone.now()
    return record_save(
        record,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"checked out of outreach in {shift.area}",
    )


@transaction.atomic
def check_outs_overdue_alert(*, now: datetime.datetime | None = None) -> int:
    """Alert the duty manager of each check-in past its check-out time, once (H-202).
    Run every few minutes (manage.py lone_working_check)."""
    now = now or timezone.now()
    alerted = 0
    for record in selectors.check_outs_overdue(now=now).select_for_update(of=("self",)):
        shift = record.shift
        # The duty manager; if their account is no longer active, the service's managers
        # (a lone worker not checked out must reach somebody, H-202).
        alert_raise(
            provider=shift.duty_manager.provider,
            recipients=[shift.duty_manager],
            or_managers=True,
            kind=LONE_WORKING_ALERT,
            title=f"Urgent: {record.volunteer.name} has not checked out of outreach",
            message=(
                f"{record.volunteer.name} was due to check out of the {shift.area} shift by "
                f"{timezone.localtime(record.check_out_due_at):%H:%M}. Phone them now; if "
                "they cannot be reached, follow the lone working procedure. Emergency "
                f"contact: {record.volunteer.emergency_contact_name}, "
                f"{record.volunteer.emergency_contact_phone}."
            ),
            link=reverse("volunteers:shift", args=[shift.pk]),
        )
        record.alerted_at = now
        record.save(update_fields=["alerted_at"])
        audit_record(
            actor=None, action=Action.UPDATE, obj=record, detail="overdue check-out alerted"
        )
        alerted += 1
    return alerted


# Contacts and referrals --------------------------------------------------------------------


def _check_contact(data: Mapping, on: datetime.date) -> dict:
    initials = (data.get("initials") or "").strip()
    dob, sex = data.get("date_of_birth"), data.get("sex") or ""
    attributor = {"initials": "", "date_of_birth": None, "sex": ""}
    if initials or dob or sex:
        initials = harm_reduction.attributor_check(
            initials=initials, date_of_birth=dob, sex=sex, on=on
        )
        attributor = {"initials": initials, "date_of_birth": dob, "sex": sex}
    advice = list(data.get("advice") or [])
    if any(topic not in AdviceTopic.values for topic in advice):
        raise ValidationError({"advice": "Choose the advice from the list"})
    concern = data.get("concern") or ""
    if concern not in Concern.values:
        raise ValidationError({"concern": "Say whether you had an overdose or welfare concern"})
    if concern != Concern.NONE and not (data.get("concern_notes") or "").strip():
        raise ValidationError({"concern_notes": "Say what the concern is and what you did"})
    referral_to = data.get("referral_to") or ""
    if referral_to and referral_to not in ReferralTo.values:
        raise ValidationError({"referral_to": "Choose where you referred the person"})
    return attributor


def _naloxone_pack(
    actor: User, shift: Shift, on: datetime.date, origin: AuditOrigin | None
) -> NaloxoneSupply:
    """One kit from the shift's base, the soonest-expiring batch that may be supplied, by
    naloxone's supply service (stock moves; its checks and the training check hold)."""
    balance = (
        naloxone_selectors.supply_batches(provider=actor.provider, on=on)
        .filter(site=shift.site)
        .first()
    )
    if balance is None:
        raise ValidationError(
            {"naloxone": f"No naloxone kits to supply at {shift.site.name}: ask the duty manager"}
        )
    try:
        return naloxone.supply_record(
            actor=actor,
            batch=balance.batch,
            site=shift.site,
            recipient=Recipient.PEER,
            on=on,
            trained_by=actor,
            training_topics=list(naloxone.REQUIRED_TOPICS),
            origin=origin,
        )
    except ValidationError as error:
        messages = error.messages
        raise ValidationError({"naloxone": messages}) from error


@transaction.atomic
def contact_record(
    *,
    actor: User,
    shift: Shift,
    data: Mapping,
    origin: AuditOrigin | None = None,
    recorded_on: datetime.date | None = None,
) -> OutreachContact:
    """A person met on the shift, with what they were given and any referral.
    `recorded_on` is the day it is recorded: today, unless the demo seeds past shifts."""
    volunteer = _on_shift(actor, shift)
    today = recorded_on or _today()
    if shift.on > today:
        raise ValidationError("This shift has not started: record contacts on its day")
    # A contact kept on a phone without a signal is sent by the day after the shift ends
    # (the next morning's, for a shift past midnight: H-206); an older shift takes none
    # (else a lapsed training, H-200, or a late referral, H-203, would be dated back to it).
    if shift.ends_on < today - datetime.timedelta(days=CONTACT_LATEST_DAYS):
        raise ValidationError(
            "This shift is over: record a contact on the day of its shift, or the day after it ends"
        )
    now = timezone.now()
    at = data.get("at") or now
    if data.get("at") and not (shift.start() - datetime.timedelta(hours=1) <= at <= now):
        raise ValidationError({"at": "The time of a contact is during its shift, never ahead"})
    # What is handed over is dated the day it was: after midnight on an evening shift, the
    # next day (the naloxone training must be in date then, H-200).
    on = timezone.localdate(at)
    attributor = _check_contact(data, on)
    supply = None
    if data.get("naloxone"):
        if not data.get("naloxone_trained"):
            raise ValidationError(
                {
                    "naloxone_trained": "Train the person before handing over the kit, and "
                    "tick that you did"
                }
            )
        supply = _naloxone_pack(actor, shift, on, origin)
    nsp = None
    items = {item: n for item, n in (data.get("nsp_items") or {}).items() if n}
    if items:
        if not attributor["initials"]:
            raise ValidationError(
                {"initials": "NSP items need the person's initials, date of birth and sex"}
            )
        nsp = harm_reduction.nsp_transaction_record(
            actor=actor, site=shift.site, date=on, items=items, origin=origin, **attributor
        )
    contact = record_save(
        OutreachContact(
            provider_id=actor.provider_id,
            shift=shift,
            volunteer=volunteer,
            at=at,
            advice=[t for t in AdviceTopic.values if t in set(data.get("advice") or [])],
            water=bool(data.get("water")),
            food=bool(data.get("food")),
            leaflet=bool(data.get("leaflet")),
            naloxone_supply=supply,
            nsp_transaction=nsp,
            concern=data["concern"],
            concern_notes=(data.get("concern_notes") or "").strip(),
            **attributor,
        ),
        actor=actor,
        origin=origin,
        detail=f"outreach contact in {shift.area}",
    )
    if data.get("referral_to"):
        record_save(
            OutreachReferral(
                provider_id=actor.provider_id,
                contact=contact,
                to=data["referral_to"],
                notes=(data.get("referral_notes") or "").strip(),
                made_at=contact.at,
            ),
            actor=actor,
            origin=origin,
            detail=f"outreach referral to {ReferralTo(data['referral_to']).label}",
        )
    elif contact.concern != Concern.NONE:
        _concern_alert(shift=shift, contact=contact, volunteer=volunteer)
    return contact


def _concern_alert(*, shift: Shift, contact: OutreachContact, volunteer: Volunteer) -> None:
    """An overdose or welfare concern with no referral reaches the shift's duty manager at
    once (the managers, if their account is no longer active): nobody else would hear of
    it (H-205). A concern with a referral is followed through the referrals (H-203)."""
    overdose = contact.concern == Concern.OVERDOSE
    what = contact.get_concern_display().lower()
    alert_raise(
        provider=shift.duty_manager.provider,
        recipients=[shift.duty_manager],
        or_managers=True,
        kind=CONCERN_ALERT,
        title=f"{'Urgent: o' if overdose else 'W'}{what[1:]} on outreach in {shift.area}, "
        "no referral made",
        message=(
            f"{volunteer.name} recorded {'an' if overdose else 'a'} {what} at "
            f"{timezone.localtime(contact.at):%H:%M on %d/%m/%Y} on the {shift.area} shift "
            f"and made no referral: {contact.concern_notes} Speak to {volunteer.name} today "
            "and decide with them what follow-up the person needs."
        ),
        link=reverse("volunteers:shift", args=[shift.pk]),
    )


@transaction.atomic
def referral_pick_up(
    *, actor: User, referral: OutreachReferral, origin: AuditOrigin | None = None
) -> OutreachReferral:
    ensure_can(actor, FOLLOW_REFERRALS)
    referral = OutreachReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.picked_up_at is not None:
        raise ValidationError("This referral has been picked up already")
    referral.picked_up_by, referral.picked_up_at = actor, timezone.now()
    return record_save(
        referral, actor=actor, action=Action.UPDATE, origin=origin, detail="referral picked up"
    )


@transaction.atomic
def referral_outcome_record(
    *,
    actor: User,
    referral: OutreachReferral,
    data: Mapping,
    origin: AuditOrigin | None = None,
) -> OutreachReferral:
    """The outcome of a referral; recording it picks it up when nobody had."""
    ensure_can(actor, FOLLOW_REFERRALS)
    referral = OutreachReferral.objects.select_for_update().get(pk=referral.pk)
    outcome = data.get("outcome") or ""
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the referral"})
    if referral.outcome:
        raise ValidationError({"outcome": "This referral's outcome is recorded already"})
    now = timezone.now()
    if referral.picked_up_at is None:
        referral.picked_up_by, referral.picked_up_at = actor, now
    referral.outcome, referral.outcome_at = outcome, now
    referral.outcome_notes = (data.get("outcome_notes") or "").strip()
    return record_save(
        referral,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"referral outcome: {ReferralOutcome(outcome).label.lower()}",
    )
