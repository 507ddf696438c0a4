"""Reads of peer volunteers and outreach: one record for a user (their provider's, and a
volunteer only their own), lists for staff, a volunteer's own day, the overdue lists
(supervision, check-outs, referrals not picked up) and the outreach figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from beacon.core import working_days
from beacon.core.models import Provider, Site, Team, User
from beacon.core.permissions import ensure_can, user_can
from beacon.core.roles import Role
from beacon.volunteers.models import (
    CheckIn,
    Course,
    HoursGiven,
    OutreachContact,
    OutreachReferral,
    Shift,
    SupervisionSession,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from beacon.volunteers.rules import FOLLOW_REFERRALS, MANAGE, OWN_DAY

# A referral not picked up after this many working days is listed (issue 15).
REFERRAL_PICK_UP_WORKING_DAYS = 2


# Records -----------------------------------------------------------------------------------


def own_volunteer(*, user: User) -> Volunteer:
    """The volunteer record of a signed-in volunteer (404 when none was made for them)."""
    ensure_can(user, OWN_DAY)
    volunteer = (
        Volunteer.objects.filter(provider_id=user.provider_id, user=user)
        .select_related("user")
        .first()
    )
    if volunteer is None:
        raise Http404("No volunteer record for you yet: ask your supervisor")
    return volunteer


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer record of `user`, if they have one (no permission asked)."""
    return Volunteer.objects.filter(provider_id=user.provider_id, user=user).first()


def volunteer_get(*, user: User, volunteer_id: int) -> Volunteer:
    """One volunteer of the user's provider, for staff (a volunteer is refused)."""
    ensure_can(user, MANAGE)
    volunteer = (
        Volunteer.objects.filter(provider_id=user.provider_id, pk=volunteer_id)
        .select_related("user", "supervisor", "client")
        .first()
    )
    if volunteer is None:
        raise Http404("No such volunteer")
    return volunteer


def shifts_visible_to(user: User) -> QuerySet[Shift]:
    """Staff see every shift of their provider; a volunteer only the shifts they are on."""
    shifts = Shift.objects.filter(provider_id=user.provider_id)
    if user_can(user, MANAGE):
        return shifts
    if user_can(user, OWN_DAY):
        return shifts.filter(volunteers__user=user)
    return shifts.none()


def shift_get(*, user: User, shift_id: int) -> Shift:
    """One shift the user may see (404 otherwise: another provider's, or a shift a
    volunteer is not on)."""
    if not (user_can(user, MANAGE) or user_can(user, OWN_DAY)):
        ensure_can(user, MANAGE)
    shift = (
        shifts_visible_to(user)
        .filter(pk=shift_id)
        .select_related("site", "duty_manager")
        .prefetch_related("volunteers__user", "staff")
        .first()
    )
    if shift is None:
        raise Http404("No such shift")
    return shift


def contacts_visible_to(user: User) -> QuerySet[OutreachContact]:
    contacts = OutreachContact.objects.filter(provider_id=user.provider_id)
    if user_can(user, MANAGE):
        return contacts
    if user_can(user, OWN_DAY):
        return contacts.filter(volunteer__user=user)
    return contacts.none()


def referrals_visible_to(user: User) -> QuerySet[OutreachReferral]:
    referrals = OutreachReferral.objects.filter(provider_id=user.provider_id).select_related(
        "contact__shift", "contact__volunteer__user", "picked_up_by"
    )
    if user_can(user, FOLLOW_REFERRALS):
        return referrals
    if user_can(user, OWN_DAY):
        return referrals.filter(contact__volunteer__user=user)
    return referrals.none()


def referral_get(
    *, user: User, referral_id: int, permission: str = FOLLOW_REFERRALS
) -> OutreachReferral:
    ensure_can(user, permission)
    referral = referrals_visible_to(user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral")
    return referral


# Lists -------------------------------------------------------------------------------------


def volunteers_search(*, provider: Provider, query: str = "", status: str = "") -> QuerySet:
    volunteers = Volunteer.objects.filter(provider=provider).select_related("user", "supervisor")
    if query:
        volunteers = volunteers.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__username__icontains=query)
        )
    if status:
        volunteers = volunteers.filter(status=status)
    return volunteers


