"""Forms of the controlled-drug register: a movement (fields by kind), a correction, a day,
a patient return and its destruction.

The forms read each field; the register rules (balance never negative, who may be a
driver, reg 19 headings) are services/register.py's, shown next to the field they
name (service_errors_onto).
"""

import datetime

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import DateRangeForm, FilterForm, Form
from beacon.delivery.models import RegisterEntry
from beacon.delivery.selectors.register import (
    NO_CLIENT,
    register_client,
    register_drivers,
    register_prescribers,
    register_witnesses,
)
from beacon.prescribing.medicines import MEDICINE_CHOICES

Kind = RegisterEntry.Kind
CHOOSE = "Choose…"
YES_NO = [("yes", "Yes"), ("no", "No")]

# The fields each kind of movement asks for, beyond quantity, date, time and notes.
KIND_FIELDS = {
    Kind.RECEIVED: ["supplier", "supplier_address"],
    Kind.HANDED_TO_DRIVER: ["driver"],
    Kind.DELIVERED: [
        "driver",
        "client_number",
        "prescriber",
        "recipient",
        "representative_name",
        "professional_name",
        "professional_address",
        "identity_requested",
        "identity_provided",
    ],
    Kind.RETURNED: ["driver"],
    Kind.DESTROYED: ["witness"],
}
OPTIONAL = ["supplier", "supplier_address", "driver", "client_number", "prescriber"]
OPTIONAL += ["recipient", "representative_name", "professional_name", "professional_address"]
OPTIONAL += ["identity_requested", "identity_provided", "witness"]
# Asked only for one answer of "who collected": the service says which is missing.
ONLY_SOMETIMES = {"representative_name", "professional_name", "professional_address"}


def _witness_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=None,
        label="Witness",
        empty_label=CHOOSE,
        help_text="A manager or prescriber of the service, other than you, who saw it destroyed",
    )


def _when_fields() -> tuple[DayMonthYearField, forms.TimeField]:
    return (
        DayMonthYearField(label="Date", help_text="Today or yesterday, for example 15 3 2026"),
        forms.TimeField(
            label="Time",
            help_text="24-hour clock, for example 14:30",
            widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
        ),
    )


def _occurred_at(data: dict) -> datetime.datetime | None:
    on, at = data.pop("occurred_on", None), data.pop("occurred_time", None)
    if on and at:
        return datetime.datetime.combine(on, at, tzinfo=timezone.get_current_timezone())
    return None


def _quantity_field(label: str, unit: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} ({unit})",
        max_digits=10,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )


class ClientNumberMixin:
    """A `client_number` field read as the client of the form's provider it names."""

    def clean_client_number(self):
        client = register_client(
            provider=self.provider, client_number=self.cleaned_data["client_number"].strip()
        )
        if client is None:
            raise forms.ValidationError(NO_CLIENT)
        return client


