"""The controlled-drug register of the home-delivery service.

Misuse of Drugs Regulations 2001 (reference: ost-and-naloxone-clinical-rules.md, 5a):
reg 19 asks for every quantity obtained and supplied, in chronological order, with who
collected a Schedule 2 drug (patient or representative) and whether proof of identity was
asked for and shown; reg 20 asks for a separate part per drug (here one page per medicine
key of beacon/prescribing/medicines.py, so per form and strength), and forbids any
cancellation, obliteration or alteration: a mistake is corrected by a new, dated entry
(DESIGN.md: "a mistake is corrected by a new entry that refers to it").

So entries are append-only three times over: the model refuses to save an existing row or
delete one, the queryset refuses update() and delete(), and a database trigger refuses
UPDATE (and DELETE on PostgreSQL) — migration 0002.

The running balance is the stock held in the service's controlled-drug cabinet:
received and returned-undelivered parcels add to it, parcels handed to a driver and
destructions take from it, a delivery records the supply to the client and leaves it
unchanged (the parcel left the cabinet when the driver took it). RegisterBalance keeps
the current balance per (provider, medicine); services lock it (select_for_update) so
two people recording at once can never take it below zero.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.clients.validators import validate_postcode
from beacon.core.fields import BoundedTextField
from beacon.core.models import PartnerOrganisation, Provider
from beacon.prescribing.medicines import MEDICINE_CHOICES, MEDICINES, Form, Medicine

QUANTITY = {"max_digits": 10, "decimal_places": 2}
APPEND_ONLY = "The controlled-drug register is append-only: record a correction instead."

# The unit a register page counts in, by the medicine's form.
UNITS = {
    Form.ORAL_SOLUTION: "ml",
    Form.SUBLINGUAL_TABLET: "tablets",
    Form.PROLONGED_RELEASE_INJECTION: "syringes",
}


def register_unit(medicine: Medicine) -> str:
    return UNITS[medicine.form]


def parcel_quantity(instalment) -> Decimal:
    """An instalment in the register's unit: ml of a solution, tablets of a tablet."""
    return instalment.quantity / instalment.prescription.medicine_info.strength


class RegisterEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)

    def _update(self, values):
        raise PermissionError(APPEND_ONLY)


class RegisterEntry(models.Model):
    """One movement of a controlled drug, with the balance after it. Never changed."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        HANDED_TO_DRIVER = "handed_to_driver", "Handed to driver"
        DELIVERED = "delivered", "Delivered"
        RETURNED = "returned_undelivered", "Returned undelivered"
        DESTROYED = "destroyed", "Destroyed"
        CORRECTION = "correction", "Correction"

    class Recipient(models.TextChoices):
        CLIENT = "client", "The client"
        REPRESENTATIVE = "representative", "A named representative"

    # How each movement moves the cabinet balance (a correction follows the entry it corrects).
    EFFECT = {
        Kind.RECEIVED: 1,
        Kind.HANDED_TO_DRIVER: -1,
        Kind.DELIVERED: 0,
        Kind.RETURNED: 1,
        Kind.DESTROYED: -1,
    }
    DRIVER_KINDS = (Kind.HANDED_TO_DRIVER, Kind.DELIVERED, Kind.RETURNED)

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="register_entries"
    )
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    kind = models.CharField(max_length=25, choices=Kind.choices)
    quantity = models.DecimalField(
        **QUANTITY, null=True, blank=True, help_text="In the medicine's unit; not on corrections"
    )
    adjustment = models.DecimalField(
        **QUANTITY,
        null=True,
        blank=True,
        help_text="Corrections only: the signed change to the corrected entry's quantity",
    )
    balance_after = models.DecimalField(**QUANTITY)
    unit = models.CharField(max_length=10)
    occurred_at = models.DateTimeField("date and time", db_index=True)
    # received
    supplier = models.CharField("received from", max_length=200, blank=True)
    # handed to driver, delivered, returned undelivered
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="register_entries_as_driver",
        null=True,
        blank=True,
    )
    # delivered (reg 19: who collected, identity asked for, identity shown)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="register_entries", null=True, blank=True
    )
    recipient = models.CharField(max_length=20, choices=Recipient.choices, blank=True)
    representative_name = models.CharField(max_length=200, blank=True)
    identity_requested = models.BooleanField(null=True, blank=True)
    identity_provided = models.BooleanField(null=True, blank=True)
    # destroyed
    witness = models.CharField("witness", max_length=200, blank=True)
    # correction
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_entries"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["provider", "medicine", "-id"], name="register_page"),
            models.Index(fields=["provider", "occurred_at"], name="register_provider_when"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="register_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="correction")
                    & Q(corrects__isnull=False)
                    & Q(quantity__isnull=True)
                    & Q(adjustment__isnull=False)
                    & ~Q(adjustment=0)
                )
                | (
                    ~Q(kind="correction")
                    & Q(corrects__isnull=True)
                    & Q(quantity__gt=0)
                    & Q(adjustment__isnull=True)
                ),
                name="register_quantity_or_correction",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["handed_to_driver", "delivered", "returned_undelivered"])
                | Q(driver__isnull=False),
                name="register_driver_movements_name_driver",
            ),
            models.CheckConstraint(
                condition=~Q(kind="delivered")
                | (
                    Q(client__isnull=False)
                    & Q(identity_requested__isnull=False)
                    & Q(identity_provided__isnull=False)
                ),
                name="register_delivery_names_client_and_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_text}, {self.medicine_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)

    @property
    def medicine_info(self) -> Medicine:
        return MEDICINES[self.medicine]

    @property
    def medicine_name(self) -> str:
        info = MEDICINES.get(self.medicine)
        return info.name if info else self.medicine

    @property
    def amount_text(self) -> str:
        if self.kind == self.Kind.CORRECTION:
            sign = "+" if self.adjustment > 0 else "−"
            return f"{sign}{abs(self.adjustment).normalize():f} {self.unit}"
        return f"{self.quantity.normalize():f} {self.unit}"

    @property
    def balance_change(self) -> Decimal:
        """How this entry moved the cabinet balance."""
        if self.kind == self.Kind.CORRECTION:
            return self.EFFECT[self.corrects.kind] * self.adjustment
        return self.EFFECT[self.kind] * self.quantity


class RegisterBalance(models.Model):
    """The current balance of one register page, the row services lock before writing."""

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="register_balances"
    )
    medicine = models.CharField(max_length=60, choices=MEDICINE_CHOICES)
    balance = models.DecimalField(**QUANTITY, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "medicine"], name="register_balance_one_per_page"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="register_balance_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.medicine}: {self.balance}"


# --- Delivery set-up: vehicles, drivers' shifts, a client's delivery details -------------

# UK registration marks: current (AB12 CDE), prefix (A123 BCD), suffix (ABC 123D) and
# dateless (1234 AB, AB 1234, ABC 123…) formats, compared without spaces.
REGISTRATION_PATTERNS = [
    re.compile(r"^([A-Z]{2}[0-9]{2})([A-Z]{3})$"),
    re.compile(r"^([A-Z][0-9]{1,3})([A-Z]{3})$"),
    re.compile(r"^([A-Z]{3})([0-9]{1,3}[A-Z])$"),
    re.compile(r"^([0-9]{1,4})([A-Z]{1,3})$"),
    re.compile(r"^([A-Z]{1,3})([0-9]{1,4})$"),
]


def normalise_registration(value: str) -> str:
    """Upper case, one space between the two halves of a recognised mark: 'ab12cde' → 'AB12 CDE'."""
    compact = re.sub(r"[\s-]", "", (value or "").upper())
    for pattern in REGISTRATION_PATTERNS:
        match = pattern.match(compact)
        if match:
            return f"{match.group(1)} {match.group(2)}"
    return compact


def validate_registration(value: str) -> None:
    compact = re.sub(r"\s", "", normalise_registration(value))
    if not any(pattern.match(compact) for pattern in REGISTRATION_PATTERNS):
        raise ValidationError("Enter a UK vehicle registration, like AB12 CDE", code="registration")


class Vehicle(models.Model):
    """A vehicle lent by a partner organisation (for example a council) for home delivery."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="vehicles")
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="vehicles",
        verbose_name="lent by",
    )
    registration = models.CharField(max_length=10, validators=[validate_registration])
    make = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "registration"], name="vehicle_registration_unique"
            )
        ]

    def __str__(self) -> str:
        described = " ".join(part for part in (self.colour, self.make) if part)
        return f"{self.registration} ({described})" if described else self.registration


