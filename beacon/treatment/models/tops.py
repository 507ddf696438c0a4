"""The Treatment Outcomes Profile (TOP): at start, every 6 months, and at exit.

Every answer is nullable and never defaults: an answer the client would not give is stored
as `None` with its field name in `not_disclosed`, so a figure can tell "0 days" (a value)
from "not disclosed" (missing). `None` without the marker means "not asked": only TOPs
recorded before an item existed (tobacco, amounts, the other substance's name) have that.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q

from beacon.clients.models import Client
from beacon.core.models import Provider
from beacon.treatment.codes import TOP_PERIOD_DAYS, TOP_RATING_MAX, TopStage
from beacon.treatment.models.journey import TreatmentEpisode

# Days of drug (not alcohol) use: a drug-free completion's exit TOP has none.
DRUG_USE_DAY_FIELDS = [
    "opiate_days",
    "crack_days",
    "cocaine_days",
    "amphetamine_days",
    "cannabis_days",
    "other_drug_days",
]
# Days each substance was used, in the order the TOP asks them.
SUBSTANCE_DAY_FIELDS = ["alcohol_days", *DRUG_USE_DAY_FIELDS, "tobacco_days"]
DAY_FIELDS = [
    *SUBSTANCE_DAY_FIELDS,
    "injecting_days",
    "shop_theft_days",
    "drug_selling_days",
    "other_theft_days",
    "assault_days",
    "paid_work_days",
    "education_days",
]
RATING_FIELDS = ["psychological_health", "physical_health", "quality_of_life"]
# Yes/no questions: yes, no or not disclosed, never "no" by default.
FLAG_FIELDS = ["shared_equipment", "acute_housing_problem", "at_risk_of_eviction"]
# Every TOP asks these: each has a value or is marked not disclosed.
ANSWER_FIELDS = [*DAY_FIELDS, *RATING_FIELDS, *FLAG_FIELDS]
# The average amount on a using day, asked when the substance's days are 1 or more.
# Alcohol is in units (ALCUNITS, 0 to 200: NDTMS reference §3.3, S8); the reference gives
# no unit for drugs, so each drug amount records its unit (grams or pounds spent).
ALCOHOL_UNITS_MAX = 200
AMOUNT_FOR_DAYS = {
    "alcohol_days": "alcohol_units",
    "opiate_days": "opiate_amount",
    "crack_days": "crack_amount",
    "cocaine_days": "cocaine_amount",
    "amphetamine_days": "amphetamine_amount",
    "cannabis_days": "cannabis_amount",
    "other_drug_days": "other_drug_amount",
}
DRUG_AMOUNT_FIELDS = [name for name in AMOUNT_FOR_DAYS.values() if name != "alcohol_units"]
# Items asked only when another answer calls for them (an amount, the other substance's name).
CONDITIONAL_FIELDS = [*AMOUNT_FOR_DAYS.values(), "other_drug_name"]
# Every item that can be marked not disclosed.
DISCLOSABLE_FIELDS = [*ANSWER_FIELDS, *CONDITIONAL_FIELDS]


class AmountUnit(models.TextChoices):
    GRAMS = "grams", "grams"
    POUNDS = "pounds", "£ spent"


def _count(label: str, most: int, help_text: str) -> models.PositiveSmallIntegerField:
    """An answer from 0 to `most`, empty until given or when not disclosed."""
    return models.PositiveSmallIntegerField(
        label, validators=[MaxValueValidator(most)], help_text=help_text, null=True, blank=True
    )


def _days(label: str) -> models.PositiveSmallIntegerField:
    return _count(label, TOP_PERIOD_DAYS, "0 to 28")


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return _count(label, TOP_RATING_MAX, "0 (poor) to 20 (good)")


def _flag(label: str) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


def _amount(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


def _unit(label: str) -> models.CharField:
    return models.CharField(label, max_length=10, choices=AmountUnit.choices, blank=True)


def start_window_days() -> int:
    """Days after the episode's start within which its start TOP is due
    (`BEACON_TOP_START_WINDOW_DAYS`; the NDTMS reference gives no window)."""
    return settings.BEACON_TOP_START_WINDOW_DAYS


def start_outside_window_text() -> str:
    return (
        f"Start TOP outside its window: more than {start_window_days()} days after "
        "treatment started"
    )


class TopQuerySet(models.QuerySet):
    """The TOP flags as annotations; the instance properties read the same definitions."""

    def with_flags(self) -> "TopQuerySet":
        window = datetime.timedelta(days=start_window_days())
        start_tops = TreatmentOutcomesProfile.objects.filter(
            episode=OuterRef("episode"), stage=TopStage.START
        )
        return self.annotate(
            start_window_ends=ExpressionWrapper(
                F("episode__start_date") + window, output_field=models.DateField()
            ),
            episode_has_start_top=Exists(start_tops),
        ).annotate(
            start_outside_window_flag=ExpressionWrapper(
                Q(stage=TopStage.START) & Q(completed_on__gt=F("start_window_ends")),
                output_field=models.BooleanField(),
            ),
            review_without_start_flag=ExpressionWrapper(
                Q(stage=TopStage.REVIEW) & Q(episode_has_start_top=False),
                output_field=models.BooleanField(),
            ),
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
    other_drug_name = models.CharField(
        "name of the other problem substance", max_length=100, blank=True
    )
    tobacco_days = _days("tobacco")
    alcohol_units = models.PositiveSmallIntegerField(
        "alcohol: average units on a drinking day",
        validators=[MaxValueValidator(ALCOHOL_UNITS_MAX)],
        null=True,
        blank=True,
    )
    opiate_amount = _amount("opiates: average amount on a using day")
    opiate_amount_unit = _unit("opiates: unit of the amount")
    crack_amount = _amount("crack: average amount on a using day")
    crack_amount_unit = _unit("crack: unit of the amount")
    cocaine_amount = _amount("cocaine: average amount on a using day")
    cocaine_amount_unit = _unit("cocaine: unit of the amount")
    amphetamine_amount = _amount("amphetamines: average amount on a using day")
    amphetamine_amount_unit = _unit("amphetamines: unit of the amount")
    cannabis_amount = _amount("cannabis: average amount on a using day")
    cannabis_amount_unit = _unit("cannabis: unit of the amount")
    other_drug_amount = _amount("other problem substance: average amount on a using day")
    other_drug_amount_unit = _unit("other problem substance: unit of the amount")
    injecting_days = _days("injected non-prescribed drugs")
    shared_equipment = _flag("shared injecting equipment")
    shop_theft_days = _days("shop theft")
    drug_selling_days = _days("selling drugs")
    other_theft_days = _days("other theft")
    assault_days = _days("assault or violence")
    psychological_health = _rating("psychological health")
    physical_health = _rating("physical health")
    quality_of_life = _rating("overall quality of life")
    acute_housing_problem = _flag("acute housing problem")
    at_risk_of_eviction = _flag("at risk of eviction")
    paid_work_days = _days("days of paid work")
    education_days = _days("days at college or school")
    # The field names of the answers the client did not disclose (their values are None).
    not_disclosed = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = TopQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(alcohol_units__lte=ALCOHOL_UNITS_MAX), name="top_alcohol_units_max"
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"top_{name}_min_0")
                for name in DRUG_AMOUNT_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"TOP ({self.get_stage_display()}) {self.completed_on:%d/%m/%Y}"

    def is_not_disclosed(self, name: str) -> bool:
        return name in (self.not_disclosed or [])

    @property
    def start_outside_window(self) -> bool:
        """A start TOP completed more than the window after the episode started."""
        window = datetime.timedelta(days=start_window_days())
        return self.stage == TopStage.START and self.completed_on > self.episode.start_date + window

    @property
    def review_without_start(self) -> bool:
        """A review TOP in an episode that has no start TOP."""
        return (
            self.stage == TopStage.REVIEW
            and not self.episode.tops.filter(stage=TopStage.START).exists()
        )

    REVIEW_WITHOUT_START_TEXT = "Review TOP with no start TOP in this episode"

    @property
    def flags(self) -> list[str]:
        """What is wrong with this TOP's place in the episode, in words (pages and API)."""
        found = []
        if self.start_outside_window:
            found.append(start_outside_window_text())
        if self.review_without_start:
            found.append(self.REVIEW_WITHOUT_START_TEXT)
        return found
