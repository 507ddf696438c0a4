"""Browser journeys: one headless Debian Chromium per session, a fresh page per test, on a
live server. The steps the journeys share (signing in among them) are in `steps.py`."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Error, Page, Playwright, expect, sync_playwright

from tests.system.axe import axe_violations

# Playwright's sync API runs an event loop in this thread; without this Django refuses
# the ORM calls the tests make to set up and check data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).parent

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run `make browser` "
            "(never `playwright install`).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# Kinds of page axe has already passed in this process: a path with its numbers taken out,
# and whether the page shows a form's errors. A journey's page of a kind axe has not seen
# is checked as it loads; the same kind again is not (it costs a second a page).
_AXE_SEEN: set[tuple[str, bool]] = set()


def checked_by_axe(page: Page) -> list[str]:
    """Run axe-core on every page the journey loads (issue #11: axe inside the journeys);
    returns the list the violations gather in, which the page fixture asserts is empty."""
    found: list[str] = []

    def on_load(loaded: Page) -> None:
        try:
            kind = (
                re.sub(r"\d+", "N", urlsplit(loaded.url).path),
                loaded.title().startswith("Error: "),
            )
            if kind in _AXE_SEEN:
                return
            violations = axe_violations(loaded)
        except Error:  # the journey moved on before axe finished: its next page is checked
            return
        if violations:
            found.append(f"{loaded.url}: " + "; ".join(violations))
        else:
            _AXE_SEEN.add(kind)

    page.on("load", on_load)
    return found


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A new browser context (no cookies from other tests) on the live server; axe-core
    checks each kind of page it loads, and the test fails on any violation."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = checked_by_axe(page)
    yield page
    context.close()
    assert violations == [], "axe-core found accessibility rules broken"


@pytest.fixture
def phone_page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A page the size of a phone's screen (390 by 844, like an iPhone 14)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = checked_by_axe(page)
    yield page
    context.close()
    assert violations == [], "axe-core found accessibility rules broken"
