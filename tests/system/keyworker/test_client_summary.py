"""The missed-delivery alert opens the client page, which says where the client is today.

Robin's methadone went out with the driver this morning; the driver could not deliver it
(not in). The keyworker opens the alert and lands on Robin's page, whose summary shows the
dose and today's missed delivery before any history.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import round_today
from beacon.prescribing.tests.factories import record_outcome

from ..axe import axe_violations
from ..steps import given_i_am_signed_in_as, when_i_open_from_the_menu


@pytest.fixture
def mid_morning():
    """10:00 today in London (the delivery clients are in from 9 to 12), ticking on."""
    when = datetime.datetime.combine(
        timezone.localdate(), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(when, tick=True):
        yield


@pytest.fixture
def missed_delivery(mid_morning, users, provider, team):
    """Robin's parcel was handed to the driver and not delivered: not in."""
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    for instalment in stop.instalment.prescription.instalments.filter(date__lt=stop.date):
        record_outcome(instalment, "delivered", users["manager"])
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    return stop


def test_the_missed_delivery_alert_opens_the_client_page_with_the_dose_and_the_miss(
    page: Page, users, missed_delivery
):
    robin = missed_delivery.client
    given_i_am_signed_in_as(page, users["keyworker"])
    when_i_open_from_the_menu(page, "Alerts (1 new)")
    and_i_open_the_record_from_the_missed_delivery_alert(page, robin)
    then_i_am_on_robins_page(page, robin)
    and_the_summary_shows_the_methadone_dose(page)
    and_the_summary_shows_todays_missed_delivery(page, missed_delivery)
    and_the_summary_comes_before_the_history(page)
    and_the_page_has_no_accessibility_violation(page)


def and_i_open_the_record_from_the_missed_delivery_alert(page: Page, robin) -> None:
    alert = page.locator("#alerts > li").filter(has_text=f"Missed delivery: {robin.full_name}")
    alert.get_by_role("link", name="Open the record").click()


def then_i_am_on_robins_page(page: Page, robin) -> None:
    expect(page).to_have_url(f"{page.url.split('/clients/')[0]}/clients/{robin.client_number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(robin.full_name)


def and_the_summary_shows_the_methadone_dose(page: Page) -> None:
    prescription = summary_line(page, "prescription")
    expect(prescription).to_contain_text("Methadone")
    expect(prescription).to_contain_text("30 mg a day")
    expect(prescription).to_contain_text("Supplied by: Home delivery")


def and_the_summary_shows_todays_missed_delivery(page: Page, stop) -> None:
    dose = summary_line(page, "todays_dose")
    expect(dose).to_contain_text("Missed")
    expect(dose).to_contain_text("never supplied later")
    delivery = summary_line(page, "todays_delivery")
    expect(delivery).to_contain_text(f"Missed delivery Parcel {stop.parcel_number} not delivered")
    expect(delivery).to_contain_text("not in")
    expect(summary_line(page, "alerts")).to_contain_text("Missed delivery (today, ")


def and_the_summary_comes_before_the_history(page: Page) -> None:
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Today"
    assert headings.index("Today") < headings.index("Timeline")


def and_the_page_has_no_accessibility_violation(page: Page) -> None:
    assert axe_violations(page) == []


def summary_line(page: Page, slot: str):
    return page.locator(f'#client-summary [data-summary="{slot}"]')
