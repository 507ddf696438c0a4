"""The demo's missed delivery of today: the alert it raises opens the client page."""

import random

import pytest
from django.urls import reverse

from beacon.core.demo import seed_organisations
from beacon.core.models import Alert
from beacon.delivery.demo import seed_delivery, seed_missed_delivery_today
from beacon.delivery.models import DeliveryStop
from beacon.prescribing.demo import seed_prescriptions
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_today():
    """The demo organisations, three clients on methadone delivered home, today planned."""
    org = seed_organisations(random.Random(1))
    keyworker = org["users"]["keyworker"]
    for _ in range(3):
        episode = TreatmentEpisodeFactory(
            client__provider=org["provider"],
            client__team=keyworker.team,
            client__keyworker=keyworker,
            keyworker=keyworker,
        )
        ModalityFactory(episode=episode, ost=True)
    seed_prescriptions(random.Random(2), org)
    seed_delivery(random.Random(3), org, seconds=1, iterations=300)
    return org


def test_the_demo_misses_one_delivery_today_and_alerts_the_keyworker_to_the_client_page(
    planned_today,
):
    provider = planned_today["provider"]
    said = seed_missed_delivery_today(provider)
    missed = DeliveryStop.objects.get(provider=provider, status=DeliveryStop.Status.NOT_DELIVERED)
    assert said == f"parcel {missed.parcel_number}"
    alert = Alert.objects.get(
        kind=Alert.Kind.MISSED_DELIVERY,
        client=missed.client,
        recipient=planned_today["users"]["keyworker"],
    )
    assert alert.link == reverse("clients:detail", args=[missed.client.client_number])
    assert missed.instalment.outcome == "missed"


def test_the_missed_delivery_is_made_once(planned_today):
    provider = planned_today["provider"]
    seed_missed_delivery_today(provider)
    assert seed_missed_delivery_today(provider).startswith("none")
    assert DeliveryStop.objects.filter(status=DeliveryStop.Status.NOT_DELIVERED).count() == 1
