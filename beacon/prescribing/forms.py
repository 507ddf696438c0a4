"""Forms of OST prescribing: write a prescription, change a dose, end, record an outcome, review.

The forms read each field; the clinical rules are beacon/prescribing/safety.py's, run by
the services and shown next to the field they name (service_errors_onto).
"""

import datetime

from django import forms

from beacon.core.dates import DayMonthYearField
from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.prescribing.medicines import MEDICINE_CHOICES
from beacon.prescribing.models import Instalment, MissedDoseReview, Prescription
from beacon.prescribing.wording import DEFAULT_WORDING, ApprovedWording

CHOOSE = "Choose…"
WEEKDAYS = [(str(d), datetime.date(2024, 1, 1 + d).strftime("%A")) for d in range(7)]
REASON_HELP = "Needed when the dose is above the usual limits: the page says which"


def _dose_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=7,
        decimal_places=2,
        help_text="In mg, for example 30 or 7.5",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )


class PrescriptionForm(forms.Form):
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
        queryset=None, label="Pharmacy", required=False, empty_label="None (home delivery)"
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
    reason = forms.CharField(
        label="Reason for the dose",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )

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

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["supervised_days"] = "".join(data.get("supervised_days") or [])
        return data


class ContinueForm(forms.Form):
    days = forms.IntegerField(
        label="How many days",
        min_value=1,
        help_text="The same as this prescription unless you change it (14 at most)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
    )
    reason = forms.CharField(
        label="Reason for the dose",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. The reason on this prescription is kept unless you give another",
    )


class DoseChangeForm(forms.Form):
    dose = _dose_field("New dose")
    effective_date = DayMonthYearField(label="From", help_text="The first day of the new dose")
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class PrescriptionEndForm(forms.Form):
    ended_on = DayMonthYearField(
        label="Last day of the prescription",
        help_text="The last day a dose is supplied: instalments up to it stay due. "
        "To stop today's dose, enter yesterday",
    )
    end_reason = forms.CharField(
        label="Why it ends", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=[c for c in Instalment.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    outcome_notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. For example, who collected",
    )
    collected_on = DayMonthYearField(
        label="Collected on",
        required=False,
        help_text="Only for an instalment covering several days collected after its day: "
        "the remaining days are supplied and the days before count as missed",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=MissedDoseReview.Decision.choices, widget=forms.RadioSelect
    )
    resume_dose = forms.DecimalField(
        label="Dose to resume at",
        required=False,
        max_digits=7,
        decimal_places=2,
        help_text="Needed to resume supply, in mg. After a gap tolerance may be lost: the "
        "starting-dose limits apply again",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )
    reason = forms.CharField(
        label="Reason for the dose",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
    notes = forms.CharField(
        label="What the review found",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
