"""Set-up endpoints of the JSON API, under /api/v1/delivery/: vehicles, drivers' shifts, a
client's delivery details. Writes go through services/setup.py, which audits them; reading
a client's delivery details is audited here, with the client."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.core.api import api_write, role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED, IsoDate
from beacon.delivery.presenters.setup import delivery_details_data
from beacon.delivery.schemas.setup import (
    DeliveryDetailsIn,
    DeliveryDetailsOut,
    ShiftIn,
    ShiftOut,
    VehicleIn,
    VehicleOut,
)
from beacon.delivery.selectors import setup as selectors
from beacon.delivery.services import setup as services

router = Router(tags=["delivery"])

MANAGE = "delivery.manage_setup"
DETAILS = "delivery.edit_delivery_details"


@router.get(
    "/vehicles",
    response={200: list[VehicleOut], **REFUSED},
    summary="The service's delivery vehicles",
)
def vehicle_list(request: HttpRequest):
    ensure_can(request.user, MANAGE)
    return list(selectors.vehicles(provider=request.provider))


@router.post(
    "/vehicles",
    response={201: VehicleOut, **INVALID},
    summary="Add a vehicle lent by a partner organisation",
    auth=role_gate(MANAGE),
)
def vehicle_create(request: HttpRequest, payload: VehicleIn):
    ensure_can(request.user, MANAGE)
    partner = request.provider.partner_organisations.filter(
        pk=payload.partner_organisation_id
    ).first()
    if partner is None:
        raise ValidationError(
            {"partner_organisation_id": "No partner organisation with this id in your service"}
        )
    data = payload.model_dump(exclude={"partner_organisation_id"})
    data["partner_organisation"] = partner
    vehicle = services.vehicle_create(
        actor=request.user, provider=request.provider, data=data, origin=audit_origin(request)
    )
    return Status(201, vehicle)


@router.get(
    "/shifts",
    response={200: list[ShiftOut], **REFUSED},
    summary="Drivers' shifts on a date (today if none is given)",
)
def shift_list(request: HttpRequest, date: Query[IsoDate | None] = None):
    ensure_can(request.user, MANAGE)
    day = date or timezone.localdate()
    return list(selectors.shifts_on(provider=request.provider, date=day))


@router.post(
    "/shifts",
    response={201: ShiftOut, **INVALID},
    summary="Add a driver's shift: one a day per driver, no vehicle on two at once",
    auth=role_gate(MANAGE),
)
def shift_create(request: HttpRequest, payload: ShiftIn):
    ensure_can(request.user, MANAGE)
    driver = selectors.drivers(provider=request.provider).filter(pk=payload.driver_id).first()
    if driver is None:
        raise ValidationError({"driver_id": "No active driver with this id in your service"})
    vehicle = selectors.vehicles(provider=request.provider).filter(pk=payload.vehicle_id).first()
    if vehicle is None:
        raise ValidationError({"vehicle_id": "No vehicle with this id in your service"})
    data = payload.model_dump(exclude={"driver_id", "vehicle_id"})
    data.update(driver=driver, vehicle=vehicle)
    shift = services.shift_create(
        actor=request.user, provider=request.provider, data=data, origin=audit_origin(request)
    )
    return Status(201, shift)


@router.get(
    "/clients/{str:client_number}/delivery-details",
    response={200: DeliveryDetailsOut, **REFUSED},
    summary="A client's delivery details (404 until recorded)",
)
def delivery_details_get(request: HttpRequest, client_number: str):
    client = selectors.delivery_client_get(user=request.user, client_number=client_number)
    details = selectors.delivery_details_of(client=client)
    audit_request(request, action=Action.VIEW, client=client, detail="delivery details")
    if details is None:
        raise Http404
    return delivery_details_data(client, details)


@router.put(
    "/clients/{str:client_number}/delivery-details",
    response={200: DeliveryDetailsOut, **INVALID},
    summary="Record or replace a client's delivery details",
    auth=role_gate(DETAILS),
)
def delivery_details_put(request: HttpRequest, client_number: str, payload: DeliveryDetailsIn):
    client = selectors.delivery_client_get(user=request.user, client_number=client_number)
    details = api_write(request, services.delivery_details_save, payload, client=client)
    return delivery_details_data(client, details)
