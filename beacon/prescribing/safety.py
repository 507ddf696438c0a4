"""The clinical safety rules of OST prescribing, in one place: services, pages and API call them.

Each rule names the section of ../shared/reference/ost-and-naloxone-clinical-rules.md
(the "reference") it rests on and that source's strength, and has an entry in
docs/clinical-safety/hazard-log.md naming the test that proves it. Thresholds are read
from settings (BEACON_OST_*), with the reference's figures as defaults; every figure
needs clinical sign-off before use with real patients.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q

from beacon.prescribing.medicines import MEDICINES, Form, Medicine, Substance, medicine_get
from beacon.prescribing.models import Instalment, Prescription

DEFAULTS = {
    # Reference §1, RCGP 2011 via NIDA: increases of 5-10 mg a day at most
    # [UK-secondary, second-hand].
    "BEACON_OST_MAX_INCREASE_STEP_MG": 10,
    # Reference §1, same RCGP summary: no more than 30 mg a week in the first two weeks
    # [UK-secondary, second-hand].
    "BEACON_OST_MAX_INCREASE_WINDOW_MG": 30,
    "BEACON_OST_INCREASE_WINDOW_DAYS": 7,
    "BEACON_OST_TITRATION_PERIOD_DAYS": 14,
    # Reference §1, NHS.uk: usual starting dose 10-30 mg once daily [UK-primary].
    "BEACON_OST_METHADONE_MAX_START_MG": 30,
    # Reference §3 and §9: 3 consecutive missed days, Home Office approved wording
    # [UK-secondary]; configurable as some services want 2.
    "BEACON_OST_MISSED_DAYS_FOR_REVIEW": 3,
    # Reference §9 (instalment prescriptions, England): at most 14 days [UK-secondary].
    "BEACON_OST_MAX_INSTALMENT_DAYS": 14,
    # Issue #8: prescriptions ending within this many days with nothing to follow them are
    # listed for prescribers, so nobody runs out over a weekend (a service's choice).
    "BEACON_OST_ENDING_SOON_DAYS": 3,
}


def threshold(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


# Checks of a prescription as written ------------------------------------------------------


def check_medicine(code: str) -> Medicine:
    medicine = medicine_get(code or "")
    if medicine is None:
        raise ValidationError({"medicine": "Choose a medicine from the OST medicine list"})
    return medicine


def check_dose(dose: Decimal | None, medicine: Medicine, field: str = "dose") -> None:
    if dose is None:
        raise ValidationError({field: "Enter the dose in mg"})
    if dose <= 0:
        raise ValidationError({field: "The dose must be more than 0 mg"})
    # A syringe of prolonged-release buprenorphine is one fixed dose (reference §2b).
    if medicine.is_injection and dose != medicine.strength:
        raise ValidationError(
            {field: f"The dose of {medicine.name} is {medicine.strength_text}: one syringe"}
        )
    # One product a prescription: a tablet dose is a whole number of that product's tablets,
    # or the pharmacy (or the delivery register) cannot make it up.
    if medicine.form == Form.SUBLINGUAL_TABLET and dose % medicine.strength:
        raise ValidationError(
            {
                field: f"{medicine.name} are {medicine.strength_text} each: enter a dose in whole "
                f"tablets (a multiple of {medicine.strength_text}), or choose another strength"
            }
        )


def check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None:
        raise ValidationError({"start_date": "Enter the start date"})
    if end is None:
        raise ValidationError({"end_date": "Enter the end date"})
    if end < start:
        raise ValidationError({"end_date": "The end date must be on or after the start date"})


def check_instalments(
    medicine: Medicine, pattern: str, start: datetime.date, end: datetime.date
) -> None:
    """An instalment prescription states amount and interval and covers at most 14 days.

    Reference §9 (instalment prescriptions, England): block items longer than 14 days;
    require the instalment amount and interval [UK-secondary]. The amount follows from the
    dose and the pattern, which is therefore required and must suit the medicine.
    """
    if pattern not in Prescription.Pattern.values:
        raise ValidationError({"pattern": "Choose how often instalments are supplied"})
    if medicine.is_injection:
        expected = Prescription.Pattern(
            "weekly" if medicine.injection_interval_days == 7 else "monthly"
        )
        if pattern != expected:
            raise ValidationError({"pattern": f"{medicine.name} is given {expected.label.lower()}"})
        return
    if pattern == Prescription.Pattern.MONTHLY:
        raise ValidationError({"pattern": "Monthly supply is only for a monthly injection"})
    if pattern == Prescription.Pattern.MON_SAT and start.weekday() == 6:
        raise ValidationError(
            {"start_date": "A Monday to Saturday prescription cannot start on a Sunday"}
        )
    most = threshold("BEACON_OST_MAX_INSTALMENT_DAYS")
    if (end - start).days + 1 > most:
        raise ValidationError(
            {"end_date": f"An instalment prescription can cover at most {most} days"}
        )


def check_supply(
    medicine: Medicine, *, home_delivery: bool, pharmacy, supervised_days: str
) -> None:
    """Where the medicine is supplied; prolonged-release buprenorphine is never taken home.

    Reference §2b: Buvidal must be given by a healthcare professional; patients may not
    take it home or self-administer (NICE ES19 [UK-primary]; buvidal.eu [manufacturer]).
    """
    if set(supervised_days) - set("0123456"):
        raise ValidationError({"supervised_days": "Choose days of the week"})
    if not medicine.take_home_allowed and home_delivery:
        raise ValidationError(
            {
                "home_delivery": f"{medicine.name} is given by a healthcare professional: "
                "it is never delivered home or taken home"
            }
        )
    if home_delivery and pharmacy is not None:
        raise ValidationError({"pharmacy": "Choose a pharmacy or home delivery, not both"})
    if not home_delivery and pharmacy is None:
        raise ValidationError({"pharmacy": "Choose the pharmacy, or home delivery"})
    if pharmacy is not None and pharmacy.kind != "pharmacy":
        raise ValidationError({"pharmacy": "Choose a community pharmacy"})
    if home_delivery and supervised_days:
        raise ValidationError(
            {"supervised_days": "Supervised consumption needs a pharmacy, not home delivery"}
        )


def check_no_overlap(
    *,
    client,
    medicine: Medicine,
    start: datetime.date,
    end: datetime.date,
    excluding: Prescription | None = None,
) -> None:
    """Two running prescriptions of the same medicine (substance) would double the dose.

    Another prescription clashes when it supplies on any day from `start` to `end`: from
    its start date to its last day (a prescription ended from a later date runs until
    then; one whose last day has passed, ended by hand or not, never clashes)."""
    codes = [code for code, m in MEDICINES.items() if m.substance == medicine.substance]
    others = client.ost_prescriptions.filter(medicine__in=codes).not_over(on=start)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    clash = others.filter(start_date__lte=end).first()
    if clash:
        raise ValidationError(
            {
                "start_date": "This overlaps the client's active prescription of "
                f"{clash.medicine_name} ({clash.start_date:%d/%m/%Y} to {clash.end_date:%d/%m/%Y})"
            }
        )


# Dose increases: warn, and need a reason ---------------------------------------------------


def methadone_dose_on(client, day: datetime.date, *, excluding_id: int | None = None):
    """The methadone daily dose the client was prescribed on `day`, or None."""
    codes = [code for code, m in MEDICINES.items() if m.substance == Substance.METHADONE]
    running = (
        client.ost_prescriptions.filter(medicine__in=codes, start_date__lte=day, end_date__gte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .exclude(pk=excluding_id)
        .prefetch_related("dose_changes")
    )
    return max((dose_of(prescription, day) for prescription in running), default=None)


def dose_of(prescription: Prescription, day: datetime.date) -> Decimal:
    """The prescription's daily dose on `day`, after any dose changes up to that day."""
    changes = [c for c in prescription.dose_changes.all() if c.effective_date <= day]
    if not changes:
        return _first_dose(prescription)
    return max(changes, key=lambda c: (c.effective_date, c.pk)).to_dose


