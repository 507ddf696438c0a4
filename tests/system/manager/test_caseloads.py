"""A service manager pages and filters the Caseloads, on a desktop and on a phone."""

from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import TeamFactory

from ..axe import axe_violations
from ..steps import given_i_am_signed_in_as, page_width


def test_manager_filters_the_caseloads_by_team_and_pages_through_them(
    page: Page, make_user, provider, team, settings
):
    settings.BEACON_PAGE_SIZE = 2
    manager = given_a_service_with_two_teams(make_user, provider, team)

    given_i_am_signed_in_as(page, manager)
    when_i_open_the_caseloads(page)
    and_i_choose_the_team(page, "Northside team")

    then_i_see(page, "Showing 1 to 2 of 3 clients")
    when_i_go_to_the_next_page(page)
    then_i_see(page, "Showing 3 to 3 of 3 clients")
    and_the_team_is_still_chosen(page, "Northside team")
    and_every_client_shown_is_of_the_team(page, "Northside team")
    and_the_download_keeps_the_team(page)
    and_axe_finds_nothing(page)


def test_manager_filters_the_caseloads_on_a_phone(phone_page: Page, make_user, provider, team):
    page = phone_page
    manager = given_a_service_with_two_teams(make_user, provider, team)

    given_i_am_signed_in_as(page, manager)
    when_i_open_the_caseloads(page)
    and_i_choose_the_team(page, "Northside team")

    then_i_see(page, "3 clients")
    and_the_page_fits_the_phones_screen(page)


def given_a_service_with_two_teams(make_user, provider, team):
    north = TeamFactory(provider=provider, name="Northside team")
    keyworker = make_user(Role.KEYWORKER, username="kw-north", team=north)
    for name in ("Northam", "Norbury", "Norwood"):
        ClientFactory(provider=provider, team=north, keyworker=keyworker, last_name=name)
    ClientFactory(provider=provider, team=team, last_name="Centrum")
    return make_user(Role.MANAGER, first_name="Morgan")


def when_i_open_the_caseloads(page: Page) -> None:
    page.goto("/treatment/caseload/")
    expect(page.get_by_role("heading", name="Caseloads", exact=True)).to_be_visible()


def and_i_choose_the_team(page: Page, team: str) -> None:
    page.get_by_label("Team", exact=True).select_option(label=team)
    page.get_by_role("button", name="Show").click()


def then_i_see(page: Page, text: str) -> None:
    expect(page.locator("#clients-count")).to_have_text(text)


def when_i_go_to_the_next_page(page: Page) -> None:
    page.get_by_role("link", name="Next").click()


def and_the_team_is_still_chosen(page: Page, team: str) -> None:
    expect(page.get_by_label("Team", exact=True).locator("option:checked")).to_have_text(team)


def and_every_client_shown_is_of_the_team(page: Page, team: str) -> None:
    table = page.locator("#caseload-clients")
    expect(table).to_contain_text(team)
    expect(table).not_to_contain_text("CENTRUM")


def and_the_download_keeps_the_team(page: Page) -> None:
    link = page.get_by_role("link", name="Download these clients (CSV)")
    assert "team=" in (link.get_attribute("href") or "")


def and_axe_finds_nothing(page: Page) -> None:
    assert axe_violations(page) == []


def and_the_page_fits_the_phones_screen(page: Page) -> None:
    widths = page_width(page)
    assert widths["scroll"] <= widths["inner"] == 390, widths
