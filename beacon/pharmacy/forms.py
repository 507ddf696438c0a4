"""Forms of a partner pharmacy: what happened to an instalment, and a message to the
prescriber. The rules are the services'; their messages show next to the field."""

import datetime

from django import forms

from beacon.core.forms import Form
from beacon.pharmacy.models import RefusalReason, Supply


class SupplyForm(Form):
    supply = forms.ChoiceField(
        label="What happened", choices=Supply.choices, widget=forms.RadioSelect
    )
    representative_name = forms.CharField(
        label="Representative's full name (if collected by a representative)",
        max_length=200,
        required=False,
    )
    refusal_reason = forms.ChoiceField(
        label="Why supply was refused (if refused)",
        choices=[("", "Not refused"), *RefusalReason.choices],
        required=False,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The amount the page showed: a dose changed meanwhile is refused, not supplied (H-163).
    quantity_shown = forms.DecimalField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, supervised: bool, quantity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity_shown"].initial = quantity
        if self.is_bound:  # sent back with its errors: the amount the page now shows
            self.data = self.data.copy()
            self.data["quantity_shown"] = str(quantity)
        if supervised:
            # A supervised dose is never handed over to take away (H-162).
            self.fields["supply"].choices = [
                (value, label)
                for value, label in Supply.choices
                if value not in {Supply.TAKE_HOME, Supply.REPRESENTATIVE}
            ]
            del self.fields["representative_name"]


class MessageForm(Form):
    text = forms.CharField(
        label="Message to the prescriber",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the client asked to move to another pharmacy",
    )


class DueFilterForm(Form):
    """The pharmacist's due list narrowed: a day of the list, supervised or take home, a
    name."""

    day = forms.TypedChoiceField(label="Day", required=False, choices=[], empty_value=None)
    how = forms.ChoiceField(
        label="How",
        required=False,
        choices=[
            ("", "Supervised and take home"),
            ("supervised", "Supervised consumption"),
            ("take_home", "Take home"),
        ],
    )
    name = forms.CharField(label="Client's name", required=False, max_length=60)

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", "Every day shown"), *days]
        self.fields["day"].coerce = datetime.date.fromisoformat

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "day": self.cleaned_data["day"],
            "how": self.cleaned_data["how"],
            "name": self.cleaned_data["name"].strip(),
        }


class PharmacyDetailsForm(Form):
    """A partner pharmacy's details, as the service keeps them (H-148)."""

    name = forms.CharField(label="Pharmacy name", max_length=200)
    ods_code = forms.CharField(
        label="ODS code",
        max_length=10,
        help_text="5 characters, starting with F, for example FA123",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "spellcheck": "false"}),
    )
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    email = forms.EmailField(label="Email (optional)", required=False)
    address = forms.CharField(
        label="Address", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    opening_hours = forms.CharField(
        label="Opening hours",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: Monday to Saturday 9am to 6pm; Sunday closed",
    )
