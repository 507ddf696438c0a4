"""Journey: the delivery coordinator (a service manager) looks at a planned day on the map."""

import re

from playwright.sync_api import Locator, Page, expect

from beacon.delivery.models import DeliveryRound, DeliveryStop
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
