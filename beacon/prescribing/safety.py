"""The clinical safety rules of OST prescribing, in one place: services, pages and API call them.

Each rule names the section of ../shared/reference/ost-and-naloxone-clinical-rules.md
(the "reference") it rests on and that source's strength, and has an entry in
docs/clinical-safety/hazard-log.md naming the test that proves it. Thresholds are read
from settings (BEACON_OST_*), with the reference's figures as defaults; every figure
needs clinical sign-off before use with real patients.
"""

import datetime
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from beacon.core.presenters import date_uk, quantity_text
from beacon.core.roles import Role
from beacon.prescribing import hooks
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
    # Reference §1, RCGP 2011 via NIDA: limit a start to 20 mg where the person also uses
    # sedatives, including alcohol [UK-secondary, second-hand].
    "BEACON_OST_METHADONE_MAX_START_WITH_SEDATIVES_MG": 20,
    # A hard ceiling, refused whatever the reason: NHS.uk gives 60-120 mg as the usual
    # maintenance range [UK-primary]; 200 mg is well above it and far above any UK start
    # (10-30 mg), so a dose above it is taken to be an error of entry (400 for 40).
    "BEACON_OST_METHADONE_CEILING_MG": 200,
    # UK SmPCs and formularies of sublingual buprenorphine: at most 32 mg a day (issue #8;
    # hazard log H-31); above it a reason is needed.
    "BEACON_OST_BUPRENORPHINE_MAX_DAILY_MG": 32,
    # Twice the licensed maximum: refused as an error of entry (80 for 8).
    "BEACON_OST_BUPRENORPHINE_CEILING_MG": 64,
    # Buprenorphine SmPCs (and Buvidal's): start at least 24 hours after the last methadone
    # dose, and only once methadone is at most 30 mg a day (precipitated withdrawal).
    "BEACON_OST_METHADONE_MAX_BEFORE_BUPRENORPHINE_MG": 30,
    # NICE TA114 1.3 [UK-primary]: daily supervised consumption for at least the first
    # 3 months; take-home doses earlier need a reason.
    "BEACON_OST_NEW_START_SUPERVISED_DAYS": 90,
    # Someone with no buprenorphine prescription in this many days before a first
    # prolonged-release injection is new to buprenorphine: a test dose is recorded first
    # (reference §2b, NHS Borders protocol [UK-secondary]).
    "BEACON_OST_NEW_TO_BUPRENORPHINE_DAYS": 7,
    # Issue #8: prescriptions ending within this many days with nothing to follow them are
    # listed for prescribers, so nobody runs out over a weekend (a service's choice).
    "BEACON_OST_ENDING_SOON_DAYS": 3,
}

# A reason a prescriber gives to go past a warning: words, not a character.
REASON_MIN_WORDS = 2
REASON_MIN_LETTERS = 10


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


