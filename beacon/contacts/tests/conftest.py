"""A client on the keyworker's caseload, for the contacts tests."""

import pytest

from beacon.clients.tests.factories import ClientFactory


@pytest.fixture
def client_record(users, team):
    return ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])
