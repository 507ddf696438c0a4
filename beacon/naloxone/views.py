"""Pages of naloxone: a client's kits and offers, supplying a kit with training, recording
an offer or what became of a kit, marking a supply recorded in error; the gaps list and
kits expiring (for the staff who act on them); stock and its ledger (receipts, transfers,
write-offs and count corrections by managers, each a declared `StockPage`); and the
coverage figures (managers and commissioners: aggregated, nothing identifiable, and no
staff named to a commissioner). Also what naloxone adds to the client page and caseload.

Records load through selectors scoped to the user's provider (404), permissions are
checked against the client (403), writes go through services.py, and every page naming a
client is audited as a read. The URLs are in urls.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_request
from beacon.core.forms import PeriodForm as CorePeriodForm
from beacon.core.forms import filters_refused, filters_text, form_page, form_saved
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.naloxone import presenters, selectors, services
from beacon.naloxone.forms import (
    CountForm,
    ExpiringForm,
    GapsForm,
    LedgerForm,
    OfferForm,
    PeriodForm,
    PharmacySupplyForm,
    ReceiptForm,
    ReportForm,
    ReversalForm,
    SomeoneElseSupplyForm,
    SupplyForm,
    SupplyListForm,
    TransferForm,
    WriteOffForm,
)
from beacon.naloxone.models import NaloxoneSupply, Recipient
from beacon.naloxone.rules import expiring_days
from beacon.naloxone.selectors import GapReason
from beacon.pharmacy import selectors as pharmacy_selectors
from beacon.treatment.selectors.caseload import caseload_keyworkers

VIEW = "naloxone.view_client"
SUPPLY = "naloxone.supply"
SUPPLIES = "naloxone.view_supplies"
SMALL_COUNTS = "naloxone.view_small_counts"


def _viewed(request: HttpRequest, what: str, client: Client | None = None) -> None:
    services.naloxone_viewed(
        actor=request.user, what=what, client=client, origin=audit_origin(request)
    )


def _form_page(request: HttpRequest, *, form, title: str, button: str, **extra) -> HttpResponse:
    return form_page(
        request, form=form, title=title, button=button, template="naloxone/form.html", **extra
    )


def _supply_form(request: HttpRequest, form_class: type[SupplyForm]) -> SupplyForm:
    """A supply form dated today, offering the service's batches that may be supplied today
    and its trainers (the user unless they choose another)."""
    today = timezone.localdate()
    return form_class(
        request.POST or None,
        initial={"date": today, "trained_by": request.user.pk},
        stock=selectors.supply_batches(provider=request.provider, on=today),
        staff=selectors.trainers(provider=request.provider),
    )


def _supply_saver(request: HttpRequest, client: Client | None) -> Callable[[dict], NaloxoneSupply]:
    """What a supply form saves: a kit from the chosen stock, to the client or (None) to
    someone linked to no client, trained by the person the form names."""

    def save(data: dict) -> NaloxoneSupply:
        stock = data["stock"]
        return services.supply_record(
            actor=request.user,
            client=client,
            recipient=data["recipient"],
            recipient_name=data["recipient_name"],
            batch=stock.batch,
            site=stock.site,
            on=data["date"],
            trained_by=data["trained_by"],
            training_topics=data["training_topics"],
            origin=audit_origin(request),
        )

    return save


# A client's naloxone --------------------------------------------------------------------


@permission_required(VIEW)
def client_naloxone(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    today = timezone.localdate()
    may_supply = user_can(request.user, SUPPLY, client)
    _viewed(request, "naloxone record", client)
    return render(
        request,
        "naloxone/client.html",
        {
            "client": client,
            "status": presenters.status_html(
                selectors.needs_offer(client, today),
                selectors.is_current_opiate_client(client, today),
            ),
            "due": [presenters.due_text(d) for d in selectors.client_offers_due(client=client)],
            "supply_table": {
                "head": presenters.SUPPLY_HEAD,
                "rows": presenters.supply_rows(
                    selectors.client_supplies(client=client), may_report=may_supply
                ),
                "id": "naloxone-supplies",
                "responsive": True,
            },
            "offer_table": {
                "head": presenters.OFFER_HEAD,
                "rows": presenters.offer_rows(selectors.client_offers(client=client)[:50]),
                "id": "naloxone-offers",
                "responsive": True,
            },
            "may_supply": may_supply,
        },
    )


@permission_required(SUPPLY)
@require_http_methods(["GET", "POST"])
def supply_record(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=SUPPLY
    )
    return _record_form(
        request,
        _supply_form(request, SupplyForm),
        _supply_saver(request, client),
        client=client,
        saved="Naloxone supply recorded.",
        viewed="naloxone supply form",
        title="Supply naloxone",
        button="Record supply",
        intro="To the client, or to a friend, family member, carer or someone else for them. "
        "Train them before the kit is handed over.",
    )


@permission_required(SUPPLY)
@require_http_methods(["GET", "POST"])
def supply_to_someone(request: HttpRequest) -> HttpResponse:
    """A kit to a friend, family member, carer or anyone else linked to no client, trained
    first, through the same service as a supply for a client (H-147)."""
    record = _supply_saver(request, None)
    recorded: list[NaloxoneSupply] = []
    return _record_form(
        request,
        _supply_form(request, SomeoneElseSupplyForm),
        lambda data: recorded.append(record(data)),
        client=None,
        # To the supplies list, narrowed to the kits like it the user recorded that day: the
        # one just recorded is on it with what may be recorded of it next.
        saved_to=lambda: _supplies_to_someone_else(request.user, recorded[0].supplied_on),
        saved="Naloxone supply recorded. It is in the list below, where what became of the "
        "kit is recorded.",
        viewed="naloxone supply form, to someone linked to no client",
        title="Supply naloxone to someone who is not a client",
        button="Record supply",
        intro="To a friend, family member, carer, peer or anyone else who may be there "
        "when someone overdoses, linked to no client. Train them before the kit is handed "
        "over. For someone supporting a client, supply from the client's naloxone record.",
    )


@permission_required(SUPPLY)
@require_http_methods(["GET", "POST"])
def offer_record(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=SUPPLY
    )
    form = OfferForm(request.POST or None, initial={"date": timezone.localdate()})

    def save(data: dict) -> None:
        services.offer_record(
            actor=request.user,
            client=client,
            on=data["date"],
            outcome=data["outcome"],
            decline_reason=data["decline_reason"],
            in_person=data["in_person"] == "yes",
            seen_kit_expires_on=data["seen_kit_expiry"],
            origin=audit_origin(request),
        )

    return _record_form(
        request,
        form,
        save,
        client=client,
        saved="Naloxone offer recorded.",
        viewed="naloxone offer form",
        title="Record a naloxone offer",
        button="Save",
    )


@permission_required(SUPPLY)
@require_http_methods(["GET", "POST"])
def report_record(request: HttpRequest, supply_id: int) -> HttpResponse:
    supply = selectors.supply_get(user=request.user, supply_id=supply_id, permission=SUPPLY)
    form = ReportForm(request.POST or None, initial={"date": timezone.localdate()})

    def save(data: dict) -> None:
        services.report_record(
            actor=request.user,
            supply=supply,
            kind=data["kind"],
            on=data["date"],
            used_on=data["used_on"],
            outcome=data["outcome"],
            ambulance_called=form.ambulance(),
            origin=audit_origin(request),
        )

    return _record_form(
        request,
        form,
        save,
        client=supply.client,
        saved="Recorded. Offer a new kit: the re-supply is recorded as such.",
        viewed="naloxone kit report form",
        title="What became of the kit",
        button="Save",
        intro=f"Supplied {supply.supplied_on:%d/%m/%Y}: {presenters.recipient_text(supply)}.",
    )


@permission_required(SUPPLY)
@require_http_methods(["GET", "POST"])
def supply_reverse(request: HttpRequest, supply_id: int) -> HttpResponse:
    supply = selectors.supply_get(user=request.user, supply_id=supply_id, permission=SUPPLY)
    form = ReversalForm(request.POST or None)

    def save(data: dict) -> None:
        services.supply_reverse(
            actor=request.user, supply=supply, reason=data["reason"], origin=audit_origin(request)
        )

    return _record_form(
        request,
        form,
        save,
        client=supply.client,
        saved="Supply marked as recorded in error. The kit is back in stock.",
        viewed="naloxone supply reversal form",
        title="Supply recorded in error",
        button="Mark as recorded in error",
        intro=f"Supplied {supply.supplied_on:%d/%m/%Y}: {presenters.recipient_text(supply)}, "
        f"{supply.batch}. The supply stays on the record, marked, and the kit goes back into "
        f"the stock at {supply.site.name}.",
    )


def _record_form(
    request: HttpRequest,
    form,
    save,
    *,
    client: Client | None,
    saved: str,
    viewed: str,
    saved_to: Callable[[], str] | None = None,
    **page: str,
) -> HttpResponse:
    """A form recording something for a client (a supply, an offer, a kit's report, a
    reversal): saved, back to the client's naloxone record (the service's supplies list
    for a kit linked to no client), or to `saved_to()`; else the form, its view audited."""
    if client is not None:
        back = reverse("naloxone:client", args=[client.client_number])
    else:
        back = reverse("naloxone:supplies")
    if form_saved(request, form, save):
        messages.success(request, saved)
        return redirect(saved_to() if saved_to else back)
    _viewed(request, viewed, client)
    return _form_page(request, form=form, client=client, back=back, **page)


# Lists to act on --------------------------------------------------------------------------


def _supplies_to_someone_else(user: User, on: datetime.date) -> str:
    """The supplies list of the kits `user` supplied on a day to someone not the client."""
    query = {
        "recipient": selectors.RecipientKind.SOMEONE_ELSE,
        "supplied_by": user.pk,
        "date_from": on.isoformat(),
        "date_to": on.isoformat(),
    }
    return f"{reverse('naloxone:supplies')}?{urlencode(query)}"


def _supplies(request: HttpRequest):
    form = SupplyListForm(
        request.GET or None,
        recipient_kinds=list(selectors.RecipientKind.LABELS.items()),
        sites=request.provider.sites.order_by("name"),
        suppliers=selectors.suppliers(provider=request.provider),
    )
    data = form.filters()
    found = selectors.supplies_list(
        user=request.user,
        query=data.get("query") or "",
        first=data.get("date_from"),
        last=data.get("date_to"),
        recipient_kind=data.get("recipient") or "",
        site=data.get("site"),
        supplied_by=data.get("supplied_by"),
        by_volunteer_only=bool(data.get("by_volunteer_only")),
    )
    return form, found


@permission_required(SUPPLIES)
def supplies(request: HttpRequest) -> HttpResponse:
    """The service's naloxone supplies, to clients and to people linked to none: where a
    family member's or a friend's kit is found again, to record that it was used (an
    overdose reversed), lost, confiscated or expired, or that it was recorded in error."""
    form, found = _supplies(request)
    page = paginate(request, found)
    shown = list(page.object_list)
    _viewed(request, f"naloxone supplies, {len(shown)} shown")
    for client in {s.client for s in shown if s.client_id}:
        _viewed(request, "naloxone supplies row", client)
    return render(
        request,
        "naloxone/supplies.html",
        {
            "form": form,
            "page": page,
            "table": {
                "head": presenters.SUPPLIES_HEAD,
                "rows": presenters.supplies_rows(
                    shown, may_report=lambda client: user_can(request.user, SUPPLY, client)
                ),
                "id": "naloxone-supplies-list",
                "responsive": True,
            },
            "may_supply_other": user_can(request.user, SUPPLY),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(SUPPLIES)
def supplies_csv(request: HttpRequest) -> HttpResponse:
    form, found = _supplies(request)
    if filters_refused(form):
        return supplies(request)  # the list with the filters' errors, not every supply
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"naloxone supplies, CSV of {found.count()}{filters_text(form.filters())}",
    )
    return presenters.SupplyExport(found.iterator(chunk_size=500)).csv_response()


def _gaps(request: HttpRequest):
    form = GapsForm(
        request.GET or None,
        reasons=list(GapReason.LABELS.items()),
        keyworkers=caseload_keyworkers(provider=request.provider),
    )
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.gaps(
        clients=clients_visible_to(request.user),
        on=timezone.localdate(),
        reason=data.get("reason") or "",
        keyworker=data.get("keyworker"),
    )
    return form, found


@permission_required("naloxone.view_lists")
def gaps(request: HttpRequest) -> HttpResponse:
    form, found = _gaps(request)
    page = paginate(request, found)
    _viewed(request, f"naloxone gaps, {len(page.object_list)} shown")
    return render(
        request,
        "naloxone/gaps.html",
        {
            "form": form,
            "page": page,
            "head": presenters.GAP_HEAD,
            "rows": presenters.gap_rows(page.object_list),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required("naloxone.view_lists")
def gaps_csv(request: HttpRequest) -> HttpResponse:
    form, found = _gaps(request)
    if filters_refused(form):
        return gaps(request)  # the list with the filters' errors, not a file of every row
    audit_request(request, action=Action.EXPORT, detail=f"naloxone gaps, CSV of {len(found)}")
    return presenters.GapExport(found).csv_response()


def _expiring(request: HttpRequest):
    form = ExpiringForm(
        request.GET or None, keyworkers=caseload_keyworkers(provider=request.provider)
    )
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.kits_expiring(
        clients=clients_visible_to(request.user),
        on=timezone.localdate(),
        days=expiring_days(),
        keyworker=data.get("keyworker"),
    )
    return form, found


@permission_required("naloxone.view_lists")
def expiring(request: HttpRequest) -> HttpResponse:
    form, found = _expiring(request)
    page = paginate(request, found)
    _viewed(request, f"naloxone kits expiring, {len(page.object_list)} shown")
    return render(
        request,
        "naloxone/expiring.html",
        {
            "form": form,
            "page": page,
            "days": expiring_days(),
            "head": presenters.EXPIRING_HEAD,
            "rows": presenters.expiring_rows(page.object_list),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required("naloxone.view_lists")
def expiring_csv(request: HttpRequest) -> HttpResponse:
    form, supplies = _expiring(request)
    if filters_refused(form):
        return expiring(request)
    audit_request(
        request, action=Action.EXPORT, detail=f"naloxone kits expiring, CSV of {supplies.count()}"
    )
    return presenters.ExpiringExport(supplies).csv_response()


# Stock ---------------------------------------------------------------------------------------


def _ledger(request: HttpRequest):
    form = LedgerForm(request.GET or None, sites=request.provider.sites.order_by("name"))
    data = form.cleaned_data if form.is_valid() else {}
    entries = selectors.stock_entries(
        provider=request.provider,
        site=data.get("site"),
        batch_number=data.get("batch") or "",
    )
    return form, entries


@permission_required("naloxone.view_stock")
def stock(request: HttpRequest) -> HttpResponse:
    form, entries = _ledger(request)
    page = paginate(request, entries)
    return render(
        request,
        "naloxone/stock.html",
        {
            "balances": {
                "head": presenters.STOCK_HEAD,
                "rows": presenters.stock_rows(selectors.stock_balances(provider=request.provider)),
                "id": "naloxone-stock",
                "responsive": True,
            },
            "form": form,
            "page": page,
            "ledger": {
                "head": presenters.LEDGER_HEAD,
                "rows": presenters.ledger_rows(page.object_list),
                "id": "naloxone-ledger",
                "responsive": True,
            },
            "may_manage": user_can(request.user, "naloxone.manage_stock"),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required("naloxone.view_stock")
def stock_csv(request: HttpRequest) -> HttpResponse:
    form, entries = _ledger(request)
    if filters_refused(form):
        return stock(request)
    audit_request(request, action=Action.EXPORT, detail="naloxone stock ledger CSV")
    return presenters.LedgerExport(entries).csv_response()


@dataclass(frozen=True)
class StockPage:
    """One stock form page (receipt, transfer, write-off, count), declared: its form, what
    the form is built with, the service it calls and how the service's arguments are read
    from the form (`fields`: argument → field; a chosen balance `stock` gives the batch and,
    as `stock_site`, its site)."""

    form: type
    form_kwargs: Callable[[HttpRequest], dict]
    service: Callable[..., object]
    fields: dict[str, str]
    title: str
    button: str
    saved: str
    stock_site: str = ""

    def arguments(self, data: dict) -> dict:
        arguments = {argument: data[field] for argument, field in self.fields.items()}
        if self.stock_site:
            arguments |= {"batch": data["stock"].batch, self.stock_site: data["stock"].site}
        return arguments


def _stock_view(page: StockPage) -> Callable[[HttpRequest], HttpResponse]:
    """The view of a stock page, for managers: on a valid post the service is called as the
    user, its refusals shown next to their fields, then back to the stock page."""

    @permission_required("naloxone.manage_stock")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        form = page.form(request.POST or None, **page.form_kwargs(request))

        def save(data: dict) -> None:
            page.service(actor=request.user, origin=audit_origin(request), **page.arguments(data))

        if form_saved(request, form, save):
            messages.success(request, page.saved)
            return redirect("naloxone:stock")
        return _form_page(
            request, form=form, title=page.title, button=page.button, back=reverse("naloxone:stock")
        )

    return view


def _today_and(request: HttpRequest, *, stock: bool = True, sites: bool = False, **initial):
    """What a stock form is built with: today's date (and `initial`) to start from, the
    provider's batches with kits to choose from, and its sites."""
    kwargs: dict = {"initial": {"date": timezone.localdate(), **initial}}
    if stock:
        kwargs["stock"] = selectors.stock_balances(provider=request.provider)
    if sites:
        kwargs["sites"] = request.provider.sites.all()
    return kwargs


