"""How OST prescribing is shown: doses, instalment amounts and outcomes, status tags,
the rows of the prescriptions and instalments tables, and the prescriber's worklist."""

import datetime
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from beacon.clients.hooks import SummaryRow
from beacon.clients.presenters import lines_html, tag_html
from beacon.core.exporters import Exporter
from beacon.core.permissions import user_can
from beacon.core.presenters import (
    Worklist,
    action_link,
    date_uk,
    datetime_uk,
    quantity_text,
    worklist,
    yes_no,
)
from beacon.prescribing import safety
from beacon.prescribing.medicines import Form, weekday_names
from beacon.prescribing.models import (
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
)
from beacon.prescribing.rules import REVIEW
from beacon.prescribing.schedule import instalment_days
from beacon.prescribing.wording import wording_lines

STATE_TAG_CLASSES = {
    Prescription.State.NOT_STARTED: "nhsuk-tag--blue",
    Prescription.State.SUSPENDED: "nhsuk-tag--red",
    Prescription.State.ENDED: "nhsuk-tag--grey",
}

PRESCRIPTION_HEAD = ["Medicine", "Dose", "Dates", "Supplied by", "Status"]
INSTALMENT_HEAD = ["Day", "Amount", "Covers", "Supervised", "Outcome"]


def dates_text(prescription: Prescription) -> str:
    return f"{date_uk(prescription.start_date)} to {date_uk(prescription.end_date)}"


def state_label(prescription: Prescription, today: datetime.date) -> str:
    """What the prescription is today, from its dates and the stored decision (never the
    stored status alone): "Starts on …", "Active", "Suspended for prescriber review",
    "Ended"."""
    state = prescription.state_on(today)
    if state == Prescription.State.NOT_STARTED:
        return f"Starts on {date_uk(prescription.start_date)}"
    return state.label


def status_text(prescription: Prescription, today: datetime.date) -> str:
    text = state_label(prescription, today)
    state = prescription.state_on(today)
    if prescription.ended_on:
        when = "ended" if state == Prescription.State.ENDED else "ends"
        text += f", {when} {date_uk(prescription.ended_on)}: {prescription.end_reason}"
    elif state == Prescription.State.ENDED:
        text += f": ran its course on {date_uk(prescription.end_date)}"
    return text


def status_tag(prescription: Prescription, today: datetime.date) -> dict:
    """The parameters of the NHS.UK tag for what a prescription is today."""
    return {
        "text": state_label(prescription, today),
        "classes": STATE_TAG_CLASSES.get(prescription.state_on(today), ""),
    }


def instalment_amount(instalment: Instalment) -> str:
    return quantity_text(instalment.quantity, instalment.quantity_unit)


def covers_text(instalment: Instalment) -> str:
    return f"{instalment.covers_days} day{'s' if instalment.covers_days > 1 else ''}"


def instalment_summary(instalment: Instalment) -> str:
    """The line above an instalment's outcome form."""
    supervised = ", supervised" if instalment.supervised else ""
    return (
        f"{instalment_amount(instalment)}, covering {covers_text(instalment)}{supervised}. "
        "A missed dose is never supplied later."
    )


def prescription_summary(prescription: Prescription) -> str:
    """The line above a form that acts on a prescription."""
    return f"{prescription.medicine_name}, {prescription.dose_text}, {dates_text(prescription)}."


def dose_change_text(change: DoseChange) -> str:
    reason = f" ({change.reason})" if change.reason else ""
    unit = change.prescription.dose_unit
    return (
        f"{date_uk(change.effective_date)}: {quantity_text(change.from_dose)} to "
        f"{quantity_text(change.to_dose, unit)}, by {change.changed_by.display_name}{reason}"
    )


def review_text(review: MissedDoseReview) -> str:
    return (
        f"{datetime_uk(review.reviewed_at)}, {review.reviewed_by.display_name}: "
        f"{review.get_decision_display()}. {review.notes}"
    )


