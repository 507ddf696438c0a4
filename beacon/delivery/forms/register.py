"""Forms of the controlled-drug register: a movement (fields by kind), a correction, a day.

The forms read each field; the register rules (balance never negative, who may be a
driver, reg 19 headings) are services/register.py's, shown next to the field they
name (service_errors_onto).
"""

import datetime

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.delivery.models import RegisterEntry
from beacon.delivery.selectors.register import register_drivers

Kind = RegisterEntry.Kind
CHOOSE = "Choose…"
YES_NO = [("yes", "Yes"), ("no", "No")]

# The fields each kind of movement asks for, beyond quantity, date, time and notes.
KIND_FIELDS = {
    Kind.RECEIVED: ["supplier"],
    Kind.HANDED_TO_DRIVER: ["driver"],
    Kind.DELIVERED: [
        "driver",
        "client_number",
        "recipient",
        "representative_name",
        "identity_requested",
        "identity_provided",
    ],
    Kind.RETURNED: ["driver"],
    Kind.DESTROYED: ["witness"],
}
OPTIONAL = ["supplier", "driver", "client_number", "recipient", "representative_name"]
OPTIONAL += ["identity_requested", "identity_provided", "witness"]


def _quantity_field(label: str, unit: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} ({unit})",
        max_digits=10,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )


class MovementForm(forms.Form):
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
    driver = forms.ModelChoiceField(queryset=None, label="Driver", empty_label=CHOOSE)
    client_number = forms.CharField(label="Client number", max_length=20)
    recipient = forms.ChoiceField(
        label="Who received it", choices=RegisterEntry.Recipient.choices, widget=forms.RadioSelect
    )
    representative_name = forms.CharField(
        label="Name of the representative",
        max_length=200,
        help_text="Only when a representative received it",
    )
    identity_requested = forms.ChoiceField(
        label="Was proof of identity asked for?", choices=YES_NO, widget=forms.RadioSelect
    )
    identity_provided = forms.ChoiceField(
        label="Was proof of identity shown?", choices=YES_NO, widget=forms.RadioSelect
    )
    witness = forms.CharField(label="Witness", max_length=200, help_text="Who saw it destroyed")
    notes = forms.CharField(
        label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind: str, provider, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.provider = provider
        self.fields["quantity"] = _quantity_field("Quantity", unit, "A number above 0")
        self.order_fields(["quantity"])
        for name in OPTIONAL:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
            elif name == "representative_name":
                self.fields[name].required = False
        if "driver" in self.fields:
            self.fields["driver"].queryset = register_drivers(provider=provider)
            self.fields["driver"].label_from_instance = lambda u: u.display_name

    def clean_client_number(self):
        number = self.cleaned_data["client_number"].strip().upper()
        client = self.provider.clients.filter(client_number=number).first()
        if client is None:
            raise forms.ValidationError("No client with this number in your service")
        return client

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["kind"] = self.kind
        on, at = data.pop("occurred_on", None), data.pop("occurred_time", None)
        data["occurred_at"] = (
            datetime.datetime.combine(on, at, tzinfo=timezone.get_current_timezone())
            if on and at
            else None
        )
        if "client_number" in data:
            data["client"] = data.pop("client_number")
        for name in ("identity_requested", "identity_provided"):
            if name in data:
                data[name] = {"yes": True, "no": False}.get(data[name])
        return data


class CorrectionForm(forms.Form):
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


class ReconciliationForm(forms.Form):
    date = DayMonthYearField(label="Day", required=False)
