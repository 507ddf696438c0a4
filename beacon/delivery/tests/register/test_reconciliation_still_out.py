"""End-of-day reconciliation against the clock: a round whose driver's shift has not ended
is still out, not a discrepancy (issue #11, hazard log H-130)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from beacon.delivery.models import DriverShift
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import deliver, record, round_today

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0) -> datetime.datetime:
    """Today at hour:minute, Europe/London."""
    return datetime.datetime.combine(
        timezone.localdate(), datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def late_round(users, provider, team):
    """Two parcels of 30 ml handed at 08:16 to a driver whose shift is 11:00 to 15:00."""
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    DriverShift.objects.filter(pk=stops[0].round.shift_id).update(
        start_time=datetime.time(11), end_time=datetime.time(15)
    )
    with time_machine.travel(at(8, 16), tick=False):
        record(users["manager"], "received", 1000)
        runsheet.round_hand_over(actor=users["manager"], delivery_round=stops[0].round)
    return stops


def reconciliation_page(web_as) -> str:
    return web_as("manager").get("/delivery/reconciliation/").content.decode()


def test_a_round_before_its_shift_ends_is_still_out_not_a_discrepancy(web_as, late_round):
    with time_machine.travel(at(8, 16), tick=False):
        page = reconciliation_page(web_as)
        (row,) = selectors.reconciliation(provider=late_round[0].provider, date=at(8).date())
    assert "Still out" in page
    assert "60 ml with the driver until their shift ends at 15:00" in page
    assert ">Discrepancy</strong>" not in page and "not accounted for" not in page
    assert 'id="discrepancies"' not in page
    assert "1 driver is still out" in page
    assert "Every parcel handed out is accounted for" not in page
    assert (row.is_still_out, row.is_discrepancy) == (True, False)


def test_after_the_shift_ends_what_is_missing_is_a_discrepancy(web_as, late_round):
    with time_machine.travel(at(14, 59), tick=False):
        assert "Still out" in reconciliation_page(web_as)
    with time_machine.travel(at(15, 0), tick=False):
        page = reconciliation_page(web_as)
    assert "Still out" not in page
    assert ">Discrepancy</strong> 60 ml not accounted for" in page
    assert "1 discrepancy" in page


def test_a_round_all_accounted_for_before_its_shift_ends_balances(web_as, users, late_round):
    stops = late_round
    with time_machine.travel(at(12), tick=False):
        runsheet.round_receipt_confirm(
            actor=users["driver"],
            delivery_round=stops[0].round,
            data={"parcels": [stop.parcel_number for stop in stops]},
        )
        for stop in stops:
            runsheet.stop_delivered(
                actor=users["driver"], stop=stop, data={"recipient": "client", "identity": "shown"}
            )
        page = reconciliation_page(web_as)
    assert "Balanced" in page and "Still out" not in page
    assert "Every parcel handed out is accounted for" in page


def test_more_accounted_for_than_handed_out_is_a_discrepancy_at_once(web_as, users, late_round):
    client = late_round[0].client
    with time_machine.travel(at(9), tick=False):
        # A delivery entered by hand on the register page besides the round's parcels.
        deliver(users["manager"], "100", driver=users["driver"], client=client)
        page = reconciliation_page(web_as)
    assert "Still out" not in page
    assert "40 ml more accounted for than handed out" in page


def test_the_api_says_still_out_until_the_shift_ends(api_as, late_round):
    with time_machine.travel(at(10), tick=False):
        before = api_as("manager").get("/api/v1/delivery/reconciliation").json()
    with time_machine.travel(at(16), tick=False):
        after = api_as("manager").get("/api/v1/delivery/reconciliation").json()
    assert (before["still_out"], before["discrepancies"]) == (1, 0)
    assert before["rows"][0]["is_still_out"] is True
    assert before["rows"][0]["shift_ends_at"].startswith(f"{at(15).date().isoformat()}T15:00")
    assert (after["still_out"], after["discrepancies"]) == (0, 1)
    assert after["rows"][0]["is_discrepancy"] is True


def test_parcels_handed_over_by_hand_without_a_shift_are_checked_at_once(web_as, users):
    manager = users["manager"]
    with time_machine.travel(at(9), tick=False):
        record(manager, "received", 100)
        record(manager, "handed_to_driver", 20, driver=users["driver"])
        page = reconciliation_page(web_as)
    assert "20 ml not accounted for" in page and "Still out" not in page