def prescription_rows(prescriptions: Iterable[Prescription], *, today: datetime.date) -> list[dict]:
    """Rows of a client's prescriptions table: the cells, and the status tag's parameters
    (the template renders the tag with the NHS.UK macro as the last cell)."""
    return [
        {
            "cells": [
                {
                    "html": format_html(
                        '<a href="{}">{}</a>',
                        reverse("prescribing:detail", args=[p.pk]),
                        p.medicine_name,
                    )
                },
                {"text": p.dose_text},
                {"text": dates_text(p)},
                {"text": p.dispensing_text},
            ],
            "tag": status_tag(p, today),
        }
        for p in prescriptions
    ]


def instalment_outcome_cell(
    instalment: Instalment, *, prescription: Prescription, may_write: bool, today: datetime.date
) -> dict:
    """The outcome, a link to record it once the day has come, or "Not yet". A dose the
    service failed to deliver says so: the service's failure, not the client's miss."""
    by_service = instalment.not_delivered_by_service
    if instalment.outcome:
        text = instalment.get_outcome_display()
        if instalment.days_missed and instalment.outcome != Instalment.Outcome.MISSED:
            text += f" ({instalment.days_missed} day(s) missed first)"
        if by_service:
            text += f" after the service did not deliver it ({by_service})"
        return {"text": text}
    if by_service and (instalment.date < today or not may_write):
        return {"text": f"Not delivered by the service ({by_service})"}
    if may_write and instalment.date <= min(today, prescription.last_day):
        return {
            "html": format_html(
                '<a href="{}">Record<span class="nhsuk-u-visually-hidden"> {}</span></a>',
                reverse("prescribing:outcome", args=[instalment.pk]),
                date_uk(instalment.date),
            )
        }
    return {"text": "Not yet"}


def instalment_rows(
    instalments: Iterable[Instalment],
    *,
    prescription: Prescription,
    may_write: bool,
    today: datetime.date,
) -> list[list[dict]]:
    return [
        [
            {"text": date_uk(i.date)},
            {"text": instalment_amount(i)},
            {"text": covers_text(i)},
            {"text": yes_no(i.supervised)},
            instalment_outcome_cell(i, prescription=prescription, may_write=may_write, today=today),
        ]
        for i in instalments
    ]


# Ending soon ------------------------------------------------------------------------------

ENDING_SOON_HEAD = ["Client", "Client number", "Medicine", "Dose", "Last day", "Supplied by"]


def ending_soon_cells(p: Prescription) -> list[str]:
    """The text of one row, for the page and the CSV download alike."""
    return [
        p.client.full_name,
        p.client.client_number,
        p.medicine_name,
        p.dose_text,
        date_uk(p.last_day),
        p.dispensing_text,
    ]


class EndingSoonExport(Exporter):
    """The ending-soon list as CSV, the same cells as the page."""

    columns = ENDING_SOON_HEAD

    def __init__(self, prescriptions: Iterable[Prescription], *, day: datetime.date) -> None:
        self.prescriptions = prescriptions
        self.filename = f"ost-ending-soon-{day:%Y-%m-%d}.csv"

    def rows(self) -> Iterable[list[str]]:
        return (ending_soon_cells(p) for p in self.prescriptions)


def ending_soon_rows(prescriptions: Iterable[Prescription]) -> list[dict]:
    """Rows of the ending-soon table: the cells (the client links to the prescription),
    and where its "Continue" form posts (the template adds that cell, with its CSRF field)."""
    rows = []
    for p in prescriptions:
        name, number, medicine, dose, last, supplied = ending_soon_cells(p)
        link = format_html('<a href="{}">{}</a>', reverse("prescribing:detail", args=[p.pk]), name)
        rows.append(
            {
                "cells": [
                    {"html": link},
                    {"text": number},
                    {"text": medicine},
                    {"text": dose},
                    {"text": last},
                    {"text": supplied},
                ],
                "continue_url": reverse("prescribing:continue", args=[p.pk]),
                "name": name,
                "number": number,
            }
        )
    return rows


def first_week_extra_doses(
    prescription: Prescription, instalments: Iterable[Instalment]
) -> list[Instalment]:
    """The extra 8 mg doses of weekly Buvidal's first week (safety.check_first_week_extras):
    the instalments after the first injection's day within that week."""
    if prescription.medicine != safety.FIRST_WEEK_MEDICINE:
        return []
    last = prescription.start_date + datetime.timedelta(days=6)
    return sorted(
        (
            i
            for i in instalments
            if prescription.start_date < i.date <= last and i.quantity == safety.FIRST_WEEK_EXTRA
        ),
        key=lambda i: i.date,
    )


