"""OST prescriptions, their dose changes, instalments and missed-dose reviews."""

import datetime
import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.models import PartnerOrganisation, Provider
from beacon.core.presenters import quantity_text
from beacon.core.states import StateMachine
from beacon.prescribing.medicines import MEDICINE_CHOICES, MEDICINES, Medicine, Substance
from beacon.prescribing.wording import ApprovedWording, wording_lines
from beacon.treatment.models import TreatmentEpisode

DOSE = {"max_digits": 7, "decimal_places": 2}


def _substance_is_the_medicines() -> Q:
    """The stored substance is the one of the medicine code (`medicines.MEDICINES`)."""
    codes = {
        substance: sorted(code for code, m in MEDICINES.items() if m.substance == substance)
        for substance in Substance.values
    }
    return functools.reduce(
        operator.or_, (Q(substance=s, medicine__in=codes[s]) for s in Substance.values)
    )


@dataclass(frozen=True)
class TimeToPrescription:
    referral_date: datetime.date
    first_prescription_date: datetime.date

    @property
    def days(self) -> int:
        return (self.first_prescription_date - self.referral_date).days


class PrescriptionQuerySet(models.QuerySet):
    """Which prescriptions run on a day: one definition, read by `Prescription.state_on`
    too (a test keeps the two agreed). A prescription runs from its start date to its last
    day (its end date, or the day a prescriber ended it on, whichever comes first); the
    stored status only says what a prescriber decided (suspended for review, ended)."""

    def current(self, *, on: datetime.date) -> "PrescriptionQuerySet":
        """Running on `on` (active or suspended for review): started and not over."""
        return self.filter(start_date__lte=on).not_over(on=on)

    def supplying(self, *, on: datetime.date) -> "PrescriptionQuerySet":
        """Current on `on` and not suspended: its instalments of that day may be supplied."""
        return self.current(on=on).exclude(status=Prescription.Status.SUSPENDED)

    def not_over(self, *, on: datetime.date) -> "PrescriptionQuerySet":
        """Current on `on` or yet to start: supply is still to come on or after `on`. One
        stopped before its first day (`ended_on` the day before it starts) never is."""
        return self.filter(end_date__gte=on).filter(
            Q(ended_on__isnull=True) | (Q(ended_on__gte=on) & Q(ended_on__gte=F("start_date")))
        )

    def referral_to_first_prescription(self) -> TimeToPrescription | None:
        """From the referral of the latest episode with OST to its first prescription, over
        one client's prescriptions (`client.ost_prescriptions.referral_to_first_prescription()`).

        The latest episode that has a prescription counts, so a client who re-presents is
        measured on the current journey, not an old one.
        """
        latest = (
            self.select_related("episode__referral")
            .order_by("-episode__start_date", "-episode_id")
            .first()
        )
        if latest is None:
            return None
        first = self.filter(episode_id=latest.episode_id).order_by("start_date").first()
        return TimeToPrescription(
            referral_date=latest.episode.referral.referral_date,
            first_prescription_date=first.start_date,
        )

    def following(self, prescription: "Prescription") -> "PrescriptionQuerySet":
        """The client's prescriptions of the same substance that carry on from this one:
        they start after it and by the day after its last day (one stopped before its
        first day never does)."""
        substance = prescription.medicine_info.substance
        codes = [code for code, m in MEDICINES.items() if m.substance == substance]
        return (
            self.filter(
                client_id=prescription.client_id,
                medicine__in=codes,
                start_date__gt=prescription.start_date,
                start_date__lte=prescription.last_day + datetime.timedelta(days=1),
            )
            .exclude(pk=prescription.pk)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")))
        )


