"""Steps the browser journeys share, the page helpers their steps use, and their clock.

A journey reads as steps (`given_…`, `when_…`, `and_…`, `then_…`): each step's name says what
a person does, its body how (Playwright calls). Steps only one journey takes sit beside it,
in its own module.
"""

import datetime
import re

import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from beacon.core.selectors import totp_current_code
from beacon.core.tests.factories import TEST_PASSWORD, totp_device

from .axe import axe_violations

SEARCH_LABEL = "Name, NHS number, client number or date of birth"


# Signing in and out, and finding one's way.


def given_i_am_signed_in_as(page: Page, user) -> None:
    """Password, then (for the roles that need one) the code from their authenticator app."""
    device = totp_device(user) if user.needs_two_factor else None
    when_i_try_to_sign_in_with(page, user.username, TEST_PASSWORD)
    if device is not None:
        expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
        page.get_by_label("Code from your authenticator app").fill(totp_current_code(device))
        page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    # Signed in: the header names them (each role then lands on its own home page).
    expect(page.get_by_role("banner")).to_contain_text(user.display_name)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def when_i_try_to_sign_in_with(page: Page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def and_i_sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Beacon")).to_be_visible()


def then_i_start_on_my_worklist(page: Page, user, *sections: str) -> None:
    """Signed in, the home page greets the user and shows the worklist's sections by their
    headings (a heading reads with its count: "TOPs due 1")."""
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name=f"Hello, {user.first_name}", level=1)).to_be_visible()
    for heading in sections:
        expect(
            page.get_by_role("heading", name=re.compile(rf"^{heading}"), level=2)
        ).to_be_visible()
    and_the_page_passes_axe(page)


def and_the_page_passes_axe(page: Page) -> None:
    """axe-core finds no accessibility rule broken on the page as it stands."""
    page.wait_for_load_state("load")
    assert axe_violations(page) == [], page.url


def when_i_open_from_the_menu(page: Page, name: str) -> None:
    """Click the menu link; where the screen is too narrow for every entry, the NHS.UK
    header keeps the rest behind its "More" button, which a person opens first."""
    menu = page.get_by_role("navigation", name="Menu")
    link = menu.get_by_role("link", name=name, exact=True)
    page.wait_for_load_state("load")  # the header script has sorted the entries by now
    more = menu.locator("#toggle-menu")
    if not link.is_visible() and more.is_visible():
        more.click()
    link.click()


def and_i_search_the_clients_for(page: Page, words: str) -> None:
    """On the Clients page: type into the one search box and search."""
    page.get_by_label(SEARCH_LABEL).fill(words)
    page.get_by_role("button", name="Search").click()


# Helpers the steps use to fill in and find things on a page.


def fill_date(page: Page, legend: str, value: datetime.date) -> None:
    """Type a date into the NHS.UK day, month and year boxes under `legend`."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def checkbox(page: Page | Locator, label: str) -> Locator:
    """The checkbox a user knows by its label (so the label must name it)."""
    return page.get_by_role("checkbox", name=label, exact=True)


def error_link(page: Page, message: str) -> Locator:
    """The link to a field from the NHS.UK error summary at the top of the page."""
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    return summary.get_by_role("link", name=message)


def page_width(page: Page) -> dict:
    """How wide the page's content is, and the window. (A phone browser widens its layout
    viewport to fit content that overflows, so the window's width is checked too.)"""
    return page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )


# The clock of the test and the live server alike.


def at(day: datetime.date, time: datetime.time):
    """The clock (of the tests and the live server alike) moved to `time` on `day`."""
    when = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
    return time_machine.travel(when, tick=True)


class Clock:
    """A journey's clock: `move_to` leaves the time it was moved to last, if any, and moves
    on to another (each time going on ticking from there)."""

    def __init__(self) -> None:
        self.travel = None

    def move_to(self, day: datetime.date, time: datetime.time) -> None:
        self.stop()
        self.travel = at(day, time)
        self.travel.start()

    def stop(self) -> None:
        if self.travel is not None:
            self.travel.stop()
            self.travel = None
