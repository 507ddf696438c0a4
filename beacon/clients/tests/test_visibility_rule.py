"""The client-record rule twice over: the predicate `clients.view_client` (one record) and the
query `clients_visible_to` (lists and search) agree for every role, team and provider."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beacon.clients.rules import clients_visible_to
from beacon.clients.tests.factories import ClientFactory
from beacon.core.permissions import user_can
from beacon.core.roles import Role
from beacon.core.tests.factories import ProviderFactory, TeamFactory, UserFactory

PROVIDERS = ["this", "other"]
USER_TEAMS = ["team A", "team B", None]
CLIENT_TEAMS = ["team A", "team B"]
# Whose caseload the client is on: nobody, or a keyworker in team A, in team B, in no team.
KEYWORKER_TEAMS = {"in team A": "team A", "in team B": "team B", "in no team": None}
KEYWORKERS = [None, *KEYWORKER_TEAMS]


@pytest.mark.django_db
def test_view_client_predicate_and_visible_query_agree_for_every_role():
    providers = {name: ProviderFactory(code=f"V{name[0].upper()}S") for name in PROVIDERS}
    teams = {
        (provider, team): TeamFactory(provider=providers[provider], name=f"{provider} {team}")
        for provider, team in itertools.product(PROVIDERS, CLIENT_TEAMS)
    }

    def team_of(provider: str, team: str | None):
        return teams[(provider, team)] if team else None

    # Every kind of user, made once: each role, in each team or none, of each provider,
    # active or not.
    users = {
        (role, team, provider, active): UserFactory(
            role=role,
            provider=providers[provider],
            team=team_of(provider, team),
            is_active=active,
        )
        for role, team, provider, active in itertools.product(
            Role, USER_TEAMS, PROVIDERS, [True, False]
        )
    }
    keyworkers = {
        (provider, keyworker): users[(Role.KEYWORKER, team, provider, True)]
        for provider, (keyworker, team) in itertools.product(PROVIDERS, KEYWORKER_TEAMS.items())
    }
    clients = {
        (provider, team, keyworker): ClientFactory(
            provider=providers[provider],
            team=teams[(provider, team)],
            keyworker=keyworkers[(provider, keyworker)] if keyworker else None,
        )
        for provider, team, keyworker in itertools.product(PROVIDERS, CLIENT_TEAMS, KEYWORKERS)
    }
    # A keyworker also opens a client on their own caseload, in whichever team.
    caseload_keyworkers = list(keyworkers.values())

    @settings(max_examples=400, deadline=None)
    @given(
        user=st.one_of(st.sampled_from(list(users.values())), st.sampled_from(caseload_keyworkers)),
        client=st.sampled_from(list(clients.values())),
    )
    def agree(user, client):
        by_rule = user_can(user, "clients.view_client", client)
        by_query = clients_visible_to(user).filter(pk=client.pk).exists()
        assert by_rule == by_query, (user.role, user.team_id, user.provider_id, client)

    agree()
