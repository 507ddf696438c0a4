"""Forms of OST prescribing: write a prescription, change a dose, end, record an outcome, review.

The forms read each field; the clinical rules are beacon/prescribing/safety.py's, run by
the services and shown next to the field they name (service_errors_onto).
"""

import datetime
import re

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form
from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.prescribing.medicines import MEDICINE_CHOICES, MEDICINES, Substance
from beacon.prescribing.models import Instalment, MissedDoseReview, Prescription
from beacon.prescribing.services import CONTINUE_MOST_DAYS
from beacon.prescribing.wording import DEFAULT_WORDING, ApprovedWording

CHOOSE = "Choose…"
WEEKDAYS = [(str(d), datetime.date(2024, 1, 1 + d).strftime("%A")) for d in range(7)]
REASON_HELP = "Needed when the dose is above the usual limits: the page says which"
SEDATIVES_QUESTION = (
    "Does the client also use alcohol or sedatives (for example benzodiazepines or gabapentinoids)?"
)
YES_NO = [("yes", "Yes"), ("no", "No")]
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")

# Which medicines each conditional part of the prescription form is for: the page shows
# every part without JavaScript (each hint says when it applies), and
# prescribing/prescription_form.js hides those that do not apply to the chosen medicine.
METHADONE_CODES = [code for code, m in MEDICINES.items() if m.substance == Substance.METHADONE]
INJECTION_CODES = [code for code, m in MEDICINES.items() if m.is_injection]
FIRST_WEEK_CODES = ["buvidal-16mg-weekly"]  # safety.FIRST_WEEK_MEDICINE
CONDITIONAL_FIELDS = {
    "uses_alcohol_or_sedatives": METHADONE_CODES,
    "test_dose_given_at": INJECTION_CODES,
    "test_dose_time": INJECTION_CODES,
    "test_dose_observation": INJECTION_CODES,
    "first_week_extra_dates": FIRST_WEEK_CODES,
    "first_week_extra_second": FIRST_WEEK_CODES,
}


def _dose_field(
    label: str, *, required: bool = True, help_text: str = "In mg, for example 30 or 7.5"
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=7,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )


def _text_field(
    label: str, *, rows: int, max_length: int = 2000, required: bool = True, help_text: str = ""
) -> forms.CharField:
    """Free text in a text area of `rows` lines."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _reason_field(
    label: str = "Reason for the dose", help_text: str = REASON_HELP
) -> forms.CharField:
    """The prescriber's reason, needed when a rule warns (safety.require_reason)."""
    return _text_field(label, rows=3, required=False, help_text=help_text)


