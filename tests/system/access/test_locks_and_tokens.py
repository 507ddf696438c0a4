"""Journeys: a manager unlocks a colleague's locked account; a token a manager issues for
a colleague works once the colleague accepts it, and only the colleague sees it."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from beacon.core.services import api_token_user
from beacon.core.tests.factories import TEST_PASSWORD, totp_device

from ..steps import given_i_am_signed_in_as, when_i_open_from_the_menu, when_i_try_to_sign_in_with


@pytest.fixture
def manager_page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """The manager's own browser, beside the colleague's `page`."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_manager_unlocks_a_locked_account_and_its_owner_signs_in(
    page: Page, manager_page: Page, users
):
    keyworker = users["keyworker"]
    given_a_colleague_locked_out_by_wrong_passwords(page, keyworker)

    when_the_manager_unlocks_their_account(manager_page, users["manager"], keyworker)

    then_the_colleague_signs_in_with_the_right_password(page, keyworker)


def test_a_token_for_a_colleague_works_once_they_accept_it(page: Page, manager_page: Page, users):
    keyworker = users["keyworker"]
    given_i_am_signed_in_as(manager_page, users["manager"])
    when_the_manager_issues_a_token_for(manager_page, keyworker, "caseload script")
    then_the_manager_is_told_it_waits_and_sees_no_token(manager_page, keyworker)

    given_i_am_signed_in_as(page, keyworker)
    raw = when_the_colleague_accepts_it_from_their_alert(page, "caseload script")

    then_the_token_acts_as_the_colleague(raw, keyworker)


def given_a_colleague_locked_out_by_wrong_passwords(page: Page, keyworker) -> None:
    totp_device(keyworker)  # their authenticator app, for after the password
    page.goto("/sign-in/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each refusal looks like the last one: wait for the new page before going on.
        page.get_by_label("Username").fill(keyworker.username)
        page.get_by_label("Password").fill(f"wrong-guess-{attempt}")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="This account is locked for now")).to_be_visible()
    expect(page.get_by_text("they can unlock your account in Beacon")).to_be_visible()


def when_the_manager_unlocks_their_account(manager_page: Page, manager, keyworker) -> None:
    given_i_am_signed_in_as(manager_page, manager)
    when_i_open_from_the_menu(manager_page, "Locked accounts")
    row = manager_page.get_by_role("row").filter(has_text=keyworker.username)
    row.get_by_role("button", name="Unlock").click()
    expect(manager_page.get_by_text(f"{keyworker.display_name} can sign in again.")).to_be_visible()


def then_the_colleague_signs_in_with_the_right_password(page: Page, keyworker) -> None:
    when_i_try_to_sign_in_with(page, keyworker.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()


def when_the_manager_issues_a_token_for(manager_page: Page, keyworker, name: str) -> None:
    when_i_open_from_the_menu(manager_page, "API tokens")
    manager_page.get_by_role("button", name="Issue a token").click()
    manager_page.get_by_label("Who the token acts as").select_option(
        label=f"{keyworker.display_name} ({keyworker.username}, Keyworker)"
    )
    manager_page.get_by_label("What it is for").fill(name)
    manager_page.get_by_role("button", name="Issue token").click()


def then_the_manager_is_told_it_waits_and_sees_no_token(manager_page: Page, keyworker) -> None:
    expect(manager_page.get_by_role("heading", level=1)).to_have_text(
        f"Token waiting for {keyworker.display_name} to accept it"
    )
    assert "bcn_" not in manager_page.content()


def when_the_colleague_accepts_it_from_their_alert(page: Page, name: str) -> str:
    when_i_open_from_the_menu(page, "Alerts (1 new)")
    page.get_by_role("link", name="Review the token").click()
    page.get_by_role("button", name=f"Accept {name}").click()
    expect(page.locator("#api-token")).to_be_visible()
    return page.locator("#api-token").inner_text()


def then_the_token_acts_as_the_colleague(raw: str, keyworker) -> None:
    assert api_token_user(raw) == keyworker
