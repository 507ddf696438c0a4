"""Forms for client records; the model's validators give the messages next to each field."""

from django import forms

from beacon.clients.models import Client, Contact
from beacon.clients.services import CLIENT_FIELDS, CONSENT_FIELDS, CONTACT_FIELDS
from beacon.clients.validators import (
    normalise_nhs_number,
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
    validate_postcode_or_no_fixed_abode,
)
from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form, ModelForm, nothing_chosen
from beacon.core.models import User


def keyworker_label(user: User) -> str:
    """A keyworker in a list's filter: their name, and "(left)" when no longer active."""
    return user.display_name if user.is_active else f"{user.display_name} (left)"


class ClientFilterForm(Form):
    """A list of clients' filters, kept in the query string: a client (the subclass's `q`),
    and given `teams` and `keyworkers` a team and a keyworker, which narrow the clients the
    user may open and widen nothing. Without them those fields go: whoever opens the list
    sees the clients they may open."""

    field_order = ["q", "team", "keyworker"]
    anyone = "Any keyworker"  # the keyworker choice that filters nothing

    team = forms.ModelChoiceField(
        queryset=None, required=False, label="Team", empty_label="All teams"
    )
    keyworker = forms.ModelChoiceField(queryset=None, required=False, label="Keyworker")

    def __init__(self, *args, teams=None, keyworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if keyworkers is None:
            del self.fields["team"], self.fields["keyworker"]
            return
        self.fields["team"].queryset = teams
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].empty_label = self.anyone
        self.fields["keyworker"].label_from_instance = keyworker_label

    def filters(self) -> dict:
        """The filters chosen, each empty when not (or when the form is not valid)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "query": data.get("q", ""),
            "team": data.get("team"),
            "keyworker": data.get("keyworker"),
        }


class ClientSearchForm(ClientFilterForm):
    q = forms.CharField(
        label="Name, NHS number, client number or date of birth",
        required=False,
        max_length=100,
        help_text="For example: Sam Rivers, 943 476 5919, BCN000123 or 14/02/1985",
    )


class ClientForm(ModelForm):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=13,
        help_text="Optional. 10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
    )
    postcode = forms.CharField(
        required=False,
        max_length=16,
        help_text="For example LS1 4AP",
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}
        ),
    )
    date_of_birth = DayMonthYearField(
        label="Date of birth",
        help_text="For example, 15 3 1984",
        error_messages={"required": "Enter the client's date of birth"},
    )
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked: this is a different person",
        required=False,
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "safeguarding_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "gp_practice_code": "Optional. The practice's ODS code, for example B86016",
            "preferred_name": "What they like to be called, if different",
        }

    team = forms.ModelChoiceField(
        queryset=None, label="Team", help_text="The team that will work with this client"
    )

    def __init__(self, *args, provider, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sex", "ethnicity"):
            self.fields[name].choices = [("", "Choose…"), *self.fields[name].choices[1:]]
        # "Prefers not to say" is an answer the client gives, not the form's.
        nothing_chosen(self, "gender_identity")
        if self.instance.pk:
            # A client's team and duplicate check belong to registration only.
            del self.fields["confirm_not_duplicate"]
            del self.fields["team"]
        else:
            teams = provider.teams.all()
            if user is not None and user.role != "manager" and user.team_id:
                # Keyworkers register clients into their own team; managers into any.
                teams = teams.filter(pk=user.team_id)
            self.fields["team"].queryset = teams

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        validate_nhs_number(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if "postcode" not in self.errors:
            try:
                validate_postcode_or_no_fixed_abode(
                    postcode=cleaned.get("postcode", ""),
                    no_fixed_abode=cleaned.get("no_fixed_abode", False),
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data["postcode"])
        validate_postcode(value)
        return value


class ConsentForm(ModelForm):
    class Meta:
        model = Client
        fields = CONSENT_FIELDS


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
