"""Writes of OST prescribing: prescribe, change a dose, end, record an instalment, review.

Each function is keyword-only and atomic, runs the rules of beacon/prescribing/safety.py,
raises a ValidationError naming the field, and writes an audit entry from the `origin` the
view or API passes (`core.audit.audit_origin(request)`). Prescription status moves only
through `PRESCRIPTION_STATES` (beacon/prescribing/models.py).
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Alert, User
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.core.services import alert_raise
from beacon.prescribing import hooks, safety
from beacon.prescribing.models import (
    PRESCRIPTION_STATES,
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
)
from beacon.prescribing.schedule import (
    PlannedInstalment,
    instalment_quantity,
    planned_instalments,
)
from beacon.prescribing.wording import DEFAULT_WORDING, ApprovedWording, wording_text
from beacon.treatment import hooks as treatment_hooks
from beacon.treatment.selectors.journey import open_episode

Status = Prescription.Status


def _locked(prescription: Prescription) -> Prescription:
    """The prescription as stored now, locked: two people may act on it at once."""
    return (
        Prescription.objects.select_for_update()
        .select_related("client", "episode")
        .get(pk=prescription.pk)
    )


def _audit(
    actor: User | None,
    action: str,
    obj: models.Model,
    client: Client,
    origin: AuditOrigin | None,
    detail: str = "",
) -> None:
    audit_record(actor=actor, action=action, obj=obj, client=client, detail=detail, origin=origin)


def _parcels_with_drivers(prescription: Prescription, *, after: datetime.date) -> list[Instalment]:
    """Pending instalments after `after` whose supply has already left the service (a
    home-delivery parcel with a driver), as the apps above prescribing answer it."""
    pending = prescription.instalments.filter(date__gt=after, outcome="")
    return [
        instalment
        for out_for_supply in hooks.instalments_out_for_supply
        for instalment in out_for_supply(pending)
    ]


def _instalments_to_cancel(prescription: Prescription, *, after: datetime.date) -> list[int]:
    """The pending instalments after `after` that leave the schedule when a prescription
    ends early: all but those whose record must stay (a parcel went out and came back)."""
    pending = prescription.instalments.filter(date__gt=after, outcome="")
    kept = {
        instalment.pk for to_keep in hooks.instalments_to_keep for instalment in to_keep(pending)
    }
    return [pk for pk in pending.values_list("pk", flat=True) if pk not in kept]


def _check_prescriber(prescriber: User | None, client: Client) -> None:
    if prescriber is None or prescriber.role != Role.PRESCRIBER or not prescriber.is_active:
        raise ValidationError({"prescriber": "Choose a prescriber of this service"})
    if prescriber.provider_id != client.provider_id:
        raise ValidationError({"prescriber": "Choose a prescriber of this service"})


def _instalment_wording(data: dict) -> str:
    """The exact approved phrases the prescription uses: given as text (a continuation
    copies its predecessor's), as codes of `ApprovedWording`, or the default pair."""
    if data.get("instalment_wording"):
        return data["instalment_wording"]
    codes = data.get("wording")
    if codes is None:
        codes = DEFAULT_WORDING
    unknown = set(codes) - set(ApprovedWording.values)
    if unknown:
        raise ValidationError({"wording": "Choose from the Home Office approved wording"})
    return wording_text(list(codes))


@transaction.atomic
def prescription_create(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Prescription:
    # Every prescription write of one client waits for this row lock, so the overlap check
    # below reads what the one before committed (two identical requests at once would both
    # pass it); on PostgreSQL an exclusion constraint backs it (migration 0005).
    Client.objects.select_for_update().only("pk").get(pk=client.pk)
    medicine = safety.check_medicine(data.get("medicine"))
    episode = open_episode(client=client)
    if episode is None:
        raise ValidationError(
            f"{client.known_as} has no open treatment episode: start treatment first"
        )
    dose = data.get("dose")
    start, end = data.get("start_date"), data.get("end_date")
    safety.check_dose(dose, medicine)
    safety.check_ceiling(dose, medicine)
    safety.check_dates(start, end)
    if start < episode.start_date:
        raise ValidationError(
            {"start_date": f"Treatment started on {episode.start_date:%d/%m/%Y}: start on or after"}
        )
    pattern = data.get("pattern", "")
    safety.check_instalments(medicine, pattern, start, end)
    pharmacy = data.get("pharmacy")
    if pharmacy is not None and pharmacy.provider_id != client.provider_id:
        raise ValidationError({"pharmacy": "Choose a pharmacy this service works with"})
    home_delivery = bool(data.get("home_delivery"))
    supervised_days = "".join(sorted(set(data.get("supervised_days") or "")))
    if medicine.is_injection:
        supervised_days = "0123456"  # every injection is given by a healthcare professional
    safety.check_supply(
        medicine, home_delivery=home_delivery, pharmacy=pharmacy, supervised_days=supervised_days
    )
    prescriber = data.get("prescriber") or (actor if actor.role == Role.PRESCRIBER else None)
    _check_prescriber(prescriber, client)
    safety.check_no_overlap(client=client, medicine=medicine, start=start, end=end)
    until = data.get("cross_titration_until")
    cross_titration = safety.cross_titration_warnings(
        client=client, medicine=medicine, start=start, end=end, until=until
    )
    test_dose_at = data.get("test_dose_given_at")
    test_dose_observation = (data.get("test_dose_observation") or "").strip()
    safety.check_test_dose(
        client=client,
        medicine=medicine,
        start=start,
        given_at=test_dose_at,
        observation=test_dose_observation,
    )
    extra_days = safety.check_first_week_extras(
        medicine=medicine, start=start, end=end, extra_dates=data.get("first_week_extra_dates")
    )
    planned = planned_instalments(
        medicine=medicine,
        dose=dose,
        pattern=pattern,
        start=start,
        end=end,
        supervised_days=supervised_days,
    )
    planned += [
        PlannedInstalment(
            date=day, covers_days=1, quantity=safety.FIRST_WEEK_EXTRA, supervised=True
        )
        for day in extra_days
    ]
    safety.check_safe_storage(
        client=client,
        medicine=medicine,
        planned=planned,
        field="home_delivery" if home_delivery else "supervised_days",
    )
    sedatives = safety.check_sedatives_answered(
        client=client, medicine=medicine, start=start, answer=data.get("uses_alcohol_or_sedatives")
    )
    reason = (data.get("reason") or "").strip()
    warnings = [
        *safety.dose_warnings(
            client=client,
            medicine=medicine,
            dose=dose,
            on=start,
            uses_alcohol_or_sedatives=bool(sedatives),
        ),
        *cross_titration,
        *safety.take_home_warnings(client=client, medicine=medicine, start=start, planned=planned),
    ]
    safety.require_reason(warnings, reason)
    prescription = Prescription(
        provider_id=client.provider_id,
        client=client,
        episode=episode,
        medicine=medicine.code,
        substance=medicine.substance,
        dose=dose,
        dose_unit=medicine.dose_unit,
        start_date=start,
        end_date=end,
        pattern=pattern,
        supervised_days=supervised_days,
        pharmacy=pharmacy,
        home_delivery=home_delivery,
        prescriber=prescriber,
        reason=reason,
        overridden_warnings=" ".join(warnings),
        cross_titration_until=until,
        uses_alcohol_or_sedatives=sedatives,
        test_dose_given_at=test_dose_at,
        test_dose_observation=test_dose_observation,
        instalment_wording=_instalment_wording(data),
        created_by=actor,
    )
    prescription.full_clean()
    prescription.save()
    Instalment.objects.bulk_create(
        Instalment(
            provider_id=prescription.provider_id,
            prescription=prescription,
            date=planned.date,
            covers_days=planned.covers_days,
            quantity=planned.quantity,
            quantity_unit=medicine.dose_unit,
            supervised=planned.supervised,
        )
        for planned in sorted(planned, key=lambda p: p.date)
    )
    _audit(actor, Action.CREATE, prescription, client, origin, str(prescription))
    if _starts_ost(prescription):
        treatment_hooks.overdose_risk_told(client=client, moment="ost_start", on=start)
    return prescription


# A prescription after this many days without one is a new start of OST (tolerance is
# lost): the naloxone offer is due again (H-110). Needs CSO sign-off.
OST_BREAK_DAYS = 14


def _starts_ost(prescription: Prescription) -> bool:
    """The first OST prescription of the episode, or the first after a break: no other of
    the episode's prescriptions covered any of the `OST_BREAK_DAYS` before it starts."""
    start = prescription.start_date
    return (
        not prescription.episode.ost_prescriptions.exclude(pk=prescription.pk)
        .filter(
            start_date__lte=start,
            end_date__gte=start - datetime.timedelta(days=OST_BREAK_DAYS),
        )
        .exists()
    )


# A continuation covers at most a year: longer is a typing slip, and past any calendar a
# date cannot be counted. The clinical limits (14 days of instalments) are safety.py's.
CONTINUE_MOST_DAYS = 366


@transaction.atomic
def prescription_continue(
    *,
    actor: User,
    prescription: Prescription,
    origin: AuditOrigin | None = None,
    reason: str = "",
    days: int | None = None,
) -> Prescription:
    """The next prescription of an OST chain, in one action: the same medicine, dose (as
    it stands on the last day), instalment pattern, supervised days, pharmacy or home
    delivery and approved wording, from the day after this one's end, for as many days
    (or `days`), written by the actor (a manager writes it for the same prescriber). It
    goes through `prescription_create`, so every safety rule runs again."""
    prescription = _locked(prescription)
    today = timezone.localdate()
    if prescription.ended_on is not None:
        raise ValidationError(
            f"This prescription was ended on {prescription.ended_on:%d/%m/%Y} "
            f"({prescription.end_reason}): write a new one instead"
        )
    following = Prescription.objects.following(prescription).first()
    if following is not None:
        raise ValidationError(
            f"A prescription already follows this one: {following.medicine_name} from "
            f"{following.start_date:%d/%m/%Y}"
        )
    start = prescription.end_date + datetime.timedelta(days=1)
    if start < today:
        raise ValidationError(
            f"This prescription ran out on {prescription.end_date:%d/%m/%Y}: doses have been "
            "missed since, so write a new prescription after reviewing the dose"
        )
    length = (
        days if days is not None else (prescription.end_date - prescription.start_date).days + 1
    )
    if not 1 <= length <= CONTINUE_MOST_DAYS:
        raise ValidationError({"days": f"Enter a number of days from 1 to {CONTINUE_MOST_DAYS}"})

    last_dose = safety.dose_of(prescription, prescription.end_date)
    prescriber = actor if actor.role == Role.PRESCRIBER else prescription.prescriber
    data = {
        "medicine": prescription.medicine,
        "dose": last_dose,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=length - 1),
        "pattern": prescription.pattern,
        "supervised_days": prescription.supervised_days,
        "pharmacy": prescription.pharmacy,
        "home_delivery": prescription.home_delivery,
        "prescriber": prescriber,
        "reason": reason or prescription.reason,
        "instalment_wording": prescription.instalment_wording,
    }
    try:
        continued = prescription_create(
            actor=actor, client=prescription.client, data=data, origin=origin
        )
    except ValidationError as exc:
        # The prescriber chose only how many days: a rule about the end date is about them.
        if hasattr(exc, "error_dict") and "end_date" in exc.error_dict:
            exc.error_dict["days"] = exc.error_dict.pop("end_date")
        raise
    _audit(
        actor,
        Action.UPDATE,
        prescription,
        prescription.client,
        origin,
        f"continued by prescription {continued.pk}",
    )
    return continued


@transaction.atomic
def prescription_change_dose(
    *, actor: User, prescription: Prescription, data: dict, origin: AuditOrigin | None = None
) -> DoseChange:
    prescription = _locked(prescription)
    if prescription.state_on(timezone.localdate()) == Prescription.State.ENDED:
        raise ValidationError("This prescription has ended: write a new one")
    medicine = prescription.medicine_info
    dose = data.get("dose")
    safety.check_dose(dose, medicine)
    safety.check_ceiling(dose, medicine)
    effective = data.get("effective_date")
    if effective is None:
        raise ValidationError({"effective_date": "Enter the date the new dose starts"})
    if not prescription.start_date <= effective <= prescription.last_day:
        raise ValidationError(
            {
                "effective_date": "The new dose must start within the prescription "
                f"({prescription.start_date:%d/%m/%Y} to {prescription.last_day:%d/%m/%Y})"
            }
        )
    latest = prescription.dose_changes.order_by("-effective_date", "-id").first()
    if latest and effective < latest.effective_date:
        raise ValidationError(
            {"effective_date": f"A later change starts on {latest.effective_date:%d/%m/%Y}"}
        )
    recorded = prescription.instalments.filter(date__gte=effective).exclude(outcome="")
    if recorded.exists():
        raise ValidationError(
            {"effective_date": "Instalments from this date are already supplied or missed"}
        )
    if _parcels_with_drivers(prescription, after=effective - datetime.timedelta(days=1)):
        raise ValidationError(
            {
                "effective_date": "A home-delivery parcel from this date is already with a "
                "driver at the old dose: start the new dose the day after, or ask the "
                "delivery coordinator to hold the parcel back first"
            }
        )
    from_dose = safety.dose_of(prescription, effective)
    if dose == from_dose:
        raise ValidationError(
            {"dose": f"The dose is already {quantity_text(from_dose, prescription.dose_unit)}"}
        )
    reason = (data.get("reason") or "").strip()
    warnings = safety.dose_warnings(
        client=prescription.client,
        medicine=medicine,
        dose=dose,
        on=effective,
        prescription=prescription,
    )
    safety.require_reason(warnings, reason)
    change = DoseChange(
        provider_id=prescription.provider_id,
        prescription=prescription,
        from_dose=from_dose,
        to_dose=dose,
        effective_date=effective,
        reason=reason,
        overridden_warnings=" ".join(warnings),
        changed_by=actor,
    )
    change.full_clean()
    change.save()
    prescription.dose = dose
    prescription.save(update_fields=["dose"])
    for instalment in prescription.instalments.filter(date__gte=effective, outcome=""):
        instalment.quantity = instalment_quantity(medicine, dose, instalment.covers_days)
        instalment.save(update_fields=["quantity"])
    if effective <= timezone.localdate():
        for told in hooks.dose_changed_today:
            told(prescription=prescription, dose=dose, on=effective)
    _audit(
        actor,
        Action.UPDATE,
        prescription,
        prescription.client,
        origin,
        f"dose {quantity_text(from_dose)} to {quantity_text(dose, prescription.dose_unit)} "
        f"from {effective:%d/%m/%Y}",
    )
    return change


@transaction.atomic
def prescription_end(
    *, actor: User, prescription: Prescription, data: dict, origin: AuditOrigin | None = None
) -> Prescription:
    prescription = _locked(prescription)
    ended_on = data.get("ended_on")
    reason = (data.get("end_reason") or "").strip()
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the last day of the prescription"})
    # The day before the start stops it before its first dose (nothing is ever supplied).
    if ended_on < prescription.start_date - datetime.timedelta(days=1):
        raise ValidationError(
            {
                "ended_on": f"The prescription starts on {prescription.start_date:%d/%m/%Y}: "
                "to stop it before its first dose, enter the day before"
            }
        )
    if ended_on > prescription.end_date:
        raise ValidationError(
            {"ended_on": f"The prescription already ends on {prescription.end_date:%d/%m/%Y}"}
        )
    if not reason:
        raise ValidationError({"end_reason": "Say why the prescription ends"})
    if prescription.instalments.filter(date__gt=ended_on).exclude(outcome="").exists():
        raise ValidationError({"ended_on": "Instalments after this day are already recorded"})
    if _parcels_with_drivers(prescription, after=ended_on):
        raise ValidationError(
            {
                "ended_on": "A home-delivery parcel after this day is already with a driver: "
                "ask the delivery coordinator to hold it back first"
            }
        )
    # The decision is stored now; supply stops after `ended_on` (a later day keeps the
    # instalments up to it due, and the prescription current until then: `last_day`).
    prescription.ended_on = ended_on
    prescription.end_reason = reason
    PRESCRIPTION_STATES.move(prescription, Status.ENDED, save=False)
    prescription.full_clean()
    prescription.save(update_fields=["status", "ended_on", "end_reason"])
    # Instalments after the last day were never supplied: they leave the schedule, with
    # whatever was planned for them (unless a parcel went out and came back: that stays).
    prescription.instalments.filter(
        pk__in=_instalments_to_cancel(prescription, after=ended_on)
    ).delete()
    _audit(actor, Action.UPDATE, prescription, prescription.client, origin, f"ended: {reason}")
    return prescription


@transaction.atomic
def instalment_record_outcome(
    *,
    actor: User | None,
    instalment: Instalment,
    data: dict,
    origin: AuditOrigin | None = None,
    recorded_at: datetime.datetime | None = None,
) -> Instalment:
    """Record what happened to an instalment. `data["collected_on"]`, for a multi-day
    instalment collected after its day under the remaining-days wording, supplies only the
    remaining days (the days before count as missed). A missed instalment that brings the
    run of days not supplied to the threshold suspends the prescription. `actor` is None
    for the daily command. `recorded_at`: when it happened, if not now (a home delivery's
    time at the door, kept on the driver's phone while it waited for a signal: H-283)."""
    instalment = (
        Instalment.objects.select_for_update(of=("self",))
        .select_related("prescription__prescriber", "prescription__client__keyworker")
        .get(pk=instalment.pk)
    )
    prescription = instalment.prescription
    outcome = data.get("outcome", "")
    collected_on = data.get("collected_on")
    today = timezone.localdate()
    notes = (data.get("outcome_notes") or "").strip()
    safety.check_outcome(
        instalment, outcome, today=today, collected_on=collected_on, actor=actor, notes=notes
    )
    if outcome == Instalment.Outcome.MISSED:
        instalment.days_missed = instalment.covers_days
    else:
        late = safety.late_collection_days(instalment, collected_on)
        if late:
            instalment.days_missed = late
            remaining = instalment.covers_days - late
            instalment.quantity = instalment_quantity(
                prescription.medicine_info, instalment.quantity / instalment.covers_days, remaining
            )
            notes = (
                f"Collected on {collected_on:%d/%m/%Y}: {remaining} remaining day(s) supplied, "
                f"{late} missed. {notes}"
            ).strip()
    instalment.outcome = outcome
    instalment.outcome_notes = notes[:1000]
    instalment.outcome_recorded_by = actor
    instalment.outcome_recorded_at = recorded_at or timezone.now()
    record_save(
        instalment,
        actor=actor,
        action=Action.UPDATE,
        origin=origin,
        client=prescription.client,
        detail=f"{instalment.get_outcome_display()} {instalment.date:%d/%m/%Y}",
    )
    if (
        outcome == Instalment.Outcome.MISSED
        and prescription.status == Status.ACTIVE
        and safety.needs_review(prescription, on=instalment.last_day + datetime.timedelta(days=1))
    ):
        PRESCRIPTION_STATES.move(prescription, Status.SUSPENDED)
        _audit(
            actor,
            Action.UPDATE,
            prescription,
            prescription.client,
            origin,
            "suspended for prescriber review after consecutive missed doses",
        )
        treatment_hooks.overdose_risk_told(
            client=prescription.client,
            moment="missed_dose_suspension",
            on=instalment.last_day + datetime.timedelta(days=1),
        )
    return instalment


@transaction.atomic
def instalment_mark_not_delivered_by_service(
    *,
    actor: User,
    instalment: Instalment,
    reason: str,
    origin: AuditOrigin | None = None,
) -> Instalment:
    """The service failed to deliver this dose (its stop unassigned, held back by the
    coordinator): the service's failure, not the client's miss. The dose stays pending, so
    it can still be collected that day (at the base or a pharmacy); it never counts toward
    the client's missed days (H-53). An empty `reason` clears the mark (the stop went on a
    round after all)."""
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    reason = reason.strip()[:300]
    if instalment.not_delivered_by_service == reason or instalment.outcome:
        return instalment
    instalment.not_delivered_by_service = reason
    instalment.save(update_fields=["not_delivered_by_service"])
    _audit(
        actor,
        Action.UPDATE,
        instalment,
        instalment.prescription.client,
        origin,
        f"not delivered by the service: {reason}" if reason else "delivery by the service again",
    )
    return instalment


def instalments_record_missed(
    *,
    before: datetime.date,
    progress: Callable[[str], object] | None = None,
    origin: AuditOrigin | None = None,
) -> dict:
    """Record every instalment before `before` with no outcome as missed (the service's
    own failures excepted), suspending and alerting at the threshold: the daily command's
    work. The rule itself never waits for it (safety.consecutive_missed_days)."""
    unrecorded = (
        Instalment.objects.filter(date__lt=before, outcome="", not_delivered_by_service="")
        .exclude(prescription__status=Status.ENDED)
        .order_by("prescription_id", "date")
    )
    recorded, suspended = 0, []
    for instalment in unrecorded.iterator():
        with transaction.atomic():
            try:
                done = instalment_record_outcome(
                    actor=None,
                    instalment=instalment,
                    data={
                        "outcome": Instalment.Outcome.MISSED,
                        "outcome_notes": "No outcome recorded by the end of its day",
                    },
                    origin=origin,
                )
            except ValidationError:
                continue
            recorded += 1
            prescription = done.prescription
            prescription.refresh_from_db(fields=["status"])
            if prescription.status == Status.SUSPENDED and prescription.pk not in suspended:
                suspended.append(prescription.pk)
                prescription_alert_suspended(prescription=prescription)
        if progress is not None and recorded % 100 == 0 and recorded:
            progress(f"{recorded} instalments recorded as missed")
    return {"missed": recorded, "suspended": len(suspended)}


def prescription_alert_suspended(*, prescription: Prescription) -> None:
    """Tell the prescriber (and the keyworker) that supply is suspended for review."""
    client = prescription.client
    alert_raise(
        provider=prescription.provider,
        recipients=[prescription.prescriber, client.keyworker],
        kind=Alert.Kind.MISSED_DOSES,
        title=f"Supply suspended after missed doses: {client.full_name} ({client.client_number})",
        message=f"{safety.missed_days_for_review()} or more days in a row "
        f"were not supplied. Nothing more is supplied until a prescriber reviews the "
        f"prescription and records the dose to resume at.",
        client=client,
        link=reverse("prescribing:detail", kwargs={"prescription_id": prescription.pk}),
    )


@transaction.atomic
def missed_dose_review_record(
    *, actor: User, prescription: Prescription, data: dict, origin: AuditOrigin | None = None
) -> MissedDoseReview:
    """A prescriber's decision after consecutive missed days: end, or resume at a recorded
    dose. The resume dose passes the dose checks against what was last supplied; after a
    gap at or over the threshold the starting-dose cap applies again (H-52). A dose other
    than the prescribed one becomes a dose change from the next instalment."""
    if actor.role != Role.PRESCRIBER:
        raise ValidationError("Only a prescriber can review a prescription after missed doses")
    prescription = _locked(prescription)
    today = timezone.localdate()
    waiting = prescription.status == Status.SUSPENDED or (
        prescription.status == Status.ACTIVE and safety.needs_review(prescription, on=today)
    )
    if not waiting:
        raise ValidationError("This prescription is not waiting for a review")
    decision = data.get("decision", "")
    notes = (data.get("notes") or "").strip()
    if decision not in MissedDoseReview.Decision.values:
        raise ValidationError(
            {"decision": "Choose whether supply resumes or the prescription ends"}
        )
    if not notes:
        raise ValidationError({"notes": "Record what the review found"})
    resume_dose = data.get("resume_dose")
    resume = decision == MissedDoseReview.Decision.RESUME
    if resume:
        resume_dose = _check_resume_dose(prescription, resume_dose, data, today=today)
    last_missed = (
        prescription.instalments.filter(outcome=Instalment.Outcome.MISSED).order_by("-date").first()
    )
    # Every day before today not supplied is answered by this review (recorded or not).
    yesterday = today - datetime.timedelta(days=1)
    review = MissedDoseReview(
        provider_id=prescription.provider_id,
        prescription=prescription,
        decision=decision,
        resume_dose=resume_dose if resume else None,
        notes=notes,
        covers_up_to=max(last_missed.date, yesterday) if last_missed else yesterday,
        reviewed_by=actor,
    )
    record_save(
        review,
        actor=actor,
        origin=origin,
        client=prescription.client,
        detail=review.get_decision_display(),
    )
    if resume:
        next_pending = (
            prescription.instalments.filter(date__gte=today, outcome="").order_by("date").first()
        )
        if resume_dose != prescription.dose and next_pending is not None:
            prescription_change_dose(
                actor=actor,
                prescription=prescription,
                data={
                    "dose": resume_dose,
                    "effective_date": next_pending.date,
                    "reason": (data.get("reason") or "").strip(),
                },
                origin=origin,
            )
            prescription.refresh_from_db()
        if prescription.status == Status.SUSPENDED:
            PRESCRIPTION_STATES.move(prescription, Status.ACTIVE)
    else:
        # Supply stops now: the last day is yesterday (the day before the start if none).
        one_day = datetime.timedelta(days=1)
        ended_on = max(
            min(today - one_day, prescription.end_date), prescription.start_date - one_day
        )
        prescription_end(
            actor=actor,
            prescription=prescription,
            data={"ended_on": ended_on, "end_reason": f"After missed doses: {notes}"},
            origin=origin,
        )
    return review


def _check_resume_dose(
    prescription: Prescription, dose: Decimal | None, data: dict, *, today: datetime.date
) -> Decimal:
    """The dose to resume at: required, a valid dose of the medicine, and within the usual
    limits against what was last supplied (a restart after the gap: the starting cap), or
    with a reason."""
    medicine = prescription.medicine_info
    if dose is None:
        raise ValidationError({"resume_dose": "Enter the dose to resume at"})
    safety.check_dose(dose, medicine, field="resume_dose")
    warnings = safety.dose_warnings(
        client=prescription.client,
        medicine=medicine,
        dose=dose,
        on=today,
        prescription=prescription,
    )
    safety.require_reason(warnings, data.get("reason") or "")
    return dose
