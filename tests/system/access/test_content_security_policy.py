"""Journey: pages run under the Content-Security-Policy without tripping it, the map too."""

from playwright.sync_api import Page, expect

from beacon.delivery.tests.planning.test_planning import TODAY

from ..coordinator.test_round_map import (
    given_a_day_planned_in_two_rounds_and_a_client_left_unassigned,
)
from ..steps import given_i_am_signed_in_as, when_i_open_from_the_menu


def test_pages_and_the_round_map_break_no_content_security_policy_rule(
    page: Page, users, provider, team, make_user
):
    given_a_day_planned_in_two_rounds_and_a_client_left_unassigned(users, provider, team, make_user)
    refusals = given_the_browser_reports_what_the_policy_refuses(page)

    given_i_am_signed_in_as(page, users["manager"])
    when_i_open_from_the_menu(page, "Clients")
    and_i_open_from_the_menu(page, "Audit log")
    and_i_open_from_the_menu(page, "API tokens")
    and_i_open_the_day_with_its_map(page)

    then_the_policy_refused_nothing(refusals)


def given_the_browser_reports_what_the_policy_refuses(page: Page) -> list[str]:
    """Every console message about the policy, as Chromium words it."""
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return refusals


def and_i_open_from_the_menu(page: Page, name: str) -> None:
    when_i_open_from_the_menu(page, name)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def and_i_open_the_day_with_its_map(page: Page) -> None:
    page.goto(f"/delivery/days/{TODAY.isoformat()}/")
    expect(page.locator("#round-map .leaflet-marker-icon").first).to_be_visible()


def then_the_policy_refused_nothing(refusals: list[str]) -> None:
    assert refusals == []
