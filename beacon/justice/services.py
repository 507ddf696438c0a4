"""Writes of criminal-justice work: statuses, review hearings, prison release referrals,
progress reports and their sending, the record of each partner read, and the alerts for
clients released and not seen. Each keyword-only, atomic and audited."""

import contextlib
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client, SharingConsent
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Alert, Provider, User
from beacon.core.permissions import ensure_can
from beacon.core.presenters import date_uk
from beacon.core.roles import Role
from beacon.core.services import alert_raise
from beacon.justice import selectors
from beacon.justice.models import (
    ENDINGS,
    LICENCE_KINDS,
    ORDER_KINDS,
    SUPERVISED_KINDS,
    JusticeStatus,
    Kind,
    NaloxoneOnRelease,
    PartnerRead,
    PrisonRelease,
    ProgressReport,
    ReviewHearing,
    StatusEnd,
)
from beacon.justice.rules import CHANGE, READ_SHARED
from beacon.treatment import hooks as treatment_hooks
from beacon.treatment.codes import ReferralSource
from beacon.treatment.services.journey import referral_create

STATUS_FIELDS = [
    "kind",
    "start_date",
    "length_months",
    "supervision_end",
    "responsible_officer",
    "prison",
]


def _end_date_errors(kind: str, start: datetime.date | None, end: datetime.date | None) -> dict:
    """A licence's licence end date or supervision's end date: given, and after the start
    (H-280). The form and the API show these next to the field."""
    if end is None:
        return {
            "supervision_end": "Enter the licence end date"
            if kind == Kind.LICENCE
            else "Enter the date post-sentence supervision ends"
        }
    if start is not None and end <= start:
        return {"supervision_end": f"The end date must be after the start date, {date_uk(start)}"}
    return {}


def _check_officer(officer: User | None, client: Client) -> None:
    if officer is None:
        return
    if (
        officer.provider_id != client.provider_id
        or officer.role != Role.PROBATION_OFFICER
        or officer.partner_organisation_id is None
    ):
        raise ValidationError({"responsible_officer": "Choose a probation officer of the service"})


