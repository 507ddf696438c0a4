"""Journeys about who gets in: roles kept out of client records, password guessing locked out."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.roles import Role
from beacon.core.tests.factories import TEST_PASSWORD


@pytest.mark.parametrize("role", [Role.DRIVER, Role.VOLUNTEER])
def test_driver_and_volunteer_cannot_open_client_records(
    page: Page, sign_in, make_user, provider, team, role
):
    # Given a client of the service, and a driver or peer volunteer of the same service
    client = ClientFactory(provider=provider, team=team)
    person = make_user(role, first_name="Dana")

    # When they sign in (drivers with two-factor, volunteers with a password only)
    sign_in(page, person)

    # Then their menu starts at their own home (a driver's is today's round) and has no
    # Clients entry
    menu = page.get_by_role("navigation", name="Menu")
    home = "Today's round" if role == Role.DRIVER else "Home"
    expect(menu.get_by_role("link", name=home)).to_be_visible()
    expect(menu.get_by_role("link", name="Clients", exact=True)).to_have_count(0)

    # And going straight to the client search or the client's page is refused
    for path in ("/clients/", f"/clients/{client.client_number}/"):
        response = page.goto(path)
        assert response is not None
        assert response.status == 403, path
        expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
        expect(page.get_by_text(client.last_name)).to_have_count(0)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(page: Page, make_user):
    # Given a keyworker, and someone guessing their password
    keyworker = make_user(Role.KEYWORKER)
    assert settings.AXES_FAILURE_LIMIT == 5
    page.goto("/sign-in/")

    def try_password(password: str) -> None:
        page.get_by_label("Username").fill(keyworker.username)
        page.get_by_label("Password").fill(password)
        # Each refusal looks like the last one: wait for the new page before going on.
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    # When four guesses are wrong, each is refused with the usual message
    for attempt in range(1, 5):
        try_password(f"wrong-guess-{attempt}")
        expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
            "Enter a correct username and password"
        )

    # And the fifth wrong guess locks the account
    try_password("wrong-guess-5")
    expect(page.get_by_role("heading", name="This account is locked for now")).to_be_visible()

    # Then the sixth attempt, with the right password, is still refused
    page.goto("/sign-in/")
    try_password(TEST_PASSWORD)
    expect(page.get_by_role("heading", name="This account is locked for now")).to_be_visible()
    expect(page.get_by_role("heading", name="Enter your security code")).to_have_count(0)

    # And they are not signed in: the home page sends them back to sign in
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Beacon")).to_be_visible()


def test_a_refused_password_is_not_sent_back_to_the_browser(page: Page, make_user):
    # Given a keyworker's sign-in page
    keyworker = make_user(Role.KEYWORKER)
    page.goto("/sign-in/")

    # When a wrong password is tried
    page.get_by_label("Username").fill(keyworker.username)
    page.get_by_label("Password").fill("a-wrong-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    # Then the refusal keeps the username but not the password, not even in the page's HTML
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value(keyworker.username)
    expect(page.get_by_label("Password")).to_have_value("")
    assert "a-wrong-password" not in page.content()