def check_ceiling(dose: Decimal, medicine: Medicine, field: str = "dose") -> None:
    """Refuse a daily dose above the hard ceiling of its substance (a setting): no reason
    lets it through, as a dose so far above any usual one is taken to be a slip."""
    if medicine.is_injection:
        return  # one syringe of a licensed strength (check_dose)
    name = (
        "BEACON_OST_METHADONE_CEILING_MG"
        if medicine.substance == Substance.METHADONE
        else "BEACON_OST_BUPRENORPHINE_CEILING_MG"
    )
    most = threshold(name)
    if dose > most:
        raise ValidationError(
            {
                field: f"Dose ceiling: {quantity_text(dose, medicine.dose_unit)} a day is above "
                f"the ceiling of {quantity_text(most, medicine.dose_unit)} for "
                f"{medicine.substance}. Check the dose"
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
    uses_alcohol_or_sedatives: bool = False,
) -> list[str]:
    """Why a dose from `on` is above the usual limits (empty when it is not). Each warning
    opens with the rule that fired ("Starting dose: …", "Titration step: …").

    A change (`prescription` given) is compared with the prescription's own dose before it,
    so a change is never called a starting dose. Methadone, reference §1: starting dose
    10-30 mg (NHS.uk [UK-primary]), 20 mg with sedatives or alcohol, increases of at most
    10 mg a day and 30 mg a week in the first two weeks (RCGP 2011, seen second-hand
    [UK-secondary, second-hand]). Buprenorphine: buprenorphine_warnings.
    """
    if medicine.substance == Substance.BUPRENORPHINE:
        return buprenorphine_warnings(
            client=client, medicine=medicine, dose=dose, on=on, prescription=prescription
        )
    excluding = prescription.pk if prescription is not None else None
    before = dose_before(client=client, on=on, prescription=prescription)
    warnings = []
    if before is None:
        most = threshold("BEACON_OST_METHADONE_MAX_START_MG")
        rule = "Starting dose"
        if uses_alcohol_or_sedatives:
            most = min(most, threshold("BEACON_OST_METHADONE_MAX_START_WITH_SEDATIVES_MG"))
            rule = "Starting dose with alcohol or sedatives"
        if dose > most:
            warnings.append(
                f"{rule}: a methadone start above {quantity_text(most, 'mg')} a day is above "
                "the usual range."
            )
        return warnings
    step = threshold("BEACON_OST_MAX_INCREASE_STEP_MG")
    if dose - before > step:
        warnings.append(
            f"Titration step: an increase of {quantity_text(dose - before, 'mg')} is more than "
            f"{quantity_text(step, 'mg')} at a time."
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
                f"Titration in the first {titration_days} days: an increase of "
                f"{quantity_text(dose - base, 'mg')} within {window} days is more than "
                f"{quantity_text(most, 'mg')}."
            )
    return warnings


def is_methadone_start(client, medicine: Medicine, start: datetime.date) -> bool:
    """A methadone prescription with no methadone prescribed the day before: a start, where
    the starting-dose limits apply (dose_warnings)."""
    one_day = datetime.timedelta(days=1)
    return (
        medicine.substance == Substance.METHADONE
        and methadone_dose_on(client, start - one_day) is None
    )


def check_sedatives_answered(
    *, client, medicine: Medicine, start: datetime.date, answer: bool | None
) -> bool | None:
    """At a methadone start the prescriber says whether the client also uses alcohol or
    sedatives (the lower starting cap, reference §1, RCGP [UK-secondary, second-hand]):
    never assumed "no". Returns the answer to store: None where it was not asked."""
    if not is_methadone_start(client, medicine, start):
        return None
    if answer is None:
        raise ValidationError(
            {
                "uses_alcohol_or_sedatives": "Say whether the client also uses alcohol or "
                "sedatives: this is a methadone start"
            }
        )
    return answer


def _substance_codes(substance: str) -> list[str]:
    return [code for code, m in MEDICINES.items() if m.substance == substance]


def _running_on(client, substance: str, day: datetime.date, *, excluding_id=None):
    return (
        client.ost_prescriptions.filter(
            medicine__in=_substance_codes(substance), start_date__lte=day, end_date__gte=day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .exclude(pk=excluding_id)
    )


def buprenorphine_warnings(
    *,
    client,
    medicine: Medicine,
    dose: Decimal,
    on: datetime.date,
    prescription: Prescription | None = None,
) -> list[str]:
    """Sublingual buprenorphine above 32 mg a day; a buprenorphine start within 24 hours of
    a methadone dose, or while methadone is above 30 mg a day (precipitated withdrawal).

    UK SmPCs of sublingual buprenorphine and the Buvidal SmPC (hazard log H-31, H-32).
    """
    warnings = []
    most = threshold("BEACON_OST_BUPRENORPHINE_MAX_DAILY_MG")
    if not medicine.is_injection and dose > most:
        warnings.append(
            f"Buprenorphine maximum: {quantity_text(dose, 'mg')} a day is above the licensed "
            f"maximum of {quantity_text(most, 'mg')} a day."
        )
    excluding = prescription.pk if prescription is not None else None
    one_day = datetime.timedelta(days=1)
    starting = (
        prescription is None
        and not _running_on(
            client, Substance.BUPRENORPHINE, on - one_day, excluding_id=excluding
        ).exists()
    )
    if starting:
        methadone_today = methadone_dose_on(client, on)
        methadone_before = methadone_dose_on(client, on - one_day)
        if methadone_today is not None or methadone_before is not None:
            warnings.append(
                "Buprenorphine start after methadone: methadone is prescribed within 24 hours "
                "of this start; give the first buprenorphine dose at least 24 hours after the "
                "last methadone dose."
            )
        highest = max(d for d in (methadone_today, methadone_before, Decimal(0)) if d is not None)
        ceiling = threshold("BEACON_OST_METHADONE_MAX_BEFORE_BUPRENORPHINE_MG")
        if highest > ceiling:
            warnings.append(
                f"Buprenorphine start on methadone above {quantity_text(ceiling, 'mg')}: "
                f"methadone is {quantity_text(highest, 'mg')} a day; reduce it to "
                f"{quantity_text(ceiling, 'mg')} a day or less first."
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


def is_worded(text: str) -> bool:
    """A reason in words: at least 2 words and 10 letters (not "x" or ".")."""
    words = re.findall(r"[^\W\d_]+", text or "")
    return len(words) >= REASON_MIN_WORDS and sum(len(w) for w in words) >= REASON_MIN_LETTERS


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
    if warnings and not is_worded(reason):
        raise ValidationError(
            {
                "reason": " ".join(warnings) + " Give a reason to go ahead: at least "
                f"{REASON_MIN_WORDS} words and {REASON_MIN_LETTERS} letters."
            }
        )


# Two OST medicines at once: a planned cross-titration ------------------------------------


def cross_titration_warnings(
    *,
    client,
    medicine: Medicine,
    start: datetime.date,
    end: datetime.date,
    until: datetime.date | None,
) -> list[str]:
    """A prescription of one OST substance overlapping a current one of the other
    (methadone and buprenorphine): a cross-titration, which is a plan. It needs the last
    day of the overlap (`until`) and, through the warning, a reason. The same substance
    twice stays refused (check_no_overlap)."""
    other = next(s for s in Substance if s != medicine.substance)
    clash = (
        client.ost_prescriptions.filter(medicine__in=_substance_codes(other))
        .exclude(status=Prescription.Status.ENDED)
        .filter(start_date__lte=end, end_date__gte=start)
        .order_by("start_date")
        .first()
    )
    if clash is None:
        if until is not None:
            raise ValidationError(
                {
                    "cross_titration_until": "There is no other OST medicine to overlap: leave "
                    "the last day of the cross-titration empty"
                }
            )
        return []
    overlap_end = min(end, clash.ended_on or clash.end_date)
    described = (
        f"{clash.medicine_name} {clash.dose_text} ({date_uk(clash.start_date)} to "
        f"{date_uk(clash.ended_on or clash.end_date)})"
    )
    if until is None:
        raise ValidationError(
            {
                "cross_titration_until": f"This overlaps the client's {described}. A "
                "cross-titration is a plan: enter the last day of the overlap"
            }
        )
    if not start <= until <= overlap_end:
        raise ValidationError(
            {
                "cross_titration_until": "The last day of the cross-titration must be from "
                f"{date_uk(start)} to {date_uk(overlap_end)}"
            }
        )
    return [
        f"Cross-titration: {medicine.substance} and {described} are both prescribed until "
        f"{date_uk(until)}."
    ]


# Take-home doses -------------------------------------------------------------------------


def ost_run_start(client, on: datetime.date) -> datetime.date:
    """The first day of the client's unbroken run of OST prescriptions (any medicine) that
    reaches `on`; `on` itself for a new start (none running the day before)."""
    spans = sorted(
        (p.start_date, p.ended_on or p.end_date)
        for p in client.ost_prescriptions.filter(start_date__lt=on)
    )
    first, last_end = on, None
    for span_start, span_end in spans:
        if last_end is None or span_start > last_end + datetime.timedelta(days=1):
            first = span_start
        last_end = max(last_end or span_end, span_end)
    if last_end is None or last_end < on - datetime.timedelta(days=1):
        return on
    return first


def _taken_home(planned, medicine: Medicine) -> bool:
    """An unsupervised instalment, or one covering later days too (Saturday's covering
    Sunday): a dose taken home. An injection lasts its interval and is never taken home."""
    if medicine.is_injection:
        return False
    return not planned.supervised or planned.covers_days > 1


def take_home_warnings(*, client, medicine: Medicine, start: datetime.date, planned) -> list[str]:
    """A take-home (unsupervised or delivered) dose in the first 3 months of OST needs a
    reason: NICE TA114 1.3, daily supervised consumption for at least the first 3 months
    [UK-primary]. The 3 months run from the first day of the client's unbroken run of OST
    prescriptions (ost_run_start), so a new start and a next prescription both count."""
    days = threshold("BEACON_OST_NEW_START_SUPERVISED_DAYS")
    until = ost_run_start(client, start) + datetime.timedelta(days=days)
    early = [p for p in planned if _taken_home(p, medicine) and p.date < until]
    if not early:
        return []
    return [
        f"Supervised consumption in the first {days} days: a take-home dose on "
        f"{date_uk(early[0].date)} is before {date_uk(until)}, when daily supervised "
        "consumption is usual."
    ]


def check_safe_storage(
    *, client, medicine: Medicine, planned, field: str = "supervised_days"
) -> None:
    """Any take-home supply (unsupervised pharmacy days as well as home delivery) to a home
    with children needs a lockable box seen there first (reference §5c [UK-secondary
    quoting UK-primary]). Delivery records the box; prescribing asks through its hook."""
    if not client.children_in_household or not any(_taken_home(p, medicine) for p in planned):
        return
    if any(seen(client) for seen in hooks.lockable_box_seen):
        return
    raise ValidationError(
        {
            field: "Children live in the home and no lockable box has been recorded: record "
            "one (delivery details) before any take-home dose, or supervise every dose"
        }
    )


# Prolonged-release buprenorphine (Buvidal) ------------------------------------------------


def new_to_buprenorphine(client, start: datetime.date) -> bool:
    since = start - datetime.timedelta(days=threshold("BEACON_OST_NEW_TO_BUPRENORPHINE_DAYS"))
    return not (
        client.ost_prescriptions.filter(
            medicine__in=_substance_codes(Substance.BUPRENORPHINE), start_date__lt=start
        )
        .filter(Q(ended_on__gte=since) | Q(ended_on__isnull=True, end_date__gte=since))
        .exists()
    )


def check_test_dose(
    *,
    client,
    medicine: Medicine,
    start: datetime.date,
    given_at: datetime.datetime | None,
    observation: str,
) -> None:
    """Before a first prolonged-release injection for someone new to buprenorphine, a 4 mg
    sublingual test dose is given and the person observed for an hour (reference §2b, NHS
    Borders protocol [UK-secondary]): recorded with its time and what was observed."""
    if not medicine.is_injection or not new_to_buprenorphine(client, start):
        return
    if given_at is None:
        raise ValidationError(
            {
                "test_dose_given_at": f"{client.known_as} is new to buprenorphine: enter when "
                "the sublingual test dose was given before the first injection"
            }
        )
    if given_at > timezone.now() or timezone.localtime(given_at).date() > start:
        raise ValidationError(
            {"test_dose_given_at": "The test dose must be given before the first injection"}
        )
    if not is_worded(observation):
        raise ValidationError(
            {
                "test_dose_observation": "Record what the hour's observation after the test "
                "dose found"
            }
        )


FIRST_WEEK_MEDICINE = "buvidal-16mg-weekly"
FIRST_WEEK_EXTRA = Decimal(8)


def check_first_week_extras(
    *, medicine: Medicine, start: datetime.date, end: datetime.date, extra_dates: list
) -> list[datetime.date]:
    """The licensed first week of weekly Buvidal: 16 mg, then up to two further 8 mg doses
    at least a day apart within the week (reference §2b, NHS Borders [UK-secondary];
    Buvidal SmPC). Returns the days, sorted."""
    days = sorted(extra_dates or [])
    if not days:
        return []
    if medicine.code != FIRST_WEEK_MEDICINE:
        raise ValidationError(
            {"first_week_extra_dates": "Extra first-week doses are only for weekly Buvidal 16 mg"}
        )
    if len(days) > 2:
        raise ValidationError({"first_week_extra_dates": "At most two extra 8 mg doses"})
    last = min(start + datetime.timedelta(days=6), end)
    if any(not start < day <= last for day in days):
        raise ValidationError(
            {
                "first_week_extra_dates": "Extra 8 mg doses are given in the first week, from "
                f"{date_uk(start + datetime.timedelta(days=1))} to {date_uk(last)}"
            }
        )
    if len(days) == 2 and days[1] - days[0] < datetime.timedelta(days=1):
        raise ValidationError(
            {"first_week_extra_dates": "Give the extra doses at least a day apart"}
        )
    return days


def late_injection_needs_decision(instalment: Instalment, *, today: datetime.date) -> bool:
    """A prolonged-release injection not recorded by its day is late: whether it is given
    late, skipped or the treatment reviewed is a prescriber's clinical decision, not an
    automatic "missed, never supplied later" (that rule is for daily oral doses)."""
    return (
        instalment.prescription.medicine_info.is_injection
        and not instalment.outcome
        and instalment.date < today
    )


def check_late_injection(instalment: Instalment, outcome: str, *, actor, notes: str) -> None:
    """May a late injection's outcome be recorded? Only by a prescriber, with their decision
    in words (given late, skipped, or for review). check_outcome calls this for a late
    injection in place of the daily-dose rules."""
    if getattr(actor, "role", None) != Role.PRESCRIBER:
        raise ValidationError(
            {
                "outcome": "This injection is late: a prescriber records whether it is given late "
                "or skipped"
            }
        )
    if not is_worded(notes):
        raise ValidationError(
            {"outcome_notes": "Record the prescriber's decision on the late injection"}
        )


# Missed doses -----------------------------------------------------------------------------


def consecutive_missed_days(
    prescription: Prescription, *, on: datetime.date | None = None, prefetched: bool = False
) -> int:
    """Days not supplied in a row just before `on` (today by default), since the last
    supply or the last review. Days, not instalments: a missed Saturday covering Sunday is
    two days.

    A past instalment with no outcome counts as not supplied, whether or not anyone (or
    the daily `instalments_record_missed` command) has yet recorded it as missed: the rule
    never waits for someone to type "missed" (issue #8). A dose the service failed to
    deliver is not the client's miss: it neither counts nor ends the run (H-53).

    `prefetched`: the prescription comes with `missed_dose_reviews` prefetched and, as
    `past_instalments`, every instalment up to `on` (selectors.client_prescriptions_today):
    no query is run.

    Reference §3: contact the prescriber after 3 or more consecutive missed days (Home
    Office approved wording [UK-secondary]); no automatic supply after 3 consecutive
    missed doses (St Helens specification [UK-secondary]).
    """
    on = on or timezone.localdate()
    if prescription.medicine_info.is_injection:
        return 0  # a late injection waits for the prescriber's decision (H-39), not this rule
    if prefetched:
        covered = max(
            (r.covers_up_to for r in prescription.missed_dose_reviews.all()), default=None
        )
        before = sorted(
            (
                i
                for i in prescription.past_instalments
                if i.date < on and (covered is None or i.date > covered)
            ),
            key=lambda i: i.date,
            reverse=True,
        )
    else:
        review = prescription.missed_dose_reviews.order_by("-covers_up_to").first()
        queryset = prescription.instalments.filter(date__lt=on)
        if review is not None:
            queryset = queryset.filter(date__gt=review.covers_up_to)
        before = list(queryset.order_by("-date"))
    missed = 0
    for instalment in before:
        if instalment.is_supplied:
            break  # a late collection's missed days came before what it supplied
        if instalment.not_delivered_by_service:
            continue
        # Pending or missed: its days up to `on` were not supplied.
        missed += min(instalment.covers_days, (on - instalment.date).days)
    return missed


def supply_blocked(
    prescription: Prescription, *, on: datetime.date, prefetched: bool = False
) -> bool:
    """Is supply refused on `on` (check_outcome's rule): suspended for review, or the run
    of days not supplied before `on` has reached the review threshold (H-50)."""
    return prescription.status == Prescription.Status.SUSPENDED or (
        consecutive_missed_days(prescription, on=on, prefetched=prefetched)
        >= missed_days_for_review()
    )


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
    actor=None,
    notes: str = "",
) -> None:
    """May this outcome be recorded for this instalment?

    A late prolonged-release injection is a prescriber's decision (check_late_injection,
    H-39), not the daily doses' "missed, never supplied later" and three-day rules.

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
    if instalment.date > prescription.last_day:
        raise ValidationError({"outcome": "This prescription has ended"})
    if late_injection_needs_decision(instalment, today=today):
        check_late_injection(instalment, outcome, actor=actor, notes=notes)
        return
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
