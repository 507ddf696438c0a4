"""A partner pharmacy in the browser, from prescription to supply resumed (issue 14).

A prescriber writes methadone dispensed at a partner pharmacy, supervised every day; the
pharmacist, on a tablet, records two supervised supplies and then three days not
collected; the third stops the next supply on the pharmacist's screen ("do not supply");
the keyworker and the prescriber see the alerts; the prescriber records a review and the
pharmacist can supply again.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.prescribing.models import Prescription
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

from ..steps import (
    and_i_sign_out,
    and_the_page_passes_axe,
    fill_date,
    given_i_am_signed_in_as,
)

TODAY = timezone.localdate()


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


class Clock:
    """The journey's clock, moved to 10 in the morning of a day and ticking from there."""

    def __init__(self) -> None:
        self.travel = None

    def move_to(self, on: datetime.date) -> None:
        self.stop()
        when = datetime.datetime.combine(
            on, datetime.time(10), tzinfo=timezone.get_current_timezone()
        )
        self.travel = time_machine.travel(when, tick=True)
        self.travel.start()

    def stop(self) -> None:
        if self.travel is not None:
            self.travel.stop()
            self.travel = None


@pytest.fixture
def clock():
    clock = Clock()
    clock.move_to(TODAY)
    yield clock
    clock.stop()


@pytest.fixture
def people(clock, make_user, provider, team):
    pharmacy = PartnerOrganisationFactory(
        provider=provider,
        kind=PartnerOrganisation.Kind.PHARMACY,
        name="Harbour Test Pharmacy",
        ods_code="FZZ99",
    )
    keyworker = make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker")
    robin = ClientFactory(
        provider=provider,
        team=team,
        keyworker=keyworker,
        first_name="Robin",
        last_name="Example",
        preferred_name="",
    )
    TreatmentEpisodeFactory(client=robin, start_date=TODAY)
    return {
        "prescriber": make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber"),
        "keyworker": keyworker,
        "pharmacist": make_user(
            Role.PHARMACIST, first_name="Phil", last_name="Dispenser", partner_organisation=pharmacy
        ),
        "pharmacy": pharmacy,
        "robin": robin,
    }


def test_supervised_doses_then_three_missed_days_stop_supply_until_the_review(
    page: Page, tablet_page: Page, clock: Clock, people
):
    robin, pharmacist = people["robin"], people["pharmacist"]

    given_i_am_signed_in_as(page, people["prescriber"])
    when_the_prescriber_writes_methadone_supervised_every_day_at_the_pharmacy(page, robin)
    then_it_is_written_to_be_dispensed_there(page, robin, people["pharmacy"])
    and_i_sign_out(page)

    for n in (0, 1):
        given_it_is(clock, day(n))
        given_i_am_signed_in_as(tablet_page, pharmacist)
        then_the_pharmacist_sees_robin_due_today_with_the_identity_check(tablet_page, robin)
        when_the_pharmacist_records_todays_dose(tablet_page, robin, "Supplied supervised")
        then_todays_dose_is_recorded(tablet_page, "Supplied supervised")
        and_i_sign_out(tablet_page)

    for n in (2, 3, 4):
        given_it_is(clock, day(n))
        given_i_am_signed_in_as(tablet_page, pharmacist)
        when_the_pharmacist_records_todays_dose(tablet_page, robin, "Not collected")
        then_todays_dose_is_recorded(tablet_page, "Not collected")
        if n < 4:
            and_i_sign_out(tablet_page)
    then_tomorrows_supply_says_do_not_supply(tablet_page)
    and_the_pharmacist_leaves_the_prescriber_a_message(tablet_page)
    and_i_sign_out(tablet_page)

    given_i_am_signed_in_as(page, people["keyworker"])
    then_i_see_the_alerts_of_the_doses_not_supplied(page, robin, suspended=True)
    and_i_sign_out(page)

    given_it_is(clock, day(5))
    given_i_am_signed_in_as(page, people["prescriber"])
    then_i_see_the_alerts_of_the_doses_not_supplied(page, robin, suspended=True)
    when_the_prescriber_records_a_review_to_resume(page, robin)
    and_i_sign_out(page)

    given_i_am_signed_in_as(tablet_page, pharmacist)
    when_the_pharmacist_records_todays_dose(tablet_page, robin, "Supplied supervised")
    then_todays_dose_is_recorded(tablet_page, "Supplied supervised")


