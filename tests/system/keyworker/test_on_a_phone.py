"""Journeys a keyworker takes on a phone-sized screen (390 by 844, like an iPhone 14)."""

import datetime

from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import SYNTHETIC_NHS_NUMBERS, ClientFactory, ContactFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import TeamFactory

from ..steps import and_i_search_the_clients_for, given_i_am_signed_in_as, page_width


def test_keyworker_searches_clients_on_a_phone_without_scrolling_sideways(
    phone_page: Page, make_user, provider
):
    page = phone_page
    keyworker = given_a_keyworker_in_a_long_named_team_with_long_named_clients(make_user, provider)

    given_i_am_signed_in_as(page, keyworker)
    when_i_go_to_the_clients_page(page)
    and_i_search_the_clients_for(page, "Montgomery")

    then_the_results_show_every_client(page)
    and_the_page_fits_the_phones_screen(page)


def test_keyworker_reads_a_client_record_with_contacts_on_a_phone(
    phone_page: Page, make_user, provider, team
):
    page = phone_page
    keyworker, client = given_a_client_on_my_caseload_with_a_friend_recorded(
        make_user, provider, team
    )

    given_i_am_signed_in_as(page, keyworker)
    when_i_open_the_clients_record(page, client)

    then_the_friend_the_flags_and_the_change_links_are_there(page)
    and_the_record_fits_the_phones_screen(page)


def given_a_keyworker_in_a_long_named_team_with_long_named_clients(make_user, provider):
    team = TeamFactory(provider=provider, name="North and East Community Recovery Team")
    keyworker = make_user(Role.KEYWORKER, team=team)
    for index, nhs_number in enumerate(SYNTHETIC_NHS_NUMBERS):
        ClientFactory(
            provider=provider,
            team=team,
            first_name="Alexandrina",
            last_name=f"Montgomery-Fotheringham{index}",
            preferred_name="Alex",
            nhs_number=nhs_number,
            date_of_birth=datetime.date(1979, 1, 1 + index),
        )
    return keyworker


def when_i_go_to_the_clients_page(page: Page) -> None:
    page.goto("/clients/")


def then_the_results_show_every_client(page: Page) -> None:
    expect(page.get_by_role("heading", name="5 clients found")).to_be_visible()
    expect(page.get_by_role("link", name="MONTGOMERY-FOTHERINGHAM0, Alexandrina")).to_be_visible()


def and_the_page_fits_the_phones_screen(page: Page) -> None:
    """No scrolling sideways, and the window is the phone's own width."""
    widths = page_width(page)
    assert widths["scroll"] <= widths["inner"] == page.viewport_size["width"] == 390, widths


def given_a_client_on_my_caseload_with_a_friend_recorded(make_user, provider, team):
    keyworker = make_user(Role.KEYWORKER)
    client = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, children_in_household=True
    )
    ContactFactory(
        client=client, name="Bartholomew Featherstonehaugh-Smythe", is_emergency_contact=True
    )
    return keyworker, client


def when_i_open_the_clients_record(page: Page, client) -> None:
    page.goto(f"/clients/{client.client_number}/")


def then_the_friend_the_flags_and_the_change_links_are_there(page: Page) -> None:
    expect(
        page.get_by_role("cell", name="Bartholomew Featherstonehaugh-Smythe (emergency contact)")
    ).to_be_visible()
    expect(page.get_by_text("Children in household")).to_be_visible()
    expect(page.get_by_role("link", name="Change Bartholomew")).to_be_visible()


def and_the_record_fits_the_phones_screen(page: Page) -> None:
    """No scrolling sideways."""
    widths = page_width(page)
    assert widths["scroll"] <= widths["inner"] == 390, widths
