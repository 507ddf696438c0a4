"""Forms of peer volunteers and outreach. They read each field; the rules (no future date,
refresh after completion, an attributor whole or not at all, training before a naloxone
pack, a concern described) are the services', shown next to the field they name. Nothing a
volunteer is asked about a person starts answered."""

import datetime

from django import forms
from django.utils import timezone

from beacon.clients.codes import Sex
from beacon.clients.models import Client
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import FilterForm, Form, PeriodForm, nothing_chosen
from beacon.core.models import Provider
from beacon.harmreduction.models import NspItem
from beacon.volunteers import selectors
from beacon.volunteers.models import (
    AdviceTopic,
    Concern,
    Course,
    DbsLevel,
    DbsResult,
    ReferralOutcome,
    ReferralTo,
    VolunteerKind,
    VolunteerStatus,
    Wellbeing,
)

# The NSP items a volunteer hands out on the street (the rest are given at a site).
OUTREACH_NSP_ITEMS = (
    NspItem.SYRINGE_FIXED_1ML,
    NspItem.NEEDLE_ORANGE,
    NspItem.FILTER,
    NspItem.SPOON,
    NspItem.SWAB,
    NspItem.FOIL,
)
NUMBER = {"class": "nhsuk-input--width-3", "inputmode": "numeric"}


def _choices(choices, empty: str = "Choose…"):
    return [("", empty), *choices]


class VolunteerForm(Form):
    user = forms.ModelChoiceField(queryset=None, label="Volunteer's account", empty_label="Choose…")
    kind = forms.ChoiceField(label="Kind of volunteer", choices=_choices(VolunteerKind.choices))
    started_on = DayMonthYearField(label="Start date", help_text="For example, 15 3 2026")
    status = forms.ChoiceField(label="Status", choices=VolunteerStatus.choices)
    dbs_level = forms.ChoiceField(label="DBS check level", choices=_choices(DbsLevel.choices))
    dbs_checked_on = DayMonthYearField(label="DBS check date", required=False)
    dbs_result = forms.ChoiceField(
        label="DBS check result", required=False, choices=_choices(DbsResult.choices)
    )
    emergency_contact_name = forms.CharField(label="Emergency contact's name", max_length=200)
    emergency_contact_phone = forms.CharField(
        label="Emergency contact's phone", max_length=20, widget=forms.TextInput({"type": "tel"})
    )
    supervisor = forms.ModelChoiceField(
        queryset=None, label="Supervisor", required=False, empty_label="Choose…"
    )
    languages = forms.CharField(label="Languages", max_length=200, required=False)
    availability = forms.CharField(
        label="Availability",
        max_length=300,
        required=False,
        help_text="For example: Tuesday and Thursday evenings",
    )
    # A client number typed, not chosen from a list: a service holds up to 100,000 clients.
    client = forms.CharField(
        label="Client number (if the volunteer is also a client)",
        required=False,
        max_length=20,
        help_text="Leave it empty if they are not a client. Seen by managers only",
    )

    def __init__(self, *args, provider: Provider, editing=None, may_link_client=False, **kw):
        super().__init__(*args, **kw)
        if editing is not None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = selectors.volunteer_users_without_record(
                provider=provider
            )
        self.fields["supervisor"].queryset = selectors.supervisors(provider=provider)
        self.provider = provider
        if may_link_client:
            linked = self.initial.get("client")
            if linked is not None and not isinstance(linked, str):
                self.initial["client"] = linked.client_number
        else:
            del self.fields["client"]

    def clean_client(self) -> Client | None:
        number = self.cleaned_data["client"].strip()
        if not number:
            return None
        client = self.provider.clients.filter(client_number__iexact=number).first()
        if client is None:
            raise forms.ValidationError(
                "No client with this number in your service: check it on their record"
            )
        return client


class TrainingForm(Form):
    course = forms.ChoiceField(label="Course", choices=_choices(Course.choices))
    completed_on = DayMonthYearField(label="Completed on")
    refresh_by = DayMonthYearField(
        label="Refresh by",
        help_text="The last day the training counts, as the course provider gives it",
    )


class SupervisionForm(Form):
    held_on = DayMonthYearField(label="Date of supervision")
    supervisor = forms.ModelChoiceField(queryset=None, label="Supervisor", empty_label="Choose…")
    wellbeing = forms.ChoiceField(
        label="Wellbeing check", choices=Wellbeing.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes", max_length=2000, required=False, widget=forms.Textarea({"rows": 4})
    )
    next_due_on = DayMonthYearField(label="Next supervision due")

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = selectors.supervisors(provider=provider)
        nothing_chosen(self, "wellbeing")


class HoursForm(Form):
    month = DayMonthYearField(label="Month (any day in it)")
    hours = forms.DecimalField(
        label="Hours given", max_digits=5, decimal_places=1, widget=forms.TextInput(NUMBER)
    )


class RepresentationForm(Form):
    on = DayMonthYearField(label="Date")
    forum = forms.CharField(
        label="Meeting", max_length=200, help_text="For example: local drugs partnership"
    )


class VolunteerFilterForm(FilterForm):
    q = forms.CharField(label="Name", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=_choices(VolunteerStatus.choices, "Any")
    )