def given_it_is(clock: Clock, on: datetime.date) -> None:
    clock.move_to(on)


def when_the_prescriber_writes_methadone_supervised_every_day_at_the_pharmacy(
    page: Page, robin
) -> None:
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="OST prescriptions").click()
    page.get_by_role("button", name="Write a prescription").click()
    page.get_by_label("Medicine").select_option(label="Methadone 1mg/ml oral solution sugar free")
    page.get_by_label("Dose", exact=True).fill("30")
    fill_date(page, "Start date", TODAY)
    fill_date(page, "End date", day(13))
    page.get_by_role("radio", name="Daily").check()
    group = page.get_by_role("group", name="Supervised consumption days")
    for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        group.get_by_role("checkbox", name=weekday).check()
    page.get_by_label("Pharmacy", exact=True).select_option(label="Harbour Test Pharmacy")
    page.get_by_role("group", name="Does the client also use alcohol or sedatives").get_by_role(
        "radio", name="No"
    ).check()
    page.get_by_role("button", name="Save prescription").click()


def then_it_is_written_to_be_dispensed_there(page: Page, robin, pharmacy) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Methadone")
    expect(page.locator("main")).to_contain_text(pharmacy.name)
    assert Prescription.objects.get(client=robin).pharmacy == pharmacy


def then_the_pharmacist_sees_robin_due_today_with_the_identity_check(page: Page, robin) -> None:
    expect(page.get_by_role("heading", name="Instalments due", level=1)).to_be_visible()
    expect(page.locator("#identity-prompt")).to_contain_text("date of birth")
    due = page.locator("#pharmacy-due")
    today = due.get_by_role("row").filter(has_text="Today")
    expect(today).to_contain_text(robin.full_name)
    expect(today).to_contain_text(robin.date_of_birth.strftime("%-d %B %Y"))
    expect(today).to_contain_text("Supervised consumption")
    expect(due).not_to_contain_text(robin.client_number)
    and_the_page_passes_axe(page)


def when_the_pharmacist_records_todays_dose(page: Page, robin, what: str) -> None:
    row = page.locator("#pharmacy-due").get_by_role("row").filter(has_text="Today")
    row.get_by_role("link", name=robin.full_name).click()
    expect(page.locator("#instalment-wording")).to_contain_text("Consult the prescriber")
    page.get_by_role("radio", name=what).check()
    page.get_by_role("button", name="Record").click()


def then_todays_dose_is_recorded(page: Page, what: str) -> None:
    expect(page.get_by_text("Instalment recorded.")).to_be_visible()
    row = page.locator("#pharmacy-due").get_by_role("row").filter(has_text="Today")
    expect(row).to_contain_text(what)


def then_tomorrows_supply_says_do_not_supply(page: Page) -> None:
    row = page.locator("#pharmacy-due").get_by_role("row").filter(has_text="Tomorrow")
    expect(row).to_contain_text("Do not supply: contact the prescriber")
    row.get_by_role("link").click()
    expect(page.locator("#do-not-supply")).to_contain_text("Do not supply: contact the prescriber")
    and_the_page_passes_axe(page)


def and_the_pharmacist_leaves_the_prescriber_a_message(page: Page) -> None:
    page.get_by_label("Message to the prescriber").fill("Robin phoned: unwell, will come in")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message sent to the prescriber.")).to_be_visible()
    page.get_by_role("link", name="Back to instalments due").click()


def then_i_see_the_alerts_of_the_doses_not_supplied(page: Page, robin, *, suspended) -> None:
    page.goto("/alerts/")
    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text(f"Dose not supplied at the pharmacy: {robin.full_name}")
    if suspended:
        expect(alerts).to_contain_text(f"Supply suspended after missed doses: {robin.full_name}")


def when_the_prescriber_records_a_review_to_resume(page: Page, robin) -> None:
    prescription = Prescription.objects.get(client=robin)
    page.goto(f"/prescribing/{prescription.pk}/")
    page.get_by_role("button", name="Review after missed doses").click()
    page.get_by_role("radio", name="Resume supply").check()
    page.get_by_label("Dose to resume at").fill("30")
    page.get_by_label("What the review found").fill("Seen today: was unwell, wants to continue")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Methadone")
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACTIVE
