"""Forms of naloxone: receive, transfer and write off stock; supply a kit with its
training; record an offer's outcome; report what became of a kit; filter the lists; and
the naloxone fields the contacts app adds to its contact and outcome forms.

The forms read each field; the rules (expiry, stock, dates, training) are the services',
shown next to the field they name.
"""

import datetime

from django import forms
from django.utils import timezone

from beacon.clients.forms import keyworker_label
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import DateRangeForm, FilterForm, Form
from beacon.core.roles import Role
from beacon.naloxone.models import (
    DeclineReason,
    KitType,
    OfferOutcome,
    PackItem,
    Recipient,
    ReportKind,
    StockEntry,
    TrainingTopic,
    UsedOn,
    UseOutcome,
)

NUMBER = {"class": "nhsuk-input--width-3", "inputmode": "numeric"}


def _balance_field(label: str = "Kit") -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=None, label=label, empty_label="Choose a kit…")
    field.label_from_instance = lambda balance: (
        f"{balance.batch.get_kit_type_display()}, batch {balance.batch.batch_number}, expires "
        f"{balance.batch.expires_on:%d/%m/%Y} ({balance.site.name}: {balance.balance} left)"
    )
    return field


def _staff_field(label: str) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=None, label=label, empty_label="Choose…")
    field.label_from_instance = lambda user: f"{user.display_name} ({user.get_role_display()})"
    return field


