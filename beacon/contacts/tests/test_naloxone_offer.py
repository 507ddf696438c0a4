"""The opt-out naloxone offer asked in the same form as a contact: an opiate client without
an in-date kit is asked about, in one answer, and the answer is saved with the contact or
neither is."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.contacts.models import Appointment
from beacon.contacts.tests.factories import at, booked_in_the_past
from beacon.contacts.tests.test_pages import when_fields
from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.models import NaloxoneOffer, NaloxoneSupply, StockBalance
from beacon.naloxone.tests.factories import ALL_TOPICS, opiate_client, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(users, provider):
    site = SiteFactory(provider=provider, name="Harbour Street")
    return StockBalance.objects.get(batch=receive(users["manager"], site, quantity=2).batch)


@pytest.fixture
def opiate(users, team):
    return opiate_client(team, users["keyworker"])


def record(http, client, kind="drop_in", **naloxone):
    return http.post(
        reverse("contacts:record", args=[client.client_number]),
        {"staff": client.keyworker.pk, "kind": kind, **when_fields(at(0, 0, 5)), **naloxone},
    )


def test_the_contact_form_asks_the_naloxone_outcome_of_an_opiate_client_without_a_kit(
    users, opiate, client_record, web_as
):
    http = web_as("keyworker")
    asked = http.get(reverse("contacts:record", args=[opiate.client_number])).content.decode()
    assert "Naloxone: offered today (opt-out)" in asked
    not_asked = http.get(reverse("contacts:record", args=[client_record.client_number]))
    assert "Naloxone: offered today" not in not_asked.content.decode()


def test_a_drop_in_with_a_kit_supplied_in_the_same_form(users, opiate, stock, web_as):
    response = record(
        web_as("keyworker"),
        opiate,
        naloxone_outcome="supplied",
        naloxone_stock=stock.pk,
        naloxone_topics=ALL_TOPICS,
        naloxone_trained_by=users["manager"].pk,
    )
    assert response.status_code == 302
    supply = NaloxoneSupply.objects.get(client=opiate)
    assert supply.trained_by == users["manager"] and supply.offer.moment == "contact"
    stock.refresh_from_db()
    assert stock.balance == 1


def test_a_decline_without_a_reason_saves_neither_the_contact_nor_the_offer(opiate, web_as):
    response = record(web_as("keyworker"), opiate, naloxone_outcome="declined")
    assert response.status_code == 200
    assert "Choose why they declined" in response.content.decode()
    assert not Appointment.objects.exists() and not NaloxoneOffer.objects.exists()


def test_supplied_without_choosing_the_kit_is_shown_next_to_the_kit(opiate, stock, web_as):
    response = record(
        web_as("keyworker"),
        opiate,
        naloxone_outcome="supplied",
        naloxone_topics=ALL_TOPICS,
        naloxone_trained_by=opiate.keyworker.pk,
    )
    assert "Choose the batch the kit came from" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_attended_appointment_records_a_kit_seen(users, opiate, web_as):
    appointment = booked_in_the_past(opiate, users["keyworker"], days=1)
    http = web_as("keyworker")
    missing = http.post(reverse("contacts:outcome", args=[appointment.pk]), {"outcome": "attended"})
    assert "Choose the naloxone outcome" in missing.content.decode()
    http.post(
        reverse("contacts:outcome", args=[appointment.pk]),
        {"outcome": "attended", "naloxone_outcome": "holds_kit"},
    )
    assert NaloxoneOffer.objects.get(client=opiate).outcome == "holds_kit"
    # A DNA is not asked.
    missed = booked_in_the_past(opiate, users["keyworker"], days=2)
    response = http.post(reverse("contacts:outcome", args=[missed.pk]), {"outcome": "dna"})
    assert response.status_code == 302


def test_a_kit_seen_on_a_phone_call_is_refused_and_saves_neither(users, opiate, web_as):
    http = web_as("keyworker")
    response = record(http, opiate, kind="phone_or_video", naloxone_outcome="holds_kit")
    assert response.status_code == 200
    assert "A kit can only be seen in person" in response.content.decode()
    assert not Appointment.objects.exists() and not NaloxoneOffer.objects.exists()
    call = booked_in_the_past(opiate, users["keyworker"], kind="phone_or_video")
    response = http.post(
        reverse("contacts:outcome", args=[call.pk]),
        {"outcome": "attended", "naloxone_outcome": "holds_kit"},
    )
    assert "A kit can only be seen in person" in response.content.decode()
    call.refresh_from_db()
    assert not call.outcome and not NaloxoneOffer.objects.exists()


def test_a_kit_seen_at_a_drop_in_keeps_its_expiry(opiate, web_as):
    expiry = timezone.localdate() + datetime.timedelta(days=200)
    response = record(
        web_as("keyworker"),
        opiate,
        naloxone_outcome="holds_kit",
        **{
            "naloxone_seen_expiry[day]": expiry.day,
            "naloxone_seen_expiry[month]": expiry.month,
            "naloxone_seen_expiry[year]": expiry.year,
        },
    )
    assert response.status_code == 302
    assert NaloxoneOffer.objects.get().seen_kit_expires_on == expiry


def test_not_asked_records_the_contact_only(opiate, web_as):
    assert record(web_as("keyworker"), opiate, naloxone_outcome="not_asked").status_code == 302
    assert Appointment.objects.count() == 1 and not NaloxoneOffer.objects.exists()


def test_the_training_boxes_start_empty_and_the_trainer_is_asked(users, opiate, stock, web_as):
    http = web_as("keyworker")
    page = http.get(reverse("contacts:record", args=[opiate.client_number])).content.decode()
    boxes = re.findall(r"<input[^>]*name=\"naloxone_topics\"[^>]*>", page)
    assert len(boxes) == 5 and not any("checked" in box for box in boxes)
    assert "Trained by (if supplied)" in page
    # Supplied without saying who trained, or without the core topics: refused, nothing saved.
    untrained = record(
        http,
        opiate,
        naloxone_outcome="supplied",
        naloxone_stock=stock.pk,
        naloxone_trained_by=opiate.keyworker.pk,
    )
    assert "Train before supplying" in untrained.content.decode()
    nobody = record(
        http,
        opiate,
        naloxone_outcome="supplied",
        naloxone_stock=stock.pk,
        naloxone_topics=ALL_TOPICS,
    )
    assert "Choose who gave the training" in nobody.content.decode()
    assert not Appointment.objects.exists() and not NaloxoneSupply.objects.exists()
