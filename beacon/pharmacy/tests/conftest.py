"""Fixtures of the pharmacy tests: the pharmacist's pharmacy and a client in treatment."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.tests.factories import TreatmentEpisodeFactory


@pytest.fixture
def pharmacist(users):
    return users["pharmacist"]


@pytest.fixture
def pharmacy(pharmacist):
    return pharmacist.partner_organisation


@pytest.fixture
def client_in_treatment(provider, team, users):
    client = ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])
    TreatmentEpisodeFactory(client=client)
    return client
