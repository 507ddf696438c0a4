"""Recovery plans written with the client, their reviews, and exit plans for anyone on OST."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider
from beacon.treatment.models.journey import TreatmentEpisode


def review_on_or_after_agreement(name: str) -> models.CheckConstraint:
    """A plan (recovery or exit) is first reviewed on or after the day it was agreed."""
    return models.CheckConstraint(condition=Q(next_review_date__gte=F("agreed_on")), name=name)


class RecoveryPlan(models.Model):
    """The client's plan: their goals, agreed actions, and when it is next reviewed."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="recovery_plans")
    episode = models.ForeignKey(
        TreatmentEpisode, on_delete=models.PROTECT, related_name="recovery_plans"
    )
    agreed_on = models.DateField()
    written_with_client = models.BooleanField(
        "written with the client", default=True, help_text="The client took part in writing it"
    )
    next_review_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-agreed_on", "-id"]
        constraints = [review_on_or_after_agreement("plan_review_on_or_after_agreement")]

    def __str__(self) -> str:
        return f"Recovery plan agreed {self.agreed_on:%d/%m/%Y}"


class PlanGoal(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="goals")
    text = BoundedTextField("goal", max_length=1000)
    in_clients_words = models.BooleanField(
        "in the client's own words", default=True, help_text="Written as the client said it"
    )
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanAction(models.Model):
    class Owner(models.TextChoices):
        CLIENT = "client", "Client"
        KEYWORKER = "keyworker", "Keyworker"
        PRESCRIBER = "prescriber", "Prescriber"
        FAMILY = "family", "Family or friend"
        OTHER = "other", "Someone else"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.CASCADE, related_name="actions", null=True, blank=True
    )
    text = models.CharField("action", max_length=500)
    owner = models.CharField("who does it", max_length=20, choices=Owner.choices)
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Review(models.Model):
    """A review of a plan: when, what was said, and when the next one is due."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    notes = BoundedTextField(max_length=2000, blank=True)
    next_review_date = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        abstract = True
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_date__gt=F("reviewed_on")),
                name="%(class)s_next_after_this",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name.capitalize()} {self.reviewed_on:%d/%m/%Y}"


class PlanReview(Review):
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="reviews")

    class Meta(Review.Meta):
        pass


class ExitPlan(models.Model):
    """How and when opioid substitution will end: never open-ended, always reviewed."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="exit_plans")
    episode = models.OneToOneField(
        TreatmentEpisode, on_delete=models.PROTECT, related_name="exit_plan"
    )
    agreed_on = models.DateField()
    intended_duration_weeks = models.PositiveSmallIntegerField(
        "intended time on substitute medication (weeks)"
    )
    client_view = BoundedTextField(
        "what the client wants", max_length=2000, blank=True, help_text="In their own words"
    )
    next_review_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        constraints = [
            review_on_or_after_agreement("exit_plan_review_on_or_after_agreement"),
            models.CheckConstraint(
                condition=Q(intended_duration_weeks__gte=1) & Q(intended_duration_weeks__lte=520),
                name="exit_plan_duration_1_to_520_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"Exit plan agreed {self.agreed_on:%d/%m/%Y}"


class ExitPlanStep(models.Model):
    """One planned reduction: from when, and to what."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    exit_plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="steps")
    planned_from = models.DateField()
    description = models.CharField(
        max_length=300, help_text="For example: reduce methadone to 40 mg daily"
    )
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["planned_from", "id"]

    def __str__(self) -> str:
        return f"From {self.planned_from:%d/%m/%Y}: {self.description}"


class ExitPlanReview(Review):
    exit_plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="reviews")

    class Meta(Review.Meta):
        pass
