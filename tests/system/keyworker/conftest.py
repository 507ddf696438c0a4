"""Who the keyworker journeys meet: the service manager, and Robin, a client of the team."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, first_name="Morgan")


@pytest.fixture
def robin(provider, team):
    """A client already known to the keyworker's team."""
    return ClientFactory(
        provider=provider,
        team=team,
        first_name="Robin",
        last_name="Fellwood",
        date_of_birth=datetime.date(1984, 6, 15),
    )
