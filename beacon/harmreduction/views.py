"""Pages of harm reduction: NSP transactions (record, list and filter, one transaction),
the NSP figures with their CSV, a client's blood-borne virus record and its forms, and the
client page's section.

Records load through their selectors (beacon/harmreduction/selectors.py), scoped to the
user's provider (404), then the permission is checked (403). Writes go through
services.py; every page naming a client is audited as a read. The URLs are in urls.py.
"""

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients.models import Client
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_request
from beacon.core.forms import Form, filters_refused, form_page, form_saved
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import date_uk
from beacon.harmreduction import presenters, selectors, services
from beacon.harmreduction.forms import (
    BbvResultForm,
    BbvTestForm,
    HepatitisBCourseForm,
    HepatitisBDoseForm,
    NspAttributorOnlyForm,
    NspFiguresForm,
    NspFilterForm,
    NspTransactionForm,
)

VIEW_NSP = "harmreduction.view_nsp"
RECORD_NSP = "harmreduction.record_nsp"
LINK_CLIENT = "harmreduction.link_client"
FIGURES = "harmreduction.view_figures"
SMALL_COUNTS = "harmreduction.view_small_counts"
VIEW_BBV = "harmreduction.view_bbv"
RECORD_BBV = "harmreduction.record_bbv"


def _viewed(request: HttpRequest, what: str, client: Client | None = None) -> None:
    services.harm_reduction_viewed(
        actor=request.user, what=what, client=client, origin=audit_origin(request)
    )


# NSP ---------------------------------------------------------------------------------------


