"""Journeys: someone guessing a password is locked out, and a refused password is not echoed."""

from django.conf import settings
from playwright.sync_api import Page, expect

from beacon.core.roles import Role
from beacon.core.tests.factories import TEST_PASSWORD


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(page: Page, make_user):
    keyworker = given_a_keyworker_and_someone_guessing_their_password(page, make_user)

    when_four_guesses_are_wrong_each_is_refused_with_the_usual_message(page, keyworker)
    and_the_fifth_wrong_guess_locks_the_account(page, keyworker)

    then_the_sixth_attempt_with_the_right_password_is_still_refused(page, keyworker)
    and_they_are_not_signed_in(page)


def test_a_refused_password_is_not_sent_back_to_the_browser(page: Page, make_user):
    keyworker = given_a_keyworkers_sign_in_page(page, make_user)

    when_a_password_is_tried(page, keyworker, "a-wrong-password")

    then_the_refusal_keeps_the_username_but_not_the_password(page, keyworker, "a-wrong-password")


def given_a_keyworker_and_someone_guessing_their_password(page: Page, make_user):
    keyworker = make_user(Role.KEYWORKER)
    assert settings.AXES_FAILURE_LIMIT == 5
    page.goto("/sign-in/")
    return keyworker


def given_a_keyworkers_sign_in_page(page: Page, make_user):
    keyworker = make_user(Role.KEYWORKER)
    page.goto("/sign-in/")
    return keyworker


def when_a_password_is_tried(page: Page, keyworker, password: str) -> None:
    """Each refusal looks like the last one: wait for the new page before going on."""
    page.get_by_label("Username").fill(keyworker.username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def when_four_guesses_are_wrong_each_is_refused_with_the_usual_message(
    page: Page, keyworker
) -> None:
    for attempt in range(1, 5):
        when_a_password_is_tried(page, keyworker, f"wrong-guess-{attempt}")
        expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
            "Enter a correct username and password"
        )


def and_the_fifth_wrong_guess_locks_the_account(page: Page, keyworker) -> None:
    when_a_password_is_tried(page, keyworker, "wrong-guess-5")
    expect(page.get_by_role("heading", name="This account is locked for now")).to_be_visible()


def then_the_sixth_attempt_with_the_right_password_is_still_refused(page: Page, keyworker) -> None:
    page.goto("/sign-in/")
    when_a_password_is_tried(page, keyworker, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="This account is locked for now")).to_be_visible()
    expect(page.get_by_role("heading", name="Enter your security code")).to_have_count(0)


def and_they_are_not_signed_in(page: Page) -> None:
    """The home page sends them back to sign in."""
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Beacon")).to_be_visible()


def then_the_refusal_keeps_the_username_but_not_the_password(
    page: Page, keyworker, password: str
) -> None:
    """Not even in the page's HTML."""
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value(keyworker.username)
    expect(page.get_by_label("Password")).to_have_value("")
    assert password not in page.content()
