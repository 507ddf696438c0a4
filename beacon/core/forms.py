"""Forms of the core app: sign-in, two-factor code, audit log search, API tokens,
integration accounts; and the bases every app's forms are made from (NHS-style messages,
nothing recorded that nobody chose)."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from beacon.core.audit import audit_origin
from beacon.core.dates import DayMonthYearField
from beacon.core.form_messages import NhsMessagesMixin
from beacon.core.models import Alert, AuditEntry, TextMessage, TextPurpose, User
from beacon.core.selectors import TokenStatus, api_token_accounts
from beacon.core.services import INTEGRATION_ROLES


class Form(NhsMessagesMixin, forms.Form):
    """A form whose every field answers in NHS-style messages (beacon/core/form_messages.py)."""


class ModelForm(NhsMessagesMixin, forms.ModelForm):
    """A model form whose every field answers in NHS-style messages."""


def nothing_chosen(form: forms.BaseForm, *names: str) -> None:
    """Start `names` unanswered on a form for a new record, whatever the model's default or
    the field's initial: a clinical answer is recorded only when somebody chose it. A saved
    record's answers show as they were saved."""
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk is not None:
        return
    for name in names:
        field = form.fields[name]
        field.initial = None
        form.initial.pop(name, None)
        if (
            isinstance(field, forms.ChoiceField)
            and not isinstance(field, forms.ModelChoiceField)
            and not isinstance(field.widget, forms.RadioSelect)
        ):
            # A select starts on an empty "Choose…" line (a model default left none).
            choices = [(value, label) for value, label in field.choices if value != ""]
            field.choices = [("", "Choose…"), *choices]


class FilterForm(Form):
    """A list's filters: `filters()` gives those sent, or none when nothing valid was sent
    (see `filters_refused` for what a download does then)."""

    def filters(self) -> dict:
        return dict(self.cleaned_data) if self.is_bound and self.is_valid() else {}


class DateRangeForm(Form):
    """A form whose `date_from` and `date_to` fields (declared by the subclass, where its
    page shows them) are checked by `date_range_checked`."""

    def clean(self):
        return date_range_checked(self, super().clean())


class PeriodForm(Form):
    """A figures page's period: From and To, by default this month so far."""

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


class SignInForm(NhsMessagesMixin, AuthenticationForm):
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


class TwoFactorForm(Form):
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


class AuditSearchForm(DateRangeForm):
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


def date_range_checked(form: forms.BaseForm, cleaned: dict) -> dict:
    """A list's From and To dates: To on or after From, and not in the future."""
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if start and end and end < start:
        form.add_error("date_to", "The end date must be on or after the start date")
    if end and end > timezone.localdate() + datetime.timedelta(days=1):
        form.add_error("date_to", "The end date cannot be in the future")
    return cleaned


class ApiTokenFilterForm(FilterForm):
    account = forms.CharField(
        label="Account", required=False, max_length=150, help_text="Part of its name"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TokenStatus.choices]
    )


class AlertFilterForm(FilterForm):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All alerts"), ("new", "New alerts"), ("read", "Alerts already read")],
    )
    kind = forms.ChoiceField(
        label="About", required=False, choices=[("", "Anything"), *Alert.Kind.choices]
    )


class TextSearchForm(DateRangeForm, FilterForm):
    """The filters of the texts sent: a client, what for, how it went, and when queued."""

    client_number = forms.CharField(
        label="Client number",
        required=False,
        max_length=20,
        help_text="All or part of it, for example 206",
    )
    purpose = forms.ChoiceField(
        label="Text", required=False, choices=[("", "Any text"), *TextPurpose.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("failed", "Failed or not sent"), *TextMessage.Status.choices],
    )
    date_from = DayMonthYearField(label="From", required=False)
    date_to = DayMonthYearField(label="To", required=False)


# The field core/offline.js adds to a form that waited on the phone for a signal: when it
# was filled in (ISO 8601, the phone's clock).
OFFLINE_RECORDED_AT = "offline_recorded_at"


def offline_recorded_at(data) -> datetime.datetime | None:
    """The time a form waited on the phone since (`offline_recorded_at` in `data`, a POST),
    or None when it was sent at once or the time cannot be read. Whether to believe the
    phone's clock is the service's rule."""
    try:
        return forms.DateTimeField(required=False).clean(data.get(OFFLINE_RECORDED_AT))
    except ValidationError:
        return None


def filters_refused(form: forms.BaseForm) -> bool:
    """A list's filter form was sent but is not valid: its download must give nothing (not
    every row, as the list's empty filters would), and the list page shows the errors."""
    return form.is_bound and not form.is_valid()


def filters_text(filters: dict) -> str:
    """The filters a list was narrowed by, for its export's audit detail: ", filtered
    {'query': 'smith'}", or nothing when none was chosen."""
    chosen = {key: str(value) for key, value in filters.items() if value}
    return f", filtered {chosen}" if chosen else ""


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


def form_page(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    title: str,
    button: str,
    template: str = "core/form.html",
    **extra,
) -> HttpResponse:
    """The page of a form (beacon/core/jinja2/core/form.html, or an app's page that extends
    it): `extra` may name the `client` (the caption), an `intro` and the `back` URL."""
    return render(request, template, {"form": form, "title": title, "button": button, **extra})


class TokenAccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.is_integration:
            return f"{obj.display_name}: integration account ({obj.get_role_display()})"
        return f"{obj.display_name} ({obj.username}, {obj.get_role_display()})"


class ApiTokenForm(Form):
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


class IntegrationAccountForm(Form):
    name = forms.CharField(
        label="What system it is",
        max_length=150,
        help_text="For example: Riverside Pharmacy dispensing link",
    )
    username = forms.CharField(
        label="Account name",
        max_length=150,
        validators=[User.username_validator],
        error_messages={"invalid": "Account name must be letters, digits and @ . + - _ only"},
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


class TextWordingForm(Form):
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
