"""Fixtures of the justice tests: the probation officer, a client on the keyworker's
caseload in treatment, and a second officer of another probation service."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.tests.factories import TreatmentEpisodeFactory


@pytest.fixture
def officer(users):
    return users["probation_officer"]


@pytest.fixture
def keyworker(users):
    return users["keyworker"]


@pytest.fixture
def client_record(provider, team, keyworker):
    client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    TreatmentEpisodeFactory(client=client, keyworker=keyworker)
    return client


@pytest.fixture
def other_officer(make_user):
    return make_user("probation_officer", username="officer-two")
