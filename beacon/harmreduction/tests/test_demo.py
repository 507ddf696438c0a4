"""Demo harm reduction data: a season of NSP visits at both sites, some for clients, the
same dates a year earlier, and blood-borne virus records; running it again adds nothing."""

import io
import random

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.demo import seed_organisations
from beacon.harmreduction.demo import seed_harm_reduction
from beacon.harmreduction.models import BloodBorneVirusTest, HepatitisBDose, NspTransaction
from beacon.pharmacy.demo import seed_pharmacy
from beacon.pharmacy.selectors import pharmacy_site

pytestmark = pytest.mark.django_db


def test_seed_harm_reduction_makes_a_season_and_is_idempotent():
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(4):
        ClientFactory(provider=org["provider"], team=keyworker.team, keyworker=keyworker)
    summary = seed_harm_reduction(random.Random(2), org)
    transactions = NspTransaction.objects.filter(provider=org["provider"])
    assert transactions.count() == 280 and summary.startswith("280 NSP transactions")
    assert transactions.values("site").distinct().count() == 2
    assert 0 < transactions.filter(client__isnull=False).count() < 140
    assert not transactions.filter(recorded_by__role="volunteer", client__isnull=False).exists()
    assert BloodBorneVirusTest.objects.count() >= 4 and HepatitisBDose.objects.exists()
    assert seed_harm_reduction(random.Random(2), org) == "NSP already seeded"
    assert transactions.count() == 280


def test_the_demo_pharmacist_has_nsp_visits_at_the_pharmacy():
    org = seed_organisations(random.Random(1))
    seed_pharmacy(random.Random(2), org, stdout=io.StringIO())
    pharmacist = org["users"]["pharmacist"]
    summary = seed_harm_reduction(random.Random(2), org)
    at_pharmacy = NspTransaction.objects.filter(recorded_by=pharmacist)
    assert summary.startswith("283 NSP transactions") and at_pharmacy.count() == 3
    site = pharmacy_site(user=pharmacist)
    assert set(at_pharmacy.values_list("site", flat=True)) == {site.pk}
    assert not at_pharmacy.filter(client__isnull=False).exists()
    others = NspTransaction.objects.exclude(recorded_by=pharmacist)
    assert not others.filter(site=site).exists()
