"""Forms of harm reduction: record an NSP transaction, filter the transactions, choose the
figures' period, and record blood-borne virus tests, results and hepatitis B vaccination.

The forms read each field; the rules (no future date, no negative count, a real date of
birth, something given or returned, a result not before its sample, dose intervals) are
the services', shown next to the field they name.
"""

from django import forms

from beacon.clients.codes import Sex
from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form, PeriodForm
from beacon.core.models import User
from beacon.harmreduction.codes import (
    HepatitisBOffer,
    HepatitisBSchedule,
    TestKind,
    TestOffer,
    TestResult,
    Virus,
)
from beacon.harmreduction.models import NspItem

NUMBER = {"class": "nhsuk-input--width-3", "inputmode": "numeric"}
WHOLE_NUMBER = {"invalid": "Enter a whole number, like 10"}


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        error_messages=WHOLE_NUMBER,
        widget=forms.TextInput(attrs=NUMBER),
    )


def item_field_name(item: str) -> str:
    return f"item_{item}"


class NspTransactionForm(Form):
    site = forms.ModelChoiceField(queryset=None, label="Site", empty_label="Choose…")
    date = DayMonthYearField(label="Date of visit", help_text="For example, 15 3 2026")
    client_number = forms.CharField(
        label="Client number (if the person is a client)",
        required=False,
        max_length=20,
        help_text="The attributor is then taken from their record: leave it empty",
    )
    initials = forms.CharField(
        label="Initials",
        required=False,
        max_length=2,
        help_text="First letters of the first and last name, for example JS",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-3", "autocomplete": "off"}),
    )
    date_of_birth = DayMonthYearField(label="Date of birth", required=False)
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=[("", ""), *Sex.choices], widget=forms.RadioSelect
    )

    def __init__(self, *args, user: User, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["site"].queryset = sites
        for item, label in NspItem.choices:
            self.fields[item_field_name(item)] = _count(label)
        self.fields["bins_out"] = _count("Sharps bins given out")
        self.fields["bins_returned"] = _count("Sharps bins returned")

    def clean_client_number(self) -> Client | None:
        number = self.cleaned_data["client_number"].strip()
        if not number:
            return None
        client = clients_visible_to(self.user).filter(client_number__iexact=number).first()
        if client is None:
            raise forms.ValidationError("No client with this number that you may open")
        return client

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "site": data["site"],
            "date": data["date"],
            "client": data.get("client_number"),
            "initials": data.get("initials") or "",
            "date_of_birth": data.get("date_of_birth"),
            "sex": data.get("sex") or "",
            "items": {item: data.get(item_field_name(item)) or 0 for item in NspItem.values},
            "bins_out": data.get("bins_out") or 0,
            "bins_returned": data.get("bins_returned") or 0,
        }


class NspAttributorOnlyForm(NspTransactionForm):
    """A volunteer's form: by attributor only, never a client (rules.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["client_number"]


class NspFilterForm(PeriodForm):
    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="All sites"
    )
    initials = forms.CharField(label="Initials", required=False, max_length=2)
    date_of_birth = DayMonthYearField(label="Date of birth", required=False)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class NspFiguresForm(PeriodForm):
    site = forms.ModelChoiceField(
        queryset=None, required=False, label="Site", empty_label="All sites"
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def chosen_site(self):
        return self.cleaned_data.get("site") if self.is_valid() else None


def _optional_radios(label: str, choices, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", ""), *choices],
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class _TestResultFields(Form):
    kind = _optional_radios("Test", TestKind.choices)
    tested_on = DayMonthYearField(label="Sample taken on", required=False)
    result = _optional_radios("Result", TestResult.choices, "Leave empty while it is awaited")
    result_on = DayMonthYearField(label="Result received on", required=False)


class BbvTestForm(_TestResultFields):
    virus = forms.ChoiceField(label="Virus", choices=Virus.choices, widget=forms.RadioSelect)
    offered_on = DayMonthYearField(label="Test offered on")
    offer = forms.ChoiceField(
        label="What the client said", choices=TestOffer.choices, widget=forms.RadioSelect
    )
    field_order = ["virus", "offered_on", "offer", "kind", "tested_on", "result", "result_on"]


class BbvResultForm(_TestResultFields):
    pass


class HepatitisBCourseForm(Form):
    offered_on = DayMonthYearField(label="Vaccination offered on")
    offer = forms.ChoiceField(
        label="What the client said", choices=HepatitisBOffer.choices, widget=forms.RadioSelect
    )
    schedule = _optional_radios(
        "Schedule", HepatitisBSchedule.choices, "When the course was accepted"
    )


class HepatitisBDoseForm(Form):
    given_on = DayMonthYearField(label="Dose given on")