def _first_dose(prescription: Prescription) -> Decimal:
    # The dose the prescription started at: before its first change, or its dose now.
    changes = sorted(prescription.dose_changes.all(), key=lambda c: (c.effective_date, c.pk))
    return changes[0].from_dose if changes else prescription.dose


def dose_warnings(
    *,
    client,
    medicine: Medicine,
    dose: Decimal,
    on: datetime.date,
    prescription: Prescription | None = None,
) -> list[str]:
    """Why a methadone dose from `on` is above the usual limits (empty when it is not).

    Reference §1: starting dose 10-30 mg (NHS.uk [UK-primary]); increases of at most
    10 mg a day and 30 mg a week in the first two weeks (RCGP 2011, seen second-hand
    [UK-secondary, second-hand]). No UK figures were found for buprenorphine (reference
    §2a), so it is not checked here: see the hazard log.
    """
    if medicine.substance != Substance.METHADONE:
        return []
    excluding = prescription.pk if prescription is not None else None
    one_day = datetime.timedelta(days=1)
    if prescription is not None and on > prescription.start_date:
        before = dose_of(prescription, on - one_day)
    else:
        before = methadone_dose_on(client, on - one_day, excluding_id=excluding)
    warnings = []
    if before is None:
        most = threshold("BEACON_OST_METHADONE_MAX_START_MG")
        if dose > most:
            warnings.append(f"A starting dose above {most} mg a day is above the usual range.")
        return warnings
    step = threshold("BEACON_OST_MAX_INCREASE_STEP_MG")
    if dose - before > step:
        warnings.append(
            f"An increase of {(dose - before).normalize():f} mg is more than {step} mg at a time."
        )
    first_start = _first_methadone_start(client, prescription, on)
    titration_days = threshold("BEACON_OST_TITRATION_PERIOD_DAYS")
    if first_start is not None and on < first_start + datetime.timedelta(days=titration_days):
        window = threshold("BEACON_OST_INCREASE_WINDOW_DAYS")
        base_day = max(on - datetime.timedelta(days=window), first_start)
        if prescription is not None and base_day >= prescription.start_date:
            base = dose_of(prescription, base_day)
        else:
            base = methadone_dose_on(client, base_day, excluding_id=excluding)
        most = threshold("BEACON_OST_MAX_INCREASE_WINDOW_MG")
        if base is not None and dose - base > most:
            warnings.append(
                f"An increase of {(dose - base).normalize():f} mg within {window} days is more "
                f"than {most} mg in the first {titration_days} days of treatment."
            )
    return warnings


