"""Appointments and contacts, their outcomes, case notes, group sessions and DNA follow-ups.

A contact is an appointment whose outcome is attended: booked ahead, or recorded directly
afterwards (a drop-in, an unplanned call, an outreach contact: `booked` is false). Each
attendee of a group session has one such appointment, so every attendance is a contact.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.ledger import AppendOnlyModel
from beacon.core.models import Provider, Site
from beacon.treatment.models import PlanAction, PlanGoal

SHORTEST_MINUTES, LONGEST_MINUTES = 5, 480
NOTE_MAX_LENGTH = 5000


class AppointmentKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"
    PHONE_OR_VIDEO = "phone_or_video", "Phone or video"
    HOME_VISIT = "home_visit", "Home visit"
    PRESCRIBING_REVIEW = "prescribing_review", "Prescribing review"
    TOP_REVIEW = "top_review", "TOP review"
    ASSESSMENT = "assessment", "Assessment"
    DROP_IN = "drop_in", "Drop-in"
    OUTREACH = "outreach", "Outreach"


# Seen face to face: every kind but a phone or video call.
FACE_TO_FACE_KINDS = [
    kind for kind in AppointmentKind.values if kind != AppointmentKind.PHONE_OR_VIDEO
]


class AppointmentOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DNA = "dna", "Did not attend (DNA)"
    CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by client"
    CANCELLED_BY_SERVICE = "cancelled_by_service", "Cancelled by service"
    LATE_NOT_SEEN = "late_not_seen", "Arrived late, not seen"


# Outcomes that can be known before the appointment's time; the others only once it began.
CANCELLATIONS = [AppointmentOutcome.CANCELLED_BY_CLIENT, AppointmentOutcome.CANCELLED_BY_SERVICE]
# An appointment holding its staff member's time (a double booking is refused against these).
HOLDS_TIME = Q(outcome="") | Q(
    outcome__in=[AppointmentOutcome.ATTENDED, AppointmentOutcome.LATE_NOT_SEEN]
)
# What the client did, in order, for "two DNAs in a row": the service's cancellations say
# nothing of the client and are left out.
CLIENT_OUTCOMES = [
    o for o in AppointmentOutcome.values if o != AppointmentOutcome.CANCELLED_BY_SERVICE
]


class AppointmentSeries(models.Model):
    """A weekly appointment booked once: the same client, staff member, day and time."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointment_series")
    weeks = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "appointment series"

    def __str__(self) -> str:
        return f"Weekly, {self.weeks} weeks"


class GroupSession(models.Model):
    """A group (a recovery group, a relapse prevention course session) and who came."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    place = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["provider", "-starts_at"], name="group_provider_start")]

    def __str__(self) -> str:
        return self.name


class Appointment(models.Model):
    """One appointment or contact of a client with a member of staff, and its outcome."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="staff member",
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField("length in minutes")
    kind = models.CharField("type", max_length=20, choices=AppointmentKind.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    place = models.CharField(max_length=200, blank=True, help_text="Where, when not a site")
    booked = models.BooleanField(default=True, help_text="False: a contact recorded directly")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    series = models.ForeignKey(
        AppointmentSeries,
        on_delete=models.PROTECT,
        related_name="appointments",
        null=True,
        blank=True,
    )
    group_session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        related_name="attendances",
        null=True,
        blank=True,
    )
    outcome = models.CharField(max_length=20, choices=AppointmentOutcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=SHORTEST_MINUTES) & Q(minutes__lte=LONGEST_MINUTES),
                name="appointment_length_in_range",
                violation_error_message=(
                    f"The length must be {SHORTEST_MINUTES} to {LONGEST_MINUTES} minutes"
                ),
            ),
            models.CheckConstraint(
                condition=Q(booked=True) | Q(outcome=AppointmentOutcome.ATTENDED),
                name="unbooked_contact_is_attended",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_recorded_at__isnull=False),
                name="appointment_outcome_has_time",
            ),
            models.UniqueConstraint(
                fields=["group_session", "client"],
                condition=Q(group_session__isnull=False),
                name="group_attendance_once_per_client",
                violation_error_message="This client is already recorded at this group",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "client", "starts_at"], name="appt_client_start"),
            models.Index(fields=["provider", "staff", "starts_at"], name="appt_staff_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    @property
    def is_contact(self) -> bool:
        return self.outcome == AppointmentOutcome.ATTENDED

    @property
    def where(self) -> str:
        return self.place or (self.site.name if self.site_id else "")


class CaseNote(AppendOnlyModel):
    """What was discussed at a contact. Append-only: a correction is a new note that refers
    to the one it corrects."""

    APPEND_ONLY_MESSAGE = "Case notes are append-only: write a correction as a new note."

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="case_notes")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="case_notes"
    )
    text = BoundedTextField("note", max_length=NOTE_MAX_LENGTH)
    goals = models.ManyToManyField(PlanGoal, blank=True, related_name="case_notes")
    actions = models.ManyToManyField(PlanAction, blank=True, related_name="case_notes")
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="case_note_not_empty"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="case_note_not_own_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"Case note {self.written_at:%Y-%m-%d %H:%M}"


class FollowUpTask(models.Model):
    """Phone the client after a DNA, within a working day: for their keyworker."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="follow_ups")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="follow_up"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    done_note = models.CharField("what happened", max_length=500, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["assigned_to", "done_at"], name="follow_up_open")]

    def __str__(self) -> str:
        return f"Phone after DNA, due {self.due_at:%Y-%m-%d %H:%M}"