class Prescription(models.Model):
    """One OST prescription: medicine, dose, dates, instalment pattern, where it is supplied."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended_for_review", "Suspended for prescriber review"
        ENDED = "ended", "Ended"

    class State(models.TextChoices):
        """What a prescription is on a day, derived from its dates and the stored status."""

        NOT_STARTED = "not_started", "Not started"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended_for_review", "Suspended for prescriber review"
        ENDED = "ended", "Ended"

    class Pattern(models.TextChoices):
        DAILY = "daily", "Daily"
        MON_SAT = "mon_sat", "Monday to Saturday (Saturday's instalment covers Sunday)"
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Every 28 days (monthly injection)"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="prescriptions")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="ost_prescriptions")
    episode = models.ForeignKey(
        TreatmentEpisode, on_delete=models.PROTECT, related_name="ost_prescriptions"
    )
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    # Derived from `medicine` by save(), stored so that PostgreSQL can refuse two
    # prescriptions of one substance at once (migration 0005, the exclusion constraint).
    substance = models.CharField(max_length=20, choices=Substance.choices, editable=False)
    dose = models.DecimalField(
        **DOSE,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Daily dose; for a prolonged-release injection, the dose of each injection",
    )
    dose_unit = models.CharField(max_length=10, default="mg")
    start_date = models.DateField()
    end_date = models.DateField()
    pattern = models.CharField("instalments", max_length=10, choices=Pattern.choices)
    # Weekday digits, Monday 0: "012345" is supervised consumption Monday to Saturday.
    supervised_days = models.CharField(max_length=7, blank=True)
    pharmacy = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="ost_prescriptions",
        null=True,
        blank=True,
    )
    home_delivery = models.BooleanField(default=False)
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ost_prescriptions"
    )
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.ACTIVE)
    reason = BoundedTextField(
        "reason for the dose", max_length=2000, blank=True, help_text="Needed above usual limits"
    )
    overridden_warnings = BoundedTextField(max_length=2000, blank=True)
    # A planned overlap with the client's other OST medicine (methadone and buprenorphine):
    # its last day; a warning needing a reason (safety.cross_titration_warnings).
    cross_titration_until = models.DateField(
        "last day of the cross-titration", null=True, blank=True
    )
    # Asked at a methadone start: the lower starting cap applies (reference §1, RCGP).
    # None: not asked (not a methadone start; safety.check_sedatives_answered).
    uses_alcohol_or_sedatives = models.BooleanField(
        "also uses alcohol or sedatives (benzodiazepines, gabapentinoids…)", null=True, blank=True
    )
    # Before a first prolonged-release injection for someone new to buprenorphine: the
    # sublingual test dose and what the hour's observation found (safety.check_test_dose).
    test_dose_given_at = models.DateTimeField("test dose given at", null=True, blank=True)
    test_dose_observation = BoundedTextField(max_length=2000, blank=True)
    instalment_wording = BoundedTextField(
        max_length=1000,
        blank=True,
        help_text="The Home Office approved instalment wording, exactly as on the prescription",
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = BoundedTextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["provider", "client", "start_date"]),
            # The prescriptions not over by a day (`current`, `not_over`): at national scale
            # a few of a provider's, found without reading the rest (the OST KPIs).
            models.Index(fields=["provider", "end_date"], name="prescription_provider_end"),
            # The home-delivery prescriptions, one in twenty: the OST KPIs tell a missed
            # delivery from a missed collection by them (`reporting.kpis.HOME_DELIVERY`, the
            # same condition, which the database needs to use it).
            models.Index(
                fields=["provider", "id"],
                condition=Q(home_delivery=True),
                name="prescription_home_delivery",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="prescription_end_after_start"
            ),
            models.CheckConstraint(condition=Q(dose__gt=0), name="prescription_dose_positive"),
            models.CheckConstraint(
                condition=(Q(pharmacy__isnull=True) & Q(home_delivery=True))
                | (Q(pharmacy__isnull=False) & Q(home_delivery=False)),
                name="prescription_pharmacy_or_home_delivery",
            ),
            # An ended prescription says on which day it ended (its last day of supply).
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False),
                name="prescription_ended_has_its_day",
            ),
            models.CheckConstraint(
                condition=_substance_is_the_medicines(), name="prescription_substance_of_medicine"
            ),
            # On PostgreSQL also `prescription_one_per_substance_at_a_time`, an exclusion
            # constraint Django cannot declare on both databases: see migration 0005.
        ]

    def __str__(self) -> str:
        return f"{self.medicine_name} {self.dose_text} from {self.start_date:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        if self.medicine in MEDICINES:
            self.substance = MEDICINES[self.medicine].substance
        super().save(*args, **kwargs)

    @property
    def medicine_info(self) -> Medicine:
        return MEDICINES[self.medicine]

    @property
    def medicine_name(self) -> str:
        info = MEDICINES.get(self.medicine)
        return info.name if info else self.medicine

    @property
    def dose_text(self) -> str:
        info = MEDICINES.get(self.medicine)
        per = "each injection" if info and info.is_injection else "a day"
        return f"{quantity_text(self.dose, self.dose_unit)} {per}"

    @property
    def dispensing_text(self) -> str:
        return "Home delivery" if self.home_delivery else str(self.pharmacy)

    @property
    def wording_missed_collection_remaining_days(self) -> bool:
        """The prescription carries the approved wording that a missed collection day still
        supplies the instalment's remaining days (reference §3)."""
        return ApprovedWording.MISSED_COLLECTION.label in wording_lines(self.instalment_wording)

    @property
    def last_day(self) -> datetime.date:
        """The last day of supply: the end date, or the day a prescriber ended it on."""
        return min(self.end_date, self.ended_on) if self.ended_on else self.end_date

    def state_on(self, day: datetime.date) -> "Prescription.State":
        """`PrescriptionQuerySet.current` for one prescription, and which state it is in."""
        if day > self.last_day or self.last_day < self.start_date:
            return self.State.ENDED
        if day < self.start_date:
            return self.State.NOT_STARTED
        if self.status == self.Status.SUSPENDED:
            return self.State.SUSPENDED
        return self.State.ACTIVE

    def is_current_on(self, day: datetime.date) -> bool:
        return self.state_on(day) in {self.State.ACTIVE, self.State.SUSPENDED}


