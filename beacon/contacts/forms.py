"""Forms of contacts: book an appointment, record an outcome or a contact, write a case
note, record a group, close a follow-up, choose a diary's day and the attendance period.

The forms read each field; the rules (a time still to come, no double booking, an outcome
not before the time, the note's size) are the services', shown next to the field they name.
"""

import datetime
import re

from django import forms
from django.utils import timezone

from beacon.contacts.models import (
    LONGEST_MINUTES,
    NOTE_MAX_LENGTH,
    SHORTEST_MINUTES,
    AppointmentKind,
    AppointmentOutcome,
)
from beacon.contacts.services import MOST_WEEKS
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import DateRangeForm, FilterForm, Form
from beacon.treatment.forms.caseload import ListSearchForm

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
BOOKABLE_KINDS = [
    (value, label) for value, label in AppointmentKind.choices if value != AppointmentKind.GROUP
]


def _staff_field(label: str = "With") -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=None, label=label, empty_label="Choose…")
    field.label_from_instance = lambda user: f"{user.display_name} ({user.get_role_display()})"
    return field


class WhenForm(Form):
    """A day and a time of day, read as UK time, and how long."""

    day = DayMonthYearField(label="Date", help_text="For example, 15 3 2026")
    time = forms.CharField(
        label="Time",
        help_text="In 24-hour time, for example 10:30",
        max_length=5,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=SHORTEST_MINUTES,
        max_value=LONGEST_MINUTES,
        initial=60,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
    )

    def clean_time(self) -> str:
        text = self.cleaned_data["time"].strip()
        if not TIME.match(text):
            raise forms.ValidationError("Enter the time as hours and minutes, like 10:30")
        return text

    def starts_at(self) -> datetime.datetime:
        hours, minutes = TIME.match(self.cleaned_data["time"]).groups()
        return timezone.make_aware(
            datetime.datetime.combine(
                self.cleaned_data["day"], datetime.time(int(hours), int(minutes))
            )
        )

    def service_data(self) -> dict:
        data = {
            key: value for key, value in self.cleaned_data.items() if key not in {"day", "time"}
        }
        data["starts_at"] = self.starts_at()
        return data


class _PlaceFields(Form):
    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="Not at a site"
    )
    place = forms.CharField(
        label="Or place",
        required=False,
        max_length=200,
        help_text="Where, when not at a site: for example, the client's home or a café",
    )


class AppointmentForm(WhenForm, _PlaceFields):
    staff = _staff_field()
    kind = forms.ChoiceField(label="Type", choices=BOOKABLE_KINDS, widget=forms.RadioSelect)
    weeks = forms.IntegerField(
        label="Every week for how many weeks",
        min_value=1,
        max_value=MOST_WEEKS,
        initial=1,
        help_text=f"1 for a single appointment; up to {MOST_WEEKS} weeks at the same time",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
    )
    field_order = ["staff", "kind", "day", "time", "minutes", "weeks", "site", "place"]

    def __init__(self, *args, staff, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["site"].queryset = sites


class ContactForm(WhenForm, _PlaceFields):
    staff = _staff_field("Seen by")
    kind = forms.ChoiceField(label="Type", choices=BOOKABLE_KINDS, widget=forms.RadioSelect)
    field_order = ["staff", "kind", "day", "time", "minutes", "site", "place"]

    def __init__(self, *args, staff, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["site"].queryset = sites


class OutcomeForm(Form):
    outcome = forms.ChoiceField(
        label="What happened", choices=AppointmentOutcome.choices, widget=forms.RadioSelect
    )

    def clean(self):
        cleaned = super().clean()
        if "naloxone_outcome" in self.fields:
            # Asked only of a contact that happened: not required of a DNA or cancellation.
            attended = cleaned.get("outcome") == AppointmentOutcome.ATTENDED
            if attended and not cleaned.get("naloxone_outcome"):
                self.add_error(
                    "naloxone_outcome",
                    "Choose the naloxone outcome, or 'Not asked this time'",
                )
        return cleaned


class CaseNoteForm(Form):
    # No max_length here: the service says how long the note is and what to do.
    text = forms.CharField(
        label="What was discussed",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Saved once: a mistake is corrected by a new note",
    )
    # The service's limit, counted down as they type (a longer note is refused, kept).
    text.text_limit = NOTE_MAX_LENGTH  # type: ignore[attr-defined]
    goals = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Plan goals this touched",
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Plan actions this touched",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, goals, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = goals
        self.fields["actions"].queryset = actions
        if not goals.exists():
            del self.fields["goals"]
        if not actions.exists():
            del self.fields["actions"]


class CorrectionForm(Form):
    text = forms.CharField(
        label="The corrected note",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The earlier note stays, marked as corrected by this one",
    )
    text.text_limit = NOTE_MAX_LENGTH  # type: ignore[attr-defined]


# A user who may record for this many clients or fewer (a keyworker's team) ticks who came
# in a list; more (a prescriber, nurse or manager: the whole provider, up to 100,000) types
# their client numbers, so no page lists every client.
ATTENDEE_CHECKBOXES_UP_TO = 50
MOST_ATTENDEES = 200
CLIENT_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")


class AttendeeNumbersField(forms.CharField):
    """Who came, as their client numbers (one a line or separated by commas), each one a
    client in `clients` (those the user may record for); cleaned to those clients in the
    order typed. A number that is not one of them is named in the message, and what was
    typed stays in the box."""

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})

    def __init__(self, *, clients, **kwargs):
        kwargs.setdefault("label", "Who came")
        kwargs.setdefault(
            "help_text",
            "Their client numbers, one a line or separated by commas, for example BCN000123",
        )
        super().__init__(max_length=MOST_ATTENDEES * 22, **kwargs)
        self.clients = clients

    def clean(self, value) -> list:
        text = super().clean(value)
        numbers = list(dict.fromkeys(n.upper() for n in CLIENT_NUMBER_SEPARATORS.split(text) if n))
        if not numbers:
            raise forms.ValidationError("Enter the client numbers of who came")
        if len(numbers) > MOST_ATTENDEES:
            raise forms.ValidationError(
                f"Enter at most {MOST_ATTENDEES} client numbers: record a larger group in parts"
            )
        typed = {n for n in CLIENT_NUMBER_SEPARATORS.split(text) if n}
        found = {
            client.client_number.upper(): client
            for client in self.clients.filter(client_number__in=typed | set(numbers))
        }
        unknown = [n for n in numbers if n not in found]
        if len(unknown) == 1:
            raise forms.ValidationError(
                f"No client you may record for has the number {unknown[0]}: check it"
            )
        if unknown:
            raise forms.ValidationError(
                f"No client you may record for has these numbers: {', '.join(unknown)}. Check each"
            )
        return [found[n] for n in numbers]


