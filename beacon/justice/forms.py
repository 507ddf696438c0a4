"""Forms of criminal-justice work: a status, a review hearing, a prison release referral, a
consent to share, a progress report's check, and the lists' filters. The rules are the
services', shown next to the field they name; no clinical answer starts chosen."""

import datetime
import re

from django import forms
from django.utils import timezone

from beacon.clients.models import SharingConsent
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import FilterForm, Form, nothing_chosen
from beacon.core.presenters import date_uk
from beacon.justice.models import (
    ENDINGS,
    LICENCE_KINDS,
    ORDER_KINDS,
    Kind,
    NaloxoneOnRelease,
    StatusEnd,
)
from beacon.treatment.codes import OstMedicine

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
NUMBER = {"class": "nhsuk-input--width-3", "inputmode": "numeric"}


class JusticeStatusForm(Form):
    kind = forms.ChoiceField(
        label="Status", choices=[c for c in Kind.choices if c[0] != Kind.RELEASED_FROM_PRISON]
    )
    start_date = DayMonthYearField(label="Start date", help_text="For example, 15 3 2026")
    length_months = forms.IntegerField(
        label="Length of the requirement in months",
        help_text="For a Drug Rehabilitation or Alcohol Treatment Requirement",
        min_value=1,
        max_value=36,
        required=False,
        widget=forms.TextInput(attrs=NUMBER),
    )
    supervision_end = DayMonthYearField(
        label="Licence end date or post-sentence supervision end date",
        help_text="For a licence, the licence end date; for post-sentence supervision, the day "
        "it ends (normally 12 months after the licence end). For example, 15 3 2027",
        required=False,
    )
    responsible_officer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Responsible probation officer",
        empty_label="Not known or not on Beacon",
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_officer"].queryset = officers
        self.fields["responsible_officer"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.partner_organisation})"
        )
        nothing_chosen(self, "kind")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ORDER_KINDS and not data.get("length_months"):
            self.add_error("length_months", "Enter the length of the requirement in months")
        if kind in LICENCE_KINDS and "supervision_end" not in self.errors:
            start, end = data.get("start_date"), data.get("supervision_end")
            if end is None:
                self.add_error(
                    "supervision_end",
                    "Enter the licence end date"
                    if kind == Kind.LICENCE
                    else "Enter the date post-sentence supervision ends",
                )
            elif start is not None and end <= start:
                self.add_error(
                    "supervision_end",
                    f"The end date must be after the start date, {date_uk(start)}",
                )
        return data


class SupervisionEndForm(Form):
    """The end date of a licence or post-sentence supervision recorded without one (H-280)."""

    supervision_end = DayMonthYearField(label="End date", help_text="For example, 15 3 2027")

    def __init__(self, *args, status, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["supervision_end"]
        if status.kind == Kind.LICENCE:
            field.label = "Licence end date"
            field.error_messages["required"] = "Enter the licence end date"
        else:
            field.label = "Post-sentence supervision end date"
            field.error_messages["required"] = "Enter the date post-sentence supervision ends"


class StatusEndForm(Form):
    """How a status ended: only the endings its kind may have, none chosen (H-94)."""

    end_reason = forms.ChoiceField(
        label="How did it end?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it ended"},
    )
    end_detail = forms.CharField(
        label="How it ended, in words",
        help_text="Needed for other; for example, which court revoked the order",
        max_length=200,
        required=False,
    )
    ended_on = DayMonthYearField(label="End date", help_text="For example, 15 3 2026")

    def __init__(self, *args, status, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_reason"].choices = [
            (value, StatusEnd(value).label) for value in ENDINGS[status.kind]
        ]
        nothing_chosen(self, "end_reason")

    def clean(self):
        data = super().clean()
        if data.get("end_reason") == StatusEnd.OTHER and not (data.get("end_detail") or "").strip():
            self.add_error("end_detail", "Say how it ended")
        return data


