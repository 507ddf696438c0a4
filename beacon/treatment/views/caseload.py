"""The keyworker's caseload: what is overdue, due today and due this week (a manager sees
the whole service, or one keyworker's)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from beacon.core.audit import audit_origin
from beacon.core.pagination import paginate
from beacon.core.permissions import is_manager, permission_required
from beacon.treatment import hooks
from beacon.treatment.forms.caseload import CaseloadFilterForm
from beacon.treatment.presenters.caseload import client_table, due_table
from beacon.treatment.selectors import caseload as caseload_selectors
from beacon.treatment.services.caseload import due_list_viewed

CASELOAD = "treatment.view_caseload"


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
