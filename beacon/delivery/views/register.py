"""Pages of the controlled-drug register: balances, one page per medicine, record a
movement, record a correction, the end-of-day reconciliation.

Only holders of `delivery.keep_register` (managers for now) open them; drivers never do.
Records load through the user's provider (another provider's entry is never listed and a
correction naming it is refused); writes go through services/register.py; every
page is audited as a read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.core.audit import Action, audit_origin, audit_record
from beacon.core.forms import form_saved, service_errors_onto
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required
from beacon.core.presenters import quantity_text
from beacon.delivery.forms.register import CorrectionForm, MovementForm, ReconciliationForm
from beacon.delivery.models import RegisterEntry, register_unit
from beacon.delivery.presenters import register as presenters
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services
from beacon.prescribing.medicines import Medicine

KEEP = "delivery.keep_register"
Kind = RegisterEntry.Kind


def _viewed(request: HttpRequest, what: str) -> None:
    audit_record(actor=request.user, action=Action.VIEW, detail=what, origin=audit_origin(request))


def _to_page(medicine: Medicine) -> HttpResponse:
    return redirect("delivery:register", medicine=medicine.code)


@permission_required(KEEP)
def register_index(request: HttpRequest) -> HttpResponse:
    _viewed(request, "CD register balances")
    return render(
        request,
        "delivery/register_index.html",
        {
            "balances_head": presenters.BALANCES_HEAD,
            "balance_rows": presenters.balance_rows(
                selectors.register_balances(provider=request.provider)
            ),
        },
    )


@permission_required(KEEP)
def register_page(request: HttpRequest, medicine: str) -> HttpResponse:
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    page = paginate(request, selectors.register_entries(provider=request.provider, medicine=info))
    _viewed(request, f"CD register {info.code}, page {page.number}")
    return render(
        request,
        "delivery/register_page.html",
        {
            "medicine": info,
            "unit": register_unit(info),
            "balance": selectors.register_balance(provider=request.provider, medicine=info),
            "page": page,
            "entries_head": presenters.ENTRIES_HEAD,
            "entry_rows": presenters.entry_rows(page.object_list)
            or presenters.empty_row("No entries yet.", len(presenters.ENTRIES_HEAD)),
            "kinds": [k for k in Kind if k != Kind.CORRECTION],
        },
    )


def _form_page(
    request: HttpRequest, *, form, medicine: Medicine, title: str, button: str
) -> HttpResponse:
    return render(
        request,
        "delivery/register_form.html",
        {
            "form": form,
            "medicine": medicine,
            "unit": register_unit(medicine),
            "balance": selectors.register_balance(provider=request.provider, medicine=medicine),
            "title": title,
            "button": button,
        },
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def movement_record(request: HttpRequest, medicine: str, kind: str) -> HttpResponse:
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    if kind not in services.MOVEMENT_KINDS:
        raise Http404("No such movement")
    now = timezone.localtime()
    form = MovementForm(
        request.POST or None,
        kind=kind,
        provider=request.provider,
        unit=register_unit(info),
        initial={"occurred_on": now.date(), "occurred_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.register_movement_record(
                actor=request.user,
                provider=request.provider,
                medicine=info.code,
                data=form.service_data(),
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(
                request,
                f"Recorded: {entry}. Balance {quantity_text(entry.balance_after, entry.unit)}.",
            )
            return _to_page(info)
    _viewed(request, f"CD register {info.code}: {Kind(kind).label.lower()} form")
    return _form_page(
        request,
        form=form,
        medicine=info,
        title=f"Record: {Kind(kind).label.lower()}",
        button="Record entry",
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def correction_record(request: HttpRequest, medicine: str) -> HttpResponse:
    info = selectors.register_medicine_get(user=request.user, medicine=medicine)
    entries = selectors.register_entries(provider=request.provider, medicine=info).exclude(
        kind=Kind.CORRECTION
    )
    form = CorrectionForm(
        request.POST or None,
        entries=entries,
        unit=register_unit(info),
        initial={"corrects": request.GET.get("entry")},
    )

    def save(data):
        services.register_correction_record(
            actor=request.user,
            provider=request.provider,
            medicine=info.code,
            data=data,
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Correction recorded.")
        return _to_page(info)
    _viewed(request, f"CD register {info.code}: correction form")
    return _form_page(
        request, form=form, medicine=info, title="Record a correction", button="Record correction"
    )


@permission_required(KEEP)
def reconciliation(request: HttpRequest) -> HttpResponse:
    form = ReconciliationForm(request.GET or None)
    day = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    rows = selectors.reconciliation(provider=request.provider, date=day)
    _viewed(request, f"CD register reconciliation {day:%Y-%m-%d}")
    return render(
        request,
        "delivery/reconciliation.html",
        {
            "form": form,
            "day": day,
            "rows": rows,
            "reconciliation_head": presenters.RECONCILIATION_HEAD,
            "reconciliation_rows": presenters.reconciliation_rows(rows)
            or presenters.empty_row(
                "No parcels were handed to drivers on this day.",
                len(presenters.RECONCILIATION_HEAD),
            ),
            "discrepancies": [row for row in rows if row.is_discrepancy],
        },
    )
