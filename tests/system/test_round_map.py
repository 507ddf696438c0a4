"""Journey: a service manager looks at a planned delivery day on the map."""

import re

from playwright.sync_api import Page, expect

from beacon.delivery.models import DeliveryRound, DeliveryStop
from beacon.delivery.tests.planning.test_planning import TODAY, home_client
from beacon.delivery.tests.planning.test_round_map import place, plan_in_two_rounds, two_shifts

# Everything but the live server: this machine has no internet, and the map must not need it.
NOT_LOCAL = re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])")


def test_manager_sees_each_round_drawn_on_the_map_without_tiles(
    phone_page: Page, sign_in, users, provider, team, make_user
):
    # Given a day planned in two rounds around the depot, and a client left unassigned
    shifts = two_shifts(users, provider, make_user)
    for lat, lon in (("53.81", "-1.56"), ("53.79", "-1.53"), ("53.82", "-1.52")):
        place(home_client(provider, team, users), lat, lon)
    unassigned = home_client(provider, team, users, children=True, box=False)
    place(unassigned, "53.78", "-1.57")
    plan_in_two_rounds(users, provider, shifts)
    rounds = DeliveryRound.objects.filter(date=TODAY).count()
    planned = DeliveryStop.objects.filter(date=TODAY).exclude(round=None).count()
    assert (rounds, planned) == (2, 3)
    page = phone_page
    page.route(NOT_LOCAL, lambda route: route.abort())

    # When the manager opens the day on a phone, with no map tiles to be had
    sign_in(page, users["manager"])
    page.goto(f"/delivery/days/{TODAY.isoformat()}/")

    # Then Leaflet drew a numbered marker per planned stop, a grey one for the unassigned
    # stop, the depot, and one route per round
    the_map = page.get_by_role("region", name="Map of the rounds")
    expect(the_map.locator(".leaflet-marker-icon .round-map-stop--planned")).to_have_count(planned)
    expect(the_map.locator(".leaflet-marker-icon .round-map-stop--unassigned")).to_have_count(1)
    expect(the_map.locator(".leaflet-marker-icon.round-map-depot")).to_have_count(1)
    expect(the_map.locator("path.leaflet-interactive.round-map-route")).to_have_count(rounds)
    expect(page.get_by_role("list", name="Colours of the rounds")).to_contain_text("AB12 CDE")
    expect(page.get_by_text("The lists below the map have the same rounds")).to_be_visible()

    # And the map is tall enough to use on the phone, and no wider than its screen
    box = the_map.bounding_box()
    assert box is not None and 250 <= box["height"] <= 844, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box

    # And a stop's marker, reached from the keyboard, opens a popup naming its parcel
    stop = DeliveryStop.objects.filter(date=TODAY).exclude(round=None).order_by("id").first()
    marker = the_map.get_by_role("button", name=re.compile(f"parcel {stop.parcel_number}$"))
    marker.focus()
    marker.press("Enter")
    expect(the_map.locator(".leaflet-popup-content")).to_contain_text(
        f"Parcel {stop.parcel_number}"
    )
