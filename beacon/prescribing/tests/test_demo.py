"""Demo prescriptions: every demo client on OST in treatment gets one, once."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from beacon.core.demo import seed_organisations
from beacon.prescribing.demo import seed_prescriptions
from beacon.prescribing.models import Prescription
from beacon.prescribing.selectors import client_cross_titrations
from beacon.treatment.selectors.journey import episode_on_ost
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


def test_seed_prescriptions_gives_ost_clients_one_and_is_idempotent():
    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    on_ost = TreatmentEpisodeFactory(
        client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
    )
    ModalityFactory(episode=on_ost, ost=True)
    not_on_ost = TreatmentEpisodeFactory(
        client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
    )
    assert episode_on_ost(on_ost) and not episode_on_ost(not_on_ost)
    assert seed_prescriptions(random.Random(2), org) == 1
    assert seed_prescriptions(random.Random(2), org) == 0
    prescription = Prescription.objects.get()
    assert prescription.client == on_ost.client
    assert prescription.medicine.startswith("methadone")


def test_demo_shows_prescriptions_ending_soon_with_the_approved_wording():
    from django.utils import timezone

    from beacon.prescribing.selectors import prescriptions_ending_soon

    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    prescriber = next(u for u in org["users"].values() if u.role == "prescriber")
    for _ in range(10):
        episode = TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
        ModalityFactory(episode=episode, ost=True)
    seed_prescriptions(random.Random(2), org)
    assert prescriptions_ending_soon(user=prescriber, today=timezone.localdate())
    assert all(p.instalment_wording for p in Prescription.objects.all())


def test_seed_prescriptions_shows_a_cross_titration_and_a_buvidal_first_week():
    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    episodes = {}
    for medicine in ("methadone", "methadone", "buprenorphine", "buprenorphine"):
        episode = TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
        ModalityFactory(episode=episode, ost=True, ost_medicine=medicine)
        episodes.setdefault(medicine, []).append(episode)
    assert seed_prescriptions(random.Random(2), org) == 4
    today = timezone.localdate()
    [plan] = [
        plan
        for episode in episodes["methadone"]
        for plan in client_cross_titrations(client=episode.client, today=today)
    ]
    assert plan.switching_from.medicine.startswith("methadone")
    assert plan.switching_from.dose == 20 and plan.switching_from.dose_changes.count() == 1
    assert plan.switching_to.medicine.startswith("buprenorphine")
    assert plan.overlap_until == plan.switching_from.end_date
    assert "Cross-titration:" in plan.switching_to.overridden_warnings
    assert len(plan.switching_to.reason) > 20
    [buvidal] = Prescription.objects.filter(medicine="buvidal-16mg-weekly")
    assert buvidal.test_dose_given_at is not None and buvidal.test_dose_observation
    first_week = buvidal.instalments.filter(date__lte=buvidal.start_date + timedelta(days=6))
    assert sorted(first_week.values_list("quantity", flat=True)) == [8, 8, 16]
    assert seed_prescriptions(random.Random(2), org) == 0


def test_the_demo_prescriber_starts_on_a_suspended_supply_and_a_late_injection():
    from beacon.prescribing.selectors import (
        injections_awaiting_decision,
        prescriptions_awaiting_review,
    )

    org = seed_organisations(random.Random(1))
    keyworker = next(u for u in org["users"].values() if u.role == "keyworker")
    prescriber = next(u for u in org["users"].values() if u.role == "prescriber")
    for medicine in ["methadone"] * 3 + ["buprenorphine"] * 3:
        episode = TreatmentEpisodeFactory(
            client__provider=org["provider"], client__team=keyworker.team, keyworker=keyworker
        )
        ModalityFactory(episode=episode, ost=True, ost_medicine=medicine)
    assert seed_prescriptions(random.Random(2), org) == 6
    today = timezone.localdate()
    [suspended] = prescriptions_awaiting_review(user=prescriber, today=today)
    assert suspended.instalments.filter(outcome="missed").count() == 3
    [late] = injections_awaiting_decision(user=prescriber, today=today)
    assert late.date == today - timedelta(days=1)
