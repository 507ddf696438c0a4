"""Referral, triage, comprehensive assessment, treatment episode and its modalities."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider
from beacon.treatment.codes import (
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    InterventionSetting,
    ModalityExit,
    ModalityType,
    OstMedicine,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
)

# The statuses of a referral still open (`Referral.Status`): a client has at most one such
# referral, checked by `referral_create` and held by the database (`Referral.Meta`).
OPEN_REFERRAL_STATUSES = frozenset({"received", "triaged", "assessed", "in_treatment"})


class Referral(models.Model):
    """A request for treatment; the start of an NDTMS journey (REFLD, RFLS)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        TRIAGED = "triaged", "Triaged"
        ASSESSED = "assessed", "Assessed"
        IN_TREATMENT = "in_treatment", "In treatment"
        DISCHARGED = "discharged", "Discharged"
        CLOSED = "closed", "Closed without treatment"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    referral_date = models.DateField()
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    referrer_details = models.CharField(
        "who referred", max_length=200, blank=True, help_text="Name, role and organisation"
    )
    reason = BoundedTextField("reason for referral", max_length=2000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [models.Index(fields=["provider", "client", "referral_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status__in=sorted(OPEN_REFERRAL_STATUSES)),
                name="referral_one_open_per_client",
                violation_error_message="This client already has an open referral",
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.referral_date:%d/%m/%Y} ({self.get_source_display()})"


class Triage(models.Model):
    """The first look at a referral (TRIAGED): is structured treatment right, and how urgent."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted for treatment"
        SIGNPOSTED = "signposted", "Signposted elsewhere"
        NOT_ATTENDED = "not_attended", "Did not attend"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="triage")
    triage_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.ACCEPTED)
    notes = BoundedTextField(max_length=2000, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    def __str__(self) -> str:
        return f"Triage {self.triage_date:%d/%m/%Y}"


def days_in_28(name: str, **kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        name,
        validators=[MaxValueValidator(28)],
        help_text="Days in the past 28 (0 to 28)",
        **kwargs,
    )


def _age_at_first_use() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        "age at first use",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
    )


def _route() -> models.CharField:
    return models.CharField("route", max_length=10, choices=Route.choices, blank=True)


class Assessment(models.Model):
    """Comprehensive assessment: substances, injecting, alcohol, housing, work, children."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="assessment")
    assessment_date = models.DateField()
    primary_substance = models.CharField(max_length=20, choices=Substance.choices)
    primary_age_first_use = _age_at_first_use()
    primary_route = _route()
    secondary_substance = models.CharField(max_length=20, choices=Substance.choices, blank=True)
    secondary_age_first_use = _age_at_first_use()
    secondary_route = _route()
    tertiary_substance = models.CharField(max_length=20, choices=Substance.choices, blank=True)
    tertiary_age_first_use = _age_at_first_use()
    tertiary_route = _route()
    injecting_status = models.CharField(max_length=20, choices=InjectingStatus.choices)
    alcohol_units_typical_day = models.PositiveSmallIntegerField(
        "alcohol units on a typical drinking day",
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
    )
    drinking_days = days_in_28("drinking days in the past 28", null=True, blank=True)
    housing_need = models.CharField(max_length=20, choices=HousingNeed.choices)
    employment_status = models.CharField(max_length=20, choices=EmploymentStatus.choices)
    parental_status = models.CharField(max_length=30, choices=ParentalStatus.choices)
    notes = BoundedTextField(max_length=4000, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    def __str__(self) -> str:
        return f"Assessment {self.assessment_date:%d/%m/%Y}"

    @property
    def substances(self) -> list[str]:
        return [
            s
            for s in (self.primary_substance, self.secondary_substance, self.tertiary_substance)
            if s
        ]


class TreatmentEpisode(models.Model):
    """Time in treatment for one referral, from its start to discharge (DISD, DISRSN)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="episodes")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="episode")
    start_date = models.DateField()
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="episodes",
        null=True,
        blank=True,
    )
    discharge_date = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=30, choices=DischargeReason.choices, blank=True)
    discharge_notes = BoundedTextField(max_length=2000, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True) | Q(discharge_date__gte=F("start_date")),
                name="episode_discharge_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(discharge_date__isnull=True) & Q(discharge_reason=""))
                | (Q(discharge_date__isnull=False) & ~Q(discharge_reason="")),
                name="episode_discharge_date_and_reason_together",
            ),
        ]
        indexes = [models.Index(fields=["provider", "client", "start_date"])]

    def __str__(self) -> str:
        return f"Episode from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.discharge_date is None


class ModalityQuerySet(models.QuerySet):
    def structured(self) -> "ModalityQuerySet":
        """Structured treatment, the one definition (Modality.structured reads the same): not
        recovery support, on or after the episode's comprehensive assessment (from the date
        it started, or was referred while not started), in an episode with a care plan."""
        from beacon.treatment.models.plans import RecoveryPlan

        return (
            self.exclude(modality_type=ModalityType.RECOVERY_SUPPORT)
            .filter(
                episode__referral__assessment__assessment_date__lte=Coalesce(
                    F("start_date"), F("referred_date")
                )
            )
            .filter(Exists(RecoveryPlan.objects.filter(episode_id=OuterRef("episode_id"))))
        )


class Modality(models.Model):
    """One intervention within an episode, and its setting (MODAL, MODSET, REFMODDT, FAOMODDT,
    MODST, MODEND, MODEXIT).

    Whether it is structured treatment is derived, never ticked: see `structured`.
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        TreatmentEpisode, on_delete=models.PROTECT, related_name="modalities"
    )
    modality_type = models.CharField("type", max_length=20, choices=ModalityType.choices)
    setting = models.CharField(
        max_length=20, choices=InterventionSetting.choices, default=InterventionSetting.COMMUNITY
    )
    ost_medicine = models.CharField(
        "opioid substitution medicine",
        max_length=20,
        choices=OstMedicine.choices,
        blank=True,
        help_text="Only for pharmacological interventions",
    )
    referred_date = models.DateField("date referred")
    first_appointment_offered = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=20, choices=ModalityExit.choices, blank=True)

    objects = ModalityQuerySet.as_manager()

    class Meta:
        ordering = ["referred_date", "id"]
        verbose_name_plural = "modalities"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | (Q(start_date__isnull=False) & Q(end_date__gte=F("start_date"))),
                name="modality_end_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("referred_date")),
                name="modality_start_on_or_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(ost_medicine="") | Q(modality_type="pharmacological"),
                name="modality_ost_only_pharmacological",
            ),
        ]

    def __str__(self) -> str:
        """The intervention, and its setting when that is not the community."""
        if self.setting == InterventionSetting.COMMUNITY:
            return self.get_modality_type_display()
        return f"{self.get_modality_type_display()}, {self.get_setting_display().lower()}"

    @property
    def is_active(self) -> bool:
        return self.start_date is not None and self.end_date is None

    @property
    def structured(self) -> bool:
        """Structured treatment: the same rule as ModalityQuerySet.structured."""
        if self.modality_type == ModalityType.RECOVERY_SUPPORT:
            return False
        assessment = getattr(self.episode.referral, "assessment", None)
        if assessment is None or assessment.assessment_date > (
            self.start_date or self.referred_date
        ):
            return False
        return self.episode.recovery_plans.exists()