@transaction.atomic
def justice_status_record(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> JusticeStatus:
    """A client's criminal-justice status. A community order's requirement (DRR, ATR) has a
    length; a licence its licence end date and post-sentence supervision its end date, after
    the start (H-280): from the day after, either is no longer current, as an order past its
    length. Only a supervised status (order, licence, post-sentence supervision) names a
    responsible officer, the link a probation officer's access needs (with consent)."""
    ensure_can(actor, CHANGE, client)
    fields = {name: data.get(name) for name in STATUS_FIELDS}
    fields["prison"] = (fields["prison"] or "").strip()
    kind = fields["kind"]
    if kind not in Kind.values:
        raise ValidationError({"kind": "Choose the client's criminal-justice status"})
    if kind not in ORDER_KINDS:
        fields["length_months"] = None
    if kind in LICENCE_KINDS:
        errors = _end_date_errors(kind, fields["start_date"], fields["supervision_end"])
        if errors:
            raise ValidationError(errors)
    else:
        fields["supervision_end"] = None
    if kind not in SUPERVISED_KINDS and fields["responsible_officer"] is not None:
        raise ValidationError(
            {"responsible_officer": "Only an order, licence or supervision has a probation officer"}
        )
    if kind != Kind.RELEASED_FROM_PRISON:
        fields["prison"] = ""
    _check_officer(fields["responsible_officer"], client)
    status = JusticeStatus(
        provider_id=client.provider_id, client=client, recorded_by=actor, **fields
    )
    status = record_save(
        status, actor=actor, origin=origin, detail=f"justice status: {status.get_kind_display()}"
    )
    if status.responsible_officer_id is not None:
        _end_supervision_by_others(actor=actor, status=status, origin=origin)
    return status


def _end_supervision_by_others(
    *, actor: User, status: JusticeStatus, origin: AuditOrigin | None
) -> None:
    """A new responsible officer ends the client's supervision by any other officer, the
    day before the new one starts: the officer who supervised them before reads nothing
    more (H-264)."""
    superseded = (
        JusticeStatus.objects.select_for_update()
        .filter(client=status.client, kind__in=SUPERVISED_KINDS)
        .exclude(pk=status.pk)
        .exclude(responsible_officer_id=status.responsible_officer_id)
        .exclude(responsible_officer__isnull=True)
        .current(on=status.start_date)
    )
    for earlier in superseded:
        earlier.ended_on = max(earlier.start_date, status.start_date - datetime.timedelta(days=1))
        earlier.end_reason = StatusEnd.SUPERSEDED
        earlier.ended_by = actor
        earlier.ended_at = timezone.now()
        record_save(
            earlier,
            actor=actor,
            action=Action.UPDATE,
            origin=origin,
            detail="ended: another probation officer is now responsible",
        )


@transaction.atomic
def justice_status_end(
    *, actor: User, status: JusticeStatus, data: dict, origin: AuditOrigin | None = None
) -> JusticeStatus:
    """Record how a status ended (H-269): one of the endings its kind may have (completed,
    revoked, breached…; "other" in words), the end date (not in the future, not before the
    start) and who recorded it. From the day after, the status is history: no longer current,
    and no longer the link a probation officer's access needs."""
    ensure_can(actor, CHANGE, status.client)
    status = JusticeStatus.objects.select_for_update().get(pk=status.pk)
    if status.ended_on is not None:
        raise ValidationError(f"This status already ended on {date_uk(status.ended_on)}")
    ended_on = data.get("ended_on")
    reason = data.get("end_reason") or ""
    detail = (data.get("end_detail") or "").strip()
    today = timezone.localdate()
    errors = {}
    if ended_on is None:
        errors["ended_on"] = "Enter the date it ended"
    elif ended_on > today:
        errors["ended_on"] = "The end date cannot be in the future"
    elif ended_on < status.start_date:
        errors["ended_on"] = (
            f"The end date cannot be before the start, {date_uk(status.start_date)}"
        )
    if reason not in ENDINGS[status.kind]:
        errors["end_reason"] = "Choose how it ended"
    elif reason == StatusEnd.OTHER and not detail:
        errors["end_detail"] = "Say how it ended"
    if len(detail) > 200:
        errors["end_detail"] = "Say how it ended in 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    status.ended_on = ended_on
    status.end_reason = reason
    status.end_detail = detail
    status.ended_by = actor
    status.ended_at = timezone.now()
    return record_save(
        status,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"{status.get_kind_display()} ended on {ended_on:%d/%m/%Y}: " + status.how_it_ended,
    )


@transaction.atomic
def justice_status_record_end_date(
    *, actor: User, status: JusticeStatus, data: dict, origin: AuditOrigin | None = None
) -> JusticeStatus:
    """Record (or correct) the end date of a licence or post-sentence supervision not yet
    ended (H-280): one recorded before Beacon asked for it has none and stays current, flagged,
    until this is done. After the start; from the day after, the status is no longer current
    and the responsible officer reads nothing more through it."""
    ensure_can(actor, CHANGE, status.client)
    status = JusticeStatus.objects.select_for_update().get(pk=status.pk)
    if status.kind not in LICENCE_KINDS:
        raise ValidationError(
            "Only a licence or post-sentence supervision has an end date to record: an "
            "order's follows from its length"
        )
    if status.ended_on is not None:
        raise ValidationError(f"This status already ended on {date_uk(status.ended_on)}")
    end = data.get("supervision_end")
    errors = _end_date_errors(status.kind, status.start_date, end)
    if errors:
        raise ValidationError(errors)
    before = status.supervision_end
    status.supervision_end = end
    was = f" (was {before:%d/%m/%Y})" if before else ""
    return record_save(
        status,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"{status.get_kind_display()}: end date {end:%d/%m/%Y}{was}",
    )


@transaction.atomic
def review_hearing_record(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> ReviewHearing:
    """A review hearing of one of the client's community orders (DRR or ATR)."""
    ensure_can(actor, CHANGE, client)
    status = data.get("status")
    if status is None or status.client_id != client.pk or status.kind not in ORDER_KINDS:
        raise ValidationError({"status": "Choose the community order the hearing reviews"})
    hearing = ReviewHearing(
        provider_id=client.provider_id,
        client=client,
        status=status,
        on=data.get("on"),
        court=(data.get("court") or "").strip(),
        recorded_by=actor,
    )
    return record_save(hearing, actor=actor, origin=origin, detail="review hearing")


@transaction.atomic
def prison_release_record(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> PrisonRelease:
    """A prison's release referral: the client's status becomes released from prison, a
    referral from prison is opened when none is, the first community prescription falls due
    the next working day (H-261), and naloxone is told of the moment of risk so its offer is
    due (H-263)."""
    ensure_can(actor, CHANGE, client)
    release_date = data.get("release_date")
    prison = (data.get("prison") or "").strip()
    medicine = data.get("ost_medicine") or ""
    dose: Decimal | None = data.get("dose_mg")
    last_dose_at = data.get("last_dose_at")
    errors = {}
    if release_date is None:
        errors["release_date"] = "Enter the release date"
    if not prison:
        errors["prison"] = "Name the prison"
    if medicine:
        if dose is None or dose <= 0:
            errors["dose_mg"] = "Enter the daily dose on release in mg"
        if last_dose_at is None:
            errors["last_dose_at"] = "Enter the date and time of the last dose in prison"
        elif release_date and timezone.localdate(last_dose_at) > release_date:
            errors["last_dose_at"] = "The last dose in prison is after the release date"
    elif dose is not None or last_dose_at is not None:
        errors["ost_medicine"] = "Choose the medicine the dose is of"
    if data.get("naloxone_on_release") not in NaloxoneOnRelease.values:
        errors["naloxone_on_release"] = "Say whether the prison gave naloxone on release"
    if errors:
        raise ValidationError(errors)
    status = justice_status_record(
        actor=actor,
        client=client,
        data={"kind": Kind.RELEASED_FROM_PRISON, "start_date": release_date, "prison": prison},
        origin=origin,
    )
    release = record_save(
        PrisonRelease(
            provider_id=client.provider_id,
            client=client,
            status=status,
            release_date=release_date,
            prison=prison,
            ost_medicine=medicine,
            dose_mg=dose if medicine else None,
            last_dose_at=last_dose_at if medicine else None,
            naloxone_on_release=data["naloxone_on_release"],
            first_prescription_due=selectors.first_prescription_due(release_date),
            recorded_by=actor,
        ),
        actor=actor,
        origin=origin,
        detail="prison release referral",
    )
    if not client.episodes.filter(discharge_date__isnull=True).exists():
        # An open referral already standing keeps the release beside it.
        with contextlib.suppress(ValidationError):
            referral_create(
                actor=actor,
                client=client,
                data={
                    "referral_date": min(timezone.localdate(), release_date),
                    "source": ReferralSource.PRISON,
                    "referrer_details": prison[:200],
                },
                origin=origin,
            )
    treatment_hooks.overdose_risk_told(client=client, moment="leaving_prison", on=release_date)
    return release


# Progress reports --------------------------------------------------------------------------


def _report_body(*, client: Client, hearing: ReviewHearing, consent: SharingConsent) -> str:
    """The report from the record, only what the consent names."""
    today = timezone.localdate()
    status = hearing.status
    lines = [
        f"Progress report for the review hearing on {hearing.on:%d/%m/%Y} at {hearing.court}.",
        f"Client: {client.full_name}, born {client.date_of_birth:%d/%m/%Y}.",
        f"Order: {status.get_kind_display()} from {status.start_date:%d/%m/%Y}"
        + (f" for {status.length_months} months." if status.length_months else "."),
    ]
    if consent.share_attendance:
        # Nothing from before the client agreed to share it (H-279).
        since = min(max(status.start_date, consent.given_on), today)
        seen = selectors.attendance(client=client, since=since, today=today)
        period = (
            "the order began"
            if since == status.start_date
            else f"the client agreed to share it ({since:%d/%m/%Y})"
        )
        lines.append(
            f"Attendance since {period}: {seen.kept} appointments kept, {seen.missed} missed."
        )
    if consent.share_engagement:
        engaging = selectors.is_engaging(client=client, today=today)
        lines.append(
            "Engaging with treatment as the order requires: " + ("yes." if engaging else "no.")
        )
    if consent.share_review_hearings:
        later = (
            selectors.client_hearings(client=client)
            .filter(status=status, on__gt=hearing.on)
            .first()
        )
        if later is not None:
            lines.append(f"Next review hearing: {later.on:%d/%m/%Y} at {later.court}.")
    return "\n\n".join(lines)


def _probation_consent(
    client: Client, status: JusticeStatus, today: datetime.date
) -> SharingConsent:
    """The consent in force to share with the probation service of the order's responsible
    officer (the widest, should two be, as `selectors.officer_consent`): the report goes
    there and nowhere else (H-281). A consent to another probation service is not one to
    this service."""
    officer = status.responsible_officer
    service = officer.partner_organisation if officer is not None else None
    if service is None:
        raise ValidationError(
            "No responsible probation officer is recorded for this order: record the order's "
            "officer before drafting a report"
        )
    consent = (
        SharingConsent.objects.active(on=today)
        .filter(client=client, partner_organisation=service)
        .select_related("partner_organisation")
        .order_by("-given_on", "-id")
        .first()
    )
    if consent is None:
        raise ValidationError(
            f"{client.known_as} has not agreed to share with {service}: no report can be "
            f"drafted or sent to the responsible officer's service until a consent to share "
            f"with {service} is recorded"
        )
    return consent


@transaction.atomic
def progress_report_generate(
    *, actor: User, hearing: ReviewHearing, origin: AuditOrigin | None = None
) -> ProgressReport:
    """A draft report for a review hearing, from the record, for the keyworker to check: for
    the probation service of the order's responsible officer, under the client's consent to
    share with that service (H-281)."""
    client = hearing.client
    ensure_can(actor, CHANGE, client)
    consent = _probation_consent(client, hearing.status, timezone.localdate())
    report = ProgressReport(
        provider_id=client.provider_id,
        client=client,
        hearing=hearing,
        partner_organisation=consent.partner_organisation,
        body=_report_body(client=client, hearing=hearing, consent=consent),
        consent=consent,
        consent_shares=[share for share in SharingConsent.SHARES if getattr(consent, share)],
        generated_by=actor,
    )
    return record_save(
        report,
        actor=actor,
        origin=origin,
        detail="progress report drafted under the consent to share with "
        f"{consent.partner_organisation}: " + ", ".join(consent.shared).lower(),
    )


@transaction.atomic
def progress_report_send(
    *, actor: User, report: ProgressReport, data: dict, origin: AuditOrigin | None = None
) -> ProgressReport:
    """The keyworker checked the report (their wording, `body`) and sends it to probation;
    sent once, audited, and only while the consent it was drafted under is in force and
    still allows all the report holds (H-270): otherwise nothing is sent and the keyworker
    drafts it again."""
    ensure_can(actor, CHANGE, report.client)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.is_sent:
        raise ValidationError("This report was sent already")
    # Locked, so a withdrawal at the same moment waits for the send, or the send sees it.
    consent = SharingConsent.objects.select_for_update().filter(pk=report.consent_id).first()
    refused = selectors.report_refusal(report, consent=consent, today=timezone.localdate())
    if refused:
        raise ValidationError(refused)
    body = (data.get("body") or "").strip()
    if not body:
        raise ValidationError({"body": "The report is empty"})
    if not data.get("checked"):
        raise ValidationError({"checked": "Confirm you checked the report against the record"})
    report.body = body
    report.sent_at = timezone.now()
    report.sent_by = actor
    return record_save(
        report,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        detail=f"progress report sent to {report.partner_organisation}",
    )


# Reads by partners ---------------------------------------------------------------------------


@transaction.atomic
def partner_read_record(
    *, actor: User, client: Client, what: str, origin: AuditOrigin | None = None
) -> PartnerRead:
    """A probation officer's read of a consenting client: the shared-with log and the audit
    log, each naming the officer's organisation."""
    ensure_can(actor, READ_SHARED, client)
    partner = actor.partner_organisation
    origin = origin or AuditOrigin()
    read = PartnerRead.objects.create(
        provider_id=client.provider_id,
        client=client,
        partner_organisation=partner,
        user=actor,
        what=what[:300],
        channel=origin.channel,
    )
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=read,
        client=client,
        detail=f"read by {partner} ({partner.get_kind_display().lower()}): {what}",
        origin=origin,
    )
    return read


# Alerts ---------------------------------------------------------------------------------------


@transaction.atomic
def release_not_seen_alerts(*, provider: Provider, today: datetime.date) -> int:
    """Alert the keyworker (else the managers) of each client released and not seen within
    BEACON_JUSTICE_RELEASE_SEEN_DAYS (H-262), once per release."""
    made = 0
    for release in selectors.releases_not_seen(provider=provider, today=today).filter(
        alerted_at__isnull=True
    ):
        client = release.client
        # A keyworker who has left (inactive) alerts nobody: then the managers are told.
        alert_raise(
            provider=provider,
            recipients=[client.keyworker],
            or_managers=True,
            kind=Alert.Kind.PRISON_RELEASE,
            title="Released from prison and not yet seen",
            message=(
                f"Released from {release.prison} on {date_uk(release.release_date)} and not "
                f"seen since. Release is the time of highest overdose risk: contact them today."
            ),
            client=client,
            link=reverse("justice:client", args=[client.client_number]),
        )
        PrisonRelease.objects.filter(pk=release.pk).update(alerted_at=timezone.now())
        made += 1
    return made