stock_receive = _stock_view(
    StockPage(
        form=ReceiptForm,
        form_kwargs=lambda request: _today_and(
            request,
            stock=False,
            sites=True,
            pack_contents=["gloves", "face_shield", "instruction_card"],
        ),
        service=services.stock_receive,
        fields={
            "site": "site",
            "kit_type": "kit_type",
            "batch_number": "batch",
            "expires_on": "expiry",
            "quantity": "quantity",
            "on": "date",
            "pack_contents": "pack_contents",
        },
        title="Receive naloxone kits",
        button="Receive",
        saved="Kits received into stock.",
    )
)
stock_transfer = _stock_view(
    StockPage(
        form=TransferForm,
        form_kwargs=lambda request: _today_and(request, sites=True),
        service=services.stock_transfer,
        fields={"to_site": "to_site", "quantity": "quantity", "on": "date"},
        stock_site="from_site",
        title="Move kits to another site",
        button="Move kits",
        saved="Kits moved.",
    )
)
stock_write_off = _stock_view(
    StockPage(
        form=WriteOffForm,
        form_kwargs=_today_and,
        service=services.stock_write_off,
        fields={"quantity": "quantity", "reason": "reason", "on": "date", "note": "note"},
        stock_site="site",
        title="Write off kits",
        button="Write off",
        saved="Kits written off.",
    )
)
# A count corrects any batch a site has held, empty or expired too.
stock_count = _stock_view(
    StockPage(
        form=CountForm,
        form_kwargs=lambda request: {"stock": selectors.stock_to_count(provider=request.provider)},
        service=services.stock_count_correct,
        fields={"counted": "counted", "note": "note"},
        stock_site="site",
        title="Correct a stock count",
        button="Record the count",
        saved="Stock count recorded: the balance now matches it.",
    )
)


