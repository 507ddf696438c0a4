"""Pages of delivery set-up: vehicles (list, add, edit), drivers' shifts for a day (list,
add), and a client's delivery details (view, edit).

Vehicles and shifts need `delivery.manage_setup` (managers); delivery details need
`delivery.edit_delivery_details` with the client (managers, and keyworkers for clients
of their team or caseload). The role is checked before any record is loaded; records load
through request.provider; writes go through setup_services.py, which audits them; every
view of a client's delivery details is audited with the client.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.core.audit import Action, audit_record
from beacon.core.forms import form_saved, service_errors_onto
from beacon.core.permissions import ensure_can, permission_required
from beacon.delivery import setup_services
from beacon.delivery.setup_forms import (
    DeliveryDetailsForm,
    ShiftDayForm,
    ShiftForm,
    VehicleForm,
)

MANAGE = "delivery.manage_setup"
DETAILS = "delivery.edit_delivery_details"


def _form_page(request, *, form, title, button, cancel, caption=""):
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
        {"vehicles": setup_services.vehicles(provider=request.provider)},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def vehicle_create(request: HttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None, provider=request.provider)
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = setup_services.vehicle_create(
                actor=request.user,
                provider=request.provider,
                data=form.cleaned_data,
                request=request,
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
    vehicle = setup_services.vehicle_get(provider=request.provider, vehicle_id=vehicle_id)
    if vehicle is None:
        raise Http404("No such vehicle")
    initial = {
        "partner_organisation": vehicle.partner_organisation_id,
        "registration": vehicle.registration,
        "make": vehicle.make,
        "colour": vehicle.colour,
        "active": vehicle.active,
    }
    form = VehicleForm(request.POST or None, provider=request.provider, initial=initial)

    def save(data):
        setup_services.vehicle_update(
            actor=request.user,
            provider=request.provider,
            vehicle=vehicle,
            data=data,
            request=request,
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
            "shifts": setup_services.shifts_on(provider=request.provider, date=day),
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
            shift = setup_services.shift_create(
                actor=request.user,
                provider=request.provider,
                data=form.cleaned_data,
                request=request,
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


def _client(request: HttpRequest, client_number: str):
    ensure_can(request.user, DETAILS)  # the role first: no hint whether the client exists
    client = request.provider.clients.filter(client_number=client_number.upper()).first()
    if client is None:
        raise Http404("No such client")
    ensure_can(request.user, DETAILS, client)
    return client


def _viewed(request: HttpRequest, client, what: str) -> None:
    audit_record(
        actor=request.user, action=Action.VIEW, client=client, detail=what, request=request
    )


def _details_initial(details) -> dict:
    if details is None:
        return {}
    return {name: getattr(details, name) for name in setup_services.DETAILS_FIELDS}


@require_http_methods(["GET"])
def details_view(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number)
    details = setup_services.delivery_details_get(client=client)
    _viewed(request, client, "delivery details")
    return render(
        request,
        "delivery/setup/details.html",
        {
            "client": client,
            "details": details,
            "needs_lockable_box": setup_services.needs_lockable_box(client),
        },
    )


details_view.beacon_permission = DETAILS


@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, client_number: str) -> HttpResponse:
    client = _client(request, client_number)
    details = setup_services.delivery_details_get(client=client)
    form = DeliveryDetailsForm(request.POST or None, initial=_details_initial(details))

    def save(data):
        setup_services.delivery_details_save(
            actor=request.user, client=client, data=data, request=request
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

urlpatterns = [
    path("vehicles/", vehicle_list, name="vehicles"),
    path("vehicles/new/", vehicle_create, name="vehicle_new"),
    path("vehicles/<int:vehicle_id>/edit/", vehicle_edit, name="vehicle_edit"),
    path("shifts/", shift_list, name="shifts"),
    path("shifts/new/", shift_create, name="shift_new"),
    path("clients/<str:client_number>/details/", details_view, name="client_details"),
    path("clients/<str:client_number>/details/edit/", details_edit, name="client_details_edit"),
]