class MovementForm(ClientNumberMixin, Form):
    quantity = forms.DecimalField()  # replaced in __init__ with the page's unit
    occurred_on = DayMonthYearField(
        label="Date", help_text="Today or yesterday, for example 15 3 2026"
    )
    occurred_time = forms.TimeField(
        label="Time",
        help_text="24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
    )
    supplier = forms.CharField(
        label="Received from", max_length=200, help_text="The supplier or pharmacy"
    )
    supplier_address = forms.CharField(
        label="Supplier's address", max_length=300, help_text="Their address, with the postcode"
    )
    driver = forms.ModelChoiceField(queryset=None, label="Driver", empty_label=CHOOSE)
    client_number = forms.CharField(label="Client number", max_length=20)
    prescriber = forms.ModelChoiceField(
        queryset=None,
        label="Prescriber",
        empty_label=CHOOSE,
        help_text="Who prescribed it (the register records their name and the service's address)",
    )
    recipient = forms.ChoiceField(
        label="Who collected it", choices=RegisterEntry.Recipient.choices, widget=forms.RadioSelect
    )
    representative_name = forms.CharField(
        label="Name of the representative",
        max_length=200,
        help_text="Only when a representative collected it",
    )
    professional_name = forms.CharField(
        label="Name of the healthcare professional",
        max_length=200,
        help_text="Only when a healthcare professional collected it",
    )
    professional_address = forms.CharField(
        label="Address of the healthcare professional", max_length=300
    )
    identity_requested = forms.ChoiceField(
        label="Was proof of identity asked for?", choices=YES_NO, widget=forms.RadioSelect
    )
    identity_provided = forms.ChoiceField(
        label="Was proof of identity shown?", choices=YES_NO, widget=forms.RadioSelect
    )
    witness = _witness_field()
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind: str, provider, unit: str, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.provider = provider
        self.fields["quantity"] = _quantity_field("Quantity", unit, "A number above 0")
        self.order_fields(["quantity"])
        for name in OPTIONAL:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
            elif name in ONLY_SOMETIMES:
                self.fields[name].required = False
        choices = {
            "driver": register_drivers(provider=provider),
            "prescriber": register_prescribers(provider=provider),
            "witness": register_witnesses(provider=provider, exclude=user),
        }
        for name, queryset in choices.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
                self.fields[name].label_from_instance = lambda u: u.display_name

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["kind"] = self.kind
        data["occurred_at"] = _occurred_at(data)
        if "client_number" in data:
            data["client"] = data.pop("client_number")
        for name in ("identity_requested", "identity_provided"):
            if name in data:
                data[name] = {"yes": True, "no": False}.get(data[name])
        return data


class CorrectionForm(Form):
    corrects = forms.ModelChoiceField(queryset=None, label="Entry to correct", empty_label=CHOOSE)
    adjustment = forms.DecimalField()  # replaced in __init__ with the page's unit
    notes = forms.CharField(
        label="Reason for the correction", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, entries, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = entries
        self.fields["corrects"].label_from_instance = lambda e: (
            f"#{e.pk} {timezone.localtime(e.occurred_at):%d/%m/%Y %H:%M}: {e}"
        )
        self.fields["adjustment"] = _quantity_field(
            "Adjustment",
            unit,
            "The change to the entry's quantity: for example -10 if it recorded 10 too many",
        )
        self.order_fields(["corrects", "adjustment", "notes"])


class ReconciliationForm(Form):
    date = DayMonthYearField(label="Day", required=False)


class PatientReturnForm(ClientNumberMixin, Form):
    """A controlled drug a client hands back: kept apart from stock, never supplied again."""

    medicine = forms.ChoiceField(label="Medicine", choices=[("", CHOOSE), *MEDICINE_CHOICES])
    client_number = forms.CharField(label="Client number", max_length=20)
    quantity = _quantity_field(
        "Quantity", "ml, tablets or syringes", "In the medicine's unit: ml of a solution"
    )
    returned_by = forms.CharField(
        label="Brought in by", max_length=200, help_text="The client, or who brought it for them"
    )
    occurred_on, occurred_time = _when_fields()
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["occurred_at"] = _occurred_at(data)
        data["client"] = data.pop("client_number", None)
        return data


class PatientReturnDestroyForm(Form):
    witness = _witness_field()
    occurred_on, occurred_time = _when_fields()
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, provider, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = register_witnesses(provider=provider, exclude=user)
        self.fields["witness"].label_from_instance = lambda u: u.display_name

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["occurred_at"] = _occurred_at(data)
        return data


class StockSiteForm(Form):
    site = forms.ModelChoiceField(
        queryset=None,
        label="Site holding the delivery stock",
        empty_label=CHOOSE,
        help_text="The rounds' parcels are made up from this site's cabinet and entered in its "
        "register",
    )

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = provider.sites.order_by("name")


class RegisterFilterForm(DateRangeForm, FilterForm):
    """The filters of a register page: a kind of entry, a client, and the days entries
    happened (UK days, both ends included)."""

    kind = forms.ChoiceField(
        label="Entry", required=False, choices=[("", "Every entry"), *RegisterEntry.Kind.choices]
    )
    client_number = forms.CharField(
        label="Client number",
        required=False,
        max_length=20,
        help_text="All or part of it",
    )
    date_from = DayMonthYearField(label="From", required=False)
    date_to = DayMonthYearField(label="To", required=False)
