"""A client on the keyworker's caseload and the service's site, for the harm reduction
tests."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.harmreduction.tests.factories import site_of


@pytest.fixture
def client_record(users, team):
    return ClientFactory(
        provider=team.provider,
        team=team,
        keyworker=users["keyworker"],
        first_name="Jo",
        last_name="Smith",
        date_of_birth=datetime.date(1985, 2, 14),
        sex="M",
    )


@pytest.fixture
def site(provider):
    return site_of(provider)
