"""The round map's data (presenters/planning.day_map): stops in order from the depot, a colour
per round, stops without coordinates left out, nothing clinical; and the day page that
carries it."""

import json
import re
from decimal import Decimal

import pytest

from beacon.core.models import Site
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DeliveryRound,
    DeliverySetup,
    DeliveryStop,
)
from beacon.delivery.presenters import planning as presenters
from beacon.delivery.selectors import planning as planning_selectors
from beacon.delivery.services import planning, setup
from beacon.delivery.tests.factories import driver_shift
from beacon.delivery.tests.planning.test_planning import TODAY, home_client

pytestmark = pytest.mark.django_db

MAP_DATA = re.compile(
    r'<script id="round-map-data" type="application/json">(.*?)</script>', re.DOTALL
)


def two_shifts(users, provider, make_user) -> list:
    """Two drivers, each with a vehicle and a shift today."""
    partner = PartnerOrganisationFactory(provider=provider)
    second = make_user("driver", username="driver-two")
    shifts = []
    for driver, registration in ((users["driver"], "AB12CDE"), (second, "XY34ZZZ")):
        vehicle = setup.vehicle_create(
            actor=users["manager"],
            provider=provider,
            data={"partner_organisation": partner, "registration": registration},
        )
        shifts.append(
            driver_shift(manager=users["manager"], driver=driver, vehicle=vehicle, date=TODAY)
        )
    return shifts


def place(client, lat: str, lon: str) -> None:
    ClientDeliveryDetails.objects.filter(client=client).update(
        latitude=Decimal(lat), longitude=Decimal(lon)
    )


def plan_in_two_rounds(users, provider, shifts) -> None:
    """Plan today; if the planner used one driver, move that round's last stop to the other."""
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)
    rounds = list(DeliveryRound.objects.filter(date=TODAY))
    if len(rounds) == 1:
        other = DeliveryRound.objects.create(
            provider=provider,
            date=TODAY,
            shift=next(s for s in shifts if s.pk != rounds[0].shift_id),
            planned_at=rounds[0].planned_at,
            planned_by=users["manager"],
        )
        planning.delivery_stop_move(
            actor=users["manager"], stop=rounds[0].stops.order_by("position").last(), to_round=other
        )


def clients_around_manchester(provider, team, users, count: int) -> list:
    clients = []
    for index in range(count):
        client = home_client(provider, team, users)
        place(client, f"53.4{index}", f"-2.2{index}")
        clients.append(client)
    return clients


def day_map(provider) -> dict:
    plan = planning_selectors.day_plan(provider=provider, date=TODAY)
    return presenters.day_map(
        plan=plan, depot_name=planning_selectors.depot_name(provider=provider)
    )


@pytest.fixture
def shifts(users, provider, make_user):
    return two_shifts(users, provider, make_user)


def test_each_rounds_stops_come_in_order_with_driver_vehicle_and_depot(
    users, provider, team, shifts
):
    clients = clients_around_manchester(provider, team, users, 3)
    clients[0].preferred_name = "Jazz"
    clients[0].save()
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)

    data = day_map(provider)

    depot = planning_selectors.depot()
    assert (data["depot"]["lat"], data["depot"]["lon"]) == (depot.lat, depot.lon)
    planned = DeliveryStop.objects.exclude(round=None)
    assert sum(len(r["stops"]) for r in data["rounds"]) == planned.count() == 3
    for entry in data["rounds"]:
        stops_round = DeliveryRound.objects.get(pk=entry["id"])
        in_order = list(stops_round.stops.order_by("position"))
        assert [s["parcel_number"] for s in entry["stops"]] == [s.parcel_number for s in in_order]
        assert [s["position"] for s in entry["stops"]] == list(range(1, len(in_order) + 1))
        assert entry["driver"] == stops_round.shift.driver.display_name
        assert entry["vehicle"] == stops_round.shift.vehicle.registration
        for stop in entry["stops"]:
            assert re.fullmatch(r"\d\d:\d\d", stop["arrival"])
    by_parcel = {s["parcel_number"]: s for r in data["rounds"] for s in r["stops"]}
    first = by_parcel[DeliveryStop.objects.get(client=clients[0]).parcel_number]
    assert first["name"] == "Jazz" and first["postcode"] == "M1 1AA"
    assert (first["lat"], first["lon"]) == (53.40, -2.20)


