"""Delivery planning: a day's rounds and their stops (services/planning.py plans them,
services/runsheet.py records each stop's outcome)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.core.fields import BoundedTextField
from beacon.core.models import Provider
from beacon.delivery.models.register import RegisterEntry
from beacon.delivery.models.setup import DriverShift


class DeliveryRound(models.Model):
    """One driver's planned round on one day: the stops of a DriverShift, in order."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="delivery_rounds")
    date = models.DateField(db_index=True)
    shift = models.ForeignKey(DriverShift, on_delete=models.PROTECT, related_name="rounds")
    planned_at = models.DateTimeField()
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The driver's own check of the hand-over: how many parcels they confirmed, and when.
    receipt_confirmed_parcels = models.PositiveSmallIntegerField(default=0)
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "shift__start_time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift"], name="delivery_round_one_per_shift"),
        ]

    def __str__(self) -> str:
        return f"Round {self.date:%d/%m/%Y} ({self.shift_id})"


class DeliveryStop(models.Model):
    """One instalment to deliver on a day: on a round in a position, or unassigned with why.

    Its parcel goes through the register (services/runsheet.py): handed to the round's
    driver, then delivered (to the client or a named representative, identity checked or
    not) or not delivered (not in, refused, unsafe, wrong address) and returned to the
    cabinet; or held back by the coordinator (kept in the cabinet, or taken back from the
    driver) with the reason. Status moves only through services/runsheet.py's STOP_STATES.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "To deliver"
        DELIVERED = "delivered", "Delivered"
        NOT_DELIVERED = "not_delivered", "Not delivered"
        HELD_BACK = "held_back", "Held back"

    class NotDeliveredReason(models.TextChoices):
        NOT_IN = "not_in", "Not in"
        REFUSED = "refused", "Refused"
        UNSAFE = "unsafe", "Unsafe to deliver"
        WRONG_ADDRESS = "wrong_address", "Wrong address"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="delivery_stops")
    date = models.DateField(db_index=True)
    round = models.ForeignKey(
        DeliveryRound, on_delete=models.CASCADE, related_name="stops", null=True, blank=True
    )
    # A pending instalment leaves the schedule when its prescription ends early; so does
    # its stop (prescribing refuses that while the parcel is with a driver).
    instalment = models.OneToOneField(
        "prescribing.Instalment", on_delete=models.CASCADE, related_name="delivery_stop"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="delivery_stops")
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_arrival = models.TimeField(null=True, blank=True)
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    parcel_number = models.CharField(max_length=20)
    unassigned_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    not_delivered_reason = models.CharField(
        max_length=20, choices=NotDeliveredReason.choices, blank=True
    )
    outcome_notes = BoundedTextField(max_length=1000, blank=True)
    held_back_reason = models.CharField(max_length=300, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The register entries of this parcel: out of the cabinet, to the client, back.
    handed_over_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    delivered_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    returned_entry = models.OneToOneField(
        RegisterEntry, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["date", "round_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "date", "parcel_number"], name="delivery_parcel_unique"
            ),
            models.CheckConstraint(
                condition=Q(round__isnull=False) | ~Q(unassigned_reason=""),
                name="delivery_stop_round_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held_back"])
                | (
                    Q(round__isnull=False)
                    & Q(handed_over_entry__isnull=False)
                    & Q(outcome_recorded_at__isnull=False)
                ),
                name="delivery_stop_outcome_on_a_handed_over_parcel",
            ),
            models.CheckConstraint(
                condition=~Q(status="held_back") | ~Q(held_back_reason=""),
                name="delivery_stop_held_back_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_entry__isnull=False),
                name="delivery_stop_delivered_in_register",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_delivered") | ~Q(not_delivered_reason=""),
                name="delivery_stop_not_delivered_says_why",
            ),
            models.CheckConstraint(
                condition=Q(returned_entry__isnull=True)
                | Q(status__in=["not_delivered", "held_back"]),
                name="delivery_stop_returned_only_when_not_delivered",
            ),
        ]

    def __str__(self) -> str:
        return f"Parcel {self.parcel_number}"