class ReviewHearingForm(Form):
    status = forms.ModelChoiceField(
        queryset=None, label="Community order reviewed", empty_label="Choose…"
    )
    on = DayMonthYearField(label="Hearing date", help_text="For example, 15 3 2026")
    court = forms.CharField(label="Court", max_length=200)

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = orders
        self.fields["status"].label_from_instance = lambda status: (
            f"{status.get_kind_display()} from {date_uk(status.start_date)}"
        )


class PrisonReleaseForm(Form):
    release_date = DayMonthYearField(label="Release date", help_text="For example, 15 3 2026")
    prison = forms.CharField(label="Prison", max_length=200)
    ost_medicine = forms.ChoiceField(
        label="Opioid substitution medicine on release",
        choices=[("", "Choose…"), ("none", "None"), *OstMedicine.choices[1:]],
    )
    dose_mg = forms.DecimalField(
        label="Daily dose on release in mg",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "decimal"}),
    )
    last_dose_day = DayMonthYearField(
        label="Date of the last dose in prison", required=False, help_text="For example, 15 3 2026"
    )
    last_dose_time = forms.CharField(
        label="Time of the last dose",
        help_text="In 24-hour time, for example 08:30",
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
    )
    naloxone_on_release = forms.ChoiceField(
        label="Did the prison give naloxone on release?",
        choices=NaloxoneOnRelease.choices,
        widget=forms.RadioSelect,
    )

    def clean_last_dose_time(self) -> str:
        text = self.cleaned_data["last_dose_time"].strip()
        if text and not TIME.match(text):
            raise forms.ValidationError("Enter the time as hours and minutes, like 08:30")
        return text

    def clean(self):
        data = super().clean()
        day, time = data.get("last_dose_day"), data.get("last_dose_time")
        if bool(day) != bool(time) and "last_dose_time" not in self.errors:
            self.add_error(
                "last_dose_time" if day else "last_dose_day",
                "Enter both the date and the time of the last dose",
            )
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("ost_medicine") == "none":
            data["ost_medicine"] = ""
        day, time = data.pop("last_dose_day", None), data.pop("last_dose_time", "")
        data["last_dose_at"] = None
        if day and time:
            hours, minutes = TIME.match(time).groups()
            data["last_dose_at"] = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(int(hours), int(minutes)))
            )
        return data


class SharingConsentForm(Form):
    partner_organisation = forms.ModelChoiceField(
        queryset=None, label="Shared with", empty_label="Choose…"
    )
    shares = forms.MultipleChoiceField(
        label="What the client agrees to share",
        choices=list(SharingConsent.SHARES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = DayMonthYearField(label="Consent given on", help_text="For example, 15 3 2026")
    until = DayMonthYearField(label="Shared until", help_text="For example, 15 3 2027")

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_organisation"].queryset = partners

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        shares = set(data.pop("shares", []))
        data.update({field: field in shares for field in SharingConsent.SHARES})
        return data


class ProgressReportForm(Form):
    body = forms.CharField(
        label="Report", max_length=5000, widget=forms.Textarea(attrs={"rows": 12})
    )
    checked = forms.BooleanField(
        label="I have checked this report against the client's record",
        error_messages={"required": "Confirm you checked the report against the record"},
    )


class SupervisedSearchForm(FilterForm):
    query = forms.CharField(label="Name or client number", required=False, max_length=100)


class StatusFilterForm(FilterForm):
    query = forms.CharField(label="Name or client number", required=False, max_length=100)
    past_expected_end_only = forms.BooleanField(
        label="Only those past their expected end", required=False
    )
    without_end_date_only = forms.BooleanField(
        label="Only licences and supervisions with no end date", required=False
    )


class ReleaseFilterForm(FilterForm):
    query = forms.CharField(label="Name, client number or prison", required=False, max_length=100)
    not_seen_only = forms.BooleanField(label="Only those not seen since release", required=False)


class SharingLogFilterForm(FilterForm):
    query = forms.CharField(label="Name or client number", required=False, max_length=100)
    partner = forms.ModelChoiceField(
        queryset=None, required=False, label="Shared with", empty_label="Every partner"
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
