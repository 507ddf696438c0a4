"""Fixtures of the prescribing tests: a client of the keyworker in an open treatment episode."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.prescribing.tests.factories import days_from_today
from beacon.treatment.tests.factories import TreatmentEpisodeFactory


def _in_treatment(provider, team, users, **episode):
    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    TreatmentEpisodeFactory(client=client, **episode)
    return client


@pytest.fixture
def client_in_treatment(provider, team, users):
    """A client of the keyworker's team, in an episode that started as the factory starts one."""
    return _in_treatment(provider, team, users)


@pytest.fixture
def client(client_in_treatment):
    """The client of the page and API tests (these sign in with `web_as`, never with
    pytest-django's test client of the same name)."""
    return client_in_treatment


@pytest.fixture
def person(provider, team, users):
    """A client in treatment for 200 days: past every first-weeks rule of a new start."""
    return _in_treatment(provider, team, users, start_date=days_from_today(-200))
