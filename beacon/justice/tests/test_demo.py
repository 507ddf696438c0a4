"""The demo shows criminal-justice work: the demo probation officer reads one consenting
client and learns only that another's referral was received; a client released on
methadone is on the demo prescriber's list; a second run adds nothing."""

import io
import random

import pytest
from django.utils import timezone

from beacon.core.demo import demo_sign_ins, seed_organisations
from beacon.justice import selectors
from beacon.justice.demo import seed_justice
from beacon.justice.models import LICENCE_KINDS, JusticeStatus
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_order_a_consent_and_a_release_on_the_prescribers_list():
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(4):
        TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
    officer = org["users"]["probation_officer"]
    assert ("probation_officer", "Probation officer") in demo_sign_ins()
    seed_justice(random.Random(2), org, stdout=io.StringIO())
    today = timezone.localdate()
    assert selectors.officer_clients(user=officer, today=today).count() == 1
    assert selectors.officer_referrals_without_consent(user=officer, today=today) == 1
    assert selectors.releases_awaiting_prescription(user=org["users"]["prescriber"], today=today)
    manager = org["users"]["manager"]
    past = selectors.statuses_to_follow(user=manager, today=today, past_expected_end_only=True)
    assert past.count() == 1  # an order past its expected end, to record how it ended
    assert JusticeStatus.objects.filter(end_reason="completed").count() == 1  # history
    licences = JusticeStatus.objects.filter(kind__in=LICENCE_KINDS)
    assert licences.exists() and not licences.filter(supervision_end__isnull=True).exists()
    assert all(licence.is_current_on(today) for licence in licences)  # none flagged (H-280)
    made = JusticeStatus.objects.count()
    seed_justice(random.Random(2), org, stdout=io.StringIO())
    assert JusticeStatus.objects.count() == made
