"""Forms of service-user voice: a survey and its questions, the answers to a survey (one
form built from its questions, for interview, kiosk and link alike), a kiosk, a link, an
event and an action."""

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form, nothing_chosen
from beacon.voice.models import ActionStatus, EventKind, QuestionKind, Survey
from beacon.voice.services import YES_NO


class SurveyForm(Form):
    title = forms.CharField(label="Title", max_length=120)
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What people read before the questions",
    )


class QuestionForm(Form):
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(label="Type of answer", choices=QuestionKind.choices)
    choices = forms.CharField(
        label="Choices (single and multiple choice only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line",
    )
    section = forms.CharField(
        label="Section (optional)", required=False, max_length=120, help_text="A heading above it"
    )
    required = forms.BooleanField(label="An answer is required", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nothing_chosen(self, "kind")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        return data


def field_name(question_id: int) -> str:
    return f"q{question_id}"


class AnswersForm(Form):
    """The questions of one survey version, each a field named q<question id>."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        for question in survey.questions.all():
            label = f"{question.section}: {question.text}" if question.section else question.text
            common = {"label": label, "required": question.required}
            if question.kind == QuestionKind.SCALE:
                field = forms.ChoiceField(
                    choices=[(str(n), str(n)) for n in range(11)],
                    widget=forms.RadioSelect(attrs={"class": "beacon-scale"}),
                    help_text="0 is the lowest, 10 the highest",
                    **common,
                )
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
                options = question.choices or YES_NO
                field = forms.ChoiceField(
                    choices=[(o, o) for o in options], widget=forms.RadioSelect, **common
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in question.choices],
                    widget=forms.CheckboxSelectMultiple,
                    help_text="Choose all that apply",
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **common
                )
            self.fields[field_name(question.pk)] = field

    def answers(self) -> dict[str, object]:
        """The answers keyed by question id, as the service and the API take them."""
        return {
            name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("q")
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = field_name(int(key)) if key.isdigit() else None
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class InterviewForm(AnswersForm):
    def __init__(self, *args, may_identify: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"] = DayMonthYearField(label="Date of the interview")
        if may_identify:
            self.fields["client_number"] = forms.CharField(
                label="Client number (optional)",
                required=False,
                max_length=20,
                help_text="Leave empty for an anonymous response: nothing links it to the person",
            )
        self.order_fields(["date", "client_number"])


class KioskForm(Form):
    site = forms.ModelChoiceField(label="Site of the tablet", queryset=None)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class LinkForm(Form):
    client_number = forms.CharField(label="Client number", max_length=20)
    expires_on = DayMonthYearField(label="The link works until", help_text="At most 28 days")
    identified = forms.BooleanField(
        label="Link the answers to the client's record",
        required=False,
        help_text="Leave unticked for anonymous answers",
    )


class EventForm(Form):
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices)
    title = forms.CharField(label="Title", max_length=120)
    date = DayMonthYearField(label="Date")
    place = forms.CharField(label="Place", max_length=120)
    facilitated_by = forms.CharField(label="Facilitated by", max_length=120)
    clients = forms.IntegerField(label="Clients taking part", min_value=0, max_value=500)
    family = forms.IntegerField(label="Family members taking part", min_value=0, max_value=500)
    providers = forms.IntegerField(label="Provider staff taking part", min_value=0, max_value=500)
    commissioners = forms.IntegerField(
        label="Commissioners taking part", min_value=0, max_value=500
    )
    consent = forms.BooleanField(label="Everyone consented to notes being kept", required=False)
    notes = forms.CharField(
        label="Notes (no names)", required=False, max_length=5000, widget=forms.Textarea
    )
    themes = forms.CharField(
        label="Themes raised", required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nothing_chosen(self, "kind")


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class ActionForm(Form):
    you_said = forms.CharField(label="You said", max_length=300)
    we_did = forms.CharField(label="We will", max_length=300)
    owner = StaffField(label="Owner", queryset=None)
    due_on = DayMonthYearField(label="Due by")
    event = forms.ModelChoiceField(label="From the event (optional)", queryset=None, required=False)
    survey = forms.ModelChoiceField(
        label="From the survey (optional)", queryset=None, required=False
    )

    def __init__(self, *args, staff, events, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["event"].queryset = events
        self.fields["survey"].queryset = surveys

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or later")
        return due


class ActionStatusForm(Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)


class ThemesForm(Form):
    answer = forms.UUIDField(widget=forms.HiddenInput)
    themes = forms.CharField(
        label="Themes",
        required=False,
        max_length=250,
        help_text="Separated by commas, for example: waiting times, evening groups",
    )
