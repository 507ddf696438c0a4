"""How OST prescribing is shown: doses, instalment amounts and outcomes, status tags,
and the rows of the prescriptions and instalments tables."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html

from beacon.core.presenters import date_uk, datetime_uk, quantity_text, yes_no
from beacon.prescribing import safety
from beacon.prescribing.models import (
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
)

STATUS_TAG_CLASSES = {
    Prescription.Status.SUSPENDED: "nhsuk-tag--red",
    Prescription.Status.ENDED: "nhsuk-tag--grey",
}

PRESCRIPTION_HEAD = ["Medicine", "Dose", "Dates", "Supplied by", "Status"]
INSTALMENT_HEAD = ["Day", "Amount", "Covers", "Supervised", "Outcome"]


def dates_text(prescription: Prescription) -> str:
    return f"{date_uk(prescription.start_date)} to {date_uk(prescription.end_date)}"


def status_text(prescription: Prescription) -> str:
    text = prescription.get_status_display()
    if prescription.ended_on:
        text += f", ended {date_uk(prescription.ended_on)}: {prescription.end_reason}"
    return text


def status_tag(prescription: Prescription) -> dict:
    """The parameters of the NHS.UK tag for a prescription's status."""
    return {
        "text": prescription.get_status_display(),
        "classes": STATUS_TAG_CLASSES.get(prescription.status, ""),
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


def prescription_rows(prescriptions: Iterable[Prescription]) -> list[dict]:
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
            "tag": status_tag(p),
        }
        for p in prescriptions
    ]


def instalment_outcome_cell(
    instalment: Instalment, *, prescription: Prescription, may_write: bool, today: datetime.date
) -> dict:
    """The outcome, a link to record it once the day has come, or "Not yet"."""
    if instalment.outcome:
        return {"text": instalment.get_outcome_display()}
    if may_write and instalment.date <= today and prescription.status != Prescription.Status.ENDED:
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
