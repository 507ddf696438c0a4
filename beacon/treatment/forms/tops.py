"""The form of a Treatment Outcomes Profile (see forms/plans.py for how forms and services
share the work)."""

from django import forms
from django.utils.text import capfirst

from beacon.core.dates import DayMonthYearField
from beacon.core.forms import Form
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.forms.plans import DATE_HINT, from_model, whole_number
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.models.tops import (
    ALCOHOL_UNITS_MAX,
    AMOUNT_FOR_DAYS,
    DAY_FIELDS,
    DISCLOSABLE_FIELDS,
    DRUG_AMOUNT_FIELDS,
    FLAG_FIELDS,
    RATING_FIELDS,
    SUBSTANCE_DAY_FIELDS,
    AmountUnit,
)

NOT_DISCLOSED = "not_disclosed"
FLAG_CHOICES = [("yes", "Yes"), ("no", "No"), (NOT_DISCLOSED, "Not disclosed")]
FLAG_VALUES = {"yes": True, "no": False, NOT_DISCLOSED: None}


def not_disclosed_box(name: str) -> str:
    """The name of the "not disclosed" tick that goes with item `name`."""
    return f"{name}_nd"


def _top_label(name: str) -> str:
    return capfirst(TreatmentOutcomesProfile._meta.get_field(name).verbose_name)


def _with_amounts(days_fields: list[str]) -> list[str]:
    """Each substance's days, then its average amount on a using day (and unit)."""
    names = []
    for name in days_fields:
        names.append(name)
        amount = AMOUNT_FOR_DAYS.get(name)
        if amount:
            names.append(amount)
            if amount in DRUG_AMOUNT_FIELDS:
                names.append(f"{amount}_unit")
        if name == "other_drug_days":
            names.append("other_drug_name")
    return names


class TopForm(Form):
    """The TOP's 28-day counts (0–28), 0–20 ratings and yes/no questions, in the form's order.

    Every answer can be "not disclosed": a tick beside each number or text, a third choice
    for each yes/no. Nothing is assumed: a blank answer is refused by the service, never
    read as 0 or "no". `cleaned_data["not_disclosed"]` lists the items not disclosed."""

    stage = forms.ChoiceField(label="Stage", choices=TopStage.choices, widget=forms.RadioSelect)
    completed_on = DayMonthYearField(label="Date completed", help_text=DATE_HINT)

    SECTIONS = [
        (
            "Substance use: days used in the past 28 days",
            _with_amounts(SUBSTANCE_DAY_FIELDS),
        ),
        ("Injecting", ["injecting_days", "shared_equipment"]),
        (
            "Crime: days in the past 28 days",
            ["shop_theft_days", "drug_selling_days", "other_theft_days", "assault_days"],
        ),
        (
            "Health and social functioning",
            [
                "psychological_health",
                "physical_health",
                "quality_of_life",
                "acute_housing_problem",
                "at_risk_of_eviction",
                "paid_work_days",
                "education_days",
            ],
        ),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DAY_FIELDS:
            label = _top_label(name)
            if name == "injecting_days":
                label = "Days injected non-prescribed drugs"
            self.fields[name] = whole_number(
                label,
                0,
                TOP_PERIOD_DAYS,
                "days",
                help_text=f"0 to {TOP_PERIOD_DAYS}",
                required=False,
            )
        for name in RATING_FIELDS:
            self.fields[name] = whole_number(
                _top_label(name),
                0,
                TOP_RATING_MAX,
                "points",
                range_message=f"Enter a score from 0 to {TOP_RATING_MAX}",
                help_text=f"0 (poor) to {TOP_RATING_MAX} (good)",
                required=False,
            )
        self.fields["alcohol_units"] = whole_number(
            _top_label("alcohol_units"),
            0,
            ALCOHOL_UNITS_MAX,
            "units",
            help_text="If they drank: units on a typical drinking day",
            required=False,
        )
        for name in DRUG_AMOUNT_FIELDS:
            self.fields[name] = from_model(
                TreatmentOutcomesProfile,
                name,
                required=False,
                help_text="If they used it: on a typical using day",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}
                ),
            )
            self.fields[f"{name}_unit"] = forms.ChoiceField(
                label=_top_label(f"{name}_unit"),
                choices=AmountUnit.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["other_drug_name"] = from_model(
            TreatmentOutcomesProfile,
            "other_drug_name",
            required=False,
            help_text="Needed if they used it on any day",
        )
        for name in FLAG_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=_top_label(name),
                choices=FLAG_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes, no or not disclosed"},
            )
        for name in DISCLOSABLE_FIELDS:
            if name not in FLAG_FIELDS:
                self.fields[not_disclosed_box(name)] = forms.BooleanField(
                    label=f"Not disclosed: {_top_label(name).lower()}", required=False
                )

    @staticmethod
    def initial_from(top: TreatmentOutcomesProfile) -> dict:
        """The form's answers for a saved TOP, "not disclosed" ticks included."""
        initial = {}
        for name in DISCLOSABLE_FIELDS:
            marked = top.is_not_disclosed(name)
            value = getattr(top, name)
            if name in FLAG_FIELDS:
                initial[name] = (
                    NOT_DISCLOSED if marked else None if value is None else "yes" if value else "no"
                )
            else:
                initial[name] = value
                initial[not_disclosed_box(name)] = marked
        for name in DRUG_AMOUNT_FIELDS:
            initial[f"{name}_unit"] = getattr(top, f"{name}_unit")
        return initial

    def clean(self):
        data = super().clean()
        marked = []
        for name in DISCLOSABLE_FIELDS:
            if name in FLAG_FIELDS:
                if name in data:
                    choice = data[name]
                    data[name] = FLAG_VALUES.get(choice)
                    if choice == NOT_DISCLOSED:
                        marked.append(name)
                continue
            if data.pop(not_disclosed_box(name), False):
                if data.get(name) not in (None, ""):
                    self.add_error(name, "Enter an answer or tick not disclosed, not both")
                else:
                    marked.append(name)
                    data[name] = "" if name == "other_drug_name" else None
        data["not_disclosed"] = marked
        return data

    def sections(self) -> list[tuple[str, list]]:
        """Each section's fields, every answer followed by its "not disclosed" tick."""
        result = []
        for heading, names in self.SECTIONS:
            bound = []
            for name in names:
                bound.append(self[name])
                if not_disclosed_box(name) in self.fields:
                    bound.append(self[not_disclosed_box(name)])
            result.append((heading, bound))
        return result
