"""The coordinator's hand-over: an unticked box per parcel, ticked as each is handed over;
only the ticked parcels leave the cabinet; nothing ticked, or a parcel no longer waiting,
refuses the lot and shows the day page again with the error (issue #11, H-131)."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from beacon.core.models import AuditEntry
from beacon.delivery.models import DeliveryStop, RegisterEntry
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import record, round_today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]


@pytest.fixture
def stops(users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=3)
    record(users["manager"], "received", 1000)
    return stops


def day_page(web_as, stops) -> str:
    return web_as("manager").get(f"/delivery/days/{stops[0].date.isoformat()}/").content.decode()


def hand_over(web_as, stops, parcels):
    return web_as("manager").post(
        f"/delivery/rounds/{stops[0].round_id}/hand-over/",
        {f"round-{stops[0].round_id}-parcels": parcels},
        follow=True,
    )


def unticked_box(page: str, parcel_number: str) -> bool:
    """Whether the page has the parcel's box, not ticked."""
    return re.search(rf'type="checkbox" value="{re.escape(parcel_number)}"\s*>', page) is not None


def handed_numbers() -> set[str]:
    return set(
        DeliveryStop.objects.filter(handed_over_entry__isnull=False).values_list(
            "parcel_number", flat=True
        )
    )


def test_each_parcel_waiting_has_an_unticked_box_with_its_number_and_contents(web_as, stops):
    page = day_page(web_as, stops)
    for stop in stops:
        assert unticked_box(page, stop.parcel_number)
        assert f"Parcel {stop.parcel_number}: 30 ml Methadone" in page
    assert "checked" not in page
    assert "Record the ticked parcels as handed to" in page


def test_one_click_hands_every_ticked_parcel_over_in_the_register(web_as, stops):
    page = hand_over(web_as, stops, [s.parcel_number for s in stops]).content.decode()
    assert "3 parcels recorded as handed to the driver." in page
    assert handed_numbers() == {s.parcel_number for s in stops}
    assert RegisterEntry.objects.filter(kind="handed_to_driver").count() == 3
    assert AuditEntry.objects.filter(detail__contains="handed to driver-trs: 3 parcels").exists()
    # Nothing left to hand over: no boxes for this round any more.
    assert f'name="round-{stops[0].round_id}-parcels"' not in day_page(web_as, stops)


def test_a_parcel_left_unticked_stays_in_the_cabinet_for_later(web_as, stops):
    first, second, third = stops
    page = hand_over(web_as, stops, [first.parcel_number, third.parcel_number]).content.decode()
    assert "2 parcels recorded as handed to the driver." in page
    assert handed_numbers() == {first.parcel_number, third.parcel_number}
    again = day_page(web_as, stops)
    assert unticked_box(again, second.parcel_number)
    assert f'value="{first.parcel_number}"' not in again
    hand_over(web_as, stops, [second.parcel_number])
    assert handed_numbers() == {s.parcel_number for s in stops}


def refused_page(response) -> str:
    """A refused hand-over: the day page again (no redirect), titled "Error: ", with the
    error summary."""
    assert response.status_code == 200
    assert not response.redirect_chain
    page = response.content.decode()
    assert "<title>Error: Deliveries on" in page
    assert "There is a problem" in page
    return page


def test_nothing_ticked_is_refused_and_saves_nothing(web_as, stops):
    page = refused_page(hand_over(web_as, stops, []))
    summary = page[page.index("There is a problem") : page.index("<h1>")]
    assert f'href="#id_round-{stops[0].round_id}-parcels"' in summary
    assert re.search(r">\s*Tick each parcel as you hand it to [^:<]+?\s*</a>", summary)
    # The boxes are still there to tick, none ticked.
    for stop in stops:
        assert unticked_box(page, stop.parcel_number)
    assert handed_numbers() == set()
    assert not RegisterEntry.objects.filter(kind="handed_to_driver").exists()


def test_a_parcel_held_back_since_the_page_was_drawn_refuses_the_hand_over(web_as, users, stops):
    gone = stops[1]
    runsheet.stop_hold_back(actor=users["manager"], stop=gone, data={"reason": "In hospital"})
    page = refused_page(hand_over(web_as, stops, [s.parcel_number for s in stops]))
    assert f"Parcel {gone.parcel_number} is no longer waiting for this driver" in page
    assert "nothing was recorded" in page
    # The parcels still waiting keep the ticks the coordinator gave them.
    assert f'value="{stops[0].parcel_number}" checked' in page
    assert handed_numbers() == set()


def test_a_parcel_of_another_round_cannot_be_handed_over_on_this_one(
    users, provider, team, stops, make_user
):
    other_driver = make_user("driver", username="driver-two")
    other = round_today(users=users, provider=provider, team=team, driver=other_driver)[0]
    with pytest.raises(ValidationError, match="no longer waiting for this driver"):
        runsheet.round_hand_over(
            actor=users["manager"],
            delivery_round=stops[0].round,
            data={"parcels": [other.parcel_number]},
        )
    assert handed_numbers() == set()


def test_the_driver_then_confirms_what_the_coordinator_ticked(web_as, users, stops):
    hand_over(web_as, stops, [stops[0].parcel_number])
    run_sheet = web_as("driver").get("/delivery/my-round/").content.decode()
    assert "handed you <strong>1 parcel</strong>" in run_sheet
    confirmed = runsheet.round_receipt_confirm(
        actor=users["driver"],
        delivery_round=stops[0].round,
        data={"parcels": [stops[0].parcel_number]},
    )
    assert confirmed == 1


def test_the_api_hands_over_the_parcels_named_and_needs_them_named(api_as, stops):
    path = f"/api/v1/delivery/rounds/{stops[0].round_id}/hand-over"
    api = api_as("manager")
    named = api.post(
        path, json.dumps({"parcels": [stops[0].parcel_number]}), content_type="application/json"
    )
    assert named.status_code == 200
    assert named.json()["handed"] == [stops[0].parcel_number]
    gone = api.post(
        path, json.dumps({"parcels": [stops[0].parcel_number]}), content_type="application/json"
    )
    assert gone.status_code == 422
    assert "no longer waiting for this driver" in gone.content.decode()
    for body in ("{}", '{"parcels": []}'):
        unnamed = api.post(path, body, content_type="application/json")
        assert unnamed.status_code == 422, body
        assert [e["field"] for e in unnamed.json()["errors"]] == ["parcels"], body
    assert handed_numbers() == {stops[0].parcel_number}
    rest = api.post(
        path,
        json.dumps({"parcels": [stops[1].parcel_number, stops[2].parcel_number]}),
        content_type="application/json",
    )
    assert rest.json()["handed"] == [stops[1].parcel_number, stops[2].parcel_number]
    assert handed_numbers() == {s.parcel_number for s in stops}
