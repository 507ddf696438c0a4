"""The form of a Treatment Outcomes Profile (see forms/plans.py for how forms and services
share the work)."""

from django import forms
from django.utils.text import capfirst

from beacon.core.dates import DayMonthYearField
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.forms.plans import DATE_HINT, from_model, whole_number
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.models.tops import DAY_FIELDS, RATING_FIELDS
from beacon.treatment.services.tops import FLAG_FIELDS


def _top_label(name: str) -> str:
    return capfirst(TreatmentOutcomesProfile._meta.get_field(name).verbose_name)


class TopForm(forms.Form):
    """The TOP's 28-day counts (0–28), 0–20 ratings and yes/no questions, in the form's order."""

    stage = forms.ChoiceField(label="Stage", choices=TopStage.choices, widget=forms.RadioSelect)
    completed_on = DayMonthYearField(label="Date completed", help_text=DATE_HINT)

    SECTIONS = [
        (
            "Substance use: days used in the past 28 days",
            [
                "alcohol_days",
                "opiate_days",
                "crack_days",
                "cocaine_days",
                "amphetamine_days",
                "cannabis_days",
                "other_drug_days",
            ],
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
                label, 0, TOP_PERIOD_DAYS, "days", help_text=f"0 to {TOP_PERIOD_DAYS}"
            )
        for name in RATING_FIELDS:
            self.fields[name] = whole_number(
                _top_label(name),
                0,
                TOP_RATING_MAX,
                "points",
                range_message=f"Enter a score from 0 to {TOP_RATING_MAX}",
                help_text=f"0 (poor) to {TOP_RATING_MAX} (good)",
            )
        for name in FLAG_FIELDS:
            self.fields[name] = from_model(TreatmentOutcomesProfile, name)

    def sections(self) -> list[tuple[str, list]]:
        return [(heading, [self[name] for name in names]) for heading, names in self.SECTIONS]
