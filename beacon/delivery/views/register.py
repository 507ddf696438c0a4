"""Pages of the controlled-drug register: balances per site and medicine, one page per site
and medicine (newest or oldest first, and as CSV), record a movement, record a correction,
the end-of-day reconciliation, and each site's patient returns (record one, record its
witnessed destruction, CSV).

Only holders of `delivery.keep_register` (managers for now) open them; drivers never do.
Records load through the user's provider (another provider's site or entry is a 404 or
never listed, and a correction naming it is refused); writes go through
services/register.py; every page is audited as a read, every CSV as an export.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.exporters import csv_response
from beacon.core.forms import filters_refused, filters_text, form_saved
from beacon.core.models import Site
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required
from beacon.core.presenters import quantity_text
from beacon.delivery.forms.register import (
    CorrectionForm,
    MovementForm,
    PatientReturnDestroyForm,
    PatientReturnForm,
    ReconciliationForm,
    RegisterFilterForm,
    StockSiteForm,
)
from beacon.delivery.models import RegisterEntry, register_unit
from beacon.delivery.presenters import register as presenters
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services
from beacon.prescribing.medicines import Medicine

KEEP = "delivery.keep_register"
Kind = RegisterEntry.Kind


def _viewed(request: HttpRequest, what: str) -> None:
    audit_request(request, action=Action.VIEW, detail=what)


def _exported(request: HttpRequest, what: str) -> None:
    audit_request(request, action=Action.EXPORT, detail=what)


def _to_page(site: Site, medicine: Medicine) -> HttpResponse:
    return redirect("delivery:register", site_id=site.pk, medicine=medicine.code)


def _order(request: HttpRequest) -> str:
    return "oldest" if request.GET.get("order") == "oldest" else "newest"


@permission_required(KEEP)
def register_index(request: HttpRequest) -> HttpResponse:
    _viewed(request, "CD register balances")
    return render(
        request,
        "delivery/register/index.html",
        {
            "sites": selectors.register_sites(provider=request.provider),
            "stock_site": selectors.delivery_stock_site(provider=request.provider),
            "balances_head": presenters.BALANCES_HEAD,
            "balance_rows": presenters.balance_rows(
                selectors.register_balances(provider=request.provider)
            )
            or presenters.empty_row(
                "No sites yet: a register is kept per site.", len(presenters.BALANCES_HEAD)
            ),
        },
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def stock_site(request: HttpRequest) -> HttpResponse:
    current = selectors.delivery_stock_site(provider=request.provider)
    form = StockSiteForm(request.POST or None, provider=request.provider, initial={"site": current})

    def save(data):
        services.delivery_stock_site_set(
            actor=request.user,
            provider=request.provider,
            site=data["site"],
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Site holding the delivery stock saved.")
        return redirect("delivery:register_index")
    _viewed(request, "CD register: site holding the delivery stock form")
    return render(request, "delivery/register/stock_site.html", {"form": form})


@permission_required(KEEP)
def register_page(request: HttpRequest, site_id: int, medicine: str) -> HttpResponse:
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    order = _order(request)
    form = RegisterFilterForm(request.GET or None)
    filters = form.filters()
    entries = selectors.register_entries(site=site, medicine=info, order=order, **filters)
    page = paginate(request, entries)
    _viewed(
        request,
        f"CD register {site.name} {info.code}, page {page.number} ({order} first)"
        + filters_text(filters),
    )
    query = request.GET.copy()
    query.pop("page", None)
    other_order = query.copy()
    other_order["order"] = "newest" if order == "oldest" else "oldest"
    return render(
        request,
        "delivery/register/page.html",
        {
            "site": site,
            "medicine": info,
            "unit": register_unit(info),
            "balance": selectors.register_balance(site=site, medicine=info),
            "page": page,
            "order": order,
            "entries_head": presenters.ENTRIES_HEAD,
            "entry_rows": presenters.entry_rows(page.object_list)
            or presenters.empty_row(
                "No entries match these filters." if any(filters.values()) else "No entries yet.",
                len(presenters.ENTRIES_HEAD),
            ),
            "kinds": [k for k in Kind if k != Kind.CORRECTION],
            "form": form,
            "filtered": any(filters.values()),
            "csv_query": query.urlencode() or f"order={order}",
            "other_order_query": other_order.urlencode(),
        },
    )


@permission_required(KEEP)
@require_http_methods(["GET"])
def register_csv(request: HttpRequest, site_id: int, medicine: str) -> HttpResponse:
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    order = _order(request)
    form = RegisterFilterForm(request.GET or None)
    if filters_refused(form):
        return register_page(request, site_id, medicine)
    filters = form.filters()
    entries = selectors.register_entries(site=site, medicine=info, order=order, **filters)
    _exported(
        request,
        f"CD register {site.name} {info.code} as CSV ({order} first)" + filters_text(filters),
    )
    return csv_response(
        filename=f"cd-register-{site.pk}-{info.code}-{timezone.localdate():%Y-%m-%d}.csv",
        header=presenters.REGISTER_CSV_HEADER,
        rows=presenters.register_csv_rows(entries),
    )


def _form_page(
    request: HttpRequest,
    *,
    form,
    site: Site,
    medicine: Medicine,
    what: str,
    title: str,
    button: str,
) -> HttpResponse:
    """A form of a register page (`what` it records), its view audited."""
    _viewed(request, f"CD register {site.name} {medicine.code}: {what} form")
    return render(
        request,
        "delivery/register/form.html",
        {
            "form": form,
            "site": site,
            "medicine": medicine,
            "unit": register_unit(medicine),
            "balance": selectors.register_balance(site=site, medicine=medicine),
            "title": title,
            "button": button,
        },
    )


def _now_initial() -> dict:
    now = timezone.localtime()
    return {"occurred_on": now.date(), "occurred_time": now.strftime("%H:%M")}


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def movement_record(request: HttpRequest, site_id: int, medicine: str, kind: str) -> HttpResponse:
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    if kind not in services.MOVEMENT_KINDS:
        raise Http404("No such movement")
    form = MovementForm(
        request.POST or None,
        kind=kind,
        provider=request.provider,
        user=request.user,
        unit=register_unit(info),
        initial=_now_initial(),
    )

    def save(_cleaned):
        entry = services.register_movement_record(
            actor=request.user,
            provider=request.provider,
            site=site,
            medicine=info.code,
            data=form.service_data(),
            origin=audit_origin(request),
        )
        balance = quantity_text(entry.balance_after, entry.unit)
        messages.success(request, f"Recorded: {entry}. Balance {balance}.")

    if form_saved(request, form, save):
        return _to_page(site, info)
    what = Kind(kind).label.lower()
    return _form_page(
        request,
        form=form,
        site=site,
        medicine=info,
        what=what,
        title=f"Record: {what}",
        button="Record entry",
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def correction_record(request: HttpRequest, site_id: int, medicine: str) -> HttpResponse:
    site, info = selectors.register_page_get(user=request.user, site_id=site_id, medicine=medicine)
    entries = selectors.register_entries(site=site, medicine=info).exclude(kind=Kind.CORRECTION)
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
            site=site,
            medicine=info.code,
            data=data,
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Correction recorded.")
        return _to_page(site, info)
    return _form_page(
        request,
        form=form,
        site=site,
        medicine=info,
        what="correction",
        title="Record a correction",
        button="Record correction",
    )


@permission_required(KEEP)
def reconciliation(request: HttpRequest) -> HttpResponse:
    form = ReconciliationForm(request.GET or None)
    day = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    rows = selectors.reconciliation(provider=request.provider, date=day)
    _viewed(request, f"CD register reconciliation {day:%Y-%m-%d}")
    return render(
        request,
        "delivery/register/reconciliation.html",
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
            "still_out": [row for row in rows if row.is_still_out],
        },
    )


# Patient returns: apart from stock, never in a balance.


@permission_required(KEEP)
def patient_returns(request: HttpRequest, site_id: int) -> HttpResponse:
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    page = paginate(request, selectors.patient_returns(site=site))
    _viewed(request, f"patient returns {site.name}, page {page.number}")
    return render(
        request,
        "delivery/register/returns.html",
        {
            "site": site,
            "page": page,
            "returns_head": presenters.RETURNS_HEAD,
            "return_rows": presenters.return_rows(page.object_list)
            or presenters.empty_row("No patient returns yet.", len(presenters.RETURNS_HEAD)),
        },
    )


@permission_required(KEEP)
@require_http_methods(["GET"])
def patient_returns_csv(request: HttpRequest, site_id: int) -> HttpResponse:
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    _exported(request, f"patient returns {site.name} as CSV")
    return csv_response(
        filename=f"patient-returns-{site.pk}-{timezone.localdate():%Y-%m-%d}.csv",
        header=presenters.RETURNS_CSV_HEADER,
        rows=presenters.return_csv_rows(selectors.patient_returns(site=site)),
    )


def _returns_form_page(
    request: HttpRequest, *, form, site: Site, what: str, title: str
) -> HttpResponse:
    """A form of a site's patient returns (`what` it is), its view audited."""
    _viewed(request, f"patient returns {site.name}: {what}")
    return render(
        request,
        "delivery/register/returns_form.html",
        {"form": form, "site": site, "title": title},
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def patient_return_record(request: HttpRequest, site_id: int) -> HttpResponse:
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    form = PatientReturnForm(
        request.POST or None, provider=request.provider, initial=_now_initial()
    )

    def save(_cleaned):
        data = form.service_data()
        services.patient_return_record(
            actor=request.user,
            provider=request.provider,
            site=site,
            medicine=data.pop("medicine"),
            data=data,
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Patient return recorded, apart from stock.")
        return redirect("delivery:patient_returns", site_id=site.pk)
    return _returns_form_page(
        request, form=form, site=site, what="return form", title="Record a patient return"
    )


@permission_required(KEEP)
@require_http_methods(["GET", "POST"])
def patient_return_destroy(request: HttpRequest, site_id: int, return_id: int) -> HttpResponse:
    site = selectors.register_site_get(user=request.user, site_id=site_id)
    returned = selectors.patient_return_get(user=request.user, site=site, return_id=return_id)
    form = PatientReturnDestroyForm(
        request.POST or None, provider=request.provider, user=request.user, initial=_now_initial()
    )

    def save(_cleaned):
        services.patient_return_destroy(
            actor=request.user,
            provider=request.provider,
            patient_return=returned,
            data=form.service_data(),
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, f"Destruction of return #{returned.pk} recorded.")
        return redirect("delivery:patient_returns", site_id=site.pk)
    return _returns_form_page(
        request,
        form=form,
        site=site,
        what=f"destruction form for {returned.pk}",
        title=f"Record the destruction of return #{returned.pk}",
    )