def _status_refusal(prescription: models.Model, to: str) -> str:
    return (
        f"A prescription that is {prescription.get_status_display().lower()} cannot become "
        f"{Prescription.Status(to).label.lower()}"
    )


# The prescription state machine: from each status, where it may go next.
PRESCRIPTION_STATES = StateMachine(
    Prescription.Status,
    {
        Prescription.Status.ACTIVE: {Prescription.Status.SUSPENDED, Prescription.Status.ENDED},
        Prescription.Status.SUSPENDED: {Prescription.Status.ACTIVE, Prescription.Status.ENDED},
        Prescription.Status.ENDED: set(),
    },
    refusal=_status_refusal,
)


class DoseChange(models.Model):
    """A change of a prescription's dose from a date: history, never edited."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="dose_changes"
    )
    from_dose = models.DecimalField(**DOSE)
    to_dose = models.DecimalField(**DOSE, validators=[MinValueValidator(Decimal("0.01"))])
    effective_date = models.DateField()
    reason = BoundedTextField(max_length=2000, blank=True)
    overridden_warnings = BoundedTextField(max_length=2000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_dose__gt=0), name="dose_change_positive")
        ]

    def __str__(self) -> str:
        return (
            f"{quantity_text(self.from_dose)} to {quantity_text(self.to_dose)} "
            f"from {self.effective_date:%d/%m/%Y}"
        )


class Instalment(models.Model):
    """One supply of a prescription: its day, how many days it covers, what happened."""

    class Outcome(models.TextChoices):
        PENDING = "", "Not yet recorded"
        COLLECTED = "collected", "Collected"
        DELIVERED = "delivered", "Delivered"
        MISSED = "missed", "Missed"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="ost_instalments")
    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="instalments"
    )
    date = models.DateField()
    covers_days = models.PositiveSmallIntegerField(default=1)
    quantity = models.DecimalField(**DOSE)
    quantity_unit = models.CharField(max_length=10, default="mg")
    supervised = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # Days of this instalment not supplied: all of a missed one; the first days of one
    # collected late under the remaining-days wording (the rest were supplied).
    days_missed = models.PositiveSmallIntegerField(default=0)
    # Why the service failed to deliver this dose (unassigned stop, held back by the
    # coordinator): the service's failure, not the client's miss (hazard log H-53).
    not_delivered_by_service = models.CharField(max_length=300, blank=True)
    outcome_notes = BoundedTextField(max_length=1000, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            # The instalments the OST KPIs count (`reporting.kpis.OST_COUNTED`, the same
            # condition, which the database needs to use it): a tenth of them.
            models.Index(
                fields=["provider", "date"],
                condition=Q(days_missed__gt=0) | Q(outcome__in=("delivered", "missed")),
                name="instalment_counted_by_kpis",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "date"], name="one_instalment_a_day_per_prescription"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="instalment_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(covers_days__gte=1), name="instalment_covers_a_day"),
            models.CheckConstraint(
                condition=Q(days_missed__lte=F("covers_days")),
                name="instalment_days_missed_within_its_days",
            ),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.date:%d/%m/%Y}"

    @property
    def is_supplied(self) -> bool:
        return self.outcome in SUPPLIED

    @property
    def last_day(self) -> datetime.date:
        return self.date + datetime.timedelta(days=self.covers_days - 1)


SUPPLIED = frozenset({Instalment.Outcome.COLLECTED, Instalment.Outcome.DELIVERED})


class MissedDoseReview(models.Model):
    """A prescriber's review after consecutive missed doses; it lifts (or ends) the block."""

    class Decision(models.TextChoices):
        RESUME = "resume", "Resume supply"
        END = "end", "End the prescription"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="missed_dose_reviews"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    # The dose supply resumes at (a resume decision always records one, hazard log H-52).
    resume_dose = models.DecimalField(**DOSE, null=True, blank=True)
    notes = BoundedTextField(max_length=2000)
    # Missed instalments on or before this day are answered by this review.
    covers_up_to = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"Review {self.reviewed_at:%d/%m/%Y}: {self.get_decision_display()}"
