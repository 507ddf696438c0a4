"""Client endpoints of the JSON API: search, read, create, change, consents, contacts.

Each endpoint is thin, like the pages in views.py: parse (the schemas), check the role
(`ensure_can`), call a selector or service, return. Records load through the token
user's provider; selectors raise Http404 / PermissionDenied and services raise
ValidationError, which core/api.py answers as 404 / 403 / 422.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from beacon.clients import selectors, services
from beacon.clients.models import Client, Contact
from beacon.clients.schemas import (
    ClientConsentsIn,
    ClientConsentsOut,
    ClientCreateIn,
    ClientListQuery,
    ClientOut,
    ClientPageOut,
    ClientUpdateIn,
    ContactIn,
    ContactOut,
    ContactUpdateIn,
    PossibleDuplicatesOut,
)
from beacon.core.api import api_write, role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.models import Team
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED

router = Router(tags=["clients"])

VIEW = "clients.view_client"
ADD = "clients.add_client"
CHANGE = "clients.change_client"


# Every endpoint checks the role before the lookup, as the pages do, so a role that may
# never open a record gets 403 whether or not the number exists.


def _team(request: HttpRequest, team_id: int | None) -> Team:
    """The team a new client joins: the one named, else the caller's own."""
    if team_id is None:
        # Resolved here, not left to the service, which fails (500) on a user without a team.
        if request.user.team_id is None:
            raise ValidationError({"team_id": "You belong to no team: send the team_id to use"})
        return request.user.team
    team = request.provider.teams.filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team_id": "No team with this id in your service"})
    return team


def _viewed(request: HttpRequest, client: Client, what: str = "") -> None:
    services.client_record_viewed(
        actor=request.user, client=client, origin=audit_origin(request), what=what
    )


def _contact_values(contact: Contact) -> list:
    return [getattr(contact, field) for field in services.CONTACT_FIELDS]


@router.get("/", response={200: ClientPageOut, **INVALID}, summary="Search clients")
def client_list(request: HttpRequest, filters: Query[ClientListQuery]) -> dict:
    ensure_can(request.user, VIEW)
    clients = selectors.client_search(user=request.user, query=filters.q)
    count = clients.count()
    start = (filters.page - 1) * filters.page_size
    # A list of names is identifiable whatever the query, so every call is recorded;
    # like the page, the entry records that a search happened, not its terms.
    audit_request(
        request,
        action=Action.SEARCH,
        detail=f"client {'search' if filters.q else 'list'}, {count} results",
    )
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": list(clients[start : start + filters.page_size]),
    }


@router.post(
    "/",
    response={201: ClientOut, 409: PossibleDuplicatesOut, **INVALID},
    summary="Add a client",
    auth=role_gate(ADD),
)
def client_create(request: HttpRequest, payload: ClientCreateIn):
    ensure_can(request.user, ADD)
    data = payload.model_dump(exclude={"team_id"})
    data["team"] = _team(request, payload.team_id)
    try:
        client = services.client_create(actor=request.user, data=data, origin=audit_origin(request))
    except services.PossibleDuplicates as exc:
        services.audit_duplicate_check(
            actor=request.user, duplicates=exc.duplicates, origin=audit_origin(request)
        )
        shown = selectors.client_duplicates_shown_to(user=request.user, duplicates=exc.duplicates)
        return Status(
            409,
            {
                "detail": "This person may already have a record: check these clients, then send "
                "again with confirm_not_duplicate: true if this is a different person",
                "possible_duplicates": [d["client_number"] for d in shown if d["visible"]],
                "in_teams_you_cannot_open": sum(1 for d in shown if not d["visible"]),
            },
        )
    return Status(201, client)


@router.get("/{str:client_number}", response={200: ClientOut, **REFUSED}, summary="Read a client")
def client_read(request: HttpRequest, client_number: str) -> Client:
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number)
    _viewed(request, client)
    return client


@router.patch(
    "/{str:client_number}",
    response={200: ClientOut, **INVALID},
    summary="Change a client",
    auth=role_gate(CHANGE),
)
def client_update(request: HttpRequest, client_number: str, payload: ClientUpdateIn) -> Client:
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    updated_at = client.updated_at
    client = api_write(request, services.client_update, payload, partial=True, client=client)
    if client.updated_at == updated_at:
        # Nothing changed, so no UPDATE entry; the record sent back is still a read.
        _viewed(request, client)
    return client


@router.get(
    "/{str:client_number}/consents",
    response={200: ClientConsentsOut, **REFUSED},
    summary="Read a client's consents",
)
def client_consents_read(request: HttpRequest, client_number: str) -> Client:
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number)
    _viewed(request, client, "consents")
    return client


@router.put(
    "/{str:client_number}/consents",
    response={200: ClientConsentsOut, **INVALID},
    summary="Replace a client's consents",
    auth=role_gate(CHANGE),
)
def client_consents_replace(
    request: HttpRequest, client_number: str, payload: ClientConsentsIn
) -> Client:
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    updated_at = client.updated_at
    client = api_write(request, services.client_consents_update, payload, client=client)
    if client.updated_at == updated_at:
        _viewed(request, client, "consents")
    return client


@router.get(
    "/{str:client_number}/contacts",
    response={200: list[ContactOut], **REFUSED},
    summary="List a client's friends and family contacts",
)
def contact_list(request: HttpRequest, client_number: str) -> list[Contact]:
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number)
    _viewed(request, client, "contacts")
    return list(selectors.client_contacts(client=client))


@router.post(
    "/{str:client_number}/contacts",
    response={201: ContactOut, **INVALID},
    summary="Add a friends and family contact",
    auth=role_gate(CHANGE),
)
def contact_create(request: HttpRequest, client_number: str, payload: ContactIn):
    ensure_can(request.user, VIEW)
    client = selectors.client_get(user=request.user, client_number=client_number, permission=CHANGE)
    contact = api_write(request, services.contact_create, payload, client=client)
    return Status(201, contact)


@router.get(
    "/{str:client_number}/contacts/{int:contact_id}",
    response={200: ContactOut, **REFUSED},
    summary="Read a friends and family contact",
)
def contact_read(request: HttpRequest, client_number: str, contact_id: int) -> Contact:
    ensure_can(request.user, VIEW)
    contact = selectors.contact_get(
        user=request.user, client_number=client_number, contact_id=contact_id
    )
    client = contact.client
    _viewed(request, client, f"contact {contact.pk}")
    return contact


@router.patch(
    "/{str:client_number}/contacts/{int:contact_id}",
    response={200: ContactOut, **INVALID},
    summary="Change a friends and family contact",
    auth=role_gate(CHANGE),
)
def contact_update(
    request: HttpRequest, client_number: str, contact_id: int, payload: ContactUpdateIn
) -> Contact:
    ensure_can(request.user, VIEW)
    contact = selectors.contact_get(
        user=request.user, client_number=client_number, contact_id=contact_id, permission=CHANGE
    )
    client = contact.client
    before = _contact_values(contact)
    contact = api_write(request, services.contact_update, payload, partial=True, contact=contact)
    if _contact_values(contact) == before:
        _viewed(request, client, f"contact {contact.pk}")
    return contact