class PrescriptionForm(Form):
    medicine = forms.ChoiceField(label="Medicine", choices=[("", CHOOSE), *MEDICINE_CHOICES])
    dose = _dose_field("Dose")
    start_date = DayMonthYearField(label="Start date", help_text="For example, 15 3 2026")
    end_date = DayMonthYearField(
        label="End date",
        help_text="The last day. An instalment prescription covers 14 days at most",
    )
    pattern = forms.ChoiceField(
        label="Instalments", choices=Prescription.Pattern.choices, widget=forms.RadioSelect
    )
    supervised_days = forms.MultipleChoiceField(
        label="Supervised consumption days",
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Days the dose is taken in front of the pharmacist. None for take-home",
    )
    pharmacy = forms.ModelChoiceField(
        queryset=None,
        label="Pharmacy",
        required=False,
        empty_label=CHOOSE,
        help_text="Or tick home delivery below",
    )
    home_delivery = forms.BooleanField(label="Home delivery instead of a pharmacy", required=False)
    prescriber = forms.ModelChoiceField(queryset=None, label="Prescriber", empty_label=CHOOSE)
    wording = forms.MultipleChoiceField(
        label="Home Office approved instalment wording",
        choices=ApprovedWording.choices,
        initial=list(DEFAULT_WORDING),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Printed on the prescription exactly as shown (Home Office Circular 027/2015)",
    )
    uses_alcohol_or_sedatives = forms.TypedChoiceField(
        label=SEDATIVES_QUESTION,
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,  # required at a methadone start: the service knows when that is
        widget=forms.RadioSelect,
        help_text="Methadone only, when the client is starting it: the usual starting dose "
        "is lower when they do",
    )
    cross_titration_until = DayMonthYearField(
        label="Last day of the cross-titration",
        required=False,
        help_text="Only when this prescription overlaps the client's other OST medicine "
        "(methadone and buprenorphine): the last day both are prescribed. For example, "
        "22 3 2026",
    )
    test_dose_given_at = DayMonthYearField(
        label="Day of the sublingual buprenorphine test dose",
        required=False,
        help_text="Only before a first Buvidal injection for someone new to buprenorphine",
    )
    test_dose_time = forms.CharField(
        label="Time of the test dose",
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        help_text="24-hour clock, for example 09:30",
    )
    test_dose_observation = _text_field(
        "What the hour's observation after the test dose found",
        rows=2,
        required=False,
        help_text="Only with a test dose. For example: no signs of precipitated withdrawal",
    )
    first_week_extra_dates = DayMonthYearField(
        label="First extra 8 mg dose in the first week",
        required=False,
        help_text="Only for weekly Buvidal 16 mg: up to two extra 8 mg doses within its "
        "first week, at least a day apart",
    )
    first_week_extra_second = DayMonthYearField(
        label="Second extra 8 mg dose in the first week",
        required=False,
        help_text="Optional, at least a day after the first",
    )
    reason = _reason_field()

    def __init__(self, *args, provider, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pharmacy"].queryset = provider.partner_organisations.filter(
            kind=PartnerOrganisation.Kind.PHARMACY
        )
        if user.role == Role.PRESCRIBER:
            del self.fields["prescriber"]  # the prescriber writes their own
        else:
            self.fields["prescriber"].queryset = provider.users.filter(
                role=Role.PRESCRIBER, is_active=True
            ).order_by("first_name", "last_name")
            self.fields["prescriber"].label_from_instance = lambda u: u.display_name

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("test_dose_given_at"), (cleaned.get("test_dose_time") or "")
        time = time.strip()
        if time and not TIME.match(time):
            self.add_error("test_dose_time", "Enter the time as hours and minutes, like 09:30")
        elif time and day is None and "test_dose_given_at" not in self.errors:
            self.add_error("test_dose_given_at", "Enter the day of the test dose")
        elif day is not None and not time:
            self.add_error("test_dose_time", "Enter the time of the test dose")
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["supervised_days"] = "".join(data.get("supervised_days") or [])
        day, time = data.pop("test_dose_given_at", None), data.pop("test_dose_time", "")
        data["test_dose_given_at"] = None
        if day is not None:
            hours, minutes = TIME.match(time.strip()).groups()
            data["test_dose_given_at"] = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(int(hours), int(minutes)))
            )
        extras = [
            data.pop("first_week_extra_dates", None),
            data.pop("first_week_extra_second", None),
        ]
        data["first_week_extra_dates"] = [day for day in extras if day is not None]
        return data


class ContinueForm(Form):
    days = forms.IntegerField(
        label="How many days",
        min_value=1,
        max_value=CONTINUE_MOST_DAYS,
        help_text="The same as this prescription unless you change it (14 at most)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
    )
    reason = _reason_field(
        help_text="Optional. The reason on this prescription is kept unless you give another"
    )


class DoseChangeForm(Form):
    dose = _dose_field("New dose")
    effective_date = DayMonthYearField(label="From", help_text="The first day of the new dose")
    reason = _reason_field("Reason for the change")


class PrescriptionEndForm(Form):
    ended_on = DayMonthYearField(
        label="Last day of the prescription",
        help_text="The last day a dose is supplied: instalments up to it stay due. "
        "To stop today's dose, enter yesterday",
    )
    end_reason = _text_field("Why it ends", rows=3)


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=[c for c in Instalment.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    outcome_notes = _text_field(
        "Notes",
        rows=2,
        max_length=1000,
        required=False,
        help_text="Optional. For example, who collected",
    )
    collected_on = DayMonthYearField(
        label="Collected on",
        required=False,
        help_text="Only for an instalment covering several days collected after its day: "
        "the remaining days are supplied and the days before count as missed",
    )


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label="Decision", choices=MissedDoseReview.Decision.choices, widget=forms.RadioSelect
    )
    resume_dose = _dose_field(
        "Dose to resume at",
        required=False,
        help_text="Needed to resume supply, in mg. After a gap tolerance may be lost: the "
        "starting-dose limits apply again",
    )
    reason = _reason_field()
    notes = _text_field("What the review found", rows=4)