@permission_required(VIEW_NSP)
def transaction_list(request: HttpRequest) -> HttpResponse:
    sites = selectors.nsp_sites_for(user=request.user)
    form = NspFilterForm(request.GET or None, sites=sites)
    transactions = selectors.transactions_list(user=request.user, **form.filters())
    page = paginate(request, transactions)
    with_clients = user_can(request.user, LINK_CLIENT)
    visible = selectors.openable_client_ids(user=request.user, transactions=page.object_list)
    _viewed(request, f"NSP transactions, {len(page.object_list)} shown")
    return render(
        request,
        "harmreduction/transactions.html",
        {
            "form": form,
            "page": page,
            "table": {
                "head": presenters.transaction_head(with_clients=with_clients),
                "rows": presenters.transaction_rows(
                    page.object_list, visible_client_ids=visible, with_clients=with_clients
                ),
                "id": "nsp-transactions",
                "responsive": True,
            },
            "may_record": user_can(request.user, RECORD_NSP),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_NSP)
def transaction_csv(request: HttpRequest) -> HttpResponse:
    """The transactions the list's filters find, as a CSV (the list's rules on clients)."""
    form = NspFilterForm(request.GET or None, sites=selectors.nsp_sites_for(user=request.user))
    if filters_refused(form):
        return transaction_list(request)  # the list with the filters' errors
    transactions = selectors.transactions_list(user=request.user, **form.filters())
    audit_request(
        request, action=Action.EXPORT, detail=f"NSP transactions, CSV of {transactions.count()}"
    )
    return presenters.TransactionExport(
        transactions,
        visible_client_ids=selectors.openable_client_ids(
            user=request.user, transactions=transactions
        ),
        with_clients=user_can(request.user, LINK_CLIENT),
    ).csv_response()


@permission_required(RECORD_NSP)
@require_http_methods(["GET", "POST"])
def transaction_record(request: HttpRequest) -> HttpResponse:
    links_clients = user_can(request.user, LINK_CLIENT)
    form_class = NspTransactionForm if links_clients else NspAttributorOnlyForm
    sites = selectors.nsp_sites_for(user=request.user)
    initial = {"date": timezone.localdate()}
    if request.user.team_id and request.user.team.site_id:
        initial["site"] = request.user.team.site_id
    elif len(sites) == 1:  # a pharmacist: their pharmacy
        initial["site"] = sites[0].pk
    form = form_class(request.POST or None, user=request.user, sites=sites, initial=initial)
    recorded = []

    def save(_data: dict) -> None:
        recorded.append(
            services.nsp_transaction_record(
                actor=request.user, origin=audit_origin(request), **form.service_data()
            )
        )

    if form_saved(request, form, save):
        transaction = recorded[0]
        messages.success(
            request,
            f"NSP transaction recorded: {transaction.attributor}, {date_uk(transaction.date)}",
        )
        return redirect("harmreduction:transaction", transaction_id=transaction.pk)
    return form_page(
        request,
        form=form,
        title="Record an NSP transaction",
        button="Record transaction",
        intro="Who: a client number, or the attributor (initials, date of birth and sex; no "
        "name). Then how many of each item were given out, and the sharps bins.",
        back=reverse("harmreduction:transactions"),
    )


@permission_required(VIEW_NSP)
def transaction_detail(request: HttpRequest, transaction_id: int) -> HttpResponse:
    transaction = selectors.transaction_get(user=request.user, transaction_id=transaction_id)
    client = transaction.client
    shown_client = (
        client if client is not None and user_can(request.user, LINK_CLIENT, client) else None
    )
    _viewed(request, f"NSP transaction {transaction.pk}", shown_client)
    return render(
        request,
        "harmreduction/transaction.html",
        {
            "transaction": transaction,
            "client": shown_client,
            "attributor": presenters.attributor_text(
                transaction, visible_client_ids={shown_client.pk} if shown_client else set()
            ),
            "items": [
                {"key": {"text": given.get_item_display()}, "value": {"text": str(given.quantity)}}
                for given in transaction.items.all()
            ],
        },
    )


def _figures(request: HttpRequest):
    form = NspFiguresForm(request.GET or None, sites=selectors.sites_of(provider=request.provider))
    first, last = form.period()
    site = form.chosen_site()
    figures = selectors.nsp_year_on_year(
        provider=request.provider, first=first, last=last, site=site
    )
    return form, figures, site


@permission_required(FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    form, year_on_year, site = _figures(request)
    return render(
        request,
        "harmreduction/figures.html",
        {
            "form": form,
            "figures": year_on_year.this_year,
            "site": site,
            "figures_table": {
                "head": presenters.figures_head(year_on_year),
                "rows": presenters.figures_rows(
                    year_on_year, suppress=not user_can(request.user, SMALL_COUNTS)
                ),
                "id": "nsp-figures",
                "responsive": True,
            },
            "items_table": {
                "head": [
                    {"text": "Item"},
                    *presenters.figures_head(year_on_year)[1:3],
                ],
                "rows": presenters.items_rows(year_on_year),
                "id": "nsp-items",
                "responsive": True,
            },
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(FIGURES)
def figures_csv(request: HttpRequest) -> HttpResponse:
    _form, year_on_year, site = _figures(request)
    now = year_on_year.this_year
    audit_request(request, action=Action.EXPORT, detail=f"NSP figures {now.first} to {now.last}")
    return presenters.NspFiguresExport(
        year_on_year,
        suppress=not user_can(request.user, SMALL_COUNTS),
        site_name=site.name if site else "All sites",
    ).csv_response()


# Blood-borne viruses ---------------------------------------------------------------------


def _bbv_context(client: Client, user: User) -> dict:
    may_record = user_can(user, RECORD_BBV, client)
    today = timezone.localdate()
    tests = list(selectors.client_bbv_tests(client=client))
    courses = list(selectors.client_hepatitis_b(client=client))
    return {
        "tests": {
            "head": presenters.BBV_TEST_HEAD,
            "rows": presenters.bbv_test_rows(tests, may_record=may_record),
            "id": "bbv-tests",
            "responsive": True,
        },
        "courses": {
            "head": presenters.HEPATITIS_B_HEAD,
            "rows": presenters.hepatitis_b_rows(courses, may_record=may_record, today=today),
            "id": "hepatitis-b",
            "responsive": True,
        },
        "summary": presenters.bbv_summary_rows(tests, courses, today=today),
        "may_record": may_record,
        "page_url": reverse("harmreduction:client_bbv", args=[client.client_number]),
        "test_url": reverse("harmreduction:bbv_test", args=[client.client_number]),
        "course_url": reverse("harmreduction:hepatitis_b", args=[client.client_number]),
    }


@permission_required(VIEW_BBV)
def client_bbv(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW_BBV
    )
    _viewed(request, "blood-borne viruses", client)
    return render(
        request,
        "harmreduction/client_bbv.html",
        {"client": client, **_bbv_context(client, request.user)},
    )


def _to_bbv(client: Client) -> HttpResponse:
    return redirect("harmreduction:client_bbv", client_number=client.client_number)


def _bbv_form(
    request: HttpRequest, client: Client, form, service, *, saved: str, **page
) -> HttpResponse:
    """A blood-borne virus form: on a valid POST `service` (given what it acts on, with
    functools.partial) records the form's fields as the signed-in user, then back to the
    client's blood-borne viruses; otherwise the form, its opening audited as a read."""

    def save(data: dict) -> None:
        service(actor=request.user, origin=audit_origin(request), **data)

    if form_saved(request, form, save):
        messages.success(request, saved)
        return _to_bbv(client)
    _viewed(request, f"blood-borne virus form: {page['title']}", client)
    return form_page(
        request,
        form=form,
        client=client,
        back=reverse("harmreduction:client_bbv", args=[client.client_number]),
        **page,
    )


def _bbv_offer_form(
    request: HttpRequest,
    client_number: str,
    form_class: type[Form],
    service: Callable[..., Any],
    *,
    saved: str,
    **page: str,
) -> HttpResponse:
    """A blood-borne virus form that records something new offered to the client (a test, a
    vaccination course): `form_class` offered today, `service` given the client."""
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=RECORD_BBV
    )
    return _bbv_form(
        request,
        client,
        form_class(request.POST or None, initial={"offered_on": timezone.localdate()}),
        partial(service, client=client),
        saved=saved,
        **page,
    )


@permission_required(RECORD_BBV)
@require_http_methods(["GET", "POST"])
def bbv_test_record(request: HttpRequest, client_number: str) -> HttpResponse:
    return _bbv_offer_form(
        request,
        client_number,
        BbvTestForm,
        services.bbv_test_record,
        saved="Test recorded.",
        title="Record a hepatitis C or HIV test",
        button="Save test",
    )


@permission_required(RECORD_BBV)
@require_http_methods(["GET", "POST"])
def bbv_result_record(request: HttpRequest, test_id: int) -> HttpResponse:
    test = selectors.bbv_test_get(user=request.user, test_id=test_id, permission=RECORD_BBV)
    return _bbv_form(
        request,
        test.client,
        BbvResultForm(
            request.POST or None, initial={"kind": test.kind, "tested_on": test.tested_on}
        ),
        partial(services.bbv_test_result_record, test=test),
        saved="Result recorded.",
        title=f"{test.get_virus_display()} test result",
        button="Save result",
        intro=f"Offered on {date_uk(test.offered_on)}, accepted.",
    )


@permission_required(RECORD_BBV)
@require_http_methods(["GET", "POST"])
def hepatitis_b_course_record(request: HttpRequest, client_number: str) -> HttpResponse:
    return _bbv_offer_form(
        request,
        client_number,
        HepatitisBCourseForm,
        services.hepatitis_b_course_record,
        saved="Hepatitis B vaccination recorded.",
        title="Hepatitis B vaccination",
        button="Save",
    )


@permission_required(RECORD_BBV)
@require_http_methods(["GET", "POST"])
def hepatitis_b_dose_record(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.hepatitis_b_course_get(
        user=request.user, course_id=course_id, permission=RECORD_BBV
    )
    return _bbv_form(
        request,
        course.client,
        HepatitisBDoseForm(request.POST or None, initial={"given_on": timezone.localdate()}),
        partial(services.hepatitis_b_dose_record, course=course),
        saved="Dose recorded.",
        title="Hepatitis B vaccine dose",
        button="Save dose",
        intro=presenters.course_text(course, today=timezone.localdate()),
    )


# What harm reduction adds to lower apps' pages -------------------------------------------


def client_page_section(
    client: Client,
    user: User,
    *,
    origin: AuditOrigin | None = None,
    today: datetime.date | None = None,
):
    """The client page's blood-borne viruses (registered in `beacon/clients/hooks.py`):
    the latest of each, audited as a read."""
    if not user_can(user, VIEW_BBV, client):
        return None
    services.harm_reduction_viewed(
        actor=user, what="blood-borne viruses on the client page", client=client, origin=origin
    )
    context = _bbv_context(client, user)
    links = [{"text": "Blood-borne viruses", "href": context["page_url"]}]
    if context["may_record"]:
        links += [
            {"text": "Record a hepatitis C or HIV test", "href": context["test_url"]},
            {"text": "Record hepatitis B vaccination", "href": context["course_url"]},
        ]
    return {
        "id": "blood-borne-viruses",
        "title": "Blood-borne viruses",
        "rows": context["summary"],
        "links": links,
    }


def bbv_tests_due_section(*, user: User, today: datetime.date) -> presenters.Worklist:
    """Harm reduction's section of the nurse's worklist: the blood-borne virus tests due."""
    return presenters.bbv_tests_due_worklist(
        selectors.clients_due_bbv_test(user=user, today=today),
        may_record=lambda client: user_can(user, RECORD_BBV, client),
    )
