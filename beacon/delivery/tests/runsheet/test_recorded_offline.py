"""A stop outcome that waited on the driver's phone for a signal (core/offline.js) keeps the
time it was recorded at the door, in the register, on the stop and on the instalment, and is
taken after midnight up to the end of the next day (hazard log H-283)."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beacon.delivery.models import DeliveryStop
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import record, round_today
from beacon.prescribing.models import Instalment
from beacon.prescribing.services import instalments_record_missed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


@pytest.fixture
def stops(users, provider, team):
    return round_today(users=users, provider=provider, team=team, clients=2, handed_over=True)


def at(hour, minute=0, *, days_later=0):
    """A time of the round's day (today), or of a day `days_later`."""
    return datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days_later),
        datetime.time(hour, minute),
        tzinfo=timezone.get_current_timezone(),
    )


def api_delivered(api, stop, **fields):
    return api.post(
        f"/api/v1/delivery/my-round/stops/{stop.pk}/delivered",
        json.dumps({"recipient": "client", "identity": "shown", **fields}),
        content_type="application/json",
    )


def delivered(web, stop, **fields):
    return web.post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/",
        {"delivered-recipient": "client", "delivered-identity": "shown", **fields},
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


def test_the_clients_page_shows_the_door_time_of_a_delivery_sent_later(web_as, stops):
    """The instalment keeps the time at the door too: "Today's dose" says 10:40, not the
    13:00 the signal came back."""
    stop = stops[0]
    with time_machine.travel(at(13), tick=False):
        delivered(web_as("driver"), stop, offline_recorded_at=at(10, 40).isoformat())
        page = web_as("prescriber").get(reverse("clients:detail", args=[stop.client.client_number]))
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome_recorded_at == at(10, 40)
    text = page.content.decode()
    assert "delivered at 10:40" in text
    assert "at 13:00" not in text


# After midnight: the register takes an entry on the day of supply or the next (regs 19, 20).


def test_a_delivery_recorded_before_midnight_and_sent_after_is_registered_at_the_door(
    web_as, stops
):
    stop = stops[0]
    door, sent = at(21, 50), at(0, 30, days_later=1)
    with time_machine.travel(sent, tick=False):
        response = delivered(web_as("driver"), stop, offline_recorded_at=door.isoformat())
    assert response.status_code == 302
    stop = DeliveryStop.objects.select_related("delivered_entry", "instalment").get(pk=stop.pk)
    assert stop.status == "delivered"
    assert stop.delivered_entry.occurred_at == door
    assert stop.outcome_recorded_at == door
    assert stop.instalment.outcome == "delivered"
    assert stop.instalment.outcome_recorded_at == door


def test_not_delivered_recorded_before_midnight_and_sent_after_is_accepted(web_as, stops):
    stop = stops[0]
    door, sent = at(21, 50), at(0, 30, days_later=1)
    with time_machine.travel(sent, tick=False):
        response = web_as("driver").post(
            f"/delivery/my-round/stops/{stop.pk}/not-delivered/",
            {"missed-reason": "not_in", "offline_recorded_at": door.isoformat()},
        )
    assert response.status_code == 302
    stop = DeliveryStop.objects.select_related("instalment").get(pk=stop.pk)
    assert stop.status == "not_delivered"
    assert stop.outcome_recorded_at == door
    assert stop.instalment.outcome == "missed"
    assert stop.instalment.outcome_recorded_at == door


def test_the_api_takes_an_outcome_recorded_before_midnight_and_sent_after(api_as, users, stops):
    stop = stops[1]
    door, sent = at(21, 50), at(0, 30, days_later=1)
    with time_machine.travel(sent, tick=False):
        response = api_delivered(api_as(users["driver"]), stop, recorded_at=door.isoformat())
    assert response.status_code == 200, response.content
    stop = DeliveryStop.objects.select_related("delivered_entry").get(pk=stop.pk)
    assert stop.delivered_entry.occurred_at == door