class GroupSessionForm(WhenForm, _PlaceFields):
    name = forms.CharField(label="Group", max_length=200, help_text="For example: SMART Recovery")
    facilitator = _staff_field("Facilitator")
    attendees = forms.ModelMultipleChoiceField(
        queryset=None, label="Who came", widget=forms.CheckboxSelectMultiple
    )
    field_order = ["name", "facilitator", "day", "time", "minutes", "site", "place", "attendees"]

    def __init__(self, *args, staff, sites, clients, **kwargs):
        """`clients`: those the user may record for. Up to ATTENDEE_CHECKBOXES_UP_TO they are
        listed to tick (`lists_clients`); more, and who came is typed as client numbers."""
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = staff
        self.fields["site"].queryset = sites
        few = len(clients[: ATTENDEE_CHECKBOXES_UP_TO + 1]) <= ATTENDEE_CHECKBOXES_UP_TO
        self.lists_clients = few
        if few:
            self.fields["attendees"].queryset = clients
            self.fields["attendees"].label_from_instance = lambda client: (
                f"{client.full_name} ({client.client_number})"
            )
        else:
            self.fields["attendees"] = AttendeeNumbersField(clients=clients)


class FollowUpDoneForm(Form):
    done_note = forms.CharField(
        label="What happened", max_length=500, help_text="For example: spoke to them, rebooked"
    )


class DiaryForm(Form):
    day = DayMonthYearField(label="Day", required=False)
    view = forms.ChoiceField(
        label="Show", choices=[("day", "Day"), ("week", "Week")], required=False
    )
    staff = forms.ModelChoiceField(
        queryset=None, required=False, label="Whose diary", empty_label="Mine"
    )
    team = forms.ModelChoiceField(
        queryset=None, required=False, label="Or a team's", empty_label="No team"
    )

    def __init__(self, *args, staff=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is None:
            del self.fields["staff"], self.fields["team"]
            return
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda user: user.display_name
        self.fields["team"].queryset = teams


class FollowUpFilterForm(Form):
    """The follow-ups' filters: a client's name or number, only the late; for a manager
    reading everyone's (given `staff` and `teams`), whose and which team's clients too."""

    q = ListSearchForm.base_fields["q"]
    staff = forms.ModelChoiceField(
        queryset=None, required=False, label="Whose", empty_label="Everyone's"
    )
    team = forms.ModelChoiceField(
        queryset=None, required=False, label="Clients of the team", empty_label="All teams"
    )
    overdue = forms.BooleanField(required=False, label="Only those past their due time")

    def __init__(self, *args, staff=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is None:
            del self.fields["staff"], self.fields["team"]
            return
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda user: user.display_name
        self.fields["team"].queryset = teams

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "query": data.get("q") or "",
            "staff": data.get("staff"),
            "team": data.get("team"),
            "overdue": bool(data.get("overdue")),
        }


class GroupFilterForm(DateRangeForm, FilterForm):
    """The filters of the group sessions: by name, facilitator and date."""

    name = forms.CharField(
        label="Group", required=False, max_length=100, help_text="All or part of its name"
    )
    facilitator = forms.ModelChoiceField(
        queryset=None, required=False, label="Facilitator", empty_label="Anyone"
    )
    date_from = DayMonthYearField(label="From", required=False)
    date_to = DayMonthYearField(label="To", required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = staff
        self.fields["facilitator"].label_from_instance = lambda user: user.display_name
