"""The keyworker's caseload: what is overdue, due today and due this week (a manager sees
the whole service, filtered by team, keyworker, status and what is due, and takes it as
CSV)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import filters_refused, filters_text
from beacon.core.pagination import paginate
from beacon.core.permissions import is_manager, permission_required, user_can
from beacon.treatment import hooks
from beacon.treatment.forms.caseload import CaseloadFilterForm, ListFilterForm
from beacon.treatment.presenters.caseload import CaseloadExport, client_table, due_table
from beacon.treatment.selectors import caseload as caseload_selectors
from beacon.treatment.services.caseload import due_list_viewed

CASELOAD = "treatment.view_caseload"
EXPORT = "treatment.export_caseload"


def list_filter_form(request: HttpRequest) -> ListFilterForm:
    """A list's filters from the query string: a client, and a team and keyworker for a
    manager."""
    if not is_manager(request.user):
        return ListFilterForm(request.GET or None)
    return ListFilterForm(
        request.GET or None,
        teams=caseload_selectors.caseload_teams(provider=request.provider),
        keyworkers=caseload_selectors.caseload_keyworkers(provider=request.provider),
    )


def due_list_page(
    request: HttpRequest,
    *,
    rows: Callable,
    what: str,
    template: str,
    context: Callable,
    csv_url: str = "",
    export_permission: str = EXPORT,
) -> HttpResponse:
    """A filtered, paged list of the clients with something due. `rows(query=, team=,
    keyworker=, today=)` is its selector, `context(rows, today)` what the page shows of them;
    opening it is audited with the number of clients shown. `csv_url` names its download,
    offered to whoever may take it (`export_permission`, `treatment.export_caseload` unless
    told)."""
    form = list_filter_form(request)
    filters = form.filters()
    today = timezone.localdate()
    page = paginate(request, rows(**filters, today=today))
    due_list_viewed(
        actor=request.user, what=what, count=len(page.object_list), origin=audit_origin(request)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": filters["query"],
            "filtered": any(filters.values()),
            "csv_url": csv_url if csv_url and user_can(request.user, export_permission) else "",
            "csv_query": query.urlencode(),
            **context(page.object_list, today),
        },
    )


def due_list_csv(
    request: HttpRequest, *, rows: Callable, what: str, exporter, page: Callable
) -> HttpResponse:
    """A due list's filtered rows as a file, audited as an export with its filters. Filters
    sent but not valid download nothing: `page(request)`, the list, shows their errors."""
    form = list_filter_form(request)
    if filters_refused(form):
        return page(request)
    filters = form.filters()
    found = rows(**filters, today=timezone.localdate())
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"{what} as CSV, {len(found)} rows" + filters_text(filters),
    )
    return exporter(found).csv_response()


def _caseload(request: HttpRequest):
    """The caseload's filter form, its clients (filtered) and what is due for them."""
    user = request.user
    manager = is_manager(user)
    form = CaseloadFilterForm(
        request.GET or None,
        teams=caseload_selectors.caseload_teams(provider=request.provider) if manager else None,
        keyworkers=caseload_selectors.caseload_keyworkers(provider=request.provider)
        if manager
        else None,
    )
    filters = form.filters()
    due = filters.pop("due")
    clients = caseload_selectors.caseload_clients(user=user, **filters)
    clients, caseload = caseload_selectors.caseload_due_filtered(
        clients=clients, today=timezone.localdate(), due=due
    )
    return form, filters, clients, caseload


@permission_required(CASELOAD)
def caseload_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    form, filters, clients, caseload = _caseload(request)
    manager = is_manager(user)
    # The clients themselves, a page at a time, with what higher apps add for each (contacts:
    # last contact, next appointment, days since seen, flags). Each list pages on its own.
    page = paginate(request, clients.select_related("keyworker", "team"))
    on_page = list(page.object_list)
    columns = [hook(on_page, user=user) for hook in hooks.caseload_columns]
    due_pages = {
        "overdue": paginate(request, caseload.overdue, param="overdue_page"),
        "due_today": paginate(request, caseload.due_today, param="today_page"),
        "due_this_week": paginate(request, caseload.due_this_week, param="week_page"),
    }
    due_list_viewed(
        actor=request.user,
        what="caseload",
        count=len({item.client.pk for item in caseload.items}),
        origin=audit_origin(request),
    )
    query = request.GET.copy()
    for param in ("page", "overdue_page", "today_page", "week_page"):
        query.pop(param, None)
    return render(
        request,
        "treatment/caseload/caseload.html",
        {
            "caseload": caseload,
            "due_pages": due_pages,
            "tables": {
                "overdue": due_table(list(due_pages["overdue"]), table_id="overdue"),
                "due_today": due_table(list(due_pages["due_today"]), table_id="due-today"),
                "due_this_week": due_table(
                    list(due_pages["due_this_week"]), table_id="due-this-week"
                ),
            },
            "clients_page": page,
            "clients_table": client_table(
                on_page, columns, table_id="caseload-clients", whole_service=manager
            ),
            "filter_form": form,
            "manager": manager,
            "filtered": any(filters.values()) or bool(form.filters()["due"]),
            "keyworker": filters["keyworker"],
            "csv_query": query.urlencode(),
            "may_export": user_can(user, EXPORT),
        },
    )


@permission_required(EXPORT)
def caseload_csv(request: HttpRequest) -> HttpResponse:
    """The filtered caseload as a CSV file, audited as an export with its filters."""
    form, _filters, clients, caseload = _caseload(request)
    if filters_refused(form):
        return caseload_page(request)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"caseload as CSV, {caseload.client_count} clients" + filters_text(form.filters()),
    )
    return CaseloadExport(clients, caseload).csv_response()