# Figures (aggregated) ------------------------------------------------------------------------


def _coverage(request: HttpRequest, today: datetime.date) -> selectors.Coverage:
    """Coverage on `today`, by keyworker only for a reader who may see staff named (H-112)."""
    return selectors.coverage(
        provider=request.provider,
        on=today,
        by_keyworker=user_can(request.user, "naloxone.view_figures_by_staff"),
    )


def _figures(request: HttpRequest) -> dict:
    form = PeriodForm(request.GET or None)
    first, last = form.period()
    today = timezone.localdate()
    return {
        "form": form,
        "first": first,
        "last": last,
        "coverage": _coverage(request, today),
        "trend": selectors.coverage_trend(provider=request.provider, last=today),
        "offers": selectors.offer_outcomes(provider=request.provider, first=first, last=last),
        "kits": selectors.kit_figures(provider=request.provider, first=first, last=last),
    }


def _suppress(request: HttpRequest) -> bool:
    """Small numbers hidden for a reader who may not see them: commissioners (H-146)."""
    return not user_can(request.user, SMALL_COUNTS)


@permission_required("naloxone.view_figures")
def coverage(request: HttpRequest) -> HttpResponse:
    figures = _figures(request)
    suppress = _suppress(request)
    shown = presenters.coverage_tables(figures["coverage"], figures["trend"], suppress=suppress)
    by_staff = user_can(request.user, "naloxone.view_figures_by_staff")

    def table(what: str, rows, id_: str) -> dict:
        return {
            "head": presenters.coverage_head(what),
            "rows": presenters.coverage_rows(rows),
            "id": id_,
            "responsive": True,
        }

    overall = shown["overall"][0]
    return render(
        request,
        "naloxone/coverage.html",
        {
            **figures,
            "overall": presenters.percent_text(overall),
            "overall_shown": overall,
            "suppressed": suppress,
            "tables": [
                ("By site", table("Site", shown["by_site"], "coverage-sites")),
                ("By team", table("Team", shown["by_team"], "coverage-teams")),
                *(
                    [
                        (
                            "By keyworker",
                            table("Keyworker", shown["by_keyworker"], "coverage-keyworkers"),
                        )
                    ]
                    if by_staff
                    else []
                ),
                ("Trend by month", table("Month", shown["trend"], "coverage-trend")),
            ],
            "offer_table": {
                "head": [{"text": "Offers"}, {"text": "Number", "format": "numeric"}],
                "rows": presenters.offer_outcome_rows(figures["offers"], suppress=suppress),
                "id": "offer-outcomes",
            },
            "kit_table": {
                "head": [{"text": "Kits"}, {"text": "Number", "format": "numeric"}],
                "rows": presenters.kit_figure_rows(figures["kits"], suppress=suppress),
                "id": "kit-figures",
            },
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required("naloxone.view_figures")
def coverage_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    audit_request(request, action=Action.EXPORT, detail="naloxone coverage CSV")
    return presenters.CoverageExport(
        _coverage(request, today),
        selectors.coverage_trend(provider=request.provider, last=today),
        suppress=_suppress(request),
    ).csv_response()


# What naloxone adds to lower apps' pages --------------------------------------------------


def client_page_section(
    client: Client,
    user: User,
    *,
    origin: AuditOrigin | None = None,
    today: datetime.date | None = None,
):
    """The client page's naloxone section (registered in `beacon/clients/hooks.py`), of the
    page's day."""
    if not user_can(user, VIEW, client):
        return None
    services.naloxone_viewed(
        actor=user, what="naloxone on the client page", client=client, origin=origin
    )
    today = today or timezone.localdate()
    current = selectors.is_current_opiate_client(client, today)
    last = (
        selectors.client_supplies(client=client)
        .filter(recipient=Recipient.CLIENT, reversal__isnull=True)
        .first()
    )
    rows = [
        {
            "key": {"text": "Naloxone"},
            "value": {
                "html": presenters.status_html(selectors.needs_offer(client, today), current)
            },
        },
        {
            "key": {"text": "Last kit to the client"},
            "value": {
                "text": f"{presenters.kit_dates_text(last)}; {presenters.report_text(last)}"
                if last
                else "None recorded"
            },
        },
    ]
    due = [presenters.due_text(d) for d in selectors.client_offers_due(client=client)]
    if due:
        rows.append({"key": {"text": "Offer due"}, "value": {"text": "; ".join(due)}})
    links = [
        {"text": "Naloxone record", "href": reverse("naloxone:client", args=[client.client_number])}
    ]
    if user_can(user, SUPPLY, client):
        links.append(
            {
                "text": "Supply naloxone",
                "href": reverse("naloxone:supply", args=[client.client_number]),
            }
        )
    return {"id": "naloxone", "title": "Naloxone", "rows": rows, "links": links}


def client_summary_rows(
    client: Client, user: User, *, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """The client page's summary line for naloxone (registered in `beacon/clients/hooks.py`):
    whether the opt-out offer is needed today, with the way to supply a kit."""
    if not user_can(user, VIEW, client):
        return []
    current = selectors.is_current_opiate_client(client, today)
    supply_url = (
        reverse("naloxone:supply", args=[client.client_number])
        if user_can(user, SUPPLY, client)
        else ""
    )
    return [
        SummaryRow(
            slot="naloxone",
            key="Naloxone",
            html=presenters.status_html(selectors.needs_offer(client, today), current),
            href=supply_url,
            link_text="Supply naloxone" if supply_url else "",
        )
    ]


def caseload_columns(clients: list[Client], *, user: User) -> dict:
    """The caseload's naloxone column (registered in `beacon/treatment/hooks.py`): who
    needs the offer, and offers due at a moment of high risk, in two queries for the page."""
    today = timezone.localdate()
    page = user.provider.clients.filter(pk__in=[c.pk for c in clients])
    needing = set(
        selectors.clients_needing_offer(clients=page, on=today).values_list("pk", flat=True)
    )
    due: dict[int, list[str]] = {}
    for offer_due in selectors.offers_due_open(clients=page):
        due.setdefault(offer_due.client_id, []).append(presenters.due_text(offer_due))
    return {
        "head": [{"text": "Naloxone"}],
        "cells": {
            c.pk: [{"html": presenters.caseload_cell_html(c.pk in needing, due.get(c.pk, []))}]
            for c in clients
        },
    }


def gaps_section(*, user: User, today: datetime.date) -> presenters.Worklist:
    """Naloxone's section of the nurse's worklist: clients without an in-date kit, of the
    clients the nurse may open (the gaps list's rule and scope)."""
    return presenters.gaps_worklist(
        selectors.gaps(clients=clients_visible_to(user), on=today),
        may_supply=lambda client: user_can(user, SUPPLY, client),
    )


# At a partner pharmacy (H-171) ---------------------------------------------------------------

PHARMACY_SUPPLY = "naloxone.supply_at_pharmacy"


def _pharmacy_period(request: HttpRequest):
    form = CorePeriodForm(request.GET or None)
    first, last = form.period()
    return form, selectors.pharmacy_supplies(user=request.user, first=first, last=last)


@permission_required(PHARMACY_SUPPLY)
def pharmacy_naloxone(request: HttpRequest) -> HttpResponse:
    """The pharmacist's naloxone: their pharmacy's kits and the supplies made there."""
    site = pharmacy_selectors.pharmacy_site(user=request.user)
    form, supplies = _pharmacy_period(request)
    page = paginate(request, supplies)
    _viewed(request, f"naloxone supplies at the pharmacy, {len(page.object_list)} shown")
    balances = selectors.stock_balances(provider=request.provider, site=site) if site else []
    return render(
        request,
        "naloxone/pharmacy.html",
        {
            "site": site,
            "balances": {
                "head": presenters.STOCK_HEAD,
                "rows": presenters.stock_rows(balances),
                "id": "naloxone-pharmacy-stock",
                "responsive": True,
            },
            "form": form,
            "page": page,
            "supplies": presenters.pharmacy_supplies_table(page.object_list),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(PHARMACY_SUPPLY)
def pharmacy_naloxone_csv(request: HttpRequest) -> HttpResponse:
    form, supplies = _pharmacy_period(request)
    if filters_refused(form):
        return pharmacy_naloxone(request)
    audit_request(request, action=Action.EXPORT, detail="naloxone supplies at the pharmacy, CSV")
    return presenters.PharmacySupplyExport(supplies).csv_response()


@permission_required(PHARMACY_SUPPLY)
@require_http_methods(["GET", "POST"])
def pharmacy_supply(request: HttpRequest) -> HttpResponse:
    """A kit supplied at the pharmacy's counter, from its own stock, by the pharmacist who
    trained the person."""
    today = timezone.localdate()
    site = pharmacy_selectors.pharmacy_site(user=request.user)
    form = PharmacySupplyForm(
        request.POST or None,
        clients=pharmacy_selectors.pharmacy_clients(user=request.user, today=today),
        stock=selectors.pharmacy_stock(user=request.user, on=today),
    )

    def save(data: dict) -> None:
        stock = data["stock"]
        try:
            services.supply_record(
                actor=request.user,
                client=data["client"],
                recipient=data["recipient"],
                recipient_name=data["recipient_name"],
                batch=stock.batch,
                site=stock.site,
                on=today,
                trained_by=request.user,
                training_topics=data["training_topics"],
                origin=audit_origin(request),
            )
        except ValidationError as exc:  # the service names the client by its number
            raise ValidationError(
                {
                    "client" if field == "client_number" else field: messages
                    for field, messages in exc.message_dict.items()
                }
            ) from exc

    if form_saved(request, form, save):
        messages.success(request, "Naloxone supply recorded.")
        return redirect("naloxone:pharmacy")
    return _form_page(
        request,
        form=form,
        title="Supply naloxone at the pharmacy",
        button="Record supply",
        intro="Train the person before you hand over the kit: recognising an overdose, "
        "calling 999, giving naloxone, the recovery position and staying with them."
        + ("" if site else " Your pharmacy holds no kits yet: ask the service to send some."),
        back=reverse("naloxone:pharmacy"),
    )
