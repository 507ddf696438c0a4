"""A partner pharmacy's NSP and naloxone in the browser (issue 14).

The service's manager moves naloxone kits to the pharmacy's own stock; the pharmacist, on a
tablet, goes from the due list to record an NSP visit by attributor (no client field) and
to supply a kit, after training, to a client who collects methadone there (chosen by name
and date of birth); the pharmacy's page shows one kit fewer; the manager's NSP figures and
naloxone coverage count what the pharmacy did.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory, SiteFactory
from beacon.harmreduction.models import NspTransaction
from beacon.naloxone.models import NaloxoneSupply
from beacon.naloxone.tests.factories import opiate_client, receive
from beacon.pharmacy.services import pharmacy_site_open
from beacon.pharmacy.tests.factories import dispensed_at

from ..steps import and_i_sign_out, fill_date, given_i_am_signed_in_as

TODAY = timezone.localdate()


@pytest.fixture
def people(make_user, provider, team):
    pharmacy = PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PHARMACY, name="Quayside Pharmacy"
    )
    team.site = SiteFactory(provider=provider, name="Harbour Street hub")
    team.save()
    manager = make_user(Role.MANAGER, first_name="Mo", last_name="Manager")
    prescriber = make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber")
    keyworker = make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker")
    robin = opiate_client(team, keyworker, first_name="Robin", last_name="Example")
    dispensed_at(pharmacy, client=robin, prescriber=prescriber)
    receive(manager, team.site, quantity=10, batch="PX77")
    site = pharmacy_site_open(actor=manager, pharmacy=pharmacy)
    return {
        "manager": manager,
        "pharmacist": make_user(
            Role.PHARMACIST, first_name="Phil", last_name="Dispenser", partner_organisation=pharmacy
        ),
        "robin": robin,
        "site": site,
    }


def test_a_pharmacy_records_nsp_and_supplies_naloxone_from_its_own_stock(
    page: Page, tablet_page: Page, people
):
    given_i_am_signed_in_as(page, people["manager"])
    when_the_manager_moves_kits_to_the_pharmacy(page, people["site"], kits=4)
    and_i_sign_out(page)

    given_i_am_signed_in_as(tablet_page, people["pharmacist"])
    when_the_pharmacist_records_an_nsp_visit_from_the_due_list(tablet_page)
    then_the_visit_is_recorded_at_the_pharmacy_by_attributor(tablet_page, people["site"])
    when_the_pharmacist_supplies_robin_a_kit_from_the_due_list(tablet_page, people["robin"])
    then_the_pharmacy_holds_one_kit_fewer(tablet_page, people["robin"], kits_left=3)
    and_i_sign_out(tablet_page)

    given_i_am_signed_in_as(page, people["manager"])
    then_the_services_figures_count_the_pharmacys_work(page)


def when_the_manager_moves_kits_to_the_pharmacy(page: Page, site, *, kits: int) -> None:
    page.goto("/naloxone/stock/")
    page.get_by_role("link", name="Move kits to another site").click()
    page.get_by_label("Kits to move").select_option(index=1)
    page.get_by_label("To site").select_option(label=site.name)
    page.get_by_label("Number of kits").fill(str(kits))
    fill_date(page, "Date moved", TODAY)
    page.get_by_role("button", name="Move kits").click()
    expect(page.locator("#naloxone-stock")).to_contain_text(site.name)


def when_the_pharmacist_records_an_nsp_visit_from_the_due_list(page: Page) -> None:
    expect(page.get_by_role("heading", name="Instalments due", level=1)).to_be_visible()
    page.locator("#pharmacy-services").get_by_role("link", name="Record an NSP transaction").click()
    expect(page.get_by_label("Client number (if the person is a client)")).to_have_count(0)
    page.get_by_label("Initials").fill("RT")
    fill_date(page, "Date of birth", datetime.date(1988, 7, 3))
    page.get_by_role("radio", name="Female").check()
    page.get_by_label("Needle, orange 25G 16 mm (⅝ inch)").fill("10")
    page.get_by_label("Sharps bins returned").fill("1")
    page.get_by_role("button", name="Record transaction").click()


def then_the_visit_is_recorded_at_the_pharmacy_by_attributor(page: Page, site) -> None:
    expect(page.get_by_text("NSP transaction recorded: RT 03/07/1988 F")).to_be_visible()
    expect(page.locator("#transaction")).to_contain_text(site.name)
    saved = NspTransaction.objects.get()
    assert (saved.site, saved.client_id) == (site, None)


def when_the_pharmacist_supplies_robin_a_kit_from_the_due_list(page: Page, robin) -> None:
    page.goto("/pharmacy/due/")
    page.locator("#pharmacy-services").get_by_role("link", name="Supply a naloxone kit").click()
    page.get_by_label("For a client who collects their prescription here").select_option(
        label=f"{robin.full_name}, born {robin.date_of_birth:%d/%m/%Y}"
    )
    expect(page.locator("main")).not_to_contain_text(robin.client_number)
    page.get_by_role("radio", name="The client").check()
    page.get_by_label("Kit", exact=True).select_option(index=1)
    training = page.get_by_role("group", name="Training given before the supply")
    for topic in training.get_by_role("checkbox").all():
        topic.check()
    page.get_by_role("button", name="Record supply").click()


def then_the_pharmacy_holds_one_kit_fewer(page: Page, robin, *, kits_left: int) -> None:
    expect(page.get_by_text("Naloxone supply recorded.")).to_be_visible()
    expect(page.locator("#naloxone-pharmacy-stock")).to_contain_text(str(kits_left))
    expect(page.locator("#naloxone-pharmacy-supplies")).to_contain_text(robin.full_name)
    supply = NaloxoneSupply.objects.get()
    assert (supply.client, supply.trained_by.role) == (robin, Role.PHARMACIST)


def then_the_services_figures_count_the_pharmacys_work(page: Page) -> None:
    page.goto("/harm-reduction/nsp/figures/")
    transactions = page.locator("#nsp-figures").get_by_role("row").filter(has_text="Transactions")
    # A responsive table's cell carries its column's heading: the count is what ends it.
    expect(transactions.get_by_role("cell").nth(1)).to_have_text(re.compile(r"\s1\s*$"))
    page.goto("/naloxone/coverage/")
    expect(page.locator("main")).to_contain_text("100%")
