"""Journey: a driver or a peer volunteer signs in and cannot reach the client records."""

import pytest
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role

from ..steps import given_i_am_signed_in_as


@pytest.mark.parametrize("role", [Role.DRIVER, Role.VOLUNTEER])
def test_driver_and_volunteer_cannot_open_client_records(
    page: Page, make_user, provider, team, role
):
    client = given_a_client_of_the_service(provider, team)
    person = and_a_driver_or_peer_volunteer_of_the_same_service(make_user, role)

    when_they_sign_in(page, person)

    then_their_menu_starts_at_their_own_home_with_no_clients_entry(page, role)
    and_going_straight_to_the_client_search_or_the_clients_page_is_refused(page, client)


def given_a_client_of_the_service(provider, team):
    return ClientFactory(provider=provider, team=team)


def and_a_driver_or_peer_volunteer_of_the_same_service(make_user, role: str):
    return make_user(role, first_name="Dana")


def when_they_sign_in(page: Page, person) -> None:
    """Drivers with two-factor, volunteers with a password only."""
    given_i_am_signed_in_as(page, person)


def then_their_menu_starts_at_their_own_home_with_no_clients_entry(page: Page, role: str) -> None:
    """A driver's home is today's round; a peer volunteer's, their own day (their shifts)."""
    menu = page.get_by_role("navigation", name="Menu")
    home = "Today's round" if role == Role.DRIVER else "My day"
    expect(menu.get_by_role("link", name=home)).to_be_visible()
    expect(menu.get_by_role("link", name="Clients", exact=True)).to_have_count(0)


def and_going_straight_to_the_client_search_or_the_clients_page_is_refused(
    page: Page, client
) -> None:
    for path in ("/clients/", f"/clients/{client.client_number}/"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 403, path
        expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
        expect(page.get_by_text(client.last_name)).to_have_count(0)
