"""Reads of appointments, contacts, case notes, groups and follow-ups: the record loaders,
the diary, the caseload's columns and flags, the timeline and the attendance figures.

The caseload columns and flags are annotations, so a page of clients costs the same
queries with 10 or 1,000 contacts each.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.clients.selectors import client_search
from beacon.contacts.models import (
    CLIENT_OUTCOMES,
    FACE_TO_FACE_KINDS,
    HOLDS_TIME,
    LONGEST_MINUTES,
    Appointment,
    AppointmentOutcome,
    CaseNote,
    FollowUpTask,
    GroupSession,
)
from beacon.contacts.rules import BOOKABLE_ROLES, not_seen_days
from beacon.core.models import Provider, Team, User
from beacon.core.permissions import ensure_can
from beacon.core.selectors import within_london_days
from beacon.prescribing.models import Prescription
from beacon.treatment.models import (
    PlanAction,
    PlanGoal,
    PlanReview,
    TreatmentOutcomesProfile,
)
from beacon.treatment.selectors.plans import current_recovery_plans

VIEW = "contacts.view_contacts"


def _appointments(provider: Provider) -> QuerySet[Appointment]:
    return Appointment.objects.filter(provider=provider).select_related(
        "client", "staff", "site", "booked_by", "group_session"
    )


def appointment_get(*, user: User, appointment_id: int, permission: str = VIEW) -> Appointment:
    """One appointment of the user's provider (404 otherwise), refused (403) when the user
    may not do `permission` for its client."""
    appointment = _appointments(user.provider).filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404("No such appointment")
    ensure_can(user, permission, appointment.client)
    return appointment


def case_note_get(*, user: User, note_id: int, permission: str = VIEW) -> CaseNote:
    note = (
        CaseNote.objects.filter(provider=user.provider, pk=note_id)
        .select_related("client", "appointment", "written_by")
        .first()
    )
    if note is None:
        raise Http404("No such case note")
    ensure_can(user, permission, note.client)
    return note


def group_session_get(*, user: User, group_id: int) -> GroupSession:
    ensure_can(user, "contacts.run_groups")
    group = (
        GroupSession.objects.filter(provider=user.provider, pk=group_id)
        .select_related("facilitator", "site")
        .first()
    )
    if group is None:
        raise Http404("No such group session")
    return group


def follow_up_get(*, user: User, follow_up_id: int) -> FollowUpTask:
    follow_up = (
        FollowUpTask.objects.filter(provider=user.provider, pk=follow_up_id)
        .select_related("client", "appointment", "assigned_to")
        .first()
    )
    if follow_up is None:
        raise Http404("No such follow-up")
    ensure_can(user, "contacts.record_contact", follow_up.client)
    return follow_up


def group_sessions(
    *,
    provider: Provider,
    name: str = "",
    facilitator: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[GroupSession]:
    """The provider's group sessions, newest first, each with how many came (`attending`):
    `name` matches part of one, dates are London days, both ends included."""
    groups = (
        GroupSession.objects.filter(provider=provider)
        .select_related("facilitator", "site")
        .annotate(attending=Count("attendances"))
        .order_by("-starts_at", "-id")
    )
    if name.strip():
        groups = groups.filter(name__icontains=name.strip())
    if facilitator is not None:
        groups = groups.filter(facilitator=facilitator)
    return within_london_days(groups, "starts_at", date_from=date_from, date_to=date_to)


def plan_links_open(*, client: Client) -> dict:
    """What a case note may link to: the goals and the actions not yet done of the client's
    current recovery plans."""
    plans = current_recovery_plans().filter(client=client)
    return {
        "goals": PlanGoal.objects.filter(plan__in=plans).select_related("plan"),
        "actions": PlanAction.objects.filter(plan__in=plans, done_on__isnull=True).select_related(
            "plan"
        ),
    }


def plan_links_by_id(
    *, provider: Provider, goal_ids: list[int], action_ids: list[int]
) -> tuple[list[PlanGoal], list[PlanAction]]:
    """The plan goals and actions of the provider with these ids (the service checks they
    are the client's)."""
    goals = PlanGoal.objects.filter(provider=provider, pk__in=goal_ids).select_related("plan")
    actions = PlanAction.objects.filter(provider=provider, pk__in=action_ids).select_related("plan")
    return list(goals), list(actions)


def clients_by_pk(*, provider: Provider, pks: list[int]) -> QuerySet[Client]:
    return provider.clients.filter(pk__in=pks)


def client_appointments(*, client: Client) -> QuerySet[Appointment]:
    """Every appointment and contact of a client, latest first."""
    return (
        Appointment.objects.filter(provider_id=client.provider_id, client=client)
        .select_related("staff", "site", "group_session", "follow_up")
        .prefetch_related("case_notes__written_by", "case_notes__goals", "case_notes__actions")
        .order_by("-starts_at", "-id")
    )


def appointment_notes(*, appointment: Appointment) -> QuerySet[CaseNote]:
    return appointment.case_notes.select_related("written_by", "corrects").prefetch_related(
        "goals", "actions"
    )


def bookable_staff(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(role__in=BOOKABLE_ROLES, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def staff_clashes(
    *,
    staff: User,
    starts_at: datetime.datetime,
    minutes: int,
    group_session: GroupSession | None = None,
) -> list[Appointment]:
    """The staff member's appointments that overlap this time (cancelled and missed ones
    free the time; the other attendees of the same group do not clash). No appointment is
    longer than LONGEST_MINUTES, so only those starting that long before can overlap."""
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    candidates = Appointment.objects.filter(
        HOLDS_TIME,
        provider_id=staff.provider_id,
        staff=staff,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - datetime.timedelta(minutes=LONGEST_MINUTES),
    )
    if group_session is not None:
        candidates = candidates.exclude(group_session=group_session)
    return [a for a in candidates.order_by("starts_at") if a.ends_at > starts_at]


# The diary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryPeriod:
    first: datetime.date
    last: datetime.date
    week: bool

    @property
    def days(self) -> list[datetime.date]:
        count = (self.last - self.first).days + 1
        return [self.first + datetime.timedelta(days=n) for n in range(count)]


def diary_period(*, day: datetime.date, week: bool) -> DiaryPeriod:
    if not week:
        return DiaryPeriod(day, day, False)
    monday = day - datetime.timedelta(days=day.weekday())
    return DiaryPeriod(monday, monday + datetime.timedelta(days=6), True)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def diary_appointments(
    *, provider: Provider, staff: list[User], period: DiaryPeriod
) -> QuerySet[Appointment]:
    """The appointments of these staff members in the period, in time order."""
    return (
        _appointments(provider)
        .filter(
            staff__in=staff,
            starts_at__gte=_local_midnight(period.first),
            starts_at__lt=_local_midnight(period.last + datetime.timedelta(days=1)),
        )
        .order_by("starts_at", "staff__last_name", "id")
    )


def team_members(*, provider: Provider, team: Team) -> list[User]:
    return list(bookable_staff(provider=provider).filter(team=team))


# Follow-up -------------------------------------------------------------------------------


def follow_ups_open(
    *,
    user: User,
    everyone: bool = False,
    staff: User | None = None,
    team: Team | None = None,
    overdue: bool = False,
    query: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[FollowUpTask]:
    """Follow-ups not yet done: the user's own, or (a manager) the whole service's, one
    staff member's or those of one team's clients; `overdue` keeps those past due, `query`
    those of the clients the client search finds (a name, NHS or client number)."""
    tasks = FollowUpTask.objects.filter(provider=user.provider, done_at__isnull=True)
    if query.strip():
        tasks = tasks.filter(client__in=client_search(user=user, query=query))
    if not everyone:
        tasks = tasks.filter(assigned_to=user)
    if staff is not None:
        tasks = tasks.filter(assigned_to=staff)
    if team is not None:
        tasks = tasks.filter(client__team=team)
    if overdue:
        tasks = tasks.filter(due_at__lt=now or timezone.now())
    return tasks.select_related("client", "appointment", "assigned_to").order_by("due_at", "id")


# The caseload's columns and flags --------------------------------------------------------


def _latest(queryset: QuerySet, field: str, *, position: int = 0) -> Subquery:
    return Subquery(queryset.values(field)[position : position + 1])


def clients_with_contact_figures(
    clients: QuerySet[Client], *, now: datetime.datetime | None = None
) -> QuerySet[Client]:
    """These clients, each annotated with its last contact, next appointment, last time seen
    face to face, its last two client outcomes and whether it is on OST today: one query."""
    now = now or timezone.now()
    theirs = Appointment.objects.filter(client=OuterRef("pk"))
    past = theirs.filter(starts_at__lte=now)
    outcomes = past.filter(outcome__in=CLIENT_OUTCOMES).order_by("-starts_at", "-id")
    contacts = theirs.filter(outcome=AppointmentOutcome.ATTENDED).order_by("-starts_at")
    upcoming = theirs.filter(starts_at__gt=now, outcome="").order_by("starts_at")
    on_ost = Prescription.objects.filter(client=OuterRef("pk")).current(on=timezone.localdate(now))
    return clients.annotate(
        last_contact_at=_latest(contacts, "starts_at"),
        last_contact_kind=_latest(contacts, "kind"),
        last_seen_at=_latest(contacts.filter(kind__in=FACE_TO_FACE_KINDS), "starts_at"),
        next_appointment_at=_latest(upcoming, "starts_at"),
        last_outcome=_latest(outcomes, "outcome"),
        outcome_before_last=_latest(outcomes, "outcome", position=1),
        on_ost=Exists(on_ost),
    )


class Flag:
    TWO_DNAS = "Two DNAs in a row"
    DNA_ON_OST = "DNA while on OST"
    NOT_SEEN_ON_OST = "On OST, not seen"


def contact_flags(client: Any, *, now: datetime.datetime | None = None) -> list[str]:
    """The caseload's flags for a client annotated by `clients_with_contact_figures`: the
    last two things the client did were DNAs (H-88); the last was a DNA while on OST
    (H-89); on OST and not seen face to face for `not_seen_days()` (H-90)."""
    now = now or timezone.now()
    flags = []
    if (
        client.last_outcome == AppointmentOutcome.DNA
        and client.outcome_before_last == AppointmentOutcome.DNA
    ):
        flags.append(Flag.TWO_DNAS)
    if client.on_ost and client.last_outcome == AppointmentOutcome.DNA:
        flags.append(Flag.DNA_ON_OST)
    if client.on_ost and not_seen_for_too_long(client.last_seen_at, now=now):
        flags.append(Flag.NOT_SEEN_ON_OST)
    return flags


def not_seen_for_too_long(
    last_seen_at: datetime.datetime | None, *, now: datetime.datetime
) -> bool:
    return last_seen_at is None or last_seen_at < now - datetime.timedelta(days=not_seen_days())


def ost_clients_not_seen(*, user: User, query: str = "") -> QuerySet[Client]:
    """Clients the user may open who are on OST today and not seen face to face for
    `not_seen_days()` days (never seen first, then the longest unseen): the query of the
    NOT_SEEN_ON_OST flag (a test keeps the two agreed)."""
    now = timezone.now()
    since = now - datetime.timedelta(days=not_seen_days())
    clients = clients_visible_to(user).select_related("keyworker", "team")
    if query:
        clients = clients.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(client_number__iexact=query)
        )
    return (
        clients_with_contact_figures(clients, now=now)
        .filter(Q(on_ost=True) & (Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=since)))
        .order_by(F("last_seen_at").asc(nulls_first=True), "last_name", "first_name")
    )


# The timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    what: str  # appointment, contact, prescription, top, plan_review
    record: object


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def client_timeline(*, client: Client, limit: int = 50) -> list[TimelineEntry]:
    """The client's contacts and appointments, OST prescriptions, TOPs and plan reviews, in
    one list, latest first (the `limit` latest of each kind: four queries)."""
    entries = [
        TimelineEntry(a.starts_at, "contact" if a.is_contact else "appointment", a)
        for a in client_appointments(client=client)[:limit]
    ]
    prescriptions = Prescription.objects.filter(
        provider_id=client.provider_id, client=client
    ).order_by("-start_date")[:limit]
    entries += [TimelineEntry(_at(p.start_date), "prescription", p) for p in prescriptions]
    tops = TreatmentOutcomesProfile.objects.filter(
        provider_id=client.provider_id, client=client
    ).order_by("-completed_on")[:limit]
    entries += [TimelineEntry(_at(top.completed_on), "top", top) for top in tops]
    reviews = (
        PlanReview.objects.filter(provider_id=client.provider_id, plan__client=client)
        .select_related("reviewed_by")
        .order_by("-reviewed_on")[:limit]
    )
    entries += [TimelineEntry(_at(r.reviewed_on), "plan_review", r) for r in reviews]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


# Attendance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    name: str  # a keyworker's name, or a team's
    team: str
    booked: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.booked if self.booked else None


def _attendance_counts(appointments: QuerySet[Appointment], field: str) -> QuerySet:
    return (
        appointments.values(field)
        .annotate(
            booked=Count("id"),
            attended=Count("id", filter=Q(outcome=AppointmentOutcome.ATTENDED)),
        )
        .order_by(field)
    )


def attendance_appointments(
    *, provider: Provider, first: datetime.date, last: datetime.date
) -> QuerySet[Appointment]:
    """The booked appointments attendance counts: those that began in the period (first to
    last day, UK dates) and by now. Cancellations by the service are not counted as
    booked: the client was never given the chance to come. The one definition, read by
    attendance_figures and the KPIs (beacon/reporting/kpis.py)."""
    return Appointment.objects.filter(
        provider=provider,
        booked=True,
        starts_at__gte=_local_midnight(first),
        starts_at__lt=_local_midnight(last + datetime.timedelta(days=1)),
        starts_at__lte=timezone.now(),
    ).exclude(outcome=AppointmentOutcome.CANCELLED_BY_SERVICE)


def attendance_figures(
    *, provider: Provider, first: datetime.date, last: datetime.date
) -> tuple[list[AttendanceRow], list[AttendanceRow]]:
    """Attended ÷ booked for `attendance_appointments`, per client's keyworker and per
    client's team. Two queries; the outcomes report reads the same figures."""
    appointments = attendance_appointments(provider=provider, first=first, last=last)
    keyworkers = {u.pk: u for u in provider.users.select_related("team")}
    teams = {t.pk: t.name for t in provider.teams.all()}
    by_keyworker = [
        AttendanceRow(
            name=keyworkers[row["client__keyworker"]].display_name
            if row["client__keyworker"]
            else "Not allocated",
            team=(
                keyworkers[row["client__keyworker"]].team.name
                if row["client__keyworker"] and keyworkers[row["client__keyworker"]].team
                else ""
            ),
            booked=row["booked"],
            attended=row["attended"],
        )
        for row in _attendance_counts(appointments, "client__keyworker")
    ]
    by_team = [
        AttendanceRow(
            name=teams[row["client__team"]],
            team=teams[row["client__team"]],
            booked=row["booked"],
            attended=row["attended"],
        )
        for row in _attendance_counts(appointments, "client__team")
    ]
    by_keyworker.sort(key=lambda row: (row.team, row.name))
    return by_keyworker, by_team


def appointments_to_remind(*, provider: Provider, day: datetime.date) -> QuerySet[Appointment]:
    """The provider's booked appointments on `day` (UK time) with no outcome yet: those a
    reminder text is sent about the day before. Consent and a mobile number are checked
    by core's text_queue."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return (
        Appointment.objects.filter(
            provider=provider,
            booked=True,
            outcome="",
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        )
        .select_related("client", "client__provider", "staff", "site")
        .order_by("starts_at", "id")
    )


def group_attendances_visible(*, user: User, group: GroupSession) -> list[Appointment]:
    """The attendances of a group that `user` may see: a group can hold clients of several
    teams, and a keyworker sees only the clients they may open."""
    return list(
        group.attendances.filter(client__in=clients_visible_to(user))
        .select_related("client", "staff", "group_session")
        .order_by("client__last_name", "client__first_name", "id")
    )


def client_next_appointment(*, client: Client, now: datetime.datetime) -> Appointment | None:
    """The client's next booked appointment still to come (no outcome yet), with whom and
    where: the same rule as the caseload's next appointment (`clients_with_contact_figures`)."""
    return (
        Appointment.objects.filter(
            provider_id=client.provider_id, client=client, starts_at__gt=now, outcome=""
        )
        .select_related("staff", "site", "group_session")
        .order_by("starts_at", "id")
        .first()
    )