def plan_rows(prescription: Prescription, instalments: Iterable[Instalment]) -> list[dict]:
    """Summary-list rows of what was recorded with the prescription for issue #8's rules:
    a cross-titration's last day, the alcohol or sedatives answer at a methadone start, the
    test dose before a first Buvidal injection, the first week's extra doses. A row shows
    only where the prescription has it."""
    rows = []
    if prescription.cross_titration_until:
        rows.append(
            {
                "key": {"text": "Cross-titration"},
                "value": {
                    "text": "Overlaps the client's other OST medicine until "
                    f"{date_uk(prescription.cross_titration_until)}"
                },
            }
        )
    if prescription.uses_alcohol_or_sedatives is not None:
        rows.append(
            {
                "key": {"text": "Also uses alcohol or sedatives"},
                "value": {"text": yes_no(prescription.uses_alcohol_or_sedatives)},
            }
        )
    if prescription.test_dose_given_at:
        rows.append(
            {
                "key": {"text": "Sublingual test dose"},
                "value": {
                    "text": f"Given {datetime_uk(prescription.test_dose_given_at)}. "
                    f"{prescription.test_dose_observation}"
                },
            }
        )
    extras = first_week_extra_doses(prescription, instalments)
    if extras:
        rows.append(
            {
                "key": {"text": "Extra doses in the first week"},
                "value": {
                    "text": ", ".join(
                        f"{instalment_amount(i)} on {date_uk(i.date)}" for i in extras
                    )
                },
            }
        )
    return rows


# The printable prescription (Misuse of Drugs Regulations 2001 reg 15) -----------------------


