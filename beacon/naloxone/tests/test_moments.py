"""The naloxone offer raised at two moments of high overdose risk through the paths that
make them (H-110): prescribing's suspension after three missed days, and treatment's exit
plan; each shows on the keyworker's caseload as an offer due."""

import pytest
from django.urls import reverse

from beacon.naloxone.models import OfferDue
from beacon.naloxone.tests.factories import day

pytestmark = pytest.mark.django_db


def test_supply_suspended_after_three_missed_days_raises_a_naloxone_offer_due(
    users, opiate, web_as
):
    from beacon.prescribing.models import Prescription
    from beacon.prescribing.tests.factories import prescribe, record_outcome

    prescription = prescribe(client=opiate, prescriber=users["prescriber"], start_date=day(-6))
    first_three = list(prescription.instalments.order_by("date")[:3])
    for instalment in first_three[:2]:
        record_outcome(instalment, "missed", users["prescriber"])
    assert not OfferDue.objects.filter(client=opiate, moment="missed_dose_suspension").exists()
    record_outcome(first_three[2], "missed", users["prescriber"])
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    due = OfferDue.objects.get(client=opiate, moment="missed_dose_suspension")
    assert due.raised_on == day(-3)  # the day after the third missed day
    caseload = web_as("keyworker").get(reverse("treatment:caseload")).content.decode()
    assert "Naloxone offer due: Supply suspended after missed doses" in caseload


def test_an_exit_plan_raises_a_naloxone_offer_due(users, opiate, web_as):
    from beacon.treatment.services.plans import exit_plan_create
    from beacon.treatment.tests.factories import ModalityFactory

    episode = opiate.episodes.get()
    ModalityFactory(episode=episode, ost=True)
    assert not OfferDue.objects.filter(client=opiate, moment="exit_plan").exists()
    exit_plan_create(
        actor=users["keyworker"],
        episode=episode,
        data={
            "agreed_on": day(0),
            "intended_duration_weeks": 26,
            "client_view": "Off it by summer",
            "next_review_date": day(28),
        },
        steps=(),
    )
    due = OfferDue.objects.get(client=opiate, moment="exit_plan")
    assert due.raised_on == day(0) and due.done_by_offer is None
    page = web_as("keyworker").get(reverse("naloxone:client", args=[opiate.client_number]))
    assert "Exit plan (loss of tolerance)" in page.content.decode()
