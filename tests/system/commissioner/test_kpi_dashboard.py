"""Issue #17's dashboard, for a commissioner: the same figures as aggregates only, a count
from 1 to 4 shown as "fewer than 5", nothing that names a client."""

from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.reporting.tests.kpis.builders import seven_journeys

from ..manager.test_kpi_dashboard import row, when_i_show_the_year_from_april_2025
from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as


def test_a_commissioner_sees_aggregates_with_small_numbers_suppressed(
    page: Page, make_user, provider, team
):
    seven_journeys(provider, team)
    given_i_am_signed_in_as(page, make_user(Role.COMMISSIONER, first_name="Cas"))

    when_i_show_the_year_from_april_2025(page)

    expect(row(page, "People in treatment at any time")).to_contain_text("6")
    completions = row(page, "Successful completions")
    expect(completions).to_contain_text("fewer than 5")
    expect(completions).to_contain_text("No comparison")
    expect(row(page, "Share of people in treatment")).to_contain_text("not shown")
    expect(page.get_by_text('Numbers from 1 to 4 are shown as "fewer than 5"')).to_be_visible()
    expect(page.get_by_role("link", name="Clients")).to_have_count(0)
    and_the_page_passes_axe(page)
