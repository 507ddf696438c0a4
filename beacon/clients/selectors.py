"""Reads of client records: search, one client or contact for a user, possible duplicates,
and what the client page shows of other parts of the record."""

import datetime
import re
from difflib import SequenceMatcher

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from beacon.clients import hooks
from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client, Contact
from beacon.clients.rules import clients_visible_to
from beacon.clients.validators import normalise_nhs_number
from beacon.core.audit import AuditOrigin
from beacon.core.models import Alert, Provider, Team, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.core.selectors import alerts_for

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %m %Y", "%d.%m.%Y")
DUPLICATE_NAME_SIMILARITY = 0.75


def parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def client_search(
    *,
    user: User,
    query: str = "",
    date_of_birth: datetime.date | None = None,
    team: Team | None = None,
    keyworker: User | None = None,
) -> QuerySet[Client]:
    """Clients the user may open matching a name, date of birth, NHS number or client number,
    narrowed to one team or one keyworker's caseload when given."""
    clients = clients_visible_to(user).select_related("team", "keyworker")
    if team is not None:
        clients = clients.filter(team=team)
    if keyworker is not None:
        clients = clients.filter(keyworker=keyworker)
    query = (query or "").strip()
    if date_of_birth:
        clients = clients.filter(date_of_birth=date_of_birth)
    if not query:
        return clients
    digits = normalise_nhs_number(query)
    if digits.isdigit() and len(digits) == 10:
        return clients.filter(nhs_number=digits)
    if re.fullmatch(r"[A-Za-z]{2,6}\d{1,8}", query):
        return clients.filter(client_number__iexact=query)
    as_date = parse_date(query)
    if as_date:
        return clients.filter(date_of_birth=as_date)
    for term in query.split()[:4]:
        clients = clients.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(preferred_name__icontains=term)
        )
    return clients


def client_teams(*, provider: Provider) -> QuerySet[Team]:
    """The teams a list of clients can be narrowed to."""
    return provider.teams.order_by("name")


def client_keyworkers(*, provider: Provider) -> QuerySet[User]:
    """The keyworkers a list of clients can be narrowed to, by surname: the active ones, and
    anyone who has left (inactive) but still holds clients, so a manager finds a leaver's
    caseload to share it out (`keyworker_label` marks them "(left)")."""
    holds_clients = Exists(Client.objects.filter(keyworker=OuterRef("pk")))
    return provider.users.filter(
        Q(role=Role.KEYWORKER, is_active=True) | Q(holds_clients, is_active=False)
    ).order_by("last_name", "first_name", "username")


def client_get(
    *, user: User, client_number: str, permission: str = "clients.view_client"
) -> Client:
    """One client of the user's provider, refused (403) if the role or team does not allow it."""
    client = (
        user.provider.clients.select_related("team", "keyworker")
        .filter(client_number=client_number)
        .first()
    )
    if client is None:
        raise Http404("No such client")
    ensure_can(user, permission, client)
    return client


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= DUPLICATE_NAME_SIMILARITY


def client_possible_duplicates(
    *,
    provider: Provider,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    exclude_pk: int | None = None,
) -> list[Client]:
    """Clients with the same date of birth and a similar name, across the whole provider."""
    candidates = provider.clients.filter(date_of_birth=date_of_birth).select_related("team")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    full_name = f"{first_name} {last_name}"
    return [
        client
        for client in candidates
        if _similar(client.last_name, last_name)
        or _similar(f"{client.first_name} {client.last_name}", full_name)
        or (
            client.preferred_name
            and _similar(f"{client.preferred_name} {client.last_name}", full_name)
        )
    ]


def client_contacts(*, client: Client) -> QuerySet[Contact]:
    return client.contacts.all()


def contact_get(
    *, user: User, client_number: str, contact_id: int, permission: str = "clients.view_client"
) -> Contact:
    """One friends-and-family contact of a client the user may open (`client_get`: 404, then
    403), or 404 when the client has no such contact. `contact.client` is that client."""
    client = client_get(user=user, client_number=client_number, permission=permission)
    contact = client_contacts(client=client).filter(pk=contact_id).first()
    if contact is None:
        raise Http404("No such contact")
    return contact


def client_duplicates_shown_to(*, user: User, duplicates: list[Client]) -> list[dict]:
    """What a user may be told of possible duplicates: name and number only if they may open
    the record; otherwise just that one exists, and in which team (ask them)."""
    visible = set(
        clients_visible_to(user)
        .filter(pk__in=[c.pk for c in duplicates])
        .values_list("pk", flat=True)
    )
    return [
        {
            "visible": client.pk in visible,
            "client_number": client.client_number if client.pk in visible else None,
            "name": client.full_name if client.pk in visible else None,
            "team": client.team.name,
        }
        for client in duplicates
    ]


def client_page_sections(
    *,
    client: Client,
    user: User,
    origin: AuditOrigin | None = None,
    today: datetime.date | None = None,
) -> list[dict]:
    """What the apps above clients show on the client page to this user (each section
    decides and audits for itself: `beacon/clients/hooks.py`), in the order they
    registered, all of the page's day `today` (the summary's, H-150)."""
    shown = []
    for section in hooks.client_page_sections:
        found = section(client, user, origin=origin, today=today)
        if found is not None:
            shown.append(found)
    return shown


def client_alerts_open(*, client: Client, user: User) -> list[Alert]:
    """The user's own unread alerts about this client, newest first (alerts are addressed
    to a person: nobody reads another's)."""
    return list(alerts_for(user=user).filter(client=client, read_at__isnull=True))


def client_summary_rows(
    *, client: Client, user: User, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """What the apps above clients add to the summary at the top of the client page for
    this user (each decides for itself: `beacon/clients/hooks.py`)."""
    rows: list[SummaryRow] = []
    for found in hooks.client_summary_rows:
        rows.extend(found(client, user, today=today, now=now) or [])
    return rows
