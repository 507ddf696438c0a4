"""Writes of OST prescribing: prescribe, change a dose, end, record an instalment, review.

Each function is keyword-only and atomic, runs the rules of beacon/prescribing/safety.py,
raises a ValidationError naming the field, and writes an audit entry from the `origin` the
view or API passes (`core.audit.audit_origin(request)`). Prescription status moves only
through `PRESCRIPTION_STATES` (beacon/prescribing/models.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import User
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
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
    actor: User,
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


@transaction.atomic
def prescription_create(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> Prescription:
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
    return prescription


@transaction.atomic
def prescription_change_dose(
    *, actor: User, prescription: Prescription, data: dict, origin: AuditOrigin | None = None
) -> DoseChange:
    prescription = _locked(prescription)
    if prescription.status == Status.ENDED:
        raise ValidationError("This prescription has ended: write a new one")
    medicine = prescription.medicine_info
    dose = data.get("dose")
    safety.check_dose(dose, medicine)
    safety.check_ceiling(dose, medicine)
    effective = data.get("effective_date")
    if effective is None:
        raise ValidationError({"effective_date": "Enter the date the new dose starts"})
    if not prescription.start_date <= effective <= prescription.end_date:
        raise ValidationError(
            {
                "effective_date": "The new dose must start within the prescription "
                f"({prescription.start_date:%d/%m/%Y} to {prescription.end_date:%d/%m/%Y})"
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
    if ended_on < prescription.start_date:
        raise ValidationError(
            {"ended_on": f"The prescription started on {prescription.start_date:%d/%m/%Y}"}
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
    PRESCRIPTION_STATES.move(prescription, Status.ENDED)
    prescription.ended_on = ended_on
    prescription.end_reason = reason
    prescription.full_clean()
    prescription.save(update_fields=["ended_on", "end_reason"])
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
    actor: User,
    instalment: Instalment,
    data: dict,
    origin: AuditOrigin | None = None,
) -> Instalment:
    instalment = (
        Instalment.objects.select_for_update().select_related("prescription").get(pk=instalment.pk)
    )
    prescription = instalment.prescription
    outcome = data.get("outcome", "")
    safety.check_outcome(instalment, outcome, today=timezone.localdate())
    instalment.outcome = outcome
    instalment.outcome_notes = (data.get("outcome_notes") or "").strip()
    instalment.outcome_recorded_by = actor
    instalment.outcome_recorded_at = timezone.now()
    instalment.full_clean()
    instalment.save()
    _audit(
        actor,
        Action.UPDATE,
        instalment,
        prescription.client,
        origin,
        f"{instalment.get_outcome_display()} {instalment.date:%d/%m/%Y}",
    )
    if (
        outcome == Instalment.Outcome.MISSED
        and prescription.status == Status.ACTIVE
        and safety.needs_review(prescription)
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
    return instalment


@transaction.atomic
def missed_dose_review_record(
    *, actor: User, prescription: Prescription, data: dict, origin: AuditOrigin | None = None
) -> MissedDoseReview:
    if actor.role != Role.PRESCRIBER:
        raise ValidationError("Only a prescriber can review a prescription after missed doses")
    prescription = _locked(prescription)
    if prescription.status != Status.SUSPENDED:
        raise ValidationError("This prescription is not waiting for a review")
    decision = data.get("decision", "")
    notes = (data.get("notes") or "").strip()
    if decision not in MissedDoseReview.Decision.values:
        raise ValidationError(
            {"decision": "Choose whether supply resumes or the prescription ends"}
        )
    if not notes:
        raise ValidationError({"notes": "Record what the review found"})
    last_missed = (
        prescription.instalments.filter(outcome=Instalment.Outcome.MISSED).order_by("-date").first()
    )
    today = timezone.localdate()
    review = MissedDoseReview(
        provider_id=prescription.provider_id,
        prescription=prescription,
        decision=decision,
        notes=notes,
        covers_up_to=last_missed.date if last_missed else today,
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    _audit(actor, Action.CREATE, review, prescription.client, origin, review.get_decision_display())
    if decision == MissedDoseReview.Decision.RESUME:
        PRESCRIPTION_STATES.move(prescription, Status.ACTIVE)
    else:
        ended_on = max(min(today, prescription.end_date), prescription.start_date)
        prescription_end(
            actor=actor,
            prescription=prescription,
            data={"ended_on": ended_on, "end_reason": f"After missed doses: {notes}"},
            origin=origin,
        )
    return review
