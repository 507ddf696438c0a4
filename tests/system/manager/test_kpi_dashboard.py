"""Issue #17's dashboard, for a manager: the KPIs for a period beside a year earlier with
the change, monthly trend charts drawn from the tables beside them, the sites, a table
downloaded, and a clean printout."""

from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.reporting.tests.kpis.builders import date, seven_journeys

from ..steps import (
    and_the_page_passes_axe,
    fill_date,
    given_i_am_signed_in_as,
    when_i_open_from_the_menu,
)


def when_i_show_the_year_from_april_2025(page: Page) -> None:
    when_i_open_from_the_menu(page, "KPIs")
    expect(page.get_by_role("heading", name="KPI dashboard", level=1)).to_be_visible()
    fill_date(page, "From", date(2025, 4, 1))
    fill_date(page, "To", date(2026, 3, 31))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("1 April 2025 to 31 March 2026")).to_be_visible()


def row(page: Page, measure: str):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=measure, exact=True))


def test_a_manager_reads_the_years_kpis_beside_the_year_before(
    page: Page, make_user, provider, team
):
    seven_journeys(provider, team)
    given_i_am_signed_in_as(page, make_user(Role.MANAGER, first_name="Morgan"))

    when_i_show_the_year_from_april_2025(page)

    in_treatment = row(page, "People in treatment at any time")
    expect(in_treatment).to_contain_text("6")
    expect(in_treatment).to_contain_text("+5 (+500.0%)")
    expect(row(page, "Successful completions")).to_contain_text("2")
    expect(row(page, "Volunteer contacts")).to_contain_text("0")
    expect(row(page, "Volunteer contacts")).not_to_contain_text("Not available")
    expect(row(page, "May 2025")).to_contain_text("6")
    expect(row(page, "Harbour Street hub")).to_be_visible()
    charted = page.evaluate(
        "[...document.querySelectorAll('canvas[data-kpi-chart]')]"
        ".map(c => Chart.getChart(c).data.datasets[0].data.length)"
    )
    assert charted == [12, 12, 12, 12]  # one point a month, from the table's figures
    and_the_page_passes_axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename == "kpis-2025-04-01-to-2026-03-31.xlsx"

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu")).to_be_hidden()
    expect(row(page, "People in treatment at any time")).to_be_visible()
