"""Journey: the coordinator gives a new delivery address its map position from the postcode
(a local fake postcodes.io server), checks it and saves; a server that fails loses nothing."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.delivery.models import ClientDeliveryDetails
from beacon.delivery.tests.fake_postcodes import fake_postcodes_fixture  # noqa: F401

from ..axe import axe_violations
from ..steps import given_i_am_signed_in_as


def test_coordinator_finds_the_map_position_from_the_postcode_and_saves_it(
    page: Page, users, provider, team, fake_postcodes
):
    client = ClientFactory(provider=provider, team=team)
    fake_postcodes.knows("LS6 2AB", 53.819215, -1.574502)
    fake_postcodes.fail_next.append(503)

    given_i_am_signed_in_as(page, users["manager"])
    when_i_type_a_new_address(page, client)
    and_i_ask_for_the_map_position(page)
    then_i_am_told_the_server_failed_and_nothing_was_lost(page)

    and_i_ask_for_the_map_position(page)
    then_i_see_the_position_found_to_confirm(page)
    and_the_page_passes_axe(page)

    when_i_save_the_delivery_details(page)
    then_the_home_has_its_map_position(page, client)


def when_i_type_a_new_address(page: Page, client) -> None:
    page.goto(f"/delivery/clients/{client.client_number}/details/edit/")
    page.get_by_label("Address line 1").fill("12 Hill Top Road")
    page.get_by_label("Postcode").fill("ls6 2ab")
    page.get_by_label("Access notes").fill("Blue door, knock loudly")


def and_i_ask_for_the_map_position(page: Page) -> None:
    page.get_by_role("button", name="Find the map position from the postcode").click()


def then_i_am_told_the_server_failed_and_nothing_was_lost(page: Page) -> None:
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The postcode server answered 503. Nothing was lost: try again"
    )
    expect(page.get_by_label("Address line 1")).to_have_value("12 Hill Top Road")
    expect(page.get_by_label("Access notes")).to_have_value("Blue door, knock loudly")
    assert not ClientDeliveryDetails.objects.exists()


def then_i_see_the_position_found_to_confirm(page: Page) -> None:
    expect(page.locator("#position-found")).to_contain_text(
        "Found for LS6 2AB: latitude 53.819215, longitude -1.574502. It is not saved yet"
    )
    expect(page.get_by_label("Latitude")).to_have_value("53.819215")
    expect(page.get_by_label("Longitude")).to_have_value("-1.574502")
    expect(page.get_by_label("Access notes")).to_have_value("Blue door, knock loudly")
    assert not ClientDeliveryDetails.objects.exists()


def and_the_page_passes_axe(page: Page) -> None:
    assert axe_violations(page) == []


def when_i_save_the_delivery_details(page: Page) -> None:
    page.get_by_role("button", name="Save delivery details").click()


def then_the_home_has_its_map_position(page: Page, client) -> None:
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Delivery details saved")
    expect(page.locator("main")).to_contain_text("53.819215, -1.574502")
    details = ClientDeliveryDetails.objects.get(client=client)
    assert (details.latitude, details.longitude) == (Decimal("53.819215"), Decimal("-1.574502"))
    assert details.access_notes == "Blue door, knock loudly"
