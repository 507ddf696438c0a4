"""Forms of delivery set-up: a vehicle, a driver's shift, a client's delivery details.

The forms read each field; the set-up rules (one shift a day, no vehicle on two
overlapping shifts, records of the user's service only) are services/setup.py's, shown
next to the field they name (service_errors_onto).
"""

from django import forms

from beacon.clients.validators import validate_postcode
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form
from beacon.delivery.models import validate_registration
from beacon.delivery.selectors import setup as selectors

CHOOSE = "Choose…"


def _time_field(label: str, *, required: bool = True, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text or "24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
    )


def _coordinate_field(label: str, limit: int) -> forms.DecimalField:
    """An optional latitude or longitude in degrees, from -limit to limit."""
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
    )


class VehicleForm(Form):
    partner_organisation = forms.ModelChoiceField(
        queryset=None, label="Lent by", empty_label=CHOOSE
    )
    registration = forms.CharField(
        label="Registration",
        max_length=10,
        help_text="For example AB12 CDE",
        validators=[validate_registration],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    make = forms.CharField(label="Make and model", max_length=60, required=False)
    colour = forms.CharField(label="Colour", max_length=30, required=False)
    active = forms.BooleanField(label="In use", required=False, initial=True)

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_organisation"].queryset = provider.partner_organisations.all()


class ShiftForm(Form):
    driver = forms.ModelChoiceField(queryset=None, label="Driver", empty_label=CHOOSE)
    vehicle = forms.ModelChoiceField(queryset=None, label="Vehicle", empty_label=CHOOSE)
    date = DayMonthYearField(label="Date", help_text="For example 15 3 2026")
    start_time = _time_field("Start time")
    end_time = _time_field("End time")

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = selectors.drivers(provider=provider)
        self.fields["driver"].label_from_instance = lambda u: u.display_name
        self.fields["vehicle"].queryset = selectors.vehicles(provider=provider, active_only=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The shift must end after it starts")
        return cleaned


class ShiftDayForm(Form):
    date = DayMonthYearField(label="Day", required=False)


class DeliveryDetailsForm(Form):
    address_line_1 = forms.CharField(label="Address line 1", max_length=100)
    address_line_2 = forms.CharField(label="Address line 2", max_length=100, required=False)
    town = forms.CharField(label="Town or city", max_length=60, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        validators=[validate_postcode],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    access_notes = forms.CharField(
        label="Access notes",
        max_length=500,
        required=False,
        help_text="What a driver needs at the door, for example: ring twice, side door",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    authorised_representatives = forms.CharField(
        label="Who may take a parcel for the client (optional)",
        max_length=500,
        required=False,
        help_text="One name a line, as agreed with the client. If empty, the driver may hand "
        "it to any adult who gives their name, which is recorded",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    usually_in_from = _time_field("Usually in from", required=False)
    usually_in_to = _time_field("Usually in until", required=False)
    lockable_box_recorded_on = DayMonthYearField(
        label="Lockable box seen on",
        required=False,
        help_text="Needed before take-home doses are delivered to a home with children",
    )
    window_text_agreed = forms.BooleanField(
        label="Agreed to a delivery window text",
        required=False,
        help_text="A text on the morning of a delivery with the time it is due. Sent only if "
        "the client also agreed to contact by text and has a mobile number",
    )
    latitude = _coordinate_field("Latitude", 90)
    longitude = _coordinate_field("Longitude", 180)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("usually_in_from"), cleaned.get("usually_in_to")
        if start and end and end <= start:
            self.add_error("usually_in_to", "The end of the hours must be after the start")
        return cleaned
