"""Reads of criminal-justice work: a client's statuses, hearings, releases, consents and
reports; the prison releases not yet seen and those whose first prescription is due; what a
probation officer may read (only their consenting clients, only what the consent names);
and what was shared with whom."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client, SharingConsent
from beacon.clients.rules import clients_visible_to
from beacon.contacts.models import Appointment, AppointmentOutcome
from beacon.contacts.services import next_working_day
from beacon.core.models import PartnerOrganisation, Provider, User
from beacon.core.permissions import ensure_can
from beacon.core.presenters import date_uk
from beacon.justice.models import (
    SUPERVISED_KINDS,
    JusticeStatus,
    PartnerRead,
    PrisonRelease,
    ProgressReport,
    ReviewHearing,
)
from beacon.justice.rules import READ_SHARED, SUPERVISE, VIEW, clients_shared_with
from beacon.prescribing.models import Prescription

# Kept and missed, as probation asks (a cancellation by the service says nothing of them).
KEPT = [AppointmentOutcome.ATTENDED]
MISSED = [AppointmentOutcome.DNA, AppointmentOutcome.LATE_NOT_SEEN]
# Engaging with treatment as the order requires: in treatment and seen within this many
# days (H-265).
ENGAGEMENT_DAYS = 28
# How far back an officer's attendance summary reaches (the order's start, at most this).
ATTENDANCE_DAYS = 182


def release_seen_days() -> int:
    return settings.BEACON_JUSTICE_RELEASE_SEEN_DAYS


def first_prescription_due(release_date: datetime.date) -> datetime.date:
    """The next working day after release (H-261): the prison's supply covers the day of
    release itself, so the first community prescription must be ready the day after."""
    noon = timezone.make_aware(datetime.datetime.combine(release_date, datetime.time(12)))
    return timezone.localdate(next_working_day(noon))


# A client's own records, for staff with a need to know -------------------------------------


def client_statuses(*, client: Client) -> QuerySet[JusticeStatus]:
    return JusticeStatus.objects.filter(
        provider_id=client.provider_id, client=client
    ).select_related("responsible_officer__partner_organisation")


def client_hearings(*, client: Client) -> QuerySet[ReviewHearing]:
    return ReviewHearing.objects.filter(
        provider_id=client.provider_id, client=client
    ).select_related("status")


def client_releases(*, client: Client) -> QuerySet[PrisonRelease]:
    return PrisonRelease.objects.filter(provider_id=client.provider_id, client=client)


def client_sharing_consents(*, client: Client) -> QuerySet[SharingConsent]:
    return SharingConsent.objects.filter(
        provider_id=client.provider_id, client=client
    ).select_related("partner_organisation", "recorded_by", "withdrawn_by")


def client_reports(*, client: Client) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(
        provider_id=client.provider_id, client=client
    ).select_related("hearing", "partner_organisation", "sent_by", "consent")


def statuses_to_follow(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    past_expected_end_only: bool = False,
    without_end_date_only: bool = False,
    clients: QuerySet[Client] | None = None,
) -> QuerySet[JusticeStatus]:
    """The statuses not yet ended of the clients `user` may open (a keyworker: their team's,
    as everywhere), or of `clients`: those past their expected end first (H-269: nobody has
    recorded how they ended), each annotated `past_expected_end`, then by start. Only the
    licences and supervisions with no end date recorded if `without_end_date_only` (H-280)."""
    rows = (
        JusticeStatus.objects.filter(
            provider_id=user.provider_id,
            client__in=clients_visible_to(user) if clients is None else clients,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .annotate(
            past_expected_end=Case(
                When(ended_on__isnull=True, expected_end__lt=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("client__keyworker", "responsible_officer__partner_organisation")
    )
    for word in query.split():
        rows = rows.filter(
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__client_number__iexact=word)
        )
    if past_expected_end_only:
        rows = rows.filter(past_expected_end=1)
    if without_end_date_only:
        rows = rows.without_end_date()
    return rows.order_by(
        "-past_expected_end", F("expected_end").asc(nulls_last=True), "start_date", "id"
    )


def justice_status_get(*, user: User, client: Client, status_id: int) -> JusticeStatus:
    ensure_can(user, VIEW, client)
    status = client_statuses(client=client).filter(pk=status_id).first()
    if status is None:
        raise Http404("No such status")
    return status


def sharing_consent_get(*, user: User, consent_id: int) -> SharingConsent:
    consent = (
        SharingConsent.objects.filter(provider=user.provider, pk=consent_id)
        .select_related("client", "partner_organisation")
        .first()
    )
    if consent is None:
        raise Http404("No such consent")
    ensure_can(user, VIEW, consent.client)
    return consent


def progress_report_get(*, user: User, report_id: int) -> ProgressReport:
    """One progress report, for staff who may read its client's record."""
    report = (
        ProgressReport.objects.filter(provider=user.provider, pk=report_id)
        .select_related("client", "hearing", "partner_organisation")
        .first()
    )
    if report is None:
        raise Http404("No such report")
    ensure_can(user, VIEW, report.client)
    return report


