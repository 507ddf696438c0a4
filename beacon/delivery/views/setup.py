"""Pages of delivery set-up: vehicles (list, add, edit), drivers' shifts for a day (list,
add), and a client's delivery details (view, edit).

Vehicles and shifts need `delivery.manage_setup` (managers); delivery details need
`delivery.edit_delivery_details` with the client (managers, and keyworkers for clients
of their team or caseload). The role is checked before any record is loaded; records load
through request.provider; writes go through services/setup.py, which audits them; every
view of a client's delivery details is audited with the client.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients.models import Client
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import form_saved, form_saved_by
from beacon.core.permissions import permission_required
from beacon.delivery import geocoder
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


def _setup_form(
    request: HttpRequest, *, form, save, title: str, button: str, back: str
) -> HttpResponse:
    """A form of vehicles or shifts: on a valid POST `save(data)` calls the service and
    says what it saved, shown back on the list `back`; otherwise the form page."""
    if form_saved(request, form, lambda data: messages.success(request, save(data))):
        return redirect(back)
    return render(
        request,
        "delivery/setup/form.html",
        {"form": form, "title": title, "button": button, "cancel": back, "caption": ""},
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

    def save(data) -> str:
        vehicle = services.vehicle_create(
            actor=request.user, provider=request.provider, data=data, origin=audit_origin(request)
        )
        return f"Vehicle {vehicle.registration} added."

    return _setup_form(
        request,
        form=form,
        save=save,
        title="Add a vehicle",
        button="Add vehicle",
        back="delivery:vehicles",
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

    def save(data) -> str:
        services.vehicle_update(
            actor=request.user,
            provider=request.provider,
            vehicle=vehicle,
            data=data,
            origin=audit_origin(request),
        )
        return f"Vehicle {vehicle.registration} saved."

    return _setup_form(
        request,
        form=form,
        save=save,
        title=f"Edit vehicle {vehicle.registration}",
        button="Save vehicle",
        back="delivery:vehicles",
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

    def save(data) -> str:
        shift = services.shift_create(
            actor=request.user, provider=request.provider, data=data, origin=audit_origin(request)
        )
        return f"Shift added for {shift.driver.display_name}."

    return _setup_form(
        request,
        form=form,
        save=save,
        title="Add a driver's shift",
        button="Add shift",
        back="delivery:shifts",
    )


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    audit_request(request, action=Action.VIEW, client=client, detail=what)


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


def _postcode_looked_up(
    request: HttpRequest, client: Client
) -> tuple[DeliveryDetailsForm, dict | None]:
    """The form as typed, with the postcode's map position put in its latitude and
    longitude to confirm (nothing is saved), or the reason there is none on the postcode."""
    form = _position_form(request.POST)
    if "postcode" in form.errors or not form.cleaned_data.get("postcode"):
        if "postcode" not in form.errors:
            form.add_error("postcode", "Enter the postcode to find its map position")
        return form, None
    try:
        place = services.delivery_postcode_locate(
            actor=request.user,
            client=client,
            postcode=form.cleaned_data["postcode"],
            origin=audit_origin(request),
        )
    except geocoder.PostcodeNotFound as exc:
        form.add_error("postcode", f"{exc}: check it, or type the latitude and longitude")
        return form, None
    except geocoder.GeocoderUnavailable as exc:
        form.add_error(
            "latitude", f"{exc}. Nothing was lost: try again, or type the latitude and longitude"
        )
        return form, None
    typed = request.POST.copy()
    typed["latitude"], typed["longitude"] = str(place.latitude), str(place.longitude)
    place_found = {
        "postcode": place.postcode,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }
    return _position_form(typed), place_found


POSITION_FIELDS = ("postcode", "latitude", "longitude")


def _position_form(data) -> DeliveryDetailsForm:
    """The form as typed, showing only the errors of the postcode and map position: the
    rest is checked when it is saved."""
    form = DeliveryDetailsForm(data)
    form.is_valid()
    for name in [name for name in form.errors if name not in POSITION_FIELDS]:
        del form.errors[name]
    return form


@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.delivery_client_get(user=request.user, client_number=client_number)
    details = selectors.delivery_details_of(client=client)
    found = None
    off = geocoder.geocoder_off_reason()
    if request.method == "POST" and "find_position" in request.POST:
        # "Find the map position" never saves, also when look-up is off (the button sent
        # from a page loaded before it was turned off): the form comes back as typed.
        if off:
            form = _position_form(request.POST)
            form.add_error("latitude", off)
        else:
            form, found = _postcode_looked_up(request, client)
    else:
        form = DeliveryDetailsForm(request.POST or None, initial=_details_initial(details))
        if form_saved_by(request, form, services.delivery_details_save, client=client):
            messages.success(request, "Delivery details saved.")
            return redirect("delivery:client_details", client_number=client.client_number)
    _viewed(request, client, "delivery details form")
    return render(
        request,
        "delivery/setup/details_form.html",
        {
            "form": form,
            "client": client,
            "found": found,
            "geocoder_off": off,
        },
    )


details_edit.beacon_permission = DETAILS
