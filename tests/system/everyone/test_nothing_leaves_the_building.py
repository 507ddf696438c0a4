"""Journey: every role opens every page of the demo it can reach, and nothing leaves the
building: no request to another host (a font, a script, a tile), no console error, and
no accessibility rule that axe-core finds broken."""

import io
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Error, Page, expect

from beacon.core.demo import DEMO_PASSWORD, DEMO_USERS
from beacon.core.selectors import DEMO_DEVICE_NAME, totp_current_code

from ..axe import axe_violations
from ..steps import when_i_try_to_sign_in_with

# One demo user of each role (each driver: the demo gives its rounds to any of them). The
# set-up superuser `admin` is a manager and reaches the manager's pages. In groups of about
# the same length, so that the test workers crawl them side by side.
ROLE_GROUPS = {
    "clinical": ["keyworker", "prescriber"],
    "others": [
        "nurse",
        "driver",
        "driver2",
        "driver3",
        "volunteer",
        "commissioner",
        "pharmacist",
        "probation_officer",
    ],
    "manager": ["manager"],
}
CRAWLED = [username for group in ROLE_GROUPS.values() for username in group]
DEMO_CLIENTS = 20
# A bound on the crawl: pages of one URL pattern (a client's record, a plan…) come from one
# template, so a role opens one of each, and at most so many pages in all.
PAGES_OF_A_ROLE = 100
# Not pages of Beacon's own design (Django's set-up admin, the JSON API), or not pages.
NOT_CRAWLED = re.compile(r"^/(admin|api|static|assets)/|^/sign-out/")


def test_every_demo_role_is_crawled():
    assert {username for username, *_ in DEMO_USERS} <= set(CRAWLED)


@pytest.mark.parametrize("group", ROLE_GROUPS)
def test_every_page_as_every_role_stays_in_the_building_and_passes_axe(
    group: str, browser: Browser, live_server, demo
):
    findings: list[str] = []
    for username in ROLE_GROUPS[group]:
        visit = given_a_browser_that_notes_what_leaves_it(browser, live_server.url)
        given_i_sign_in_to_the_demo_as(visit.page, username)
        when_i_open_every_page_i_can_reach(visit)
        findings += [f"{username}: {finding}" for finding in visit.findings]
        visit.context.close()
    then_nothing_left_the_building_and_axe_found_nothing(findings)


@pytest.fixture
def demo(transactional_db):
    """The demo `make run` loads (smaller), with its users and their authenticators."""
    call_command("seed_demo", "--clients", str(DEMO_CLIENTS), stdout=io.StringIO())


@dataclass
class Visit:
    """One role's browser: the page it is on, the pages it opened, and what went wrong."""

    context: BrowserContext
    page: Page
    host: str
    path: str = "/"
    opened: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    def note(self, finding: str) -> None:
        self.findings.append(f"{self.path}: {finding}")


def given_a_browser_that_notes_what_leaves_it(browser: Browser, base_url: str) -> Visit:
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.set_default_timeout(10_000)
    # The crawl judges what a page loads, not how fast: a list page of the whole demo may take
    # longer than 10 s to answer on a loaded 2-core machine.
    context.set_default_navigation_timeout(30_000)
    visit = Visit(context=context, page=context.new_page(), host=urlsplit(base_url).netloc)

    def on_request(request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != visit.host:
            visit.note(f"request to another host: {request.url}")

    context.on("request", on_request)
    visit.page.on(
        "console",
        lambda message: (
            visit.note(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    visit.page.on("pageerror", lambda error: visit.note(f"script error: {error}"))
    return visit


def given_i_sign_in_to_the_demo_as(page: Page, username: str) -> None:
    """The demo password, then the code of the demo user's authenticator (if they have one)."""
    when_i_try_to_sign_in_with(page, username, DEMO_PASSWORD)
    device = TOTPDevice.objects.filter(user__username=username, name=DEMO_DEVICE_NAME).first()
    if device is not None:
        page.get_by_label("Code from your authenticator app").fill(totp_current_code(device))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def when_i_open_every_page_i_can_reach(visit: Visit) -> None:
    """From the home page, every link within Beacon and every search or choice form sent
    (one page of each URL pattern), as a person clicking through the menus and
    lists would; each page then goes through axe-core."""
    queue = deque(["/"])
    queued = {"/"}
    shapes: set[str] = set()
    while queue and len(visit.opened) < PAGES_OF_A_ROLE:
        visit.path = queue.popleft()
        try:
            response = visit.page.goto(visit.path)
        except Error as error:
            if "Download is starting" in error.message:
                continue  # a CSV or a printout: a file, not a page
            raise
        visit.opened.append(visit.path)
        if response is None or not response.ok:
            visit.note(f"answered {response.status if response else 'nothing'}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        visit.findings += [f"{visit.path}: axe {rule}" for rule in axe_violations(visit.page)]
        for path in links_within(visit):
            shape = shape_of(path)
            if path not in queued and shape not in shapes:
                queued.add(path)
                shapes.add(shape)
                queue.append(path)


def links_within(visit: Visit) -> list[str]:
    """The paths (with their query) of the page's links to Beacon's own host, in page order,
    then where its GET forms (a search, the day to plan) lead when sent as they stand (with
    today's date where a date is asked)."""
    hrefs = visit.page.evaluate(
        r"""() => [
            ...[...document.querySelectorAll("a[href]:not([download])")].map(link => link.href),
            ...[...document.querySelectorAll("form")]
                .filter(form => (form.getAttribute("method") || "get").toLowerCase() === "get")
                .map(form => {
                    // (A field named "action" would shadow form.action.)
                    const url = new URL(form.getAttribute("action") || "", location.href);
                    // A date left empty is today's, as a person planning the day would choose.
                    const today = new Date();
                    const parts = {
                        day: today.getDate(),
                        month: today.getMonth() + 1,
                        year: today.getFullYear(),
                    };
                    const data = new FormData(form);
                    for (const [name, value] of [...data]) {
                        const part = name.match(/\[(day|month|year)\]$/);
                        if (part && !value) data.set(name, parts[part[1]]);
                    }
                    url.search = new URLSearchParams(data).toString();
                    return url.href;
                }),
        ]"""
    )
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if url.scheme not in ("http", "https") or url.netloc != visit.host:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not NOT_CRAWLED.search(path):
            paths.append(path)
    return paths


def shape_of(path: str) -> str:
    """The path's URL pattern and its query's names: /treatment/plans/3/ and
    /treatment/plans/9/ are one shape, /audit/?page=2 another."""
    base, _, query = path.partition("?")
    try:
        route = resolve(base).route
    except Resolver404:
        route = base  # a link to no page: opened once, and reported
    names = sorted({pair.partition("=")[0] for pair in query.split("&") if pair})
    return route + ("?" + "&".join(names) if names else "")


def then_nothing_left_the_building_and_axe_found_nothing(findings: list[str]) -> None:
    assert findings == [], "\n".join(findings)