class DriverShift(models.Model):
    """One driver on one vehicle for part of one day."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="driver_shifts")
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="driver_shifts"
    )
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(db_index=True)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["driver", "date"], name="shift_one_per_driver_day"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class ClientDeliveryDetails(models.Model):
    """Where and when a client's home delivery goes; what a driver needs at the door."""

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="delivery_details")
    address_line_1 = models.CharField(max_length=100)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, validators=[validate_postcode])
    access_notes = BoundedTextField(
        max_length=500, blank=True, help_text="For example: ring twice, side door"
    )
    authorised_representatives = BoundedTextField(
        "who may take a parcel for the client",
        max_length=500,
        blank=True,
        help_text="One name a line, as the client agreed. Empty: any named person, recorded",
    )
    usually_in_from = models.TimeField(null=True, blank=True)
    usually_in_to = models.TimeField(null=True, blank=True)
    lockable_box_recorded_on = models.DateField(
        "lockable box seen on",
        null=True,
        blank=True,
        help_text="Needed before take-home doses go to a home with children",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "client delivery details"
        constraints = [
            models.CheckConstraint(
                condition=Q(usually_in_from__isnull=True)
                | Q(usually_in_to__isnull=True)
                | Q(usually_in_to__gt=models.F("usually_in_from")),
                name="delivery_usually_in_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery details of {self.client_id}"

    @property
    def representative_names(self) -> list[str]:
        lines = self.authorised_representatives.splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]


# --- Delivery planning: a day's rounds and stops (planning_services.py) -------------------


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

    Its parcel goes through the register (runsheet_services.py): handed to the round's
    driver, then delivered (to the client or a named representative, identity checked or
    not) or not delivered (not in, refused, unsafe, wrong address) and returned to the
    cabinet; or held back by the coordinator (kept in the cabinet, or taken back from the
    driver) with the reason. Status moves only through runsheet_services.STOP_TRANSITIONS.
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

    @property
    def contents_text(self) -> str:
        """What the coordinator puts in the parcel, e.g. '30 ml Methadone 1mg/ml …'."""
        medicine = self.instalment.prescription.medicine_info
        quantity = parcel_quantity(self.instalment)
        return f"{quantity.normalize():f} {register_unit(medicine)} {medicine.name}"


# --- The police notice: which vehicles carry controlled drugs on a day (police_services.py) --


class PoliceNoticeSent(models.Model):
    """A record that the day's police notice (drivers, vehicles, areas) was sent to a force."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        PORTAL = "portal", "Police portal"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="police_notices_sent"
    )
    date = models.DateField("date covered", db_index=True)
    sent_at = models.DateTimeField("sent at")
    sent_to = models.CharField("sent to", max_length=200)
    method = models.CharField(max_length=20, choices=Method.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = BoundedTextField(max_length=2000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "sent_at", "id"]

    def __str__(self) -> str:
        return f"Police notice for {self.date:%d/%m/%Y} sent to {self.sent_to}"
