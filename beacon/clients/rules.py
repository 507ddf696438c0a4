"""Who may see and change client records (DESIGN.md: roles).

Keyworkers read their team's clients and change those on their own caseload;
prescribers and nurses read every client of their provider (clinical record);
managers see and change everything in the service. Drivers, volunteers and
commissioners never open a client record. `clients_visible_to` is the same rule
as a query, for lists and search; both live here so they cannot drift apart.
"""

from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet

from beacon.core.permissions import has_role, is_keyworker, is_manager
from beacon.core.roles import Role

if TYPE_CHECKING:
    from beacon.clients.models import Client
    from beacon.core.models import User

can_open_client_records = has_role(Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE, Role.MANAGER)
reads_whole_provider = has_role(Role.PRESCRIBER, Role.NURSE, Role.MANAGER)


@rules.predicate
def same_provider(user, client) -> bool:
    return client is None or client.provider_id == user.provider_id


@rules.predicate
def in_team_or_caseload(user, client) -> bool:
    if client is None:
        return True
    return client.keyworker_id == user.pk or (
        user.team_id is not None and client.team_id == user.team_id
    )


@rules.predicate
def on_own_caseload(user, client) -> bool:
    if client is None:
        return True
    return client.keyworker_id == user.pk


# May this user open this client's record: the predicate other apps build on.
can_view_client = same_provider & (reads_whole_provider | (is_keyworker & in_team_or_caseload))

rules.add_perm("clients.view_client", can_view_client)
rules.add_perm("clients.add_client", is_keyworker | is_manager)
rules.add_perm(
    "clients.change_client", same_provider & (is_manager | (is_keyworker & on_own_caseload))
)


def clients_visible_to(user: "User") -> "QuerySet[Client]":
    """The clients `user` may open: the `clients.view_client` rule as a query."""
    from beacon.clients.models import Client

    if user.provider_id is None or not can_open_client_records(user):
        return Client.objects.none()
    clients = user.provider.clients.all()
    if reads_whole_provider(user):
        return clients
    team_or_caseload = Q(keyworker=user)
    if user.team_id is not None:
        team_or_caseload |= Q(team_id=user.team_id)
    return clients.filter(team_or_caseload)
