"""Delivery set-up: vehicles, drivers' shifts, a client's delivery details."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from beacon.clients.models import Client
from beacon.clients.validators import validate_postcode
from beacon.core.fields import BoundedTextField
from beacon.core.models import PartnerOrganisation, Provider, Site

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
    # Asked of the client; a text goes only with consent to contact by text as well.
    window_text_agreed = models.BooleanField(
        "agreed to a delivery window text",
        default=False,
        help_text="A text on the morning of a delivery with the time it is due",
    )
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


class DeliverySetup(models.Model):
    """A provider's delivery set-up: the site whose cabinet the rounds' parcels are made up
    from (its controlled-drug register is the one hand-over and returns write to)."""

    provider = models.OneToOneField(
        Provider, on_delete=models.PROTECT, related_name="delivery_setup"
    )
    stock_site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="site holding the delivery stock",
    )

    def __str__(self) -> str:
        return f"Delivery set-up of {self.provider_id}"
