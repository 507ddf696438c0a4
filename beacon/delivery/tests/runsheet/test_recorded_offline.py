"""A stop outcome that waited on the driver's phone for a signal (core/offline.js) keeps the
time it was recorded at the door, in the register and on the stop (hazard log H-283)."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from beacon.delivery.models import DeliveryStop
from beacon.delivery.tests.factories import round_today
from beacon.prescribing.models import Instalment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


@pytest.fixture
def stops(users, provider, team):
    return round_today(users=users, provider=provider, team=team, clients=2, handed_over=True)


def at(hour, minute=0):
    return datetime.datetime.combine(
        timezone.localdate(), datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def test_a_delivery_sent_when_the_signal_returns_is_registered_at_the_door(web_as, stops):
    stop = stops[0]
    with time_machine.travel(at(13), tick=False):
        response = web_as("driver").post(
            f"/delivery/my-round/stops/{stop.pk}/delivered/",
            {
                "delivered-recipient": "client",
                "delivered-identity": "shown",
                "offline_recorded_at": at(10, 40).isoformat(),
            },
        )
    assert response.status_code == 302
    stop = DeliveryStop.objects.select_related("delivered_entry").get(pk=stop.pk)
    assert stop.delivered_entry.occurred_at == at(10, 40)
    assert stop.outcome_recorded_at == at(10, 40)
    # The register's page says so too, not 13:00.
    entry = stop.delivered_entry
    register = (
        web_as("manager")
        .get(f"/delivery/register/{entry.site_id}/{entry.medicine}/")
        .content.decode()
    )
    assert "10:40" in register


def test_the_clients_page_shows_the_door_time_of_a_delivery_sent_later(web_as, stops):
    """The instalment keeps the time at the door too: "Today's dose" says 10:40, not the
    13:00 the signal came back."""
    stop = stops[0]
    with time_machine.travel(at(13), tick=False):
        web_as("driver").post(
            f"/delivery/my-round/stops/{stop.pk}/delivered/",
            {
                "delivered-recipient": "client",
                "delivered-identity": "shown",
                "offline_recorded_at": at(10, 40).isoformat(),
            },
        )
        page = web_as("prescriber").get(reverse("clients:detail", args=[stop.client.client_number]))
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome_recorded_at == at(10, 40)
    text = page.content.decode()
    assert "delivered at 10:40" in text
    assert "at 13:00" not in text


def test_a_delivery_sent_at_once_is_registered_now(web_as, stops):
    with time_machine.travel(at(11, 15), tick=False):
        web_as("driver").post(
            f"/delivery/my-round/stops/{stops[0].pk}/delivered/",
            {"delivered-recipient": "client", "delivered-identity": "shown"},
        )
    stop = DeliveryStop.objects.select_related("delivered_entry").get(pk=stops[0].pk)
    assert stop.delivered_entry.occurred_at == at(11, 15)


@pytest.mark.parametrize(
    ("phone_clock", "kept"),
    [
        # A phone whose clock is behind: never before the parcel left the cabinet.
        ((8, 0), "hand-over"),
        # A phone whose clock is ahead: never after the outcome reached Beacon.
        ((15, 0), (13, 0)),
        # Unreadable: the time it reached Beacon.
        ("yesterday-ish", (13, 0)),
    ],
)
def test_a_phone_clock_is_believed_only_between_hand_over_and_now(web_as, stops, phone_clock, kept):
    stop = stops[0]
    sent = at(*phone_clock).isoformat() if isinstance(phone_clock, tuple) else phone_clock
    with time_machine.travel(at(13), tick=False):
        web_as("driver").post(
            f"/delivery/my-round/stops/{stop.pk}/delivered/",
            {
                "delivered-recipient": "client",
                "delivered-identity": "shown",
                "offline_recorded_at": sent,
            },
        )
    stop = DeliveryStop.objects.select_related("delivered_entry", "handed_over_entry").get(
        pk=stop.pk
    )
    expected = stop.handed_over_entry.occurred_at if kept == "hand-over" else at(*kept)
    assert stop.delivered_entry.occurred_at == expected
    assert stop.outcome_recorded_at == expected


def test_not_in_recorded_offline_in_the_clients_hours_is_accepted_later(web_as, users, stops):
    """The client is usually in from 09:00 to 12:00: "not in" at 11:50 on the phone, sent at
    12:30 when the signal came back, is judged at 11:50 and kept at 11:50."""
    stop = stops[0]
    with time_machine.travel(at(12, 30), tick=False):
        response = web_as("driver").post(
            f"/delivery/my-round/stops/{stop.pk}/not-delivered/",
            {"missed-reason": "not_in", "offline_recorded_at": at(11, 50).isoformat()},
        )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.status == "not_delivered"
    assert stop.outcome_recorded_at == at(11, 50)


def test_the_api_keeps_the_time_the_driver_recorded(api_as, users, stops):
    stop = stops[1]
    with time_machine.travel(at(14), tick=False):
        response = api_as(users["driver"]).post(
            f"/api/v1/delivery/my-round/stops/{stop.pk}/delivered",
            json.dumps(
                {"recipient": "client", "identity": "shown", "recorded_at": at(10, 5).isoformat()}
            ),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    stop = DeliveryStop.objects.select_related("delivered_entry").get(pk=stop.pk)
    assert stop.delivered_entry.occurred_at == at(10, 5)