def volunteer_users_without_record(*, provider: Provider) -> QuerySet[User]:
    """Accounts of the volunteer role that have no volunteer record yet."""
    return provider.users.filter(role=Role.VOLUNTEER, is_active=True, volunteer__isnull=True)


def supervisors(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(
        is_active=True, role__in=[Role.MANAGER, Role.KEYWORKER, Role.NURSE]
    ).order_by("last_name", "first_name")


def duty_managers(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(is_active=True, role=Role.MANAGER).order_by(
        "last_name", "first_name"
    )


def training_of(*, volunteer: Volunteer) -> QuerySet[TrainingRecord]:
    return volunteer.training.all()


def supervision_of(*, volunteer: Volunteer) -> QuerySet[SupervisionSession]:
    return volunteer.supervision.select_related("supervisor")


def training_in_date(*, volunteer: Volunteer, course: str, on: datetime.date) -> bool:
    """Has the volunteer a completed `course` that is in date on `on` (completed by then
    and not past its refresh date)? The one rule the naloxone supply check reads (H-200)."""
    return volunteer.training.filter(
        course=course, completed_on__lte=on, refresh_by__gte=on
    ).exists()


def latest_training(*, volunteer: Volunteer, course: str) -> TrainingRecord | None:
    return volunteer.training.filter(course=course).order_by("-refresh_by", "-id").first()


def supervision_overdue(*, provider: Provider, today: datetime.date) -> list[Volunteer]:
    """Active volunteers whose latest supervision's next-due date has passed, or who have
    never had supervision: most overdue first (never first)."""
    volunteers = (
        Volunteer.objects.filter(provider=provider, status=VolunteerStatus.ACTIVE)
        .select_related("user", "supervisor")
        .prefetch_related("supervision")
    )
    overdue = []
    for volunteer in volunteers:
        latest = max(volunteer.supervision.all(), key=lambda s: (s.held_on, s.pk), default=None)
        if latest is None or latest.next_due_on < today:
            overdue.append((latest.next_due_on if latest else datetime.date.min, volunteer))
    overdue.sort(key=lambda pair: (pair[0], pair[1].pk))
    return [volunteer for _due, volunteer in overdue]


def last_supervision(volunteer: Volunteer) -> SupervisionSession | None:
    return max(volunteer.supervision.all(), key=lambda s: (s.held_on, s.pk), default=None)


def shifts_search(
    *, user: User, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Shift]:
    shifts = shifts_visible_to(user).select_related("site", "duty_manager")
    if start:
        shifts = shifts.filter(on__gte=start)
    if end:
        shifts = shifts.filter(on__lte=end)
    return (
        shifts.prefetch_related("volunteers__user")
        .annotate(contact_count=Count("contacts", distinct=True))
        .order_by("-on", "-starts_at", "-id")
    )


def check_in_of(*, shift: Shift, volunteer: Volunteer) -> CheckIn | None:
    return CheckIn.objects.filter(shift=shift, volunteer=volunteer).first()


def check_outs_overdue(*, now: datetime.datetime) -> QuerySet[CheckIn]:
    """Check-ins past their check-out time with no check-out and no alert yet."""
    return CheckIn.objects.filter(
        checked_out_at__isnull=True, alerted_at__isnull=True, check_out_due_at__lt=now
    ).select_related("shift__duty_manager", "volunteer__user", "shift")


@dataclass(frozen=True)
class VolunteerDay:
    """A volunteer's home: today's and coming shifts (with their own check-in), their
    contacts today, and their training."""

    volunteer: Volunteer
    shifts: list[tuple[Shift, CheckIn | None]]
    contacts_today: list[OutreachContact]
    training: list[TrainingRecord]
    supervision: list[SupervisionSession]
    naloxone_in_date: bool


def volunteer_day(*, user: User, today: datetime.date) -> VolunteerDay:
    volunteer = own_volunteer(user=user)
    # Last night's shift past midnight is still today's: the volunteer checks out of it.
    past_midnight = Q(on=today - datetime.timedelta(days=1), ends_at__lt=F("starts_at"))
    shifts = list(
        shifts_visible_to(user)
        .filter(Q(on__gte=today, on__lte=today + datetime.timedelta(days=14)) | past_midnight)
        .select_related("site")
        .order_by("on", "starts_at")
    )
    checks = {c.shift_id: c for c in CheckIn.objects.filter(volunteer=volunteer, shift__in=shifts)}
    contacts = list(
        contacts_visible_to(user)
        .filter(shift__in=[shift for shift in shifts if shift.on <= today])
        .select_related("shift")
        .prefetch_related("referrals")
    )
    return VolunteerDay(
        volunteer=volunteer,
        shifts=[(shift, checks.get(shift.pk)) for shift in shifts],
        contacts_today=contacts,
        training=list(training_of(volunteer=volunteer)),
        supervision=list(supervision_of(volunteer=volunteer)),
        naloxone_in_date=training_in_date(
            volunteer=volunteer, course=Course.NALOXONE_SUPPLY, on=today
        ),
    )


# The referral filters that tell whether a referral has an outcome: staff only (H-201).
OUTCOME_STATES = ("open", "done")


def referrals_search(
    *, user: User, to: str = "", state: str = "", today: datetime.date | None = None
) -> QuerySet[OutreachReferral]:
    """Referrals the user may see; `state`: "waiting" (not picked up), "picked_up", "late"
    (not picked up after 2 working days), and for staff who follow referrals "open" (picked
    up, no outcome) and "done" (an outcome): narrowing by outcome would tell a volunteer
    which have one (H-201), so they are refused it."""
    if state in OUTCOME_STATES:
        ensure_can(user, FOLLOW_REFERRALS)
    referrals = referrals_visible_to(user)
    if to:
        referrals = referrals.filter(to=to)
    if state == "waiting":
        referrals = referrals.filter(picked_up_at__isnull=True)
    elif state == "picked_up":
        referrals = referrals.filter(picked_up_at__isnull=False)
    elif state == "open":
        referrals = referrals.filter(picked_up_at__isnull=False, outcome="")
    elif state == "done":
        referrals = referrals.exclude(outcome="")
    elif state == "late":
        referrals = referrals_not_picked_up(user=user, today=today or timezone.localdate())
    return referrals


def referrals_not_picked_up(*, user: User, today: datetime.date) -> QuerySet[OutreachReferral]:
    """Referrals made 2 working days ago or earlier that nobody has picked up."""
    cutoff = working_days.working_days_before(today, REFERRAL_PICK_UP_WORKING_DAYS)
    return referrals_visible_to(user).filter(picked_up_at__isnull=True, made_at__date__lte=cutoff)


# Figures -----------------------------------------------------------------------------------


def _contacts_in(
    *,
    provider: Provider,
    start: datetime.date,
    end: datetime.date,
    site: Site | None = None,
    team: Team | None = None,
) -> QuerySet[OutreachContact]:
    contacts = OutreachContact.objects.filter(
        provider=provider, shift__on__gte=start, shift__on__lte=end
    )
    if site is not None:
        contacts = contacts.filter(shift__site=site)
    if team is not None:
        # A volunteer belongs to a team through their supervisor.
        contacts = contacts.filter(volunteer__supervisor__team=team)
    return contacts


def outreach_figures(
    *,
    provider: Provider,
    start: datetime.date,
    end: datetime.date,
    site: Site | None = None,
    team: Team | None = None,
) -> dict:
    """For the KPI dashboard: contacts by volunteers in a period, naloxone kits they
    supplied (not reversed), referrals made and referrals with an outcome."""
    contacts = _contacts_in(provider=provider, start=start, end=end, site=site, team=team)
    referrals = OutreachReferral.objects.filter(contact__in=contacts)
    return {
        "volunteer_contacts": contacts.count(),
        "naloxone_by_volunteers": contacts.filter(
            naloxone_supply__isnull=False, naloxone_supply__reversal__isnull=True
        ).count(),
        "referrals_made": referrals.count(),
        "referrals_with_outcome": referrals.exclude(outcome="").count(),
    }


@dataclass(frozen=True)
class ActivityRow:
    """One area in one month of the outreach activity report."""

    month: datetime.date
    area: str
    shifts: int
    contacts: int
    water: int
    food: int
    leaflets: int
    advice: int
    naloxone: int
    nsp: int
    concerns: int
    referrals: int
    referral_outcomes: int


def outreach_activity(
    *, provider: Provider, start: datetime.date, end: datetime.date
) -> list[ActivityRow]:
    """The outreach activity of a period by month and area, aggregated in the database."""
    shifts = (
        Shift.objects.filter(provider=provider, on__gte=start, on__lte=end)
        .annotate(month=TruncMonth("on"))
        .values("month", "area")
        .annotate(count=Count("id"))
    )
    shift_counts = {(row["month"], row["area"]): row["count"] for row in shifts}
    contact_rows = (
        _contacts_in(provider=provider, start=start, end=end)
        .annotate(month=TruncMonth("shift__on"), area=F("shift__area"))
        .values("month", "area")
        .annotate(
            contacts=Count("id", distinct=True),
            water=Count("id", filter=Q(water=True), distinct=True),
            food=Count("id", filter=Q(food=True), distinct=True),
            leaflets=Count("id", filter=Q(leaflet=True), distinct=True),
            advice=Count("id", filter=~Q(advice=[]), distinct=True),
            naloxone=Count(
                "id",
                filter=Q(naloxone_supply__isnull=False, naloxone_supply__reversal__isnull=True),
                distinct=True,
            ),
            nsp=Count("id", filter=Q(nsp_transaction__isnull=False), distinct=True),
            concerns=Count("id", filter=~Q(concern="none"), distinct=True),
            referrals_made=Count("referrals", distinct=True),
            referrals_done=Count("referrals", filter=~Q(referrals__outcome=""), distinct=True),
        )
    )
    by_key = {(row["month"], row["area"]): row for row in contact_rows}
    rows = []
    for key in sorted(set(shift_counts) | set(by_key), key=lambda k: (_day(k[0]), k[1])):
        row = dict(by_key.get(key, {}))
        row["referrals"] = row.get("referrals_made", 0)
        row["referral_outcomes"] = row.get("referrals_done", 0)
        rows.append(
            ActivityRow(
                month=_day(key[0]),
                area=key[1],
                shifts=shift_counts.get(key, 0),
                **{
                    name: row.get(name, 0)
                    for name in (
                        "contacts",
                        "water",
                        "food",
                        "leaflets",
                        "advice",
                        "naloxone",
                        "nsp",
                        "concerns",
                        "referrals",
                        "referral_outcomes",
                    )
                },
            )
        )
    return rows


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def referral_outcomes(*, provider: Provider, start: datetime.date, end: datetime.date) -> dict:
    """How many referrals of the period went to each place, and how many of each outcome."""
    referrals = OutreachReferral.objects.filter(
        provider=provider, contact__shift__on__gte=start, contact__shift__on__lte=end
    )
    return {
        "by_place": dict(referrals.values_list("to").annotate(n=Count("id")).order_by("to")),
        "by_outcome": dict(
            referrals.exclude(outcome="")
            .values_list("outcome")
            .annotate(n=Count("id"))
            .order_by("outcome")
        ),
    }


def training_delivered(*, provider: Provider, start: datetime.date, end: datetime.date) -> dict:
    """Courses completed by volunteers in the period, by course."""
    return dict(
        TrainingRecord.objects.filter(
            provider=provider, completed_on__gte=start, completed_on__lte=end
        )
        .values_list("course")
        .annotate(n=Count("id"))
        .order_by("course")
    )


def hours_given(*, provider: Provider, start: datetime.date, end: datetime.date) -> Decimal | None:
    return HoursGiven.objects.filter(
        provider=provider, month__gte=start.replace(day=1), month__lte=end
    ).aggregate(total=Sum("hours"))["total"]
