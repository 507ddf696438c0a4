"""Forms for recovery plans and exit plans, and the field helpers the TOP form shares.

They parse what was typed and give each field its message (required, length, range);
the rules between dates and records live in the services, whose errors the views show
next to the fields named here.
"""

from django import forms
from django.utils import timezone

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanStep,
    PlanAction,
    PlanGoal,
    PlanReview,
)
from beacon.treatment.services.plans import EXIT_PLAN_MAX_WEEKS

DATE_HINT = "For example, 15 3 2026"
YES_NO = [("yes", "Yes"), ("no", "No")]


def from_model(model, name: str, **kwargs) -> forms.Field:
    """The model field's form field, so lengths and labels come from one place."""
    return model._meta.get_field(name).formfield(**kwargs)


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def yes_no_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A yes/no question answered by a choice, never a default: nothing is ticked until
    somebody answers it."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def owner_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who does it",
        choices=[("", "Choose…"), *PlanAction.Owner.choices],
        **kwargs,
    )


def whole_number(
    label: str, low: int, high: int, unit: str, range_message: str = "", **kwargs
) -> forms.IntegerField:
    message = range_message or f"Enter a number of {unit} from {low} to {high}"
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"Enter the number of {unit}",
            "invalid": f"Enter a whole number of {unit}, from {low} to {high}",
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        **kwargs,
    )


class RecoveryPlanForm(Form):
    """A new plan: when agreed and reviewed, its first goal and, if agreed now, its first action."""

    agreed_on = DayMonthYearField(label="Date agreed", help_text=DATE_HINT)
    written_with_client = yes_no_field("Was the plan written with the client?")
    next_review_date = DayMonthYearField(label="Next review date", help_text=DATE_HINT)
    goal_text = from_model(
        PlanGoal,
        "text",
        label="Goal",
        help_text="What the client wants to achieve. You can add more goals after saving.",
        widget=textarea(),
    )
    goal_in_clients_words = yes_no_field(
        "Is the goal in the client's own words?", help_text="Written as the client said it"
    )
    action_text = from_model(
        PlanAction,
        "text",
        label="First action (optional)",
        help_text="A step towards the goal. You can add more actions after saving.",
        required=False,
    )
    action_owner = owner_field(required=False)
    action_due_date = DayMonthYearField(label="Action due by", help_text=DATE_HINT, required=False)

    ACTION_PARTS = {
        "action_text": "Write the action",
        "action_owner": "Say who does the action",
        "action_due_date": "Give the date the action is due",
    }

    def clean(self):
        cleaned = super().clean()
        given = [name for name in self.ACTION_PARTS if cleaned.get(name)]
        if given:
            for name, message in self.ACTION_PARTS.items():
                if name not in given and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def plan_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("agreed_on", "next_review_date", "written_with_client")
        }

    def goals(self) -> list[dict]:
        return [
            {
                "text": self.cleaned_data["goal_text"],
                "in_clients_words": self.cleaned_data["goal_in_clients_words"],
            }
        ]

    def actions(self) -> list[dict]:
        if not self.cleaned_data.get("action_text"):
            return []
        return [
            {
                "text": self.cleaned_data["action_text"],
                "owner": self.cleaned_data["action_owner"],
                "due_date": self.cleaned_data["action_due_date"],
            }
        ]


class GoalForm(Form):
    text = from_model(PlanGoal, "text", widget=textarea())
    in_clients_words = yes_no_field(
        "Is the goal in the client's own words?", help_text="Written as the client said it"
    )


class ActionForm(Form):
    text = from_model(PlanAction, "text", label="Action")
    owner = owner_field()
    due_date = DayMonthYearField(label="Due by", help_text=DATE_HINT)
    goal = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Towards which goal",
        empty_label="Not linked to a goal",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.filter(achieved_on__isnull=True)
        self.fields["goal"].label_from_instance = lambda goal: goal.text[:80]


class DoneForm(Form):
    """The date something was done: a goal achieved, an action or a reduction carried out."""

    done_on = DayMonthYearField(label="Date", help_text=DATE_HINT)

    def __init__(self, *args, label: str, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["done_on"].label = label


class ReviewForm(Form):
    reviewed_on = DayMonthYearField(label="Date of review", help_text=DATE_HINT)
    notes = from_model(PlanReview, "notes", label="What was discussed", widget=textarea(5))
    next_review_date = DayMonthYearField(label="Next review date", help_text=DATE_HINT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ExitPlanForm(Form):
    agreed_on = DayMonthYearField(label="Date agreed", help_text=DATE_HINT)
    intended_duration_weeks = whole_number(
        "Intended time on substitute medication (weeks)", 1, EXIT_PLAN_MAX_WEEKS, "weeks"
    )
    client_view = from_model(
        ExitPlan,
        "client_view",
        help_text="In their own words: how and when they would like to come off",
        widget=textarea(4),
    )
    next_review_date = DayMonthYearField(label="Next review date", help_text=DATE_HINT)
    step_planned_from = DayMonthYearField(
        label="First reduction from (optional)", help_text=DATE_HINT, required=False
    )
    step_description = from_model(
        ExitPlanStep, "description", label="First reduction (optional)", required=False
    )

    def clean(self):
        cleaned = super().clean()
        planned_from, description = (
            cleaned.get("step_planned_from"),
            cleaned.get("step_description"),
        )
        if description and not planned_from and "step_planned_from" not in self.errors:
            self.add_error("step_planned_from", "Give the date the reduction starts")
        if planned_from and not description:
            self.add_error("step_description", "Describe the reduction")
        return cleaned

    def plan_data(self) -> dict:
        names = ("agreed_on", "intended_duration_weeks", "client_view", "next_review_date")
        return {name: self.cleaned_data[name] for name in names}

    def steps(self) -> list[dict]:
        if not self.cleaned_data.get("step_description"):
            return []
        return [
            {
                "planned_from": self.cleaned_data["step_planned_from"],
                "description": self.cleaned_data["step_description"],
            }
        ]


class ExitPlanStepForm(Form):
    planned_from = DayMonthYearField(label="Planned from", help_text=DATE_HINT)
    description = from_model(ExitPlanStep, "description", label="Reduction")
