"""A site with naloxone stock, and an opiate client on the keyworker's caseload."""

import pytest

from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.tests.factories import opiate_client, receive


@pytest.fixture
def site(provider, team):
    site = SiteFactory(provider=provider, name="Harbour Street")
    team.site = site
    team.save()
    return site


@pytest.fixture
def batch(users, site):
    return receive(users["manager"], site, quantity=5).batch


@pytest.fixture
def opiate(users, team, site):
    return opiate_client(team, users["keyworker"], first_name="Robin", last_name="Fellwood")
