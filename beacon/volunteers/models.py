"""Peer volunteers: their record, training courses, supervision, hours and representation;
outreach shifts with lone-working check-in and check-out; contacts made on a shift (what was
given, concerns) and the referrals staff pick up and follow to an outcome.

What a volunteer hands out is recorded by the app that owns it (a naloxone supply by
naloxone's services, an NSP transaction by harm reduction's), and linked from here.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from beacon.clients.codes import Sex
from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider, Site
from beacon.harmreduction.models import NspTransaction
from beacon.naloxone.models import NaloxoneSupply


class VolunteerKind(models.TextChoices):
    RECOVERY_CHAMPION = "recovery_champion", "Recovery champion (completed treatment)"
    PEER_IN_TREATMENT = "peer_in_treatment", "Peer still in treatment"
    OTHER = "other", "Other volunteer"


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class DbsLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


class DbsResult(models.TextChoices):
    CLEAR = "clear", "Clear"
    INFORMATION = "information", "Information disclosed (risk assessed)"
    PENDING = "pending", "Awaiting result"


class Volunteer(models.Model):
    """A peer volunteer: the person who signs in (a user of the volunteer role) and what the
    service keeps about them. The client link, when they are also a client, is for managers
    only."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer"
    )
    kind = models.CharField(max_length=20, choices=VolunteerKind.choices)
    started_on = models.DateField("start date")
    status = models.CharField(
        max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    dbs_level = models.CharField("DBS check level", max_length=20, choices=DbsLevel.choices)
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    dbs_result = models.CharField(
        "DBS check result", max_length=20, choices=DbsResult.choices, blank=True
    )
    emergency_contact_name = models.CharField(max_length=200)
    emergency_contact_phone = models.CharField(max_length=20)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    languages = models.CharField(max_length=200, blank=True)
    availability = models.CharField(max_length=300, blank=True)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="When the volunteer is also a client: seen by managers only",
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


class Course(models.TextChoices):
    NALOXONE_SUPPLY = "naloxone_supply", "Naloxone supply"
    NALOXONE_TRAINER = "naloxone_trainer", "Naloxone trainer"
    HARM_REDUCTION = "harm_reduction", "Harm reduction"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    LONE_WORKING = "lone_working", "Lone working"
    CONFIDENTIALITY = "confidentiality", "Confidentiality"
    FIRST_AID = "first_aid", "First aid"


class TrainingRecord(models.Model):
    """A course a volunteer completed, and the day it must be refreshed by."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="training")
    course = models.CharField(max_length=30, choices=Course.choices)
    completed_on = models.DateField()
    refresh_by = models.DateField("refresh by")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refresh_by__gt=models.F("completed_on")),
                name="volunteer_training_refresh_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_course_display()} {self.completed_on:%d/%m/%Y}"

    def is_in_date(self, on: datetime.date) -> bool:
        return self.completed_on <= on <= self.refresh_by


class Wellbeing(models.TextChoices):
    WELL = "well", "Doing well"
    SOME_CONCERNS = "some_concerns", "Some concerns"
    CONCERNS = "concerns", "Concerns: support agreed"


class SupervisionSession(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="supervision")
    held_on = models.DateField("date")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    wellbeing = models.CharField("wellbeing check", max_length=20, choices=Wellbeing.choices)
    notes = BoundedTextField(max_length=2000, blank=True)
    next_due_on = models.DateField("next due")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due_on__gt=models.F("held_on")),
                name="volunteer_supervision_next_after_held",
            )
        ]

    def __str__(self) -> str:
        return f"Supervision {self.held_on:%d/%m/%Y}"


class HoursGiven(models.Model):
    """Hours a volunteer gave in one month (the first day of the month)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="hours")
    month = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "hours given"
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "month"], name="volunteer_hours_month"),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=744), name="volunteer_hours_in_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} hours in {self.month:%B %Y}"


class Representation(models.Model):
    """A volunteer speaking for people who use the service at a meeting."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="representations"
    )
    on = models.DateField("date")
    forum = models.CharField(
        max_length=200, help_text="For example: local drugs partnership, oversight group"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.forum} {self.on:%d/%m/%Y}"


# The longest an outreach shift may run: a volunteer working alone in the evening and at
# night needs a check-out due within a working night (H-206).
SHIFT_LONGEST = datetime.timedelta(hours=12)


class Shift(models.Model):
    """An outreach shift: where, when, who. Stock handed out comes from the shift's base
    site. An end time before the start time is the next morning (an evening shift that runs
    past midnight): `start()`, `end()` and `length` are the one reading of it."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("date")
    area = models.CharField(max_length=100, help_text="For example: city centre, Holbeck")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", help_text="The base stock comes from"
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    volunteers = models.ManyToManyField(Volunteer, related_name="shifts")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    duty_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Alerted when a volunteer on the shift has not checked out in time",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(ends_at=models.F("starts_at")), name="volunteer_shift_has_a_length"
            )
        ]

    def __str__(self) -> str:
        return f"Outreach {self.area} {self.on:%d/%m/%Y}"

    @property
    def ends_next_day(self) -> bool:
        return self.ends_at < self.starts_at

    @property
    def ends_on(self) -> datetime.date:
        """The day the shift ends: its date, or the next for a shift past midnight."""
        return self.on + datetime.timedelta(days=1 if self.ends_next_day else 0)

    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.on, self.starts_at))

    def end(self) -> datetime.datetime:
        """When the shift ends, and a volunteer checked in on it is due to check out."""
        return timezone.make_aware(datetime.datetime.combine(self.ends_on, self.ends_at))

    @property
    def length(self) -> datetime.timedelta:
        """How long the shift runs by the clock on the wall."""
        return datetime.datetime.combine(self.ends_on, self.ends_at) - datetime.datetime.combine(
            self.on, self.starts_at
        )


