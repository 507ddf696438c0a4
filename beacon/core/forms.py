"""Forms of the core app: sign-in, two-factor code, audit log search, API tokens,
integration accounts."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.core.audit import audit_origin
from beacon.core.dates import DayMonthYearField
from beacon.core.models import AuditEntry, User
from beacon.core.selectors import api_token_accounts
from beacon.core.services import INTEGRATION_ROLES


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your service manager.",
        "integration": "This is an integration account: it reaches Beacon only with an API "
        "token, never through these pages.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        # Even if someone gave it a password (in the set-up admin), another system never
        # signs in to the pages.
        if user.is_integration:
            raise ValidationError(self.error_messages["integration"], code="integration")


class TwoFactorForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "nhsuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits shown in your authenticator app")
        return code


class AuditSearchForm(forms.Form):
    username = forms.CharField(
        label="Who",
        required=False,
        max_length=150,
        help_text="Part of a name or account name",
    )
    client_number = forms.CharField(
        label="Client number",
        required=False,
        max_length=20,
        help_text="All or part of it, for example 206",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditEntry.Action.choices]
    )
    date_from = DayMonthYearField(label="From", required=False)
    date_to = DayMonthYearField(label="To", required=False)

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date")
        if end and end > timezone.localdate() + datetime.timedelta(days=1):
            self.add_error("date_to", "The end date cannot be in the future")
        return cleaned


def service_errors_onto(form: forms.BaseForm, exc) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_saved(request, form: forms.BaseForm, save) -> bool:
    """On a valid POST, call `save(cleaned_data)` (a service); its errors go next to the
    fields they name and nothing is saved. True when it saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        service_errors_onto(form, exc)
        return False
    return True


def form_saved_by(request, form: forms.BaseForm, service, **records) -> bool:
    """`form_saved` for the usual service call: `service(actor=..., data=..., origin=...,
    **records)` with the signed-in user, the form's cleaned data and the request's origin
    (`records` names what the service acts on, such as `prescription=prescription`)."""

    def save(data: dict):
        return service(actor=request.user, data=data, origin=audit_origin(request), **records)

    return form_saved(request, form, save)


class TokenAccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.is_integration:
            return f"{obj.display_name}: integration account ({obj.get_role_display()})"
        return f"{obj.display_name} ({obj.username}, {obj.get_role_display()})"


class ApiTokenForm(forms.Form):
    user = TokenAccountField(
        queryset=None,
        label="Who the token acts as",
        help_text="Yourself or an integration account: the token works at once. Another "
        "person: it works only once they accept it, signed in, and only they see it.",
    )
    name = forms.CharField(
        label="What it is for", max_length=100, help_text="For example: pharmacy system link"
    )
    expires_on = DayMonthYearField(
        label="Expires on (optional)",
        required=False,
        help_text="The last day the token works, within a year. Leave empty for a token that "
        "works until it is revoked. For example, 31 3 2027",
    )

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = api_token_accounts(provider=provider)

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if day and day < today:
            raise ValidationError("The expiry date must be today or in the future")
        if day and day > today + datetime.timedelta(days=366):
            raise ValidationError("The expiry date must be within a year")
        return day


class IntegrationAccountForm(forms.Form):
    name = forms.CharField(
        label="What system it is",
        max_length=150,
        help_text="For example: Riverside Pharmacy dispensing link",
    )
    username = forms.CharField(
        label="Account name",
        max_length=150,
        validators=[User.username_validator],
        help_text="Letters, digits and @ . + - _ only, for example pharmacy-link",
    )
    role = forms.ChoiceField(
        label="Role it acts in",
        choices=[("", "Choose a role"), *[(role.value, role.label) for role in INTEGRATION_ROLES]],
        help_text="It may do through the API what this role may, nothing more.",
    )

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("An account with this name exists already: choose another")
        return username


class TextWordingForm(forms.Form):
    body = forms.CharField(
        label="Wording",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the text says, with the placeholders listed above. It must not say "
        "what the service is: no word such as drug, alcohol, treatment, recovery, clinic, "
        "pharmacy or a medicine's name.",
    )
    service_phone = forms.CharField(
        label="Phone number clients reply or call",
        max_length=20,
        required=False,
        help_text="Goes where the wording says {service_phone}, for example 0113 496 0000",
    )
