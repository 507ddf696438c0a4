"""A service manager checks the month's NDTMS return, sees that its errors stop it being
made for submission, takes a draft marked not for submission, and follows a link to fix a
record."""

import datetime
import re

from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.treatment.tests.factories import ReferralFactory

from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as, when_i_open_from_the_menu


def test_manager_sees_what_to_fix_follows_the_link_and_downloads_the_return(
    page: Page, make_user, provider, team
):
    manager = given_a_referral_not_yet_triaged(make_user, provider, team)

    given_i_am_signed_in_as(page, manager)
    when_i_open_from_the_menu(page, "NDTMS return")
    and_i_choose_last_month(page)

    then_the_report_lists(page, "TRIAGED", "missing: NDTMS requires it")
    and_the_report_lists(page, "CONSENT", "not asked")
    and_the_page_passes_axe(page)
    and_only_a_draft_can_be_downloaded(page)
    when_i_follow_the_fix_link(page, "TRIAGED")
    then_i_am_on_the_triage_form(page)


def given_a_referral_not_yet_triaged(make_user, provider, team):
    provider.ndtms_agency_code = "N0852"
    provider.save()
    client = ClientFactory(provider=provider, team=team, first_name="Robin", last_name="Marram")
    ReferralFactory(client=client, referral_date=_last_month_day())
    return make_user(Role.MANAGER, first_name="Morgan")


def _last_month_day() -> datetime.date:
    return datetime.date.today().replace(day=1) - datetime.timedelta(days=10)


def and_i_choose_last_month(page: Page) -> None:
    page.get_by_label("Month", exact=True).select_option(f"{_last_month_day():%Y-%m}")
    page.get_by_role("button", name="Show").click()


def then_the_report_lists(page: Page, item: str, why: str) -> None:
    table = page.locator("#ndtms-issues")
    expect(table).to_contain_text(item)
    expect(table).to_contain_text(why)


and_the_report_lists = then_the_report_lists


def and_only_a_draft_can_be_downloaded(page: Page) -> None:
    expect(page.get_by_text("Not ready to submit")).to_be_visible()
    expect(page.get_by_role("link", name="Download the NDTMS return (CSV)")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a draft, not for submission (CSV)").click()
    first = _last_month_day().replace(day=1)
    name = download.value.suggested_filename
    assert name.startswith(f"DRAFT-NOT-FOR-SUBMISSION-N0852-{first:%Y%m%d}-")


def when_i_follow_the_fix_link(page: Page, item: str) -> None:
    page.get_by_role("link", name=f"Fix {item} for Robin Marram").click()


def then_i_am_on_the_triage_form(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/treatment/referrals/\d+/triage/$"))
