"""Writes of delivery set-up: vehicles, drivers' shifts, a client's delivery details.

Each write is keyword-only and atomic, checks that every record it names belongs to the
actor's provider, raises a ValidationError naming the field, and writes an audit entry
(with the client, for a client's delivery details). The reads are selectors/setup.py's.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.validators import normalise_postcode
from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Provider, User
from beacon.core.roles import Role
from beacon.delivery import geocoder
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DriverShift,
    Vehicle,
    normalise_registration,
)
from beacon.delivery.selectors.setup import DETAILS_FIELDS, delivery_details_of

VEHICLE_FIELDS = ["partner_organisation", "registration", "make", "colour", "active"]
SHIFT_FIELDS = ["driver", "vehicle", "date", "start_time", "end_time"]


def _fields_set(
    record: models.Model, data: dict, fields: list[str], *, normalise: dict[str, Callable]
) -> None:
    """Copy the `fields` that `data` gives onto the record: text stripped, or through the
    field's normaliser (a registration, a postcode)."""
    for key in fields:
        if key in data:
            value = data[key]
            if key in normalise:
                value = normalise[key](value)
            elif isinstance(value, str):
                value = value.strip()
            setattr(record, key, value)


def _check_vehicle(vehicle: Vehicle, provider: Provider) -> None:
    partner = vehicle.partner_organisation if vehicle.partner_organisation_id else None
    if partner is None or partner.provider_id != provider.pk:
        raise ValidationError(
            {"partner_organisation": "Choose a partner organisation of your service"}
        )
    if (
        vehicle.registration
        and provider.vehicles.filter(registration=vehicle.registration)
        .exclude(pk=vehicle.pk)
        .exists()
    ):
        raise ValidationError({"registration": "A vehicle with this registration exists already"})


def _vehicle_save(
    vehicle: Vehicle,
    data: dict,
    *,
    actor: User,
    provider: Provider,
    origin: AuditOrigin | None,
    action: str,
) -> Vehicle:
    _fields_set(vehicle, data, VEHICLE_FIELDS, normalise={"registration": normalise_registration})
    _check_vehicle(vehicle, provider)
    return record_save(
        vehicle, actor=actor, action=action, origin=origin, detail=f"vehicle {vehicle}"
    )


@transaction.atomic
def vehicle_create(
    *, actor: User, provider: Provider, data: dict, origin: AuditOrigin | None = None
) -> Vehicle:
    vehicle = Vehicle(provider=provider)
    return _vehicle_save(
        vehicle, data, actor=actor, provider=provider, origin=origin, action=Action.CREATE
    )


@transaction.atomic
def vehicle_update(
    *,
    actor: User,
    provider: Provider,
    vehicle: Vehicle,
    data: dict,
    origin: AuditOrigin | None = None,
) -> Vehicle:
    if vehicle.provider_id != provider.pk:
        raise ValidationError("This vehicle belongs to another service")
    return _vehicle_save(
        vehicle, data, actor=actor, provider=provider, origin=origin, action=Action.UPDATE
    )


def _check_shift(shift: DriverShift, provider: Provider) -> None:
    driver = shift.driver if shift.driver_id else None
    if (
        driver is None
        or driver.provider_id != provider.pk
        or driver.role != Role.DRIVER
        or not driver.is_active
    ):
        raise ValidationError({"driver": "Choose an active driver of your service"})
    vehicle = shift.vehicle if shift.vehicle_id else None
    if vehicle is None or vehicle.provider_id != provider.pk or not vehicle.active:
        raise ValidationError({"vehicle": "Choose an active vehicle of your service"})
    if shift.date is None:
        raise ValidationError({"date": "Enter the date of the shift"})
    if shift.start_time is None:
        raise ValidationError({"start_time": "Enter the start time"})
    if shift.end_time is None:
        raise ValidationError({"end_time": "Enter the end time"})
    if shift.end_time <= shift.start_time:
        raise ValidationError({"end_time": "The shift must end after it starts"})
    same_day = provider.driver_shifts.filter(date=shift.date).exclude(pk=shift.pk)
    if same_day.filter(driver=driver).exists():
        raise ValidationError({"driver": "This driver already has a shift on this date"})
    overlapping = same_day.filter(
        vehicle=vehicle, start_time__lt=shift.end_time, end_time__gt=shift.start_time
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "vehicle": f"This vehicle is already on a shift from "
                f"{overlapping.start_time:%H:%M} to {overlapping.end_time:%H:%M} on this date"
            }
        )


@transaction.atomic
def shift_create(
    *, actor: User, provider: Provider, data: dict, origin: AuditOrigin | None = None
) -> DriverShift:
    # Lock the provider's vehicle row so two managers booking it at once are served in turn.
    vehicle = data.get("vehicle")
    if vehicle is not None and vehicle.pk is not None:
        Vehicle.objects.select_for_update().filter(pk=vehicle.pk).first()
    shift = DriverShift(provider=provider, **{k: data.get(k) for k in SHIFT_FIELDS})
    _check_shift(shift, provider)
    return record_save(
        shift,
        actor=actor,
        origin=origin,
        detail=f"shift {shift} for {shift.driver.username} on {shift.vehicle.registration}",
    )


@transaction.atomic
def delivery_details_save(
    *, actor: User, client: Client, data: dict, origin: AuditOrigin | None = None
) -> ClientDeliveryDetails:
    """Create or replace the client's delivery details (PUT semantics: every field given)."""
    if client.provider_id != actor.provider_id:
        raise ValidationError("This client belongs to another service")
    details = delivery_details_of(client=client)
    created = details is None
    if created:
        details = ClientDeliveryDetails(client=client)
    _fields_set(details, data, DETAILS_FIELDS, normalise={"postcode": normalise_postcode})
    if (
        details.usually_in_from is not None
        and details.usually_in_to is not None
        and details.usually_in_to <= details.usually_in_from
    ):
        raise ValidationError({"usually_in_to": "The end of the hours must be after the start"})
    if details.lockable_box_recorded_on is not None and (
        details.lockable_box_recorded_on > timezone.localdate()
    ):
        raise ValidationError({"lockable_box_recorded_on": "The date cannot be in the future"})
    if (details.latitude is None) != (details.longitude is None):
        raise ValidationError({"longitude": "Enter both latitude and longitude, or neither"})
    return record_save(
        details,
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        origin=origin,
        client=client,
        detail="delivery details",
    )


def delivery_postcode_locate(
    *, actor: User, client: Client, postcode: str, origin: AuditOrigin | None
) -> geocoder.PostcodePlace:
    """The map position of a client's delivery postcode, from the postcode server. What
    leaves the building is audited before it goes (the postcode, to which server, for whose
    details), whatever the server answers; nothing is saved. Not one transaction: the audit
    entry stays when the server fails. PostcodeNotFound or GeocoderUnavailable as
    `geocoder.postcode_locate`."""

    def audited(sent: str) -> None:
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            client=client,
            detail=f"Postcode {sent} sent to the postcode server {geocoder.server_host()} "
            "to find the delivery address's map position (nothing else was sent)",
            origin=origin,
        )

    return geocoder.postcode_locate(postcode=postcode, before_sending=audited)
