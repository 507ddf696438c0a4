"""The Treatment Outcomes Profile (TOP): at start, every 6 months, and at exit."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.models import Provider
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.models.journey import TreatmentEpisode

DAY_FIELDS = [
    "alcohol_days",
    "opiate_days",
    "crack_days",
    "cocaine_days",
    "amphetamine_days",
    "cannabis_days",
    "other_drug_days",
    "injecting_days",
    "shop_theft_days",
    "drug_selling_days",
    "other_theft_days",
    "assault_days",
    "paid_work_days",
    "education_days",
]
# Days of drug (not alcohol) use: a drug-free completion's exit TOP has none.
DRUG_USE_DAY_FIELDS = [
    "opiate_days",
    "crack_days",
    "cocaine_days",
    "amphetamine_days",
    "cannabis_days",
    "other_drug_days",
]
RATING_FIELDS = ["psychological_health", "physical_health", "quality_of_life"]


def _days(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MaxValueValidator(TOP_PERIOD_DAYS)], help_text="0 to 28"
    )


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        validators=[MaxValueValidator(TOP_RATING_MAX)],
        help_text="0 (poor) to 20 (good)",
    )


class TreatmentOutcomesProfile(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="tops")
    episode = models.ForeignKey(TreatmentEpisode, on_delete=models.PROTECT, related_name="tops")
    stage = models.CharField(max_length=10, choices=TopStage.choices)
    completed_on = models.DateField()

    alcohol_days = _days("alcohol")
    opiate_days = _days("opiates (illicit)")
    crack_days = _days("crack")
    cocaine_days = _days("cocaine")
    amphetamine_days = _days("amphetamines")
    cannabis_days = _days("cannabis")
    other_drug_days = _days("other problem substance")
    injecting_days = _days("injected non-prescribed drugs")
    shared_equipment = models.BooleanField("shared injecting equipment", default=False)
    shop_theft_days = _days("shop theft")
    drug_selling_days = _days("selling drugs")
    other_theft_days = _days("other theft")
    assault_days = _days("assault or violence")
    psychological_health = _rating("psychological health")
    physical_health = _rating("physical health")
    quality_of_life = _rating("overall quality of life")
    acute_housing_problem = models.BooleanField("acute housing problem", default=False)
    at_risk_of_eviction = models.BooleanField("at risk of eviction", default=False)
    paid_work_days = _days("days of paid work")
    education_days = _days("days at college or school")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "Treatment Outcomes Profile"
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": TOP_PERIOD_DAYS}), name=f"top_{name}_max_28"
                )
                for name in DAY_FIELDS
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": TOP_RATING_MAX}), name=f"top_{name}_max_20"
                )
                for name in RATING_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"TOP ({self.get_stage_display()}) {self.completed_on:%d/%m/%Y}"