def probation_officers(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(role="probation_officer", is_active=True).select_related(
        "partner_organisation"
    )


def probation_services(*, provider: Provider) -> QuerySet[PartnerOrganisation]:
    return provider.partner_organisations.filter(kind=PartnerOrganisation.Kind.PROBATION)


# Attendance and engagement --------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    since: datetime.date
    kept: int
    missed: int
    appointments: list[Appointment]  # kept and missed, latest first


def attendance(*, client: Client, since: datetime.date, today: datetime.date) -> Attendance:
    """Appointments kept and missed since `since` (contacts' outcomes), latest first."""
    rows = list(
        Appointment.objects.filter(
            provider_id=client.provider_id,
            client=client,
            outcome__in=[*KEPT, *MISSED],
            starts_at__date__gte=since,
            starts_at__date__lte=today,
        ).order_by("-starts_at", "-id")
    )
    kept = sum(1 for row in rows if row.outcome in KEPT)
    return Attendance(since=since, kept=kept, missed=len(rows) - kept, appointments=rows)


def is_engaging(*, client: Client, today: datetime.date) -> bool:
    """In treatment (an episode open) and seen within ENGAGEMENT_DAYS (H-265)."""
    in_treatment = client.episodes.filter(discharge_date__isnull=True).exists()
    seen = Appointment.objects.filter(
        client=client,
        outcome__in=KEPT,
        starts_at__date__gt=today - datetime.timedelta(days=ENGAGEMENT_DAYS),
        starts_at__date__lte=today,
    ).exists()
    return in_treatment and seen


# What a probation officer reads -----------------------------------------------------------


def officer_clients(*, user: User, today: datetime.date, query: str = "") -> QuerySet[Client]:
    """The officer's consenting clients (rules.clients_shared_with), searched by name."""
    ensure_can(user, SUPERVISE)
    clients = clients_shared_with(user, on=today)
    for word in query.split():
        clients = clients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(client_number__iexact=word)
        )
    return clients.order_by("last_name", "first_name")


def officer_referrals_without_consent(*, user: User, today: datetime.date) -> int:
    """How many clients the officer is responsible officer for who have not agreed to share
    (or withdrew): all the officer learns of them is that a referral was received."""
    ensure_can(user, SUPERVISE)
    linked = (
        JusticeStatus.objects.current(on=today)
        .filter(provider=user.provider, kind__in=SUPERVISED_KINDS, responsible_officer=user)
        .values("client")
    )
    return (
        user.provider.clients.filter(pk__in=linked)
        .exclude(pk__in=clients_shared_with(user, on=today).values("pk"))
        .count()
    )


def officer_client_get(*, user: User, client_number: str) -> Client:
    """One client an officer may read (link and consent); any other is not found (404), so an
    officer cannot learn that a record exists."""
    ensure_can(user, SUPERVISE)
    client = clients_shared_with(user).filter(client_number=client_number).first()
    if client is None:
        raise Http404("No such client")
    ensure_can(user, READ_SHARED, client)
    return client


