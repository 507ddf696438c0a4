"""A service manager (the delivery coordinator) on a phone starts on their new alerts and
their pages, and opens the record a missed delivery alert points to; axe-core finds
nothing wrong on either page."""

import pytest
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import Alert
from beacon.core.roles import Role

from ..steps import and_the_page_passes_axe, given_i_am_signed_in_as, then_i_start_on_my_worklist


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, first_name="Morgan", last_name="Lead")


@pytest.fixture
def missed_delivery(provider, team, manager):
    sam = ClientFactory(provider=provider, team=team, first_name="Sam", last_name="Tarrant")
    return Alert.objects.create(
        provider=provider,
        recipient=manager,
        kind=Alert.Kind.MISSED_DELIVERY,
        client=sam,
        title="Missed delivery: Sam Tarrant",
        message="Not in when the driver called; the parcel is back with the service.",
        link=f"/clients/{sam.client_number}/",
    )


def test_manager_starts_on_new_alerts_and_opens_the_missed_delivery_on_a_phone(
    phone_page: Page, manager, missed_delivery
):
    page = phone_page
    given_i_am_signed_in_as(page, manager)
    then_i_start_on_my_worklist(page, manager, "New alerts", "Your pages")
    and_the_missed_delivery_is_listed(page)

    when_i_open_the_missed_delivery(page)
    then_i_am_on_sams_record(page)


def and_the_missed_delivery_is_listed(page: Page) -> None:
    expect(page.locator("#alerts-worklist")).to_contain_text("Missed delivery: Sam Tarrant")


def when_i_open_the_missed_delivery(page: Page) -> None:
    page.get_by_role("link", name="Open Missed delivery: Sam Tarrant, Sam Tarrant").click()


def then_i_am_on_sams_record(page: Page) -> None:
    expect(page.get_by_role("heading", name="Sam Tarrant", level=1)).to_be_visible()
    and_the_page_passes_axe(page)