def test_each_round_has_its_own_colour_from_the_palette(users, provider, team, shifts):
    clients_around_manchester(provider, team, users, 3)
    plan_in_two_rounds(users, provider, shifts)

    data = day_map(provider)

    colours = [entry["colour"] for entry in data["rounds"]]
    assert len(colours) == 2 and len(set(colours)) == 2
    assert set(colours) <= set(presenters.ROUND_COLOURS)
    assert len(set(presenters.ROUND_COLOURS)) == len(presenters.ROUND_COLOURS)
    moved = next(s for entry in data["rounds"] for s in entry["stops"] if s["arrival"] is None)
    assert moved["position"] >= 1  # a moved stop keeps its place, untimed until re-planned


def test_stops_without_coordinates_are_left_out_and_unassigned_ones_are_grey(
    users, provider, team, shifts
):
    kept, lost = clients_around_manchester(provider, team, users, 2)
    home_client(provider, team, users, coords=False)
    boxless = home_client(provider, team, users, children=True, box=False)
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)
    # The address changed after planning and its coordinates are not known yet.
    ClientDeliveryDetails.objects.filter(client=lost).update(latitude=None, longitude=None)

    data = day_map(provider)

    on_map = [s["parcel_number"] for entry in data["rounds"] for s in entry["stops"]]
    assert on_map == [DeliveryStop.objects.get(client=kept).parcel_number]
    assert data["unassigned"]["colour"] == presenters.UNASSIGNED_COLOUR
    assert [s["parcel_number"] for s in data["unassigned"]["stops"]] == [
        DeliveryStop.objects.get(client=boxless).parcel_number
    ]
    assert data["unassigned"]["stops"][0]["position"] is None
    assert DeliveryStop.objects.filter(round=None).count() == 2


def test_map_data_carries_no_dose_medicine_or_diagnosis(users, provider, team, shifts):
    clients_around_manchester(provider, team, users, 2)
    home_client(provider, team, users, children=True, box=False)
    plan_in_two_rounds(users, provider, shifts)

    data = day_map(provider)

    stop_fields = {"lat", "lon", "parcel_number", "position", "arrival", "name", "postcode"}
    assert set(data) == {"depot", "rounds", "unassigned", "districts"}
    assert all(set(district) == {"name", "lat", "lon"} for district in data["districts"])
    for entry in data["rounds"]:
        assert set(entry) == {"id", "driver", "vehicle", "colour", "stops"}
        assert all(set(stop) == stop_fields for stop in entry["stops"])
    assert all(set(stop) == stop_fields for stop in data["unassigned"]["stops"])
    text = json.dumps(data).lower()
    for word in ("dose", "quantity", "medicine", "methadone", "buprenorphine", "diagnos", "mg"):
        assert word not in text


def test_manager_sees_the_map_with_its_data_escaped(web_as, users, provider, team, shifts):
    client = home_client(provider, team, users)
    client.preferred_name = "</script><b>Al"
    client.save()
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)

    page = web_as("manager").get(f"/delivery/days/{TODAY.isoformat()}/").content.decode()

    assert 'id="round-map"' in page
    assert "/static/leaflet/leaflet.js" in page and "/static/delivery/round-map.js" in page
    assert "</script><b>Al" not in page
    (raw,) = MAP_DATA.findall(page)
    assert json.loads(raw) == day_map(provider)
    assert json.loads(raw)["rounds"][0]["stops"][0]["name"] == "</script><b>Al"


def test_a_day_not_planned_has_no_map(web_as, users):
    page = web_as("manager").get(f"/delivery/days/{TODAY.isoformat()}/").content.decode()
    assert "This day has not been planned yet" in page
    assert 'id="round-map"' not in page and "leaflet.js" not in page


def test_the_depot_is_named_after_the_site_holding_the_delivery_stock(
    users, provider, team, shifts
):
    clients_around_manchester(provider, team, users, 1)
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)
    for name in ("Harbour Street hub", "Second site"):
        Site.objects.create(provider=provider, name=name, address="1 Road", postcode="LS1 1AA")
    # Two sites or more and no delivery set-up: which cabinet is not clear.
    assert day_map(provider)["depot"]["name"] == "Depot"
    DeliverySetup.objects.create(
        provider=provider, stock_site=provider.sites.get(name="Harbour Street hub")
    )
    assert day_map(provider)["depot"]["name"] == "Harbour Street hub"


def test_each_postcode_district_is_placed_at_the_middle_of_its_stops(users, provider, team, shifts):
    *_, third = clients_around_manchester(provider, team, users, 3)
    ClientDeliveryDetails.objects.filter(client=third).update(postcode="M14 5AB")
    planning.delivery_day_plan(actor=users["manager"], date=TODAY, seconds=0.5, iterations=200)

    data = day_map(provider)

    assert data["districts"] == [
        {"name": "M1", "lat": 53.405, "lon": -2.205},
        {"name": "M14", "lat": 53.42, "lon": -2.22},
    ]