class CheckIn(models.Model):
    """Lone working: a volunteer checked in on a shift, due to check out by a time; an
    overdue check-out alerts the duty manager once (`alerted_at`)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="check_ins")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="check_ins")
    checked_in_at = models.DateTimeField()
    check_out_due_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"], name="volunteer_check_in_once_a_shift"
            ),
            models.CheckConstraint(
                condition=Q(check_out_due_at__gt=models.F("checked_in_at")),
                name="volunteer_check_out_due_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.checked_in_at:%d/%m/%Y %H:%M}"


class AdviceTopic(models.TextChoices):
    SAFER_INJECTING = "safer_injecting", "Safer injecting"
    OVERDOSE = "overdose", "Overdose awareness"
    NALOXONE = "naloxone", "Naloxone"
    MIXING = "mixing", "Mixing drugs and alcohol"
    WOUND_CARE = "wound_care", "Wound care"
    BLOOD_BORNE_VIRUSES = "bbv", "Blood-borne viruses and testing"
    SEXUAL_HEALTH = "sexual_health", "Sexual health"
    TREATMENT = "treatment", "Getting into treatment"
    HOUSING = "housing", "Housing and benefits"


class Concern(models.TextChoices):
    NONE = "none", "No concern"
    OVERDOSE = "overdose", "Overdose concern"
    WELFARE = "welfare", "Welfare concern"


class OutreachContact(models.Model):
    """A person met on a shift: anonymous, or by attributor (initials, date of birth, sex);
    never a name. What was given, and any concern."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="contacts")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField()
    initials = models.CharField("attributor initials", max_length=2, blank=True)
    date_of_birth = models.DateField("attributor date of birth", null=True, blank=True)
    sex = models.CharField("attributor sex", max_length=1, choices=Sex.choices, blank=True)
    advice = models.JSONField("advice given", default=list, blank=True)
    water = models.BooleanField(default=False)
    food = models.BooleanField(default=False)
    leaflet = models.BooleanField("information leaflet", default=False)
    naloxone_supply = models.OneToOneField(
        NaloxoneSupply, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    nsp_transaction = models.OneToOneField(
        NspTransaction, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    concern = models.CharField(max_length=10, choices=Concern.choices)
    concern_notes = BoundedTextField(max_length=1000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(initials="") & Q(date_of_birth__isnull=True) & Q(sex=""))
                | (~Q(initials="") & Q(date_of_birth__isnull=False) & ~Q(sex="")),
                name="volunteer_contact_attributor_whole_or_none",
            )
        ]
        indexes = [models.Index(fields=["provider", "at"], name="volunteer_contact_at")]

    def __str__(self) -> str:
        return f"Outreach contact {self.at:%d/%m/%Y %H:%M}"

    @property
    def attributor(self) -> str:
        if not self.initials or self.date_of_birth is None:
            return "Anonymous"
        return f"{self.initials} {self.date_of_birth:%d/%m/%Y} {self.sex}"


class ReferralTo(models.TextChoices):
    OUTREACH_NURSE = "outreach_nurse", "Outreach nurse"
    OUTREACH_CLINIC = "outreach_clinic", "Outreach clinic"
    RECOVERY_WORKER = "recovery_worker", "Recovery worker"
    HOUSING = "housing", "Housing"
    GP = "gp", "GP"
    EMERGENCY = "a_and_e", "A&E"


class ReferralOutcome(models.TextChoices):
    SEEN = "seen", "Seen"
    APPOINTMENT = "appointment", "Appointment made"
    INTO_TREATMENT = "into_treatment", "Came into treatment"
    NOT_FOUND = "not_found", "Could not be found"
    DECLINED = "declined", "Declined"


class OutreachReferral(models.Model):
    """A referral a volunteer made at a contact, which a member of staff picks up and
    follows to an outcome."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(OutreachContact, on_delete=models.PROTECT, related_name="referrals")
    to = models.CharField("referred to", max_length=20, choices=ReferralTo.choices)
    notes = BoundedTextField(max_length=1000, blank=True)
    made_at = models.DateTimeField()
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    picked_up_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices, blank=True)
    outcome_notes = BoundedTextField(max_length=1000, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(picked_up_at__isnull=False, outcome_at__isnull=False),
                name="volunteer_referral_outcome_after_pick_up",
            )
        ]

    def __str__(self) -> str:
        return f"Referral to {self.get_to_display()} {self.made_at:%d/%m/%Y}"
