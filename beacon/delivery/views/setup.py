"""Pages of delivery set-up: vehicles (list, add, edit), drivers' shifts for a day (list,
add), and a client's delivery details (view, edit).

Vehicles and shifts need `delivery.manage_setup` (managers); delivery details need
`delivery.edit_delivery_details` with the client (managers, and keyworkers for clients
of their team or caseload). The role is checked before any record is loaded; records load
through request.provider; writes go through services/setup.py, which audits them; every
view of a client's delivery details is audited with the client.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients.models import Client
from beacon.core.audit import Action, audit_origin, audit_record
from beacon.core.forms import form_saved, service_errors_onto
from beacon.core.permissions import permission_required
from beacon.delivery.forms.setup import (
    DeliveryDetailsForm,
    ShiftDayForm,
    ShiftForm,
    VehicleForm,
)
from beacon.delivery.models import ClientDeliveryDetails
from beacon.delivery.presenters import setup as presenters
from beacon.delivery.selectors import setup as selectors
from beacon.delivery.services import setup as services

MANAGE = "delivery.manage_setup"
DETAILS = "delivery.edit_delivery_details"


def _form_page(
    request: HttpRequest, *, form, title: str, button: str, cancel: str, caption: str = ""
) -> HttpResponse:
    return render(
        request,
        "delivery/setup/form.html",
        {"form": form, "title": title, "button": button, "cancel": cancel, "caption": caption},
    )


@permission_required(MANAGE)
def vehicle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "delivery/setup/vehicles.html",
        {
            "vehicles_head": presenters.VEHICLES_HEAD,
            "vehicle_rows": presenters.vehicle_rows(selectors.vehicles(provider=request.provider)),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def vehicle_create(request: HttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None, provider=request.provider)
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = services.vehicle_create(
                actor=request.user,
                provider=request.provider,
                data=form.cleaned_data,
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Vehicle {vehicle.registration} added.")
            return redirect("delivery:vehicles")
    return _form_page(
        request,
        form=form,
        title="Add a vehicle",
        button="Add vehicle",
        cancel="delivery:vehicles",
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def vehicle_edit(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = selectors.vehicle_get(user=request.user, vehicle_id=vehicle_id)
    initial = {
        "partner_organisation": vehicle.partner_organisation_id,
        "registration": vehicle.registration,
        "make": vehicle.make,
        "colour": vehicle.colour,
        "active": vehicle.active,
    }
    form = VehicleForm(request.POST or None, provider=request.provider, initial=initial)

    def save(data):
        services.vehicle_update(
            actor=request.user,
            provider=request.provider,
            vehicle=vehicle,
            data=data,
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, f"Vehicle {vehicle.registration} saved.")
        return redirect("delivery:vehicles")
    return _form_page(
        request,
        form=form,
        title=f"Edit vehicle {vehicle.registration}",
        button="Save vehicle",
        cancel="delivery:vehicles",
    )


@permission_required(MANAGE)
def shift_list(request: HttpRequest) -> HttpResponse:
    form = ShiftDayForm(request.GET or None)
    day = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "delivery/setup/shifts.html",
        {
            "form": form,
            "day": day,
            "shifts_head": presenters.SHIFTS_HEAD,
            "shift_rows": presenters.shift_rows(
                selectors.shifts_on(provider=request.provider, date=day)
            ),
        },
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def shift_create(request: HttpRequest) -> HttpResponse:
    form = ShiftForm(
        request.POST or None, provider=request.provider, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(
                actor=request.user,
                provider=request.provider,
                data=form.cleaned_data,
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Shift added for {shift.driver.display_name}.")
            return redirect("delivery:shifts")
    return _form_page(
        request,
        form=form,
        title="Add a driver's shift",
        button="Add shift",
        cancel="delivery:shifts",
    )


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        client=client,
        detail=what,
        origin=audit_origin(request),
    )


def _details_initial(details: ClientDeliveryDetails | None) -> dict:
    if details is None:
        return {}
    return {name: getattr(details, name) for name in selectors.DETAILS_FIELDS}


@require_http_methods(["GET"])
def details_view(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.delivery_client_get(user=request.user, client_number=client_number)
    details = selectors.delivery_details_of(client=client)
    _viewed(request, client, "delivery details")
    return render(
        request,
        "delivery/setup/details.html",
        {
            "client": client,
            "details": details,
            "needs_lockable_box": selectors.needs_lockable_box(client),
        },
    )


details_view.beacon_permission = DETAILS


@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.delivery_client_get(user=request.user, client_number=client_number)
    details = selectors.delivery_details_of(client=client)
    form = DeliveryDetailsForm(request.POST or None, initial=_details_initial(details))

    def save(data):
        services.delivery_details_save(
            actor=request.user, client=client, data=data, origin=audit_origin(request)
        )

    if form_saved(request, form, save):
        messages.success(request, "Delivery details saved.")
        return redirect("delivery:client_details", client_number=client.client_number)
    _viewed(request, client, "delivery details form")
    return render(
        request,
        "delivery/setup/form.html",
        {
            "form": form,
            "title": "Delivery details",
            "caption": f"{client.full_name} ({client.client_number})",
            "button": "Save delivery details",
            "cancel": "delivery:client_details",
            "cancel_args": [client.client_number],
        },
    )


details_edit.beacon_permission = DETAILS
