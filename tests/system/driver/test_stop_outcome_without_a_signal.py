"""No signal at the door (issue #15): a driver records a stop not delivered (wrong address)
with the network cut; the page says it is waiting; when the signal returns it is sent and
recorded once, and nothing is left on the phone (the same outbox as a volunteer's)."""

from playwright.sync_api import Page, expect

from beacon.delivery.models import DeliveryStop
from beacon.delivery.tests.factories import round_today

from ..steps import given_i_am_signed_in_as
from ..volunteer.test_contacts_without_a_signal import OUTBOX_COUNT


def test_a_stop_outcome_recorded_offline_is_sent_once_when_the_signal_returns(
    phone_page: Page, users, provider, team
):
    page = phone_page
    [stop] = round_today(users=users, provider=provider, team=team, handed_over=True)
    given_i_am_signed_in_as(page, users["driver"])
    page.goto(f"/delivery/my-round/stops/{stop.pk}/")
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    # "Wrong address": no time-of-day rule, unlike "not in" before the window opens.
    page.get_by_role("radio", name="Wrong address").check()
    page.get_by_role("button", name="Record not delivered").click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("Waiting to be sent: 1 stop outcome")
    stop.refresh_from_db()
    assert stop.status != DeliveryStop.Status.NOT_DELIVERED
    page.context.set_offline(False)
    expect(status).to_contain_text("Sent and saved: 1 record")
    stop.refresh_from_db()
    assert stop.status == DeliveryStop.Status.NOT_DELIVERED
    assert page.evaluate(OUTBOX_COUNT) == 0