def _first_methadone_start(client, prescription, on: datetime.date) -> datetime.date | None:
    """The first day of the unbroken run of methadone prescriptions leading up to `on`."""
    codes = [code for code, m in MEDICINES.items() if m.substance == Substance.METHADONE]
    spans = sorted(
        (p.start_date, p.ended_on or p.end_date)
        for p in client.ost_prescriptions.filter(medicine__in=codes, start_date__lte=on)
    )
    first = None
    last_end = None
    for start, end in spans:
        if last_end is None or start > last_end + datetime.timedelta(days=1):
            first = start
        last_end = max(last_end or end, end)
    if prescription is None and (last_end is None or on > last_end + datetime.timedelta(days=1)):
        return on  # a new start after a gap: its first two weeks begin now
    return first


def require_reason(warnings: list[str], reason: str) -> None:
    if warnings and not (reason or "").strip():
        raise ValidationError(
            {"reason": " ".join(warnings) + " Give a reason to go ahead with this dose."}
        )


# Missed doses -----------------------------------------------------------------------------


def consecutive_missed_days(prescription: Prescription) -> int:
    """Days covered by the missed instalments since the last supply or the last review.

    Reference §3: contact the prescriber after 3 or more consecutive missed days (Home
    Office approved wording [UK-secondary]); no automatic supply after 3 consecutive
    missed doses (St Helens specification [UK-secondary]).
    """
    review = prescription.missed_dose_reviews.order_by("-covers_up_to").first()
    recorded = prescription.instalments.exclude(outcome=Instalment.Outcome.PENDING)
    if review is not None:
        recorded = recorded.filter(date__gt=review.covers_up_to)
    missed = 0
    for instalment in recorded.order_by("-date"):
        if instalment.outcome != Instalment.Outcome.MISSED:
            break
        missed += instalment.covers_days
    return missed


def needs_review(prescription: Prescription) -> bool:
    return consecutive_missed_days(prescription) >= threshold("BEACON_OST_MISSED_DAYS_FOR_REVIEW")


def check_outcome(instalment: Instalment, outcome: str, *, today: datetime.date) -> None:
    """May this outcome be recorded for this instalment?

    A missed dose is never supplied later (reference §3, St Helens [UK-secondary]); after
    3 consecutive missed days nothing is supplied until a prescriber has reviewed.
    """
    prescription = instalment.prescription
    supplied = {Instalment.Outcome.COLLECTED, Instalment.Outcome.DELIVERED}
    if outcome not in supplied | {Instalment.Outcome.MISSED}:
        raise ValidationError({"outcome": "Choose collected, delivered or missed"})
    if instalment.outcome == Instalment.Outcome.MISSED:
        raise ValidationError(
            {"outcome": "This dose was missed: a missed dose is never supplied later"}
        )
    if instalment.outcome:
        raise ValidationError({"outcome": "An outcome is already recorded for this instalment"})
    if instalment.date > today:
        raise ValidationError(
            {"outcome": "An instalment's outcome cannot be recorded before its day"}
        )
    if instalment.date > prescription.last_day:
        raise ValidationError({"outcome": "This prescription has ended"})
    if outcome in supplied:
        if prescription.status == Prescription.Status.SUSPENDED or needs_review(prescription):
            raise ValidationError(
                {
                    "outcome": "Supply is blocked after consecutive missed doses until a "
                    "prescriber reviews the prescription"
                }
            )
        if outcome == Instalment.Outcome.DELIVERED and not prescription.home_delivery:
            raise ValidationError({"outcome": "This prescription is collected from a pharmacy"})
        if outcome == Instalment.Outcome.COLLECTED and prescription.home_delivery:
            raise ValidationError({"outcome": "This prescription is delivered home"})
        later = prescription.instalments.filter(date__gt=instalment.date).exclude(outcome="")
        if later.exists():
            raise ValidationError(
                {"outcome": "A later instalment is already recorded: this day's dose has passed"}
            )