@pytest.mark.parametrize("phone_clock", [(0, 10), None], ids=["after-midnight", "sent-at-once"])
def test_an_outcome_recorded_on_the_next_day_is_refused(web_as, stops, phone_clock):
    """Recorded (by the believed clock) after midnight: not the parcel's day, whether the
    phone kept it or it was sent at once from a page opened the evening before."""
    stop = stops[0]
    fields = (
        {"offline_recorded_at": at(*phone_clock, days_later=1).isoformat()} if phone_clock else {}
    )
    with time_machine.travel(at(0, 30, days_later=1), tick=False):
        response = delivered(web_as("driver"), stop, **fields)
    assert response.status_code == 400
    text = response.content.decode()
    assert "a driver records a parcel on its own day only" in text
    # The reason only: never the client's details of another day's round (H-16).
    assert stop.client.full_name not in text
    assert DeliveryStop.objects.get(pk=stop.pk).status == "planned"


def test_an_outcome_sent_two_days_later_is_refused_and_the_coordinator_asked(
    web_as, api_as, users, stops
):
    door, sent = at(21, 50), at(9, 0, days_later=2)
    with time_machine.travel(sent, tick=False):
        response = delivered(web_as("driver"), stops[0], offline_recorded_at=door.isoformat())
        api = api_delivered(api_as(users["driver"]), stops[1], recorded_at=door.isoformat())
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ask the coordinator to record what happened" in text
    assert stops[0].client.full_name not in text
    assert api.status_code == 422
    assert "Ask the coordinator to record what happened" in api.content.decode()
    for stop in DeliveryStop.objects.filter(pk__in=[s.pk for s in stops]):
        assert stop.status == "planned"
        assert stop.delivered_entry_id is None


def test_yesterdays_stop_page_is_not_shown_after_midnight(web_as, stops):
    with time_machine.travel(at(0, 30, days_later=1), tick=False):
        response = web_as("driver").get(f"/delivery/my-round/stops/{stops[0].pk}/")
    assert response.status_code == 404


def test_parcels_handed_over_yesterday_are_not_confirmed_after_midnight(users, provider, team):
    """Receipt is confirmed on the round's day only; an unconfirmed parcel's outcome sent
    after midnight is refused too."""
    stop = round_today(users=users, provider=provider, team=team)[0]
    record(users["manager"], "received", 1000)
    runsheet.round_hand_over(actor=users["manager"], delivery_round=stop.round)
    door = at(21, 50)
    with time_machine.travel(at(0, 30, days_later=1), tick=False):
        with pytest.raises(ValidationError, match="confirmed on the day of the round"):
            runsheet.round_receipt_confirm(
                actor=users["driver"],
                delivery_round=stop.round,
                data={"parcels": [stop.parcel_number]},
            )
        with pytest.raises(ValidationError, match="confirm them on your round first"):
            runsheet.stop_delivered(
                actor=users["driver"],
                stop=stop,
                data={"recipient": "client", "identity": "shown", "recorded_at": door},
            )


def test_the_nightly_missed_doses_run_leaves_a_parcel_with_its_driver_for_a_night(web_as, stops):
    """Run soon after midnight, the daily command does not record as missed a parcel still
    with the driver (its outcome may be on the phone), so the delivery sent later is taken;
    the night after, a parcel still not recorded is missed."""
    first, second = stops
    door = at(21, 50)
    with time_machine.travel(at(0, 5, days_later=1), tick=False):
        instalments_record_missed(before=timezone.localdate())
    assert Instalment.objects.get(pk=first.instalment_id).outcome == ""
    with time_machine.travel(at(0, 30, days_later=1), tick=False):
        response = delivered(web_as("driver"), first, offline_recorded_at=door.isoformat())
    assert response.status_code == 302
    assert Instalment.objects.get(pk=first.instalment_id).outcome == "delivered"
    with time_machine.travel(at(0, 5, days_later=2), tick=False):
        instalments_record_missed(before=timezone.localdate())
    assert Instalment.objects.get(pk=second.instalment_id).outcome == "missed"
