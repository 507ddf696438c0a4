"""Journeys on a phone-sized screen."""

import datetime

from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import SYNTHETIC_NHS_NUMBERS, ClientFactory, ContactFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import TeamFactory


def test_keyworker_searches_clients_on_a_phone_without_scrolling_sideways(
    phone_page: Page, sign_in, make_user, provider
):
    # Given a keyworker in a team with a long name, working with clients with long names
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
    page = phone_page

    # When they sign in on a 390 by 844 screen and search for them
    sign_in(page, keyworker)
    page.goto("/clients/")
    page.get_by_label("Name, NHS number, client number or date of birth").fill("Montgomery")
    page.get_by_role("button", name="Search").click()

    # Then the results show every client
    expect(page.get_by_role("heading", name="5 clients found")).to_be_visible()
    expect(page.get_by_role("link", name="MONTGOMERY-FOTHERINGHAM0, Alexandrina")).to_be_visible()

    # And the page fits the screen: no scrolling sideways. (A phone browser widens its
    # layout viewport to fit content that overflows, so innerWidth is checked too.)
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] == page.viewport_size["width"] == 390, widths


def test_keyworker_reads_a_client_record_with_contacts_on_a_phone(
    phone_page: Page, sign_in, make_user, provider, team
):
    # Given a client on the keyworker's caseload with a friend recorded
    keyworker = make_user(Role.KEYWORKER)
    client = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, children_in_household=True
    )
    ContactFactory(
        client=client, name="Bartholomew Featherstonehaugh-Smythe", is_emergency_contact=True
    )
    page = phone_page

    # When they open the record on a 390 by 844 screen
    sign_in(page, keyworker)
    page.goto(f"/clients/{client.client_number}/")

    # Then the friend, the flags and the change links are there without sideways scrolling
    expect(
        page.get_by_role("cell", name="Bartholomew Featherstonehaugh-Smythe (emergency contact)")
    ).to_be_visible()
    expect(page.get_by_text("Children in household")).to_be_visible()
    expect(page.get_by_role("link", name="Change Bartholomew")).to_be_visible()
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"] == 390, widths
