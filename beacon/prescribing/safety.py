"""The clinical safety rules of OST prescribing, in one place: services, pages and API call them.

Each rule names the section of ../shared/reference/ost-and-naloxone-clinical-rules.md
(the "reference") it rests on and that source's strength, and has an entry in
docs/clinical-safety/hazard-log.md naming the test that proves it. Thresholds are read
from settings (BEACON_OST_*), with the reference's figures as defaults; every figure
needs clinical sign-off before use with real patients.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from beacon.prescribing.medicines import MEDICINES, Form, Medicine, Substance, medicine_get
from beacon.prescribing.models import SUPPLIED, Instalment, Prescription

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
    """Two running prescriptions of the same medicine (substance) would double the dose."""
    codes = [code for code, m in MEDICINES.items() if m.substance == medicine.substance]
    others = client.ost_prescriptions.filter(medicine__in=codes).exclude(
        status=Prescription.Status.ENDED
    )
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    clash = others.filter(start_date__lte=end, end_date__gte=start).first()
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
    before = dose_before(client=client, on=on, prescription=prescription)
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
    restarted = restart_day(client, on=on)
    if first_start is not None and restarted is not None:
        first_start = max(first_start, restarted)  # titration limits again after a restart
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


# Restarts: compare with what was last supplied; after a gap, as for a new start --------------


@dataclass(frozen=True)
class Supplied:
    dose: Decimal  # a day's dose
    last_day: datetime.date  # the last day the supply covered


def _methadone_instalments(client):
    codes = [code for code, m in MEDICINES.items() if m.substance == Substance.METHADONE]
    return Instalment.objects.filter(prescription__client=client, prescription__medicine__in=codes)


def last_supplied_dose(client, *, before: datetime.date) -> Supplied | None:
    """The methadone dose last actually supplied to the client (collected or delivered)
    before `before`, whatever was prescribed, and the last day it covered; None if none."""
    last = (
        _methadone_instalments(client)
        .filter(date__lt=before, outcome__in=SUPPLIED)
        .order_by("-date", "-id")
        .first()
    )
    if last is None:
        return None
    days = last.covers_days - last.days_missed  # a late collection supplies the remaining days
    return Supplied(dose=last.quantity / days, last_day=last.last_day)


def days_without_supply(client, *, on: datetime.date) -> int | None:
    """Days in a row before `on` (and before today: later days are expected as planned)
    with no methadone supplied; None for a client never supplied since their run began."""
    day = min(on, timezone.localdate())
    supplied = last_supplied_dose(client, before=day)
    if supplied is None:
        first = _methadone_instalments(client).filter(date__lt=day).order_by("date").first()
        return None if first is None else (day - first.date).days
    return max((day - supplied.last_day).days - 1, 0)


def is_restart(client, *, on: datetime.date) -> bool:
    """A dose from `on` follows a gap in supply at or over the missed-days threshold, so
    tolerance may be lost: the starting-dose cap and titration limits apply again.

    Reference §3: tolerance may be lost after 3 consecutive missed days; the client must be
    seen and re-titrated (NHS Lothian; Gateshead & South Tyneside LPC [UK-secondary]).
    """
    gap = days_without_supply(client, on=on)
    return gap is not None and gap >= threshold("BEACON_OST_MISSED_DAYS_FOR_REVIEW")


def restart_day(client, *, on: datetime.date) -> datetime.date | None:
    """The day of the latest restart up to `on`: `on` itself when it is one, else the first
    supply after the latest gap at or over the threshold; None if there was none."""
    if is_restart(client, on=on):
        return on
    most = threshold("BEACON_OST_MISSED_DAYS_FOR_REVIEW")
    supplied = list(
        _methadone_instalments(client)
        .filter(date__lt=on, outcome__in=SUPPLIED)
        .order_by("-date", "-id")
        .values_list("date", "covers_days")
    )
    for (later, _), (earlier, covers) in itertools.pairwise(supplied):
        if (later - earlier).days - covers >= most:
            return later
    return None


def dose_before(
    *, client, on: datetime.date, prescription: Prescription | None = None
) -> Decimal | None:
    """The methadone dose a new dose from `on` is compared with: None for a new start or a
    restart (is_restart); for days up to today the dose last actually supplied; for later
    days the dose prescribed the day before (what will have been supplied by then)."""
    if is_restart(client, on=on):
        return None
    one_day = datetime.timedelta(days=1)
    if on <= timezone.localdate():
        supplied = last_supplied_dose(client, before=on)
        if supplied is not None:
            return supplied.dose
    if prescription is not None and on > prescription.start_date:
        return dose_of(prescription, on - one_day)
    excluding = prescription.pk if prescription is not None else None
    return methadone_dose_on(client, on - one_day, excluding_id=excluding)


def require_reason(warnings: list[str], reason: str) -> None:
    if warnings and not (reason or "").strip():
        raise ValidationError(
            {"reason": " ".join(warnings) + " Give a reason to go ahead with this dose."}
        )


# Missed doses -----------------------------------------------------------------------------


def consecutive_missed_days(prescription: Prescription, *, on: datetime.date | None = None) -> int:
    """Days not supplied in a row just before `on` (today by default), since the last
    supply or the last review. Days, not instalments: a missed Saturday covering Sunday is
    two days.

    A past instalment with no outcome counts as not supplied, whether or not anyone (or
    the daily `instalments_record_missed` command) has yet recorded it as missed: the rule
    never waits for someone to type "missed" (issue #8). A dose the service failed to
    deliver is not the client's miss: it neither counts nor ends the run (H-53).

    Reference §3: contact the prescriber after 3 or more consecutive missed days (Home
    Office approved wording [UK-secondary]); no automatic supply after 3 consecutive
    missed doses (St Helens specification [UK-secondary]).
    """
    on = on or timezone.localdate()
    review = prescription.missed_dose_reviews.order_by("-covers_up_to").first()
    before = prescription.instalments.filter(date__lt=on)
    if review is not None:
        before = before.filter(date__gt=review.covers_up_to)
    missed = 0
    for instalment in before.order_by("-date"):
        if instalment.is_supplied:
            break  # a late collection's missed days came before what it supplied
        if instalment.not_delivered_by_service:
            continue
        # Pending or missed: its days up to `on` were not supplied.
        missed += min(instalment.covers_days, (on - instalment.date).days)
    return missed


def missed_days_for_review() -> int:
    """Days not supplied in a row after which supply stops for a prescriber's review."""
    return threshold("BEACON_OST_MISSED_DAYS_FOR_REVIEW")


def needs_review(prescription: Prescription, *, on: datetime.date | None = None) -> bool:
    """Has the run of days not supplied before `on` reached the review threshold?"""
    return consecutive_missed_days(prescription, on=on) >= missed_days_for_review()


def late_collection_days(instalment: Instalment, collected_on: datetime.date | None) -> int:
    """How many of a multi-day instalment's days passed before it was collected (0 when
    collected on its day); refused unless the approved wording is on the prescription.

    Reference §3: a second approved phrase lets the pharmacy "still dispense the amount due
    for any remaining day(s)" of an instalment whose collection day was missed (Numark /
    NHS GGC [UK-secondary]); without it the instalment is missed whole.
    """
    if collected_on is None or collected_on == instalment.date:
        return 0
    if collected_on < instalment.date:
        raise ValidationError({"collected_on": "An instalment cannot be collected before its day"})
    if collected_on > instalment.last_day:
        raise ValidationError(
            {"collected_on": "All the days of this instalment have passed: record it as missed"}
        )
    if not instalment.prescription.wording_missed_collection_remaining_days:
        raise ValidationError(
            {
                "collected_on": "The collection day was missed and the prescription does not "
                "say to dispense the remaining days: record the instalment as missed"
            }
        )
    return (collected_on - instalment.date).days


def check_outcome(
    instalment: Instalment,
    outcome: str,
    *,
    today: datetime.date,
    collected_on: datetime.date | None = None,
) -> None:
    """May this outcome be recorded for this instalment?

    A missed dose is never supplied later (reference §3, St Helens [UK-secondary]); after
    3 consecutive days not supplied (unrecorded past instalments included) nothing is
    supplied until a prescriber has reviewed. A dose the service failed to deliver may
    still be collected (at the base or a pharmacy) on its day (H-53).
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
    if prescription.status == Prescription.Status.ENDED:
        raise ValidationError({"outcome": "This prescription has ended"})
    if outcome in supplied:
        if collected_on is not None and collected_on > today:
            raise ValidationError({"collected_on": "The day collected cannot be in the future"})
        late = late_collection_days(instalment, collected_on)
        missed = consecutive_missed_days(prescription, on=instalment.date) + late
        if prescription.status == Prescription.Status.SUSPENDED or missed >= threshold(
            "BEACON_OST_MISSED_DAYS_FOR_REVIEW"
        ):
            raise ValidationError(
                {
                    "outcome": "Supply is blocked after consecutive missed doses until a "
                    "prescriber reviews the prescription"
                }
            )
        by_service = bool(instalment.not_delivered_by_service)
        if outcome == Instalment.Outcome.DELIVERED and not prescription.home_delivery:
            raise ValidationError({"outcome": "This prescription is collected from a pharmacy"})
        if outcome == Instalment.Outcome.DELIVERED and by_service:
            raise ValidationError(
                {"outcome": "The service could not deliver this dose: record it as collected"}
            )
        if outcome == Instalment.Outcome.COLLECTED and prescription.home_delivery:
            if not by_service:
                raise ValidationError({"outcome": "This prescription is delivered home"})
            if (collected_on or today) != instalment.date:
                raise ValidationError(
                    {
                        "outcome": "A dose the service did not deliver can be collected on its "
                        "day only"
                    }
                )
        later = prescription.instalments.filter(date__gt=instalment.date).exclude(outcome="")
        if later.exists():
            raise ValidationError(
                {"outcome": "A later instalment is already recorded: this day's dose has passed"}
            )