class ReceiptForm(Form):
    site = forms.ModelChoiceField(queryset=None, label="Site", empty_label="Choose a site…")
    kit_type = forms.ChoiceField(
        label="Kit type", choices=KitType.choices, widget=forms.RadioSelect
    )
    batch = forms.CharField(label="Batch number", max_length=40)
    expiry = DayMonthYearField(label="Expiry date", help_text="As printed on the pack")
    quantity = forms.IntegerField(
        label="Number of kits", min_value=1, widget=forms.TextInput(attrs=NUMBER)
    )
    date = DayMonthYearField(label="Date received")
    pack_contents = forms.MultipleChoiceField(
        label="Each supply pack holds",
        choices=PackItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class TransferForm(Form):
    stock = _balance_field("Kits to move")
    to_site = forms.ModelChoiceField(queryset=None, label="To site", empty_label="Choose a site…")
    quantity = forms.IntegerField(
        label="Number of kits", min_value=1, widget=forms.TextInput(attrs=NUMBER)
    )
    date = DayMonthYearField(label="Date moved")

    def __init__(self, *args, stock, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = stock
        self.fields["to_site"].queryset = sites


class WriteOffForm(Form):
    stock = _balance_field("Kits to write off")
    reason = forms.ChoiceField(
        label="Why",
        choices=[(StockEntry.Kind.EXPIRED, "Expired"), (StockEntry.Kind.DAMAGED, "Damaged")],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label="Number of kits", min_value=1, widget=forms.TextInput(attrs=NUMBER)
    )
    date = DayMonthYearField(label="Date")
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args, stock, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = stock


class CountForm(Form):
    stock = _balance_field("Batch counted")
    counted = forms.IntegerField(
        label="Number of kits counted", min_value=0, widget=forms.TextInput(attrs=NUMBER)
    )
    note = forms.CharField(
        label="Why the count differs",
        max_length=250,
        help_text="For example, 2 found damaged in the cupboard; a supply not recorded",
    )

    def __init__(self, *args, stock, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = stock


class ReversalForm(Form):
    reason = forms.CharField(
        label="Why this supply was recorded in error",
        max_length=250,
        help_text="For example, recorded against the wrong client; the kit was not handed over",
    )


class TrainingFields(Form):
    trained_by = _staff_field("Trained by")
    training_topics = forms.MultipleChoiceField(
        label="Training given before the supply",
        choices=TrainingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cover at least recognising an overdose, calling 999 and giving naloxone",
    )


class RecipientFields(Form):
    recipient = forms.ChoiceField(
        label="Given to", choices=Recipient.choices, widget=forms.RadioSelect
    )
    recipient_name = forms.CharField(
        label="Their name (optional)",
        required=False,
        max_length=200,
        help_text="Leave blank if they would rather not be named",
    )


class SupplyForm(RecipientFields, TrainingFields):
    stock = _balance_field()
    date = DayMonthYearField(label="Date supplied")
    field_order = ["recipient", "recipient_name", "stock", "date", "trained_by", "training_topics"]

    def __init__(self, *args, stock, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock"].queryset = stock
        self.fields["trained_by"].queryset = staff


class SomeoneElseSupplyForm(SupplyForm):
    """A kit to a friend, family member, carer or anyone else linked to no client: no
    "the client" to choose, and nothing chosen for them (H-147)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [
            (value, label) for value, label in Recipient.choices if value != Recipient.CLIENT
        ]


class OfferForm(Form):
    outcome = forms.ChoiceField(
        label="Naloxone offered: outcome",
        choices=[(v, t) for v, t in OfferOutcome.choices if v != OfferOutcome.SUPPLIED],
        widget=forms.RadioSelect,
        help_text="To supply a kit, record the supply instead",
    )
    decline_reason = forms.ChoiceField(
        label="Why they declined",
        choices=[("", "Choose a reason…"), *DeclineReason.choices],
        required=False,
    )
    in_person = forms.ChoiceField(
        label="How was the offer made",
        choices=[("yes", "In person"), ("no", "By phone or video")],
        widget=forms.RadioSelect,
        help_text="A kit can only be seen in person",
    )
    seen_kit_expiry = DayMonthYearField(
        label="Expiry date of the kit seen (if seen)",
        required=False,
        help_text="As printed on the kit. Without it the kit counts for the day it was seen",
    )
    date = DayMonthYearField(label="Date")


class ReportForm(Form):
    kind = forms.ChoiceField(
        label="What happened to the kit", choices=ReportKind.choices, widget=forms.RadioSelect
    )
    date = DayMonthYearField(label="When")
    used_on = forms.ChoiceField(
        label="Used on (if used)", choices=[("", "Not used"), *UsedOn.choices], required=False
    )
    outcome = forms.ChoiceField(
        label="What happened to the person (if used)",
        choices=[("", "Not used"), *UseOutcome.choices],
        required=False,
    )
    ambulance_called = forms.ChoiceField(
        label="Ambulance called (if used)",
        choices=[("", "Not used or not known"), ("yes", "Yes"), ("no", "No")],
        required=False,
    )

    def ambulance(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("ambulance_called") or "")


class PeriodForm(Form):
    first = DayMonthYearField(label="From", required=False)
    last = DayMonthYearField(label="To", required=False)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and last < first:
            self.add_error("last", "The end of the period must be on or after its start")
        return cleaned

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for; by default this month so far."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        last = data.get("last") or today
        first = data.get("first") or last.replace(day=1)
        return first, last


class GapsForm(Form):
    reason = forms.ChoiceField(label="Why", required=False, choices=[])
    keyworker = forms.ModelChoiceField(
        queryset=None, required=False, label="Keyworker", empty_label="Everyone"
    )

    def __init__(self, *args, reasons, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Any reason"), *reasons]
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].label_from_instance = keyworker_label


class ExpiringForm(Form):
    keyworker = forms.ModelChoiceField(
        queryset=None, required=False, label="Keyworker", empty_label="Everyone"
    )

    def __init__(self, *args, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].label_from_instance = keyworker_label


class LedgerForm(Form):
    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="All sites"
    )
    batch = forms.CharField(label="Batch number", required=False, max_length=40)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


def supplier_label(user) -> str:
    """Who supplied a kit, in the supplies list's filter: a peer volunteer said to be one."""
    label = user.display_name
    if user.role == Role.VOLUNTEER:
        label += " (peer volunteer)"
    return label if user.is_active else f"{label} (left)"


class SupplyListForm(DateRangeForm, FilterForm):
    """The service's supplies list's filters, kept in the query string."""

    query = forms.CharField(
        label="Name, client number or batch",
        required=False,
        max_length=100,
        help_text="The name of the person supplied, or the client's name or number",
    )
    date_from = DayMonthYearField(label="Supplied from", required=False)
    date_to = DayMonthYearField(label="Supplied to", required=False)
    recipient = forms.ChoiceField(label="Given to", required=False, choices=[])
    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="All sites"
    )
    supplied_by = forms.ModelChoiceField(
        queryset=None, required=False, label="Supplied by", empty_label="Anyone"
    )
    by_volunteer_only = forms.BooleanField(
        label="Only kits supplied by peer volunteers", required=False
    )

    def __init__(self, *args, recipient_kinds, sites, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "Anyone"), *recipient_kinds]
        self.fields["site"].queryset = sites
        self.fields["supplied_by"].queryset = suppliers
        self.fields["supplied_by"].label_from_instance = supplier_label


# What contacts adds to its forms -------------------------------------------------------------

NOT_ASKED = "not_asked"


class ContactNaloxoneFields(Form):
    """The opt-out offer asked in the same form as a contact: one choice, with the kit and
    the reason appearing only for the answer that needs them. Added to contacts' forms by
    `add_contact_fields` when the client needs an offer."""

    naloxone_outcome = forms.ChoiceField(
        label="Naloxone: offered today (opt-out)",
        choices=[
            (OfferOutcome.SUPPLIED, "Supplied a kit, with training"),
            (OfferOutcome.DECLINED, "Declined"),
            (OfferOutcome.HOLDS_KIT, "Holds an in-date kit (seen)"),
            (NOT_ASKED, "Not asked this time"),
        ],
        widget=forms.RadioSelect,
        help_text="This client uses opiates and has no in-date kit recorded",
    )
    naloxone_stock = _balance_field("Kit supplied (if supplied)")
    naloxone_topics = forms.MultipleChoiceField(
        label="Training given (if supplied)",
        choices=TrainingTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick only what was covered today",
    )
    naloxone_trained_by = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Trained by (if supplied)",
        empty_label="Choose who gave the training…",
    )
    naloxone_decline_reason = forms.ChoiceField(
        label="Why they declined (if declined)",
        choices=[("", "Choose a reason…"), *DeclineReason.choices],
        required=False,
    )
    naloxone_seen_expiry = DayMonthYearField(
        label="Expiry date of the kit seen (if seen)",
        required=False,
        help_text="As printed on the kit. A kit is seen in person, never on a call; without "
        "its expiry it counts for today only",
    )


def add_contact_fields(form: forms.Form, *, stock, trainers) -> None:
    """Add the naloxone question to a contacts form (in place, after its own fields). The
    training boxes start empty and the trainer is asked: nothing is assumed (H-101)."""
    extra = ContactNaloxoneFields()
    for name, field in extra.fields.items():
        form.fields[name] = field
    form.fields["naloxone_stock"].queryset = stock
    form.fields["naloxone_stock"].required = False
    form.fields["naloxone_trained_by"].queryset = trainers
    form.fields["naloxone_trained_by"].label_from_instance = lambda user: user.display_name


def contact_offer(cleaned: dict) -> dict | None:
    """What contacts passes to `offer_record` from the naloxone fields it added, or None
    (not asked). Errors are named by the form's own field names."""
    outcome = cleaned.get("naloxone_outcome")
    if not outcome or outcome == NOT_ASKED:
        return None
    offer: dict = {
        "outcome": outcome,
        "decline_reason": cleaned.get("naloxone_decline_reason") or "",
    }
    if outcome != OfferOutcome.DECLINED:
        offer["decline_reason"] = ""
    if outcome == OfferOutcome.HOLDS_KIT:
        offer["seen_kit_expires_on"] = cleaned.get("naloxone_seen_expiry")
    if outcome == OfferOutcome.SUPPLIED:
        stock = cleaned.get("naloxone_stock")
        offer["supply"] = {
            "batch": stock.batch if stock else None,
            "site": stock.site if stock else None,
            "trained_by": cleaned.get("naloxone_trained_by"),
            "training_topics": list(cleaned.get("naloxone_topics") or []),
        }
    return offer


class PharmacySupplyForm(RecipientFields, TrainingFields):
    """A kit supplied at a partner pharmacy's counter, by the pharmacist who trained the
    person: for a client dispensing there (chosen by name and date of birth, the most the
    pharmacist knows of them), or for someone linked to no client (H-171)."""

    client = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="For a client who collects their prescription here (optional)",
        empty_label="Not for a client dispensing here",
        help_text="Choose them if the kit is for them, or for their family member or carer",
    )
    stock = _balance_field()
    field_order = ["client", "recipient", "recipient_name", "stock", "training_topics"]

    def __init__(self, *args, clients, stock, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["trained_by"]  # the pharmacist at the counter trains them
        self.fields["client"].queryset = clients
        self.fields["client"].label_from_instance = lambda client: (
            f"{client.full_name}, born {client.date_of_birth:%d/%m/%Y}"
        )
        self.fields["stock"].queryset = stock
