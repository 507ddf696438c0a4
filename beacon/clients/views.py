"""Pages for client records: search, create (warning of duplicates), view, edit, consents."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import presenters, selectors, services
from beacon.clients.forms import ClientForm, ClientSearchForm, ConsentForm, ContactForm
from beacon.clients.models import Client
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import form_saved_by, service_errors_onto
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can

CHANGE = "clients.change_client"


def _to_client(client: Client) -> HttpResponse:
    return redirect("clients:detail", client_number=client.client_number)


def _record_form(
    request: HttpRequest,
    client: Client,
    form,
    service,
    *,
    done: str,
    viewed: str | None,
    template: str,
    acts_on: dict | None = None,
    **context,
) -> HttpResponse:
    """A page with one form about a client's record: a valid POST calls `service` on the
    client (or on `acts_on`, such as one of their contacts) and goes back to the client's
    page with the message `done`; otherwise the form. An edit form shows the record as it
    stands, so opening one is a read (`viewed`); a form for a new contact shows nothing yet."""
    if form_saved_by(request, form, service, **(acts_on or {"client": client})):
        messages.success(request, done)
        return _to_client(client)
    if viewed and request.method == "GET":
        services.client_record_viewed(
            actor=request.user, client=client, origin=audit_origin(request), what=viewed
        )
    return render(request, template, {"form": form, "client": client, **context})


@permission_required("clients.view_client")
def client_search_page(request: HttpRequest) -> HttpResponse:
    form = ClientSearchForm(
        request.GET or None,
        teams=selectors.client_teams(provider=request.provider),
        keyworkers=selectors.client_keyworkers(provider=request.provider),
    )
    filters = form.filters()
    query = filters["query"]
    page = paginate(request, selectors.client_search(user=request.user, **filters))
    # A list of clients identifies people whether or not it was searched; search terms
    # can identify a person too, so the entry records that it happened, not the terms.
    audit_request(
        request,
        action=Action.SEARCH,
        detail=f"client {'search' if query else 'list'}, {page.paginator.count} results",
    )
    return render(
        request,
        "clients/search.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": any(filters.values()),
            "head": presenters.SEARCH_HEAD,
            "rows": presenters.search_rows(page.object_list),
            "no_results": presenters.NO_SEARCH_RESULTS,
        },
    )


@permission_required("clients.add_client")
@require_http_methods(["GET", "POST"])
def client_create_page(request: HttpRequest) -> HttpResponse:
    form = ClientForm(
        request.POST or None,
        provider=request.provider,
        user=request.user,
        initial={"team": request.user.team},
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        # The service checks for a record of the same person, under the lock that makes
        # two creates at once wait for each other; it names the lookalikes it found.
        try:
            client = services.client_create(
                actor=request.user, data=form.cleaned_data, origin=audit_origin(request)
            )
        except services.PossibleDuplicates as exc:
            duplicates = exc.duplicates
            services.audit_duplicate_check(
                actor=request.user, duplicates=duplicates, origin=audit_origin(request)
            )
            service_errors_onto(form, exc)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"{client.full_name} added as {client.client_number}.")
            return _to_client(client)
    shown = selectors.client_duplicates_shown_to(user=request.user, duplicates=duplicates)
    return render(
        request, "clients/client_form.html", {"form": form, "duplicates": shown, "client": None}
    )


@permission_required("clients.view_client")
def client_detail(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.client_get(user=request.user, client_number=client_number)
    # One moment for the whole summary, so every line speaks of the same day (H-150).
    now = timezone.now()
    today = timezone.localdate(now)
    summary_rows = [
        presenters.keyworker_summary(client),
        presenters.alerts_summary(
            selectors.client_alerts_open(client=client, user=request.user), today=today
        ),
        presenters.flags_summary(client),
        *selectors.client_summary_rows(client=client, user=request.user, today=today, now=now),
    ]
    # The summary's clinical lines are read with the page; prescribing's section of the
    # page records the OST read for the same users.
    services.client_record_viewed(actor=request.user, client=client, origin=audit_origin(request))
    may_change = user_can(request.user, CHANGE, client)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "summary": presenters.ClientPresenter(client),
            "today_rows": presenters.summary_list_rows(summary_rows),
            "summary_at": now,
            "may_change": may_change,
            "sections": selectors.client_page_sections(
                client=client, user=request.user, origin=audit_origin(request), today=today
            ),
            "contact_head": presenters.contact_head(may_change=may_change),
            "contact_rows": presenters.contact_rows(
                selectors.client_contacts(client=client), may_change=may_change
            ),
        },
    )


@permission_required("clients.view_client")
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    # The form works on a copy, so the service sees what changed.
    return _record_form(
        request,
        client,
        ClientForm(request.POST or None, instance=copy(client), provider=request.provider),
        services.client_update,
        done="Details saved.",
        viewed="details form",
        template="clients/client_form.html",
    )


@permission_required("clients.view_client")
@require_http_methods(["GET", "POST"])
def client_consents_edit(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    return _record_form(
        request,
        client,
        ConsentForm(request.POST or None, instance=copy(client)),
        services.client_consents_update,
        done="Consents saved.",
        viewed="consents form",
        template="clients/consents_form.html",
    )


@permission_required("clients.view_client")
@require_http_methods(["GET", "POST"])
def contact_create_page(request: HttpRequest, client_number: str) -> HttpResponse:
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    return _record_form(
        request,
        client,
        ContactForm(request.POST or None),
        services.contact_create,
        done="Contact added.",
        viewed=None,
        template="clients/contact_form.html",
    )


@permission_required("clients.view_client")
@require_http_methods(["GET", "POST"])
def contact_edit_page(request: HttpRequest, client_number: str, contact_id: int) -> HttpResponse:
    contact = selectors.contact_get(
        user=request.user, client_number=client_number, contact_id=contact_id, permission=CHANGE
    )
    return _record_form(
        request,
        contact.client,
        ContactForm(request.POST or None, instance=copy(contact)),
        services.contact_update,
        acts_on={"contact": contact},
        done="Contact saved.",
        viewed=f"contact {contact.pk} form",
        template="clients/contact_form.html",
        contact=contact,
    )
