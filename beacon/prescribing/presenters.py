"""How OST prescribing is shown: doses, instalment amounts and outcomes, status tags,
and the rows of the prescriptions and instalments tables."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html

from beacon.core.presenters import date_uk, datetime_uk, yes_no
from beacon.prescribing.models import (
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
)

STATE_TAG_CLASSES = {
    Prescription.State.NOT_STARTED: "nhsuk-tag--blue",
    Prescription.State.SUSPENDED: "nhsuk-tag--red",
    Prescription.State.ENDED: "nhsuk-tag--grey",
}

PRESCRIPTION_HEAD = ["Medicine", "Dose", "Dates", "Supplied by", "Status"]
INSTALMENT_HEAD = ["Day", "Amount", "Covers", "Supervised", "Outcome"]


def amount(value: Decimal) -> str:
    # As the pages have always shown it (str of the normalised Decimal).
    return str(value.normalize())


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
    return f"{amount(instalment.quantity)} {instalment.quantity_unit}"


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
    return (
        f"{date_uk(change.effective_date)}: {amount(change.from_dose)} to "
        f"{amount(change.to_dose)} mg, by {change.changed_by.display_name}{reason}"
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
    """The outcome, a link to record it once the day has come, or "Not yet"."""
    if instalment.outcome:
        return {"text": instalment.get_outcome_display()}
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
