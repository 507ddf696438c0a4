"""Pages of a partner pharmacy: the pharmacist's due list (their home), one instalment to
record with its identity check and a message to the prescriber; and, for the service, the
figures per pharmacy and the pharmacies with instalments not yet recorded today.

A pharmacist loads only their own pharmacy's instalments (selectors, 404 for any other);
writes go through services.py, which writes the outcome through prescribing's service.
Every page naming a client is audited as a read. The URLs are in urls.py.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import PeriodForm, filters_refused, form_page, form_saved_by
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.pharmacy import presenters, selectors, services
from beacon.pharmacy.forms import DueFilterForm, MessageForm, PharmacyDetailsForm, SupplyForm
from beacon.pharmacy.rules import CHASE, DISPENSE, MANAGE, VIEW_FIGURES


def _due(request: HttpRequest):
    """The due list, and the form narrowing it (the days it can show: today and the next
    days the list covers)."""
    today = timezone.localdate()
    days = [today + datetime.timedelta(days=n) for n in range(selectors.DAYS_AHEAD + 1)]
    form = DueFilterForm(
        request.GET or None,
        days=[(day.isoformat(), presenters.day_text(day, today)) for day in days],
    )
    rows = selectors.due_filtered(
        selectors.instalments_due(user=request.user, today=today), **form.filters()
    )
    return form, rows, today


@permission_required(DISPENSE)
def due(request: HttpRequest) -> HttpResponse:
    pharmacy = selectors.user_pharmacy(user=request.user)
    form, rows, today = _due(request)
    page = paginate(request, rows)
    audit_request(request, action=Action.VIEW, detail=f"instalments due at {pharmacy}")
    return render(
        request,
        "pharmacy/due.html",
        {
            "pharmacy": pharmacy,
            "form": form,
            "page": page,
            "due": presenters.due_table(page.object_list, today=today),
            "identity_prompt": presenters.IDENTITY_PROMPT,
            "services": presenters.service_links(request.user),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(DISPENSE)
def due_csv(request: HttpRequest) -> HttpResponse:
    form, rows, today = _due(request)
    if filters_refused(form):
        return due(request)
    pharmacy = selectors.user_pharmacy(user=request.user)
    audit_request(
        request, action=Action.EXPORT, detail=f"instalments due at {pharmacy}, CSV of {len(rows)}"
    )
    return presenters.DueExport(rows, today=today).csv_response()


def _instalment_page(request: HttpRequest, instalment, supply_form, message_form, status=200):
    today = timezone.localdate()
    return render(
        request,
        "pharmacy/instalment.html",
        {
            "instalment": instalment,
            "lines": presenters.instalment_lines(instalment, today=today),
            "wording": presenters.wording(instalment),
            "identity_prompt": presenters.IDENTITY_PROMPT,
            "do_not_supply": selectors.instalment_do_not_supply(instalment=instalment, today=today),
            "do_not_supply_text": services.DO_NOT_SUPPLY,
            "record": getattr(instalment, "pharmacy_supply", None),
            "supply_form": supply_form,
            "message_form": message_form,
            "today": today,
        },
        status=status,
    )


@permission_required(DISPENSE)
@require_http_methods(["GET", "POST"])
def instalment(request: HttpRequest, instalment_id: int) -> HttpResponse:
    record = selectors.pharmacy_instalment_get(user=request.user, instalment_id=instalment_id)
    form = SupplyForm(request.POST or None, supervised=record.supervised, quantity=record.quantity)
    if form_saved_by(request, form, services.pharmacy_supply_record, instalment=record):
        messages.success(request, "Instalment recorded.")
        return redirect("pharmacy:due")
    if request.method == "GET":
        audit_request(
            request,
            action=Action.VIEW,
            obj=record,
            client=record.prescription.client,
            detail="instalment at the pharmacy",
        )
    return _instalment_page(request, record, form, MessageForm())


@permission_required(DISPENSE)
@require_POST
def message(request: HttpRequest, instalment_id: int) -> HttpResponse:
    record = selectors.pharmacy_instalment_get(user=request.user, instalment_id=instalment_id)
    form = MessageForm(request.POST)
    if form_saved_by(request, form, services.pharmacy_message_leave, instalment=record):
        messages.success(request, "Message sent to the prescriber.")
        return redirect("pharmacy:instalment", instalment_id=record.pk)
    return _instalment_page(
        request, record, SupplyForm(supervised=record.supervised, quantity=record.quantity), form
    )


def _figures(request: HttpRequest):
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    rows = selectors.pharmacy_figures(provider=request.provider, today=last, first=first)
    return form, rows, first, last


@permission_required(VIEW_FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    not_recorded = selectors.pharmacies_not_recorded(provider=request.provider, today=today)
    form, rows, first, last = _figures(request)
    return render(
        request,
        "pharmacy/figures.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "figures": presenters.figures_table(rows),
            "not_recorded": presenters.not_recorded_table(not_recorded, today=today),
            "to_phone": [row.pharmacy for row in not_recorded],
            "may_chase": user_can(request.user, CHASE),
            "may_manage": user_can(request.user, MANAGE),
            "today": today,
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_FIGURES)
def figures_csv(request: HttpRequest) -> HttpResponse:
    form, rows, first, last = _figures(request)
    if filters_refused(form):
        return figures(request)
    return presenters.PharmacyFiguresExport(rows, first=first, last=last).csv_response()


@permission_required(VIEW_FIGURES)
def not_recorded_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.pharmacies_not_recorded(provider=request.provider, today=today)
    return presenters.NotRecordedExport(rows, today=today).csv_response()


@permission_required(CHASE)
@require_POST
def phoned(request: HttpRequest, pharmacy_id: int) -> HttpResponse:
    pharmacy = selectors.pharmacy_get(provider=request.provider, pharmacy_id=pharmacy_id)
    try:
        services.pharmacy_chase_record(
            actor=request.user, pharmacy=pharmacy, origin=audit_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Recorded: {pharmacy} phoned about its instalments.")
    return redirect("pharmacy:figures")


# A pharmacy's details, kept by the service's managers (H-148) ---------------------------


@permission_required(MANAGE)
def pharmacies(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request,
        selectors.pharmacies_of(provider=request.provider).select_related("pharmacy_profile"),
    )
    return render(
        request,
        "pharmacy/pharmacies.html",
        {"page": page, "table": presenters.pharmacies_table(page.object_list)},
    )


def _details_initial(pharmacy) -> dict:
    profile = getattr(pharmacy, "pharmacy_profile", None)
    return {
        "name": pharmacy.name,
        "ods_code": pharmacy.ods_code,
        "phone": pharmacy.phone,
        "email": pharmacy.email,
        "address": getattr(profile, "address", ""),
        "postcode": getattr(profile, "postcode", ""),
        "opening_hours": getattr(profile, "opening_hours", ""),
    }


def _details_page(request: HttpRequest, pharmacy=None) -> HttpResponse:
    form = PharmacyDetailsForm(
        request.POST or None, initial=_details_initial(pharmacy) if pharmacy else None
    )
    if form_saved_by(request, form, services.pharmacy_details_save, pharmacy=pharmacy):
        messages.success(request, "Pharmacy details saved.")
        return redirect("pharmacy:pharmacies")
    return form_page(
        request,
        form=form,
        title=f"Change the details of {pharmacy}" if pharmacy else "Add a partner pharmacy",
        button="Save",
        back=reverse("pharmacy:pharmacies"),
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def pharmacy_add(request: HttpRequest) -> HttpResponse:
    return _details_page(request)


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def pharmacy_edit(request: HttpRequest, pharmacy_id: int) -> HttpResponse:
    pharmacy = selectors.pharmacy_get(provider=request.provider, pharmacy_id=pharmacy_id)
    return _details_page(request, pharmacy)
