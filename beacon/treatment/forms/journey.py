"""Forms along the journey: referral, triage, assessment, episode start, modality, discharge.

The forms read and check each field; the order of dates and the state of the journey
are the services' rules (beacon/treatment/services/journey.py), shown next to the
field they name.
"""

from django import forms

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import ModelForm, nothing_chosen
from beacon.core.roles import Role
from beacon.treatment.models import Assessment, Modality, Referral, TreatmentEpisode, Triage

CHOOSE = "Choose…"


def _first_choice(field: forms.Field, text: str) -> None:
    """Relabel the empty choice of a select (Django's "---------"), adding one if missing."""
    choices = [(value, label) for value, label in field.choices if value != ""]
    field.choices = [("", text), *choices]


class JourneyForm(ModelForm):
    """A ModelForm that leaves rules across fields to the service.

    Django would check the model's constraints here and name them ("Constraint
    modality_end_on_or_after_start is violated"); the service checks the same rules
    first, with a message a person understands, next to the field it concerns.
    """

    def _post_clean(self):
        self.instance.validate_constraints = lambda exclude=None: None
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints


class ReferralForm(JourneyForm):
    referral_date = DayMonthYearField(
        label="Referral date", help_text="When the referral was received, for example 15 3 2025"
    )

    class Meta:
        model = Referral
        fields = ["referral_date", "source", "referrer_details", "reason"]
        labels = {"source": "Source of referral", "reason": "Reason for referral"}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"referrer_details": "Optional. Name, role and organisation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _first_choice(self.fields["source"], CHOOSE)


class TriageForm(JourneyForm):
    triage_date = DayMonthYearField(label="Triage date", help_text="For example, 15 3 2025")

    class Meta:
        model = Triage
        fields = ["triage_date", "outcome", "notes"]
        labels = {"outcome": "Outcome of triage"}
        widgets = {"outcome": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's default (accepted) is for records written without a triage form.
        nothing_chosen(self, "outcome")


SUBSTANCE_ROWS = ("primary", "secondary", "tertiary")


class AssessmentForm(JourneyForm):
    assessment_date = DayMonthYearField(label="Assessment date", help_text="For example, 15 3 2025")

    class Meta:
        model = Assessment
        fields = [
            "assessment_date",
            *(
                f"{row}_{part}"
                for row in SUBSTANCE_ROWS
                for part in ("substance", "age_first_use", "route")
            ),
            "injecting_status",
            "alcohol_units_typical_day",
            "drinking_days",
            "housing_need",
            "employment_status",
            "parental_status",
            "notes",
        ]
        labels = {
            "primary_substance": "Main problem substance",
            "secondary_substance": "Second problem substance",
            "tertiary_substance": "Third problem substance",
            "alcohol_units_typical_day": "Alcohol units on a typical drinking day",
            "drinking_days": "Drinking days in the past 28",
            "parental_status": "Parental status",
            # Each named, so the error summary says which substance a problem is with.
            **{
                f"{row}_{part}": f"{label} ({name} substance)"
                for row, name in zip(SUBSTANCE_ROWS, ("main", "second", "third"), strict=True)
                for part, label in (("age_first_use", "Age at first use"), ("route", "Route"))
            },
        }
        help_texts = {
            "alcohol_units_typical_day": "Optional. Whole units, for example 12",
            "drinking_days": "Optional. 0 to 28",
        }
        widgets = {
            **{
                f"{row}_age_first_use": forms.NumberInput(attrs={"inputmode": "numeric"})
                for row in SUBSTANCE_ROWS
            },
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _first_choice(self.fields["primary_substance"], CHOOSE)
        _first_choice(self.fields["secondary_substance"], "None")
        _first_choice(self.fields["tertiary_substance"], "None")
        for row in SUBSTANCE_ROWS:
            _first_choice(self.fields[f"{row}_route"], "Not recorded")
            self.fields[f"{row}_age_first_use"].help_text = "Optional. In years, 5 to 100"
        for name in ("injecting_status", "housing_need", "employment_status", "parental_status"):
            _first_choice(self.fields[name], CHOOSE)

    def substance_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The substance questions in threes (substance, age at first use, route)."""
        headings = {"primary": "Main substance", "secondary": "Second", "tertiary": "Third"}
        return [
            (
                headings[row],
                [self[f"{row}_{part}"] for part in ("substance", "age_first_use", "route")],
            )
            for row in SUBSTANCE_ROWS
        ]


class EpisodeStartForm(JourneyForm):
    start_date = DayMonthYearField(
        label="Treatment start date", help_text="The first day of treatment, for example 15 3 2025"
    )
    keyworker = forms.ModelChoiceField(
        queryset=None, label="Keyworker", empty_label=CHOOSE, help_text="Who coordinates care"
    )

    class Meta:
        model = TreatmentEpisode
        fields = ["start_date", "keyworker"]

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].queryset = provider.users.filter(
            role=Role.KEYWORKER, is_active=True
        ).order_by("first_name", "last_name")
        self.fields["keyworker"].label_from_instance = lambda user: user.display_name


class ModalityForm(JourneyForm):
    referred_date = DayMonthYearField(
        label="Date referred to this intervention", help_text="For example, 15 3 2025"
    )
    first_appointment_offered = DayMonthYearField(
        label="First appointment offered", required=False, help_text="Optional"
    )
    start_date = DayMonthYearField(
        label="Start date", required=False, help_text="Leave empty until it has started"
    )
    end_date = DayMonthYearField(
        label="End date", required=False, help_text="Only when the intervention has ended"
    )

    class Meta:
        model = Modality
        fields = [
            "modality_type",
            "setting",
            "ost_medicine",
            "referred_date",
            "first_appointment_offered",
            "start_date",
            "end_date",
            "exit_reason",
        ]
        labels = {
            "modality_type": "Type of intervention",
            "setting": "Where it is delivered",
            "ost_medicine": "Opioid substitution medicine",
            "exit_reason": "How it ended",
        }
        help_texts = {
            "setting": "An inpatient detox is a pharmacological intervention in an inpatient "
            "unit; residential rehab is a psychosocial intervention in a residential setting",
            "exit_reason": "Only when the intervention has ended",
        }
        widgets = {"modality_type": forms.RadioSelect, "setting": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nothing_chosen(self, "setting")
        _first_choice(self.fields["exit_reason"], "Not ended")


class DischargeForm(JourneyForm):
    discharge_date = DayMonthYearField(label="Discharge date", help_text="For example, 15 3 2025")
    confirm_modalities_end = forms.BooleanField(
        label="I understand the interventions still running will end on the discharge date",
        required=True,
        error_messages={"required": "Confirm that the running interventions will end"},
    )

    class Meta:
        model = TreatmentEpisode
        fields = ["discharge_date", "discharge_reason", "discharge_notes"]
        labels = {"discharge_reason": "Reason for discharge", "discharge_notes": "Notes"}
        widgets = {"discharge_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, running_modalities: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discharge_reason"].required = True
        _first_choice(self.fields["discharge_reason"], CHOOSE)
        if not running_modalities:
            del self.fields["confirm_modalities_end"]
