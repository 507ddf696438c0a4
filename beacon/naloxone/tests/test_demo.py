"""Demo naloxone at the partner pharmacy: kits moved to its own stock, and its
pharmacist's supplies from them (one to a client dispensing there, one to no client)."""

import io
import random

import pytest

from beacon.core.demo import seed_organisations
from beacon.naloxone.demo import seed_naloxone
from beacon.naloxone.models import NaloxoneSupply, StockBalance
from beacon.pharmacy.demo import seed_pharmacy
from beacon.pharmacy.selectors import pharmacy_site
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_pharmacy_holds_kits_and_its_pharmacist_supplied_two():
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(2):
        TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
    seed_pharmacy(random.Random(2), org, stdout=io.StringIO())
    seed_naloxone(random.Random(3), org, stdout=io.StringIO())
    pharmacist = org["users"]["pharmacist"]
    site = pharmacy_site(user=pharmacist)
    supplies = NaloxoneSupply.objects.filter(supplied_by=pharmacist)
    assert supplies.count() == 2 and set(supplies.values_list("site", flat=True)) == {site.pk}
    assert supplies.filter(client__isnull=False).count() == 1
    assert sum(StockBalance.objects.filter(site=site).values_list("balance", flat=True)) == 4
    assert not NaloxoneSupply.objects.exclude(supplied_by=pharmacist).filter(site=site).exists()


def test_the_demo_has_a_keyworkers_kit_to_a_friend_linked_to_no_client():
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    seed_naloxone(random.Random(3), org, stdout=io.StringIO())
    friend = NaloxoneSupply.objects.get(supplied_by=keyworker, client__isnull=True)
    assert friend.recipient == "friend" and not friend.by_volunteer
