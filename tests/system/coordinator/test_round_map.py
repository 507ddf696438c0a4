"""Journey: the delivery coordinator (a service manager) looks at a planned day on the map."""

import re

from playwright.sync_api import Locator, Page, expect

from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.delivery.selectors import planning as planning_selectors
from beacon.delivery.tests.planning.test_planning import TODAY, home_client
from beacon.delivery.tests.planning.test_round_map import place, plan_in_two_rounds, two_shifts

from ..steps import given_i_am_signed_in_as

# Everything but the live server: this machine has no internet, and the map must not need it.
NOT_LOCAL = re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])")


def test_manager_sees_each_round_drawn_on_the_map_without_tiles(
    phone_page: Page, users, provider, team, make_user
):
    page = phone_page
    rounds, planned = given_a_day_planned_in_two_rounds_and_a_client_left_unassigned(
        users, provider, team, make_user
    )
    and_no_map_tiles_to_be_had(page)

    given_i_am_signed_in_as(page, users["manager"])
    when_i_open_the_day(page)

    then_leaflet_drew_a_marker_per_stop_the_depot_and_a_route_per_round(page, rounds, planned)
    and_the_map_is_tall_enough_to_use_on_the_phone_and_no_wider_than_its_screen(page)
    and_a_stops_marker_reached_from_the_keyboard_opens_a_popup_naming_its_parcel(page)


def given_a_day_planned_in_two_rounds_and_a_client_left_unassigned(
    users, provider, team, make_user
) -> tuple[int, int]:
    """The rounds around the depot, and how many stops they have."""
    shifts = two_shifts(users, provider, make_user)
    for lat, lon in (("53.81", "-1.56"), ("53.79", "-1.53"), ("53.82", "-1.52")):
        place(home_client(provider, team, users), lat, lon)
    unassigned = home_client(provider, team, users, children=True, box=False)
    place(unassigned, "53.78", "-1.57")
    plan_in_two_rounds(users, provider, shifts)
    rounds = DeliveryRound.objects.filter(date=TODAY).count()
    planned = DeliveryStop.objects.filter(date=TODAY).exclude(round=None).count()
    assert (rounds, planned) == (2, 3)
    return rounds, planned


def and_no_map_tiles_to_be_had(page: Page) -> None:
    page.route(NOT_LOCAL, lambda route: route.abort())


def when_i_open_the_day(page: Page) -> None:
    page.goto(f"/delivery/days/{TODAY.isoformat()}/")


def then_leaflet_drew_a_marker_per_stop_the_depot_and_a_route_per_round(
    page: Page, rounds: int, planned: int
) -> None:
    """A numbered marker per planned stop, a grey one for the unassigned stop, the depot, and
    one route per round."""
    the_map = round_map(page)
    expect(the_map.locator(".leaflet-marker-icon .round-map-stop--planned")).to_have_count(planned)
    expect(the_map.locator(".leaflet-marker-icon .round-map-stop--unassigned")).to_have_count(1)
    expect(the_map.locator(".leaflet-marker-icon.round-map-depot")).to_have_count(1)
    expect(the_map.locator("path.leaflet-interactive.round-map-route")).to_have_count(rounds)
    expect(page.get_by_role("list", name="Colours of the rounds")).to_contain_text("AB12 CDE")
    expect(page.get_by_text("The lists below the map have the same rounds")).to_be_visible()


def and_the_map_is_tall_enough_to_use_on_the_phone_and_no_wider_than_its_screen(
    page: Page,
) -> None:
    box = round_map(page).bounding_box()
    assert box is not None and 250 <= box["height"] <= 844, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def and_a_stops_marker_reached_from_the_keyboard_opens_a_popup_naming_its_parcel(
    page: Page,
) -> None:
    the_map = round_map(page)
    stop = DeliveryStop.objects.filter(date=TODAY).exclude(round=None).order_by("id").first()
    marker = the_map.get_by_role("button", name=re.compile(f"parcel {stop.parcel_number}$"))
    marker.focus()
    marker.press("Enter")
    expect(the_map.locator(".leaflet-popup-content")).to_contain_text(
        f"Parcel {stop.parcel_number}"
    )


def round_map(page: Page) -> Locator:
    return page.get_by_role("region", name="Map of the rounds")


def test_without_tiles_shared_places_spread_and_the_map_has_a_scale_and_names(
    page: Page, users, provider, team, make_user
):
    given_two_clients_in_one_building_and_one_at_the_depot(users, provider, team, make_user)
    and_no_map_tiles_to_be_had(page)

    given_i_am_signed_in_as(page, users["manager"])
    when_i_open_the_day(page)

    then_no_two_markers_cover_each_other(page)
    and_the_map_draws_a_scale(page)
    and_the_depot_and_the_postcode_district_are_named(
        page, planning_selectors.depot_name(provider=provider)
    )


def given_two_clients_in_one_building_and_one_at_the_depot(users, provider, team, make_user):
    depot = planning_selectors.depot()
    shifts = two_shifts(users, provider, make_user)
    for lat, lon in (("53.81", "-1.56"), ("53.81", "-1.56"), (str(depot.lat), str(depot.lon))):
        place(home_client(provider, team, users), lat, lon)
    plan_in_two_rounds(users, provider, shifts)


def then_no_two_markers_cover_each_other(page: Page) -> None:
    markers = round_map(page).locator(".leaflet-marker-icon .round-map-stop")
    expect(markers).to_have_count(3)
    boxes = [markers.nth(i).bounding_box() for i in range(3)]
    boxes.append(round_map(page).locator(".leaflet-marker-icon.round-map-depot").bounding_box())
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert one is not None and other is not None
            apart_x = (
                one["x"] + one["width"] <= other["x"] or other["x"] + other["width"] <= one["x"]
            )
            apart_y = (
                one["y"] + one["height"] <= other["y"] or other["y"] + other["height"] <= one["y"]
            )
            assert apart_x or apart_y, (one, other)


def and_the_map_draws_a_scale(page: Page) -> None:
    scale = round_map(page).locator(".leaflet-control-scale-line")
    expect(scale.first).to_be_visible()
    expect(scale.first).to_have_text(re.compile(r"^\d+ (m|km)$"))


def and_the_depot_and_the_postcode_district_are_named(page: Page, depot_name: str) -> None:
    the_map = round_map(page)
    expect(the_map.locator(".round-map-depot-name")).to_have_text(depot_name)
    expect(the_map.locator(".round-map-district")).to_have_text(["M1"])