class ShiftForm(Form):
    on = DayMonthYearField(label="Date")
    area = forms.CharField(label="Area", max_length=100, help_text="For example: city centre")
    site = forms.ModelChoiceField(
        queryset=None, label="Base (where the stock comes from)", empty_label="Choose…"
    )
    starts_at = forms.TimeField(label="Starts at", widget=forms.TimeInput({"type": "time"}))
    ends_at = forms.TimeField(
        label="Ends at (check-out due)",
        help_text="An end before the start is the next morning, for an evening shift past "
        "midnight. At most 12 hours",
        widget=forms.TimeInput({"type": "time"}),
    )
    duty_manager = forms.ModelChoiceField(
        queryset=None, label="Duty manager", empty_label="Choose…"
    )
    volunteers = forms.ModelMultipleChoiceField(
        queryset=None, label="Volunteers on the shift", widget=forms.CheckboxSelectMultiple
    )
    staff = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Staff on the shift",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = provider.sites.all()
        self.fields["duty_manager"].queryset = selectors.duty_managers(provider=provider)
        self.fields["volunteers"].queryset = selectors.volunteers_search(
            provider=provider, status=VolunteerStatus.ACTIVE
        )
        self.fields["staff"].queryset = selectors.supervisors(provider=provider)


class ShiftFilterForm(FilterForm):
    first = DayMonthYearField(label="From", required=False)
    last = DayMonthYearField(label="To", required=False)


def nsp_field(item: str) -> str:
    return f"nsp_{item}"


class ContactForm(Form):
    """A person met on the street: quick to fill in on a phone. Anonymous unless the
    attributor is given (needed for NSP items)."""

    initials = forms.CharField(
        label="Initials (optional)",
        required=False,
        max_length=2,
        help_text="Leave empty for an anonymous contact. Needed for NSP items",
        widget=forms.TextInput({"class": "nhsuk-input--width-3", "autocomplete": "off"}),
    )
    date_of_birth = DayMonthYearField(label="Date of birth (optional)", required=False)
    sex = forms.ChoiceField(
        label="Sex (optional)", required=False, choices=Sex.choices, widget=forms.RadioSelect
    )
    advice = forms.MultipleChoiceField(
        label="Advice given",
        required=False,
        choices=AdviceTopic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    water = forms.BooleanField(label="Water", required=False)
    food = forms.BooleanField(label="Food", required=False)
    leaflet = forms.BooleanField(label="Information leaflet", required=False)
    naloxone = forms.BooleanField(label="Naloxone pack", required=False)
    naloxone_trained = forms.BooleanField(
        label="I showed them how to use it",
        required=False,
        help_text="Recognising an overdose, calling 999, giving naloxone, the recovery "
        "position, staying with the person",
    )
    concern = forms.ChoiceField(
        label="Any overdose or welfare concern?", choices=Concern.choices, widget=forms.RadioSelect
    )
    concern_notes = forms.CharField(
        label="What is the concern, and what did you do?",
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
    )
    referral_to = forms.ChoiceField(
        label="Referred to", required=False, choices=_choices(ReferralTo.choices, "No referral")
    )
    referral_notes = forms.CharField(
        label="Referral notes",
        required=False,
        max_length=1000,
        help_text="Where and when the person can be found. No names",
        widget=forms.Textarea({"rows": 2}),
    )

    # Set by core/offline.js when the contact waited on the phone for a signal.
    offline_recorded_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in OUTREACH_NSP_ITEMS:
            self.fields[nsp_field(item)] = forms.IntegerField(
                label=NspItem(item).label,
                required=False,
                min_value=0,
                widget=forms.TextInput(NUMBER),
            )
        nothing_chosen(self, "concern", "sex")

    def clean(self):
        cleaned = super().clean()
        cleaned["nsp_items"] = {
            item: cleaned.pop(nsp_field(item), None) or 0 for item in OUTREACH_NSP_ITEMS
        }
        # A time the phone kept is believed only if it is in the past day: a wrong clock
        # on the phone must not move the contact to another shift or month.
        at = cleaned.pop("offline_recorded_at", None)
        now = timezone.now()
        if at is not None and now - datetime.timedelta(days=1) <= at <= now:
            cleaned["at"] = at
        return cleaned


class ReferralOutcomeForm(Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=ReferralOutcome.choices, widget=forms.RadioSelect
    )
    outcome_notes = forms.CharField(
        label="Notes", required=False, max_length=1000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nothing_chosen(self, "outcome")


class ReferralFilterForm(FilterForm):
    to = forms.ChoiceField(
        label="Referred to", required=False, choices=_choices(ReferralTo.choices, "Anywhere")
    )
    state = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, follows: bool, **kwargs):
        """`follows`: the reader follows referrals (staff) and may narrow by outcome; a
        volunteer is offered only what their page shows, picked up or not (H-201)."""
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", "All"),
            ("waiting", "Not picked up"),
            ("late", "Not picked up after 2 working days"),
            *(
                [("open", "Picked up, no outcome yet"), ("done", "With an outcome")]
                if follows
                else [("picked_up", "Picked up")]
            ),
        ]


class ReportPeriodForm(PeriodForm):
    """The outreach activity report's period (by default this month so far)."""