def officer_consent(*, user: User, client: Client, today: datetime.date) -> SharingConsent:
    """The consent in force naming the officer's service (the widest, should two be)."""
    consent = (
        SharingConsent.objects.active(on=today)
        .filter(client=client, partner_organisation_id=user.partner_organisation_id)
        .order_by("-given_on", "-id")
        .first()
    )
    if consent is None:
        raise Http404("No such client")
    return consent


def officer_status(*, user: User, client: Client, today: datetime.date) -> JusticeStatus | None:
    return (
        JusticeStatus.objects.current(on=today)
        .filter(client=client, kind__in=SUPERVISED_KINDS, responsible_officer=user)
        .first()
    )


@dataclass(frozen=True)
class SharedSummary:
    """What an officer is shown of one client: each part only when the consent names it."""

    client: Client
    consent: SharingConsent
    status: JusticeStatus | None
    attendance: Attendance | None
    engaging: bool | None
    hearings: list[ReviewHearing] | None
    reports: list[ProgressReport]


def _shared_hearings(
    *, client: Client, consent: SharingConsent, status: JusticeStatus | None
) -> QuerySet[ReviewHearing]:
    """The review hearings of the officer's own order held since the client consented: not
    an earlier order's, which another officer may have supervised (H-279)."""
    hearings = client_hearings(client=client).filter(on__gte=consent.given_on)
    return hearings.filter(status=status) if status is not None else hearings.none()


def shared_summary(*, user: User, client: Client, today: datetime.date) -> SharedSummary:
    consent = officer_consent(user=user, client=client, today=today)
    status = officer_status(user=user, client=client, today=today)
    # Attendance from the later of: ATTENDANCE_DAYS ago, the order's start and the day the
    # client consented (nothing kept or missed before they agreed is shared; H-279).
    since = max(today - datetime.timedelta(days=ATTENDANCE_DAYS), consent.given_on)
    if status is not None:
        since = max(since, status.start_date)
    since = min(since, today)
    return SharedSummary(
        client=client,
        consent=consent,
        status=status,
        attendance=attendance(client=client, since=since, today=today)
        if consent.share_attendance
        else None,
        engaging=is_engaging(client=client, today=today) if consent.share_engagement else None,
        hearings=list(_shared_hearings(client=client, consent=consent, status=status))
        if consent.share_review_hearings
        else None,
        reports=list(officer_reports(user=user, client=client)),
    )


def report_refusal(
    report: ProgressReport, *, today: datetime.date, consent: SharingConsent | None = None
) -> str:
    """Why a draft may not be sent (H-270), or "" when it may: the consent it was drafted
    under must still be in force and allow every part the report holds. A narrowed consent
    is a new consent (the old one withdrawn), so it refuses too; the keyworker drafts the
    report again from the consent in force."""
    if report.is_sent:
        return ""
    again = "Nothing was sent: draft the report again from the consent now in force."
    consent = consent or report.consent
    if consent is None:
        return (
            "This report was drafted before Beacon recorded the consent it was drafted under. "
            + again
        )
    if consent.withdrawn_at is not None:
        return (
            f"The client withdrew the consent this report was drafted under "
            f"({date_uk(timezone.localtime(consent.withdrawn_at).date())}). " + again
        )
    if not consent.is_active_on(today):
        return f"The consent this report was drafted under ended on {date_uk(consent.until)}. " + (
            again
        )
    lost = [SharingConsent.SHARES[share] for share in report.holds if not getattr(consent, share)]
    if lost:
        return (
            "The client's consent now allows less than this report holds (no longer: "
            + ", ".join(lost).lower()
            + "). "
            + again
        )
    return ""


def officer_reports(*, user: User, client: Client) -> QuerySet[ProgressReport]:
    """The progress reports sent to the officer's service about this client."""
    return client_reports(client=client).filter(
        sent_at__isnull=False, partner_organisation_id=user.partner_organisation_id
    )


