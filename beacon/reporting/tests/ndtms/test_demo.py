"""The demo's NDTMS return holds the demo's journeys, and seed_demo says so."""

import random

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.demo import seed_organisations
from beacon.core.tests.helpers import sign_in
from beacon.reporting.demo import ndtms_demo_summary
from beacon.treatment.demo import seed_journeys

pytestmark = pytest.mark.django_db


def test_the_demo_return_holds_the_demo_journeys_and_the_manager_sees_it(client):
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(8):
        ClientFactory(provider=org["provider"], team=keyworker.team, keyworker=keyworker)
    seed_journeys(random.Random(2), org)
    summary = ndtms_demo_summary(org)
    journeys = int(summary.split(": ")[1].split(" ")[0])
    assert journeys > 0, summary
    page = sign_in(client, org["users"]["manager"]).get("/reporting/ndtms/")
    assert f"{journeys} journeys" in page.content.decode()
