"""No signal in the stairwell (issue #15): a volunteer records two contacts with the network
cut (Playwright's offline mode); the page says they are waiting; when the signal returns
they are sent, each saved once (the one-time submission token is the idempotency key), and
nothing is left on the phone. The same when the phone claims a signal it does not have
(navigator.onLine stays true while the requests fail, H-204): one never reaches Beacon, the
answer to another is lost on the way back; both are kept and sent once each."""

import pytest
from playwright.sync_api import Page, Route, expect

from beacon.core.roles import Role
from beacon.core.tests.factories import SiteFactory
from beacon.volunteers import services
from beacon.volunteers.models import OutreachContact
from beacon.volunteers.tests.factories import shift_for, volunteer_for

from ..steps import checkbox, given_i_am_signed_in_as

OUTBOX_COUNT = """() => new Promise((resolve) => {
  const open = indexedDB.open("beacon-offline", 1);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").count();
    request.onsuccess = () => resolve(request.result);
  };
})"""


@pytest.fixture
def checked_in(make_user, provider):
    manager = make_user(Role.MANAGER)
    user = make_user(Role.VOLUNTEER, first_name="Val", last_name="Peerhelp")
    volunteer = volunteer_for(user, trained=True)
    base = SiteFactory(provider=provider, name="Harbour Street hub")
    shift = shift_for(volunteer, site=base, duty_manager=manager, area="Holbeck")
    services.check_in(actor=user, shift=shift)
    return {"user": user, "shift": shift}


def test_two_contacts_recorded_offline_are_sent_once_each_when_the_signal_returns(
    phone_page: Page, checked_in
):
    page = phone_page
    given_i_am_signed_in_as(page, checked_in["user"])
    and_i_open_the_contact_form_of_my_shift(page, checked_in["shift"])
    when_the_signal_is_lost(page)
    and_i_record_a_contact_with(page, "Water")
    then_the_page_says_waiting(page, "1 contact")
    and_i_record_a_contact_with(page, "Food")
    then_the_page_says_waiting(page, "2 contacts")
    and_nothing_has_reached_beacon()
    when_the_signal_returns(page)
    then_the_page_says_they_were_sent(page)
    and_each_contact_was_saved_once()
    and_nothing_is_left_on_the_phone(page)


def and_i_open_the_contact_form_of_my_shift(page: Page, shift) -> None:
    page.goto(f"/volunteers/shifts/{shift.pk}/contacts/new/")
    expect(page.get_by_role("heading", name="Record a contact")).to_be_visible()


def when_the_signal_is_lost(page: Page) -> None:
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")


def and_i_record_a_contact_with(page: Page, given: str) -> None:
    checkbox(page, given).check()
    page.get_by_role("radio", name="No concern").check()
    page.get_by_role("button", name="Save contact").click()
    # The form is emptied for the next person, nothing chosen.
    expect(checkbox(page, given)).not_to_be_checked()


def then_the_page_says_waiting(page: Page, what: str) -> None:
    expect(page.locator("[data-offline-status]")).to_contain_text(f"Waiting to be sent: {what}")


def and_nothing_has_reached_beacon() -> None:
    assert OutreachContact.objects.count() == 0


def when_the_signal_returns(page: Page) -> None:
    page.context.set_offline(False)


def then_the_page_says_they_were_sent(page: Page) -> None:
    expect(page.locator("[data-offline-status]")).to_contain_text(
        "Sent and saved: 2 records. Nothing is left on this phone."
    )


def and_each_contact_was_saved_once() -> None:
    contacts = OutreachContact.objects.order_by("id")
    assert [(c.water, c.food) for c in contacts] == [(True, False), (False, True)]


def and_nothing_is_left_on_the_phone(page: Page) -> None:
    assert page.evaluate(OUTBOX_COUNT) == 0


def test_contacts_whose_sending_fails_while_the_phone_claims_a_signal_are_kept_and_sent_once(
    phone_page: Page, checked_in
):
    page = phone_page
    given_i_am_signed_in_as(page, checked_in["user"])
    and_i_open_the_contact_form_of_my_shift(page, checked_in["shift"])
    when_the_signal_fails_though_the_phone_claims_one(page, lose="the request")
    and_i_record_a_contact_with(page, "Water")
    then_the_page_says_waiting(page, "1 contact")
    and_nothing_has_reached_beacon()
    when_the_signal_fails_though_the_phone_claims_one(page, lose="the answer")
    and_i_record_a_contact_with(page, "Food")
    then_the_page_says_waiting(page, "2 contacts")
    and_beacon_saved_the_one_whose_answer_was_lost()
    when_the_signal_really_returns_and_i_try_sending_now(page)
    then_the_page_says_they_were_sent(page)
    and_each_was_saved_once_the_food_first()
    and_nothing_is_left_on_the_phone(page)


def when_the_signal_fails_though_the_phone_claims_one(page: Page, *, lose: str) -> None:
    """Every POST fails on the way (a network error, not an answer of Beacon's): before it
    reaches Beacon, or after, its answer lost."""

    def fail(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        if lose == "the answer":
            route.fetch(max_redirects=0)  # reaches Beacon, which saves it
        route.abort("internetdisconnected")

    page.context.unroute("**/contacts/new/")
    page.context.route("**/contacts/new/", fail)
    assert page.evaluate("() => navigator.onLine")


def and_beacon_saved_the_one_whose_answer_was_lost() -> None:
    assert [(c.water, c.food) for c in OutreachContact.objects.all()] == [(False, True)]


def when_the_signal_really_returns_and_i_try_sending_now(page: Page) -> None:
    page.context.unroute("**/contacts/new/")
    page.get_by_role("button", name="Try sending now").click()


def and_each_was_saved_once_the_food_first() -> None:
    contacts = OutreachContact.objects.order_by("id")
    assert [(c.water, c.food) for c in contacts] == [(False, True), (True, False)]