def officer_report_get(*, user: User, report_id: int) -> ProgressReport:
    ensure_can(user, SUPERVISE)
    report = (
        ProgressReport.objects.filter(
            provider=user.provider,
            pk=report_id,
            sent_at__isnull=False,
            partner_organisation_id=user.partner_organisation_id,
            client__in=clients_shared_with(user),
        )
        .select_related("client", "hearing")
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


# Prison releases ----------------------------------------------------------------------------


def _seen_since_release() -> Exists:
    return Exists(
        Appointment.objects.filter(
            client=OuterRef("client"),
            outcome__in=KEPT,
            starts_at__date__gte=OuterRef("release_date"),
        )
    )


def releases(
    *, user: User, today: datetime.date, query: str = "", not_seen_only: bool = False
) -> QuerySet[PrisonRelease]:
    """The prison releases of the last ATTENDANCE_DAYS of the clients `user` may open (a
    keyworker: their team's, as everywhere; H-260), each annotated `seen` (attended an
    appointment since release); `release_is_overdue` tells those not seen within
    BEACON_JUSTICE_RELEASE_SEEN_DAYS of release: H-262), those not seen first."""
    rows = (
        PrisonRelease.objects.filter(
            provider_id=user.provider_id,
            client__in=clients_visible_to(user),
            release_date__gte=today - datetime.timedelta(days=ATTENDANCE_DAYS),
        )
        .select_related("client__keyworker")
        .annotate(seen=_seen_since_release())
    )
    for word in query.split():
        rows = rows.filter(
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__client_number__iexact=word)
            | Q(prison__icontains=word)
        )
    if not_seen_only:
        rows = rows.filter(seen=False)
    return rows.order_by("seen", "release_date", "id")


def release_is_overdue(release: PrisonRelease, *, seen: bool, today: datetime.date) -> bool:
    """Not seen within BEACON_JUSTICE_RELEASE_SEEN_DAYS of release (H-262): the predicate of
    `releases_not_seen`."""
    return not seen and release.release_date < today - datetime.timedelta(days=release_seen_days())


def releases_not_seen(*, provider: Provider, today: datetime.date) -> QuerySet[PrisonRelease]:
    """Released more than BEACON_JUSTICE_RELEASE_SEEN_DAYS ago and not seen since (H-262)."""
    overdue_before = today - datetime.timedelta(days=release_seen_days())
    return (
        PrisonRelease.objects.filter(provider=provider, release_date__lt=overdue_before)
        .filter(release_date__gte=today - datetime.timedelta(days=ATTENDANCE_DAYS))
        .annotate(seen=_seen_since_release())
        .filter(seen=False)
        .select_related("client__keyworker")
    )


def releases_awaiting_prescription(*, user: User, today: datetime.date) -> list[PrisonRelease]:
    """Clients released on OST whose first community prescription is due by the next working
    day and who have no prescription from their release on (H-261): the prescriber's list."""
    horizon = first_prescription_due(today)
    prescribed = Prescription.objects.filter(
        client=OuterRef("client"), start_date__gte=OuterRef("release_date")
    )
    return list(
        PrisonRelease.objects.filter(
            provider=user.provider,
            first_prescription_due__lte=horizon,
            release_date__gte=today - datetime.timedelta(days=ATTENDANCE_DAYS),
        )
        .exclude(ost_medicine="")
        .annotate(prescribed=Exists(prescribed))
        .filter(prescribed=False)
        .select_related("client")
        .order_by("first_prescription_due", "client__last_name")
    )


# What was shared with whom -------------------------------------------------------------------


def partner_reads(
    *, provider: Provider, query: str = "", partner: PartnerOrganisation | None = None
) -> QuerySet[PartnerRead]:
    rows = PartnerRead.objects.filter(provider=provider).select_related(
        "client", "partner_organisation", "user"
    )
    for word in query.split():
        rows = rows.filter(
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__client_number__iexact=word)
        )
    if partner is not None:
        rows = rows.filter(partner_organisation=partner)
    return rows