def _figures(value: Decimal) -> str:
    # The one formatter of doses and quantities (H-30), without a unit.
    return quantity_text(value)


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _whole_in_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {_whole_in_words(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        words = f"{_whole_in_words(thousands)} thousand"
        if rest:
            words += (" and " if rest < 100 else " ") + _whole_in_words(rest)
        return words
    raise ValueError("Amounts of a million or more are not written in words here")


def number_in_words(value: Decimal) -> str:
    """A quantity in words as a prescription states it (British English): 420 is "four
    hundred and twenty", 52.5 is "fifty-two point five"."""
    if value < 0:
        raise ValueError("A quantity is never negative")
    value = value.normalize()
    whole, _, fraction = f"{value:f}".partition(".")
    words = _whole_in_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    return words


def _units(medicine, amount_mg: Decimal) -> tuple[Decimal, str, str]:
    """An amount in mg as the preparation is counted: ml of a solution, tablets, syringes."""
    if medicine.is_injection:
        count = amount_mg / medicine.strength
        return count, "pre-filled syringe", "pre-filled syringes"
    if medicine.form == Form.SUBLINGUAL_TABLET:
        return amount_mg / medicine.strength, "tablet", "tablets"
    return amount_mg / medicine.strength, "ml", "ml"


def quantity_in_figures_and_words(medicine, amount_mg: Decimal) -> str:
    """Figures and words: "420 ml (four hundred and twenty millilitres)"."""
    count, one, many = _units(medicine, amount_mg)
    unit = one if count == 1 else many
    spoken = {"ml": "millilitres" if count != 1 else "millilitre"}.get(unit, unit)
    return f"{_figures(count)} {unit} ({number_in_words(count)} {spoken})"


def instalment_direction(prescription: Prescription) -> str:
    """The instalment amount and interval, from the dose and the pattern."""
    medicine = prescription.medicine_info
    count, one, many = _units(medicine, prescription.dose)
    each = f"{_figures(count)} {one if count == 1 else many}"
    if medicine.is_injection:
        every = "every 7 days" if medicine.injection_interval_days == 7 else "every 28 days"
        return f"One injection of {each} ({_figures(prescription.dose)} mg) {every}, administered"
    day_amount = f"{each} ({_figures(prescription.dose)} mg)"
    if prescription.pattern == Prescription.Pattern.DAILY:
        return f"Dispense {day_amount} daily"
    if prescription.pattern == Prescription.Pattern.MON_SAT:
        double, *_ = _units(medicine, prescription.dose * 2)
        return (
            f"Dispense {day_amount} daily Monday to Saturday; on Saturday dispense "
            f"{_figures(double)} {many} (Saturday's and Sunday's doses)"
        )
    week, *_ = _units(medicine, prescription.dose * 7)
    return f"Dispense {_figures(week)} {many} once a week (7 days of {day_amount})"


def service_address_lines(prescriber, provider) -> list[str]:
    """The prescriber's address: their team's site, or the service's first site with one."""
    site = prescriber.team.site if prescriber.team and prescriber.team.site else None
    if site is None or not site.address:
        site = provider.sites.exclude(address="").order_by("name").first()
    if site is None:
        return []
    lines = [line.strip() for line in site.address.splitlines() if line.strip()]
    return [provider.name, site.name, *lines, *([site.postcode] if site.postcode else [])]


def printable_rows(
    prescription: Prescription, *, client_address: list[str], total_mg: Decimal, today
) -> list[dict]:
    """The summary-list rows of the printed prescription: every item reg 15 requires."""
    medicine = prescription.medicine_info
    prescriber = prescription.prescriber
    address = service_address_lines(prescriber, prescription.client.provider)
    supervised = ""
    if prescription.supervised_days:
        supervised = f". Supervised consumption: {weekday_names(prescription.supervised_days)}"

    def row(key: str, value: str, html=None) -> dict:
        return {"key": {"text": key}, "value": {"html": html} if html else {"text": value}}

    def lines(items: list[str]) -> str:
        return format_html_join_lines(items) if items else "Not recorded"

    return [
        row("Client", prescription.client.full_name),
        row("Client's address", "", lines(client_address)),
        row("Date of birth", date_uk(prescription.client.date_of_birth)),
        row("Medicine", medicine.name),
        row("Form", Form(medicine.form).label),
        row("Strength", medicine.strength_text),
        row("Dose", prescription.dose_text),
        row("Total quantity", quantity_in_figures_and_words(medicine, total_mg)),
        row("Instalments", instalment_direction(prescription) + supervised),
        row("Dates", f"{date_uk(prescription.start_date)} to {date_uk(prescription.end_date)}"),
        row(
            "Dispensed by",
            prescription.dispensing_text
            if not prescription.home_delivery
            else "Home delivery by the service",
        ),
        row("Prescriber", prescriber.display_name),
        row("Prescriber's address", "", lines(address)),
        row("Date", date_uk(today)),
    ]


def format_html_join_lines(items: list[str]) -> str:
    return format_html_join("", "{}<br>", ((item,) for item in items))


PRINT_INSTALMENT_HEAD = ["Day", "Amount", "Covers", "Supervised"]


def print_instalment_rows(
    instalments: Iterable[Instalment], *, prescription: Prescription
) -> list[list[dict]]:
    medicine = prescription.medicine_info
    return [
        [
            {"text": date_uk(i.date)},
            {"text": quantity_in_figures_and_words(medicine, i.quantity).split(" (")[0]},
            {"text": covers_text(i)},
            {"text": yes_no(i.supervised)},
        ]
        for i in instalments
    ]


def wording_html(prescription: Prescription) -> str:
    """The approved instalment wording the prescription uses, a phrase a line."""
    lines = wording_lines(prescription.instalment_wording)
    return format_html_join_lines(lines) if lines else "None chosen"


def _prescription_link(prescription: Prescription, dose) -> str:
    return format_html(
        '<a href="{}">{}</a>, {} ({})',
        reverse("prescribing:detail", args=[prescription.pk]),
        prescription.medicine_name,
        f"{quantity_text(dose, prescription.dose_unit)} "
        f"{'each injection' if prescription.medicine_info.is_injection else 'a day'}",
        dates_text(prescription),
    )


def cross_titration_row(plan, *, today: datetime.date) -> dict:
    """One summary-list row for a cross-titration (selectors.CrossTitration): both
    medicines with their doses today, the overlap's dates and the prescriber's reason."""
    from_dose = safety.dose_of(plan.switching_from, today)
    to_dose = safety.dose_of(plan.switching_to, max(today, plan.switching_to.start_date))
    value = format_html(
        "From {}<br>to {}<br>Both prescribed from {} to {}.{}",
        _prescription_link(plan.switching_from, from_dose),
        _prescription_link(plan.switching_to, to_dose),
        date_uk(plan.overlap_from),
        date_uk(plan.overlap_until),
        format_html(" Reason: {}", plan.switching_to.reason) if plan.switching_to.reason else "",
    )
    return {"key": {"text": "Cross-titration"}, "value": {"html": value}}


def time_to_first_text(time_to_first) -> str:
    """Days from referral to the first OST prescription, or that there is none."""
    return str(time_to_first.days) if time_to_first else "No OST prescription"


# The client page's summary: the prescription and today's dose ----------------------------

NO_PRESCRIPTION = "No current OST prescription"
WEEK = "0123456"


def _day_name(day: datetime.date) -> str:
    return f"{day:%A}"


def _supervised_text(prescription: Prescription) -> str:
    """Supervision as the schedule makes it (schedule.instalment_days), never the stored
    weekdays alone: only a collection day can be supervised, and the other days an
    instalment covers are taken home (Saturday's instalment covers Sunday; a weekly one
    six more days)."""
    if prescription.medicine_info.is_injection:
        return "Supervised: every injection is given by a clinician"
    supervised: set[str] = set()
    covered: set[str] = set()
    for day, covers in instalment_days(
        prescription.pattern, prescription.start_date, prescription.last_day
    ):
        if str(day.weekday()) in prescription.supervised_days:
            supervised.add(str(day.weekday()))
        covered |= {str((day + datetime.timedelta(days=n)).weekday()) for n in range(covers)}
    if not supervised:
        return "Not supervised: every dose is taken home"
    if supervised == set(WEEK):
        return "Supervised: every day"
    home = covered - supervised
    taken_home = f". Taken home: {weekday_names(''.join(home))}" if home else ""
    return f"Supervised: {weekday_names(''.join(supervised))}{taken_home}"


def days_left_text(prescription: Prescription, today: datetime.date) -> str:
    """The last day of supply and how many days are left, counting from today or, for a
    prescription yet to start, from its first day."""
    last = prescription.last_day
    if today < prescription.start_date:
        days = (last - prescription.start_date).days + 1
        return (
            f"Starts {date_uk(prescription.start_date)}, last day of supply {date_uk(last)} "
            f"({days} day{'' if days == 1 else 's'})"
        )
    left = (last - today).days + 1
    if left == 1:
        return f"Last day of supply: today, {date_uk(last)}"
    return f"Last day of supply: {date_uk(last)} ({left} days left, counting today)"


def prescription_summary_row(prescription: Prescription, *, today: datetime.date) -> SummaryRow:
    """Medicine and today's dose (after any change up to today, never a change still to
    come: H-151; for one yet to start, its first day's), where it is supplied, supervision
    from the schedule, and days left."""
    state = prescription.state_on(today)
    day = max(today, prescription.start_date)
    dose = quantity_text(safety.dose_of(prescription, day), prescription.dose_unit)
    per = "each injection" if prescription.medicine_info.is_injection else "a day"
    first = format_html("{}, {} {}", prescription.medicine_name, dose, per)
    if state != Prescription.State.ACTIVE:
        first = format_html(
            "{} {}", tag_html(state_label(prescription, today), _STATE_COLOURS[state]), first
        )
    lines = [
        first,
        f"Supplied by: {prescription.dispensing_text}",
        _supervised_text(prescription),
        days_left_text(prescription, today),
    ]
    return SummaryRow(
        slot="prescription",
        key="Current prescription",
        html=lines_html(lines),
        href=reverse("prescribing:detail", args=[prescription.pk]),
        link_text="Prescription",
    )


_STATE_COLOURS = {
    Prescription.State.NOT_STARTED: "blue",
    Prescription.State.SUSPENDED: "red",
    Prescription.State.ENDED: "grey",
}


def instalment_covering(prescription: Prescription, today: datetime.date) -> Instalment | None:
    """The instalment whose days include today, from `past_instalments` (the selector's)."""
    for instalment in prescription.past_instalments:
        if instalment.date <= today <= instalment.last_day:
            return instalment
    return None


def _how(prescription: Prescription) -> str:
    return "by home delivery" if prescription.home_delivery else f"at {prescription.pharmacy}"


def _instalment_text(prescription: Prescription, instalment: Instalment, daily: str) -> str:
    """What a multi-day instalment is, day by day: only its first day can be supervised,
    the rest are taken home. Empty for an instalment of one day."""
    if instalment.covers_days == 1:
        return ""
    amount = instalment_amount(instalment)
    if prescription.medicine_info.is_injection:
        return f" One {amount} injection covering {covers_text(instalment)}."
    first = _day_name(instalment.date)
    if instalment.supervised:
        rest = (
            f"{_day_name(instalment.last_day)}'s"
            if instalment.covers_days == 2
            else f"the other {instalment.covers_days - 1} days'"
        )
        days = f"{first}'s supervised, {rest} taken home"
    else:
        days = "every day's taken home"
    return f" {amount} instalment covering {covers_text(instalment)} ({daily} a day): {days}."


def _suspended_html() -> SafeString:
    return format_html(
        "{} Supply is suspended until a prescriber reviews the prescription.",
        tag_html("Do not supply", "red"),
    )


def _threshold_html(missed: int) -> SafeString:
    # Not yet marked suspended (nobody has recorded the misses), but supply is refused all
    # the same (safety.check_outcome): never show such a dose as due (H-152).
    return format_html(
        "{} {} days missed in a row: a prescriber must review the prescription before any supply.",
        tag_html("Do not supply", "red"),
        missed,
    )


def _blocked_html(prescription: Prescription, today: datetime.date) -> SafeString | None:
    if prescription.state_on(today) == Prescription.State.SUSPENDED:
        return _suspended_html()
    missed = safety.consecutive_missed_days(prescription, on=today, prefetched=True)
    if missed >= safety.missed_days_for_review():
        return _threshold_html(missed)
    return None


def todays_dose_html(prescription: Prescription, *, today: datetime.date) -> SafeString:
    """Today's dose as it stands (H-150, H-152): today's daily dose, never a multi-day
    instalment's whole amount, then that instalment day by day. What happened to today's
    dose comes first (supplied, missed), then any block on supply; a dose not yet supplied
    is checked in check_outcome's order: suspended or days missed in a row → do not
    supply; the covering instalment missed or not collected on its day → no dose for
    today; a late injection → a prescriber's decision (H-39); otherwise due today."""
    instalment = instalment_covering(prescription, today)
    if instalment is None:
        return _blocked_html(prescription, today) or format_html("No dose is due today.")
    daily = quantity_text(safety.dose_of(prescription, today), prescription.dose_unit)
    detail = _instalment_text(prescription, instalment, daily)
    at = (
        f" at {timezone.localtime(instalment.outcome_recorded_at):%H:%M}"
        if instalment.outcome_recorded_at
        else ""
    )
    outcome = instalment.get_outcome_display().lower()
    if instalment.is_supplied:
        if instalment.date == today:
            done = format_html(
                "{} {} {}{}.{}",
                tag_html(instalment.get_outcome_display(), "green"),
                daily,
                outcome,
                at,
                detail,
            )
        elif prescription.medicine_info.is_injection:
            done = format_html(
                "{} Covered by the {} injection of {}, {}.",
                tag_html("Covered", "green"),
                daily,
                date_uk(instalment.date),
                outcome,
            )
        else:
            done = format_html(
                "{} Today's {} was in the instalment of {}, {}.{}",
                tag_html("Covered", "green"),
                daily,
                date_uk(instalment.date),
                outcome,
                detail,
            )
        blocked = _blocked_html(prescription, today)
        return format_html("{} {}", done, blocked) if blocked else done
    if instalment.outcome == Instalment.Outcome.MISSED:
        notes = f": {instalment.outcome_notes}" if instalment.outcome_notes else ""
        if instalment.date == today:
            missed = format_html(
                "{} {} missed today{}{}. A missed dose is never supplied later.{}",
                tag_html("Missed", "red"),
                daily,
                at,
                notes,
                detail,
            )
        else:
            # No outcome of today's own: a block on supply is said first (as not recorded).
            blocked = _blocked_html(prescription, today)
            if blocked:
                return blocked
            missed = format_html(
                "{} No dose for today: the instalment of {} was missed{}. A missed dose is "
                "never supplied later.{}",
                tag_html("Missed", "red"),
                date_uk(instalment.date),
                notes,
                detail,
            )
        # Today's outcome first, then what it led to (the third day missed suspends).
        tomorrow = today + datetime.timedelta(days=1)
        blocked = _blocked_html(prescription, tomorrow if instalment.date == today else today)
        if blocked is None and prescription.state_on(today) == Prescription.State.SUSPENDED:
            blocked = _suspended_html()
        return format_html("{} {}", missed, blocked) if blocked else missed
    blocked = _blocked_html(prescription, today)
    if blocked:
        return blocked
    if safety.late_injection_needs_decision(instalment, today=today):
        return format_html(
            "{} The {} injection due on {} is not recorded as given: a prescriber decides "
            "whether it is given late or skipped.",
            tag_html("Late injection", "orange"),
            daily,
            date_uk(instalment.date),
        )
    if instalment.date != today:
        return format_html(
            "{} No dose for today: the instalment of {} was not collected on its day (not "
            "yet recorded). A missed dose is never supplied later.{}",
            tag_html("Missed", "red"),
            date_uk(instalment.date),
            detail,
        )
    if instalment.not_delivered_by_service:
        return format_html(
            "{} {} was not delivered by the service ({}). It can still be collected today.{}",
            tag_html("Not delivered by the service", "orange"),
            daily,
            instalment.not_delivered_by_service,
            detail,
        )
    supervised = "supervised" if instalment.supervised else "to take home"
    return format_html(
        "{} {} {}, {}: not yet recorded.{}",
        tag_html("Due today", "blue"),
        daily,
        _how(prescription),
        supervised,
        detail,
    )


def client_summary_rows(
    prescriptions: list[Prescription], *, today: datetime.date
) -> list[SummaryRow]:
    """The prescription and today's dose lines: one pair for each prescription current
    today (two during a cross-titration), then one for any yet to start."""
    current = [p for p in prescriptions if p.is_current_on(today)]
    rows = []
    for prescription in current:
        rows.append(prescription_summary_row(prescription, today=today))
        dose = todays_dose_html(prescription, today=today)
        if len(current) > 1:
            dose = format_html("{}: {}", prescription.medicine_name, dose)
        rows.append(SummaryRow(slot="todays_dose", key="Today's dose", html=dose))
    later = [p for p in prescriptions if p.state_on(today) == Prescription.State.NOT_STARTED]
    if not current:
        rows.append(
            SummaryRow(slot="prescription", key="Current prescription", text=NO_PRESCRIPTION)
        )
    rows += [
        replace(prescription_summary_row(p, today=today), key="Next prescription")
        for p in later[:1]
    ]
    return rows


# The prescriber's worklist (beacon/core/registry.py, worklist_sections) and the full list
# each section links to: the same rows (the last cell the action), and the same cells as text
# in each list's CSV.

WORKLIST_HEAD = ["Client", "Medicine", "Dose", "Prescriber"]
EXPORT_HEAD = ["Client", "Client number", "Medicine", "Dose", "Prescriber"]


def _client_cell(client) -> dict:
    return {
        "html": format_html(
            '{}<br><span class="nhsuk-body-s">{}</span>', client.full_name, client.client_number
        )
    }


def prescriber_text(prescription: Prescription, *, user) -> str:
    """Who wrote the prescription, "You" for the user: their own clients come first."""
    if prescription.prescriber_id == user.pk:
        return "You"
    return prescription.prescriber.get_full_name() or prescription.prescriber.username


def _prescription_cells(p: Prescription, *, user) -> list[dict]:
    return [
        _client_cell(p.client),
        {"text": p.medicine_name},
        {"text": p.dose_text},
        {"text": prescriber_text(p, user=user)},
    ]


def _export_cells(p: Prescription, *, user) -> list[str]:
    return [
        p.client.full_name,
        p.client.client_number,
        p.medicine_name,
        p.dose_text,
        prescriber_text(p, user=user),
    ]


def ending_soon_worklist(prescriptions: list[Prescription], *, days: int, user) -> Worklist:
    """Prescriptions ending soon with nothing to follow, each with the way to continue it."""
    rows = [
        [
            *_prescription_cells(p, user=user),
            {"text": date_uk(p.last_day)},
            action_link(
                reverse("prescribing:continue", args=[p.pk]),
                "Continue",
                f"the prescription of {p.client.full_name}",
            ),
        ]
        for p in prescriptions
    ]
    return worklist(
        section_id="worklist-ending-soon",
        clients=[p.client for p in prescriptions],
        heading=f"Prescriptions ending in the next {days} days",
        head=[*WORKLIST_HEAD, "Last day"],
        rows=rows,
        empty=f"No prescription ends in the next {days} days without another to follow it.",
        more_href=reverse("prescribing:ending_soon"),
        more_text=f"See all {len(rows)} prescriptions ending soon",
    )


REVIEW_HEAD = [*WORKLIST_HEAD, "Why"]
REVIEW_WHY = "Supply stopped after missed doses"


def awaiting_review_rows(prescriptions: Iterable[Prescription], *, user) -> list[list[dict]]:
    """Supply stopped after missed doses (suspended, or 3 days in a row not supplied), each
    with the way to the prescriber's review."""
    return [
        [
            *_prescription_cells(p, user=user),
            {"text": REVIEW_WHY},
            action_link(
                reverse("prescribing:review", args=[p.pk]),
                "Review",
                f"the missed doses of {p.client.full_name}",
            )
            if user_can(user, REVIEW, p.client)
            else {"text": "A prescriber reviews"},  # a manager sees the list, not the form
        ]
        for p in prescriptions
    ]


def awaiting_review_worklist(prescriptions: list[Prescription], *, user) -> Worklist:
    rows = awaiting_review_rows(prescriptions, user=user)
    return worklist(
        section_id="worklist-missed-dose-reviews",
        clients=[p.client for p in prescriptions],
        heading="Missed doses to review",
        head=REVIEW_HEAD,
        rows=rows,
        empty="No supply is stopped for a review after missed doses.",
        more_href=reverse("prescribing:reviews_due"),
        more_text=f"See all {len(rows)} missed doses to review",
    )


class AwaitingReviewExport(Exporter):
    """The missed doses to review as CSV, the same cells as the page."""

    columns = [*EXPORT_HEAD, "Why"]

    def __init__(self, prescriptions: Iterable[Prescription], *, user, day: datetime.date):
        self.prescriptions, self.user = prescriptions, user
        self.filename = f"ost-missed-doses-to-review-{day:%Y-%m-%d}.csv"

    def rows(self) -> Iterable[list[str]]:
        return ([*_export_cells(p, user=self.user), REVIEW_WHY] for p in self.prescriptions)


INJECTIONS_HEAD = [*WORKLIST_HEAD, "Was due"]


def injections_rows(instalments: Iterable[Instalment], *, user) -> list[list[dict]]:
    """Late prolonged-release injections, each with the way to record the decision."""
    return [
        [
            *_prescription_cells(i.prescription, user=user),
            {"text": date_uk(i.date)},
            action_link(
                reverse("prescribing:outcome", args=[i.pk]),
                "Decide",
                f"on the late injection of {i.prescription.client.full_name}",
            ),
        ]
        for i in instalments
    ]


def injections_worklist(instalments: list[Instalment], *, user) -> Worklist:
    rows = injections_rows(instalments, user=user)
    return worklist(
        section_id="worklist-late-injections",
        clients=[i.prescription.client for i in instalments],
        heading="Late injections: give late or skip",
        head=INJECTIONS_HEAD,
        rows=rows,
        empty="No injection is waiting for a decision.",
        more_href=reverse("prescribing:late_injections"),
        more_text=f"See all {len(rows)} late injections",
    )


class LateInjectionsExport(Exporter):
    """The late injections to decide as CSV, the same cells as the page."""

    columns = [*EXPORT_HEAD, "Was due"]

    def __init__(self, instalments: Iterable[Instalment], *, user, day: datetime.date):
        self.instalments, self.user = instalments, user
        self.filename = f"ost-late-injections-{day:%Y-%m-%d}.csv"

    def rows(self) -> Iterable[list[str]]:
        return (
            [*_export_cells(i.prescription, user=self.user), date_uk(i.date)]
            for i in self.instalments
        )
