"""A commissioner on a phone is told plainly what their pages show, with no stray bullet and
nothing identifiable, and goes from the home page to the KPI dashboard, where small numbers
are hidden; axe-core finds nothing wrong. (A peer volunteer's home is their own day:
tests/system/volunteer/.)"""

from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.reporting.tests.kpis.builders import seven_journeys

from ..manager.test_kpi_dashboard import row
from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as


def test_a_commissioner_goes_from_their_home_to_the_kpis_on_a_phone(
    phone_page: Page, make_user, provider, team
):
    page = phone_page
    seven_journeys(provider, team)
    given_i_am_signed_in_as(page, make_user(Role.COMMISSIONER, first_name="Val"))
    then_my_home_says_plainly_what_i_can_read(page)
    when_i_open_the_kpis_card(page)
    then_the_figures_name_nobody_and_hide_small_numbers(page)


def then_my_home_says_plainly_what_i_can_read(page: Page) -> None:
    main = page.locator("main")
    expect(page.get_by_role("heading", name="Hello, Val", level=1)).to_be_visible()
    expect(page.locator("#role-statement")).to_contain_text("the KPIs")
    # No stray bullet: the only list items are the cards of the pages the role may open.
    expect(main.locator("li:not(.nhsuk-card-group__item)")).to_have_count(0)
    expect(main).not_to_contain_text("There is nothing for your role here yet")
    and_the_page_passes_axe(page)


def when_i_open_the_kpis_card(page: Page) -> None:
    page.locator("main").get_by_role("link", name="KPIs").click()
    expect(page.get_by_role("heading", name="KPI dashboard", level=1)).to_be_visible()


def then_the_figures_name_nobody_and_hide_small_numbers(page: Page) -> None:
    expect(row(page, "People in treatment at any time")).to_be_visible()
    expect(page.get_by_text('Numbers from 1 to 4 are shown as "fewer than 5"')).to_be_visible()
    expect(page.get_by_role("link", name="Clients")).to_have_count(0)
    and_the_page_passes_axe(page)
