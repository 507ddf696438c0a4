"""The keyworker's caseload: what is overdue, due today and due this week (a manager sees
the whole service, or one keyworker's)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from beacon.core.audit import audit_origin
from beacon.core.pagination import paginate
from beacon.core.permissions import is_manager, permission_required
from beacon.treatment import hooks
from beacon.treatment.forms.caseload import CaseloadFilterForm, list_search
from beacon.treatment.presenters.caseload import client_table, due_table
from beacon.treatment.selectors import caseload as caseload_selectors
from beacon.treatment.services.caseload import due_list_viewed

CASELOAD = "treatment.view_caseload"


def due_list_page(
    request: HttpRequest, *, rows: Callable, what: str, template: str, context: Callable
) -> HttpResponse:
    """A searchable, paged list of the clients with something due. `rows(query=, today=)` is
    its selector, `context(rows, today)` what the page shows of them; opening it is audited
    with the number of clients shown."""
    form, query = list_search(request.GET)
    today = timezone.localdate()
    page = paginate(request, rows(query=query, today=today))
    due_list_viewed(
        actor=request.user, what=what, count=len(page.object_list), origin=audit_origin(request)
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query, **context(page.object_list, today)},
    )


@permission_required(CASELOAD)
def caseload_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    filter_form, keyworker = None, None
    if is_manager(user):
        filter_form = CaseloadFilterForm(
            request.GET or None,
            keyworkers=caseload_selectors.caseload_keyworkers(provider=request.provider),
        )
        keyworker = filter_form.cleaned_data["keyworker"] if filter_form.is_valid() else None
    clients = caseload_selectors.caseload_clients(user=user, keyworker=keyworker)
    caseload = caseload_selectors.caseload_due(clients=clients, today=timezone.localdate())
    # The clients themselves, a page at a time, with what higher apps add for each (contacts:
    # last contact, next appointment, days since seen, flags).
    page = paginate(request, clients.select_related("keyworker"))
    on_page = list(page.object_list)
    columns = [hook(on_page, user=user) for hook in hooks.caseload_columns]
    due_list_viewed(
        actor=request.user,
        what="caseload",
        count=len({item.client.pk for item in caseload.items}),
        origin=audit_origin(request),
    )
    return render(
        request,
        "treatment/caseload/caseload.html",
        {
            "caseload": caseload,
            "tables": {
                "overdue": due_table(caseload.overdue, table_id="overdue"),
                "due_today": due_table(caseload.due_today, table_id="due-today"),
                "due_this_week": due_table(caseload.due_this_week, table_id="due-this-week"),
            },
            "clients_page": page,
            "clients_table": client_table(on_page, columns, table_id="caseload-clients"),
            "filter_form": filter_form,
            "keyworker": keyworker,
        },
    )
