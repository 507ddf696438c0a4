"""Forms of the driver's run sheet: a stop delivered, a stop not delivered.

Each field is read here; the rules (own round, today, handed over, blocked supply) are
services/runsheet.py's, shown above or next to the field they name.
"""

from django import forms

from beacon.core.forms import Form
from beacon.delivery.models import DeliveryStop, RegisterEntry

IDENTITY_CHOICES = [
    ("shown", "Asked for, and shown"),
    ("not_shown", "Asked for, not shown"),
    ("not_asked", "Not asked for"),
]


class DeliveredForm(Form):
    recipient = forms.ChoiceField(
        label="Who received the parcel?",
        choices=[
            (value, label)
            for value, label in RegisterEntry.Recipient.choices
            if value != RegisterEntry.Recipient.HEALTHCARE_PROFESSIONAL
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say who received the parcel"},
    )
    representative_name = forms.CharField(
        label="Name of the representative",
        max_length=200,
        required=False,
        help_text="Only when someone else received it for the client",
    )
    identity = forms.ChoiceField(
        label="Proof of identity",
        choices=IDENTITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether proof of identity was asked for and shown"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=900,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("recipient") == RegisterEntry.Recipient.REPRESENTATIVE
            and not (cleaned.get("representative_name") or "").strip()
        ):
            self.add_error("representative_name", "Enter the name of the representative")
        return cleaned


class NotDeliveredForm(Form):
    reason = forms.ChoiceField(
        label="Why was it not delivered?",
        choices=DeliveryStop.NotDeliveredReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say why the parcel was not delivered"},
    )
    notes = forms.CharField(
        label="Notes",
        max_length=900,
        required=False,
        help_text="Needed when the parcel was refused or it was unsafe: what you saw, or who "
        "you spoke to",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoldBackForm(Form):
    reason = forms.CharField(
        label="Why is the parcel held back?",
        max_length=300,
        help_text="For example: the driver is off sick; the client is in hospital",
        error_messages={"required": "Say why the parcel is held back"},
    )
    missed_by_client = forms.BooleanField(
        label="Count it as the client's missed dose (their reason, such as a hospital stay)",
        required=False,
        help_text="Leave unticked when the service cannot deliver (a driver off sick): the "
        "dose is not the client's miss and can be collected today at the base or a pharmacy",
    )


class HandOverForm(Form):
    """The coordinator's hand-over of a round: a box per parcel still in the cabinet, each
    unticked, so the coordinator checks each parcel's number and ticks it as they hand it
    over (the first person's check; nothing is handed over by default). A parcel no longer
    waiting (moved or held back since the page was drawn) refuses the lot; the view then
    passes the ticked numbers to services/runsheet.round_hand_over, which checks them again
    under its lock."""

    parcels = forms.MultipleChoiceField(
        label="Tick each parcel as you hand it to the driver",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Parcel %(value)s is no longer waiting for this driver (moved, "
            "held back or handed over meanwhile): nothing was recorded. Check the parcels on "
            "the page again.",
        },
    )

    def __init__(self, *args, stops, driver_name: str, contents, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parcels"]
        field.choices = [
            (stop.parcel_number, f"Parcel {stop.parcel_number}: {contents(stop)}") for stop in stops
        ]
        field.label = f"Tick each parcel as you hand it to {driver_name}"
        field.error_messages["required"] = field.label
        field.help_text = (
            "Check the number on each parcel as you tick it. Leave one that is not ready "
            "unticked: it stays in the cabinet for later"
        )
