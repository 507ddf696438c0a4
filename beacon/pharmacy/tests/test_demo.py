"""Demo pharmacy: Harbour Pharmacy's demo pharmacist has instalments due today, once."""

import io
import random

import pytest
from django.utils import timezone

from beacon.core.demo import demo_sign_ins, seed_organisations
from beacon.pharmacy import selectors
from beacon.pharmacy.demo import seed_pharmacy
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_pharmacist_has_instalments_due_today_and_a_second_run_adds_none():
    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    for _ in range(3):
        TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
    pharmacist = org["users"]["pharmacist"]
    assert pharmacist.partner_organisation.name == "Harbour Pharmacy"
    assert ("pharmacist", "Pharmacist") in demo_sign_ins()
    seed_pharmacy(random.Random(2), org, stdout=io.StringIO())
    today = timezone.localdate()
    due_today = [
        row
        for row in selectors.instalments_due(user=pharmacist, today=today)
        if row.instalment.date == today
    ]
    assert len(due_today) == 3
    assert not any(row.do_not_supply for row in due_today)
    seed_pharmacy(random.Random(2), org, stdout=io.StringIO())
    assert pharmacist.partner_organisation.ost_prescriptions.count() == 3
