"""Probation sees attendance only while the client consents; a prison release on methadone
reaches the prescriber's list (issue 19).

A keyworker records that Robin is on a Drug Rehabilitation Requirement with Pat as
responsible officer, and that Robin agrees to share attendance with Pat's probation
service. Pat signs in and sees Robin's attendance and nothing else. Robin withdraws consent
and Pat's next page shows nothing of Robin. The keyworker records Sam's release from prison
on methadone, and the prescriber finds Sam on their list, the first prescription due the
next working day.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.tests.factories import contact_at
from beacon.core.models import PartnerOrganisation
from beacon.core.presenters import date_uk
from beacon.core.roles import Role
from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.justice.selectors import first_prescription_due
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

from ..steps import and_i_sign_out, fill_date, given_i_am_signed_in_as, then_i_start_on_my_worklist

TODAY = timezone.localdate()
PROBATION = "Testshire Probation"


@pytest.fixture
def people(make_user, provider, team):
    probation = PartnerOrganisationFactory(
        provider=provider, kind=PartnerOrganisation.Kind.PROBATION, name=PROBATION
    )
    keyworker = make_user(Role.KEYWORKER, first_name="Kai", last_name="Worker")
    robin = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Robin", last_name="Fellwood"
    )
    sam = ClientFactory(
        provider=provider, team=team, keyworker=keyworker, first_name="Sam", last_name="Porter"
    )
    TreatmentEpisodeFactory(client=robin, keyworker=keyworker)
    contact_at(robin, keyworker, days=3)
    return {
        "keyworker": keyworker,
        "officer": make_user(
            Role.PROBATION_OFFICER,
            username="pat",
            first_name="Pat",
            last_name="Bation",
            partner_organisation=probation,
        ),
        "prescriber": make_user(Role.PRESCRIBER, first_name="Priya", last_name="Scriber"),
        "robin": robin,
        "sam": sam,
    }


def test_probation_sees_attendance_only_with_consent_and_a_release_reaches_the_prescriber(
    page: Page, people
):
    robin, sam = people["robin"], people["sam"]

    given_i_am_signed_in_as(page, people["keyworker"])
    when_i_record_a_drr_with_pat_as_responsible_officer(page, robin)
    and_robin_consents_to_share_attendance_with_probation(page)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, people["officer"])
    then_pat_sees_robins_attendance_and_nothing_else(page, robin)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, people["keyworker"])
    when_robin_withdraws_consent(page, robin)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, people["officer"])
    then_pat_sees_nothing_of_robin(page, robin)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, people["keyworker"])
    when_i_record_sams_release_from_prison_on_methadone(page, sam)
    and_i_sign_out(page)

    given_i_am_signed_in_as(page, people["prescriber"])
    then_sam_is_on_my_list_for_the_next_working_day(page, people["prescriber"], sam)


def when_i_record_a_drr_with_pat_as_responsible_officer(page: Page, robin) -> None:
    page.goto(f"/clients/{robin.client_number}/")
    page.get_by_role("link", name="Criminal justice page").click()
    expect(page.get_by_role("heading", name="Criminal justice", level=1)).to_be_visible()
    page.get_by_role("link", name="Record a status").click()
    page.get_by_label("Status").select_option(
        label="Community order: Drug Rehabilitation Requirement"
    )
    fill_date(page, "Start date", TODAY - datetime.timedelta(days=14))
    page.get_by_label("Length of the requirement in months").fill("12")
    page.get_by_label("Responsible probation officer").select_option(
        label=f"Pat Bation ({PROBATION})"
    )
    page.get_by_role("button", name="Save status").click()
    expect(page.locator("#justice-statuses")).to_contain_text("Drug Rehabilitation Requirement")
    expect(page.locator("#justice-statuses")).to_contain_text("Pat Bation")


def and_robin_consents_to_share_attendance_with_probation(page: Page) -> None:
    page.get_by_role("link", name="Record a consent to share").click()
    page.get_by_label("Shared with").select_option(label=PROBATION)
    page.get_by_role("checkbox", name="Attendance (appointments kept and missed)").check()
    # Robin agreed at the start of the order, before the appointment he kept three days ago:
    # attendance from before the consent is never shared (H-279).
    fill_date(page, "Consent given on", TODAY - datetime.timedelta(days=7))
    fill_date(page, "Shared until", TODAY + datetime.timedelta(days=365))
    page.get_by_role("button", name="Save consent").click()
    expect(page.locator("#justice-consents")).to_contain_text("In force")


def then_pat_sees_robins_attendance_and_nothing_else(page: Page, robin) -> None:
    expect(page.get_by_role("heading", name="Clients you supervise")).to_be_visible()
    page.get_by_role("link", name=re.compile(rf"Attendance\s+{robin.full_name}")).click()
    expect(page.get_by_role("heading", name=robin.full_name, level=1)).to_be_visible()
    summary = page.locator("#shared-summary")
    expect(summary).to_contain_text("1 kept, 0 missed")
    expect(summary).not_to_contain_text("Engaging")
    main = page.locator("main")
    for clinical in ("Case note", "Substance", "Prescription", "Methadone", "Review hearings"):
        expect(main).not_to_contain_text(clinical)
    # Nothing else of the service opens for Pat.
    response = page.goto(f"/clients/{robin.client_number}/")
    assert response is not None and response.status == 403


def when_robin_withdraws_consent(page: Page, robin) -> None:
    page.goto(f"/justice/clients/{robin.client_number}/")
    page.get_by_role("button", name=re.compile(rf"^Withdraw.*{PROBATION}")).click()
    expect(page.get_by_text("Consent withdrawn: nothing more is shared from now.")).to_be_visible()
    expect(page.locator("#justice-consents")).to_contain_text("Withdrawn")


def then_pat_sees_nothing_of_robin(page: Page, robin) -> None:
    expect(page.get_by_role("heading", name="Clients you supervise")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(robin.full_name)
    expect(page.locator("#justice-supervised")).to_have_text(
        "No client shares their record with you."
    )
    expect(page.locator("#without-consent")).to_contain_text("1 referral was received")
    response = page.goto(f"/justice/supervised/{robin.client_number}/")
    assert response is not None and response.status == 404


def when_i_record_sams_release_from_prison_on_methadone(page: Page, sam) -> None:
    page.goto(f"/justice/clients/{sam.client_number}/")
    page.get_by_role("link", name="Record a prison release referral").click()
    fill_date(page, "Release date", TODAY)
    page.get_by_label("Prison", exact=True).fill("HMP Testshire")
    page.get_by_label("Opioid substitution medicine on release").select_option(label="Methadone")
    page.get_by_label("Daily dose on release in mg").fill("40")
    fill_date(page, "Date of the last dose in prison", TODAY)
    page.get_by_label("Time of the last dose").fill("08:15")
    page.get_by_role("radio", name="Yes, the prison gave naloxone").check()
    page.get_by_role("button", name="Save release").click()
    expect(page.locator("#justice-releases-of-client")).to_contain_text("Methadone 40 mg daily")


def then_sam_is_on_my_list_for_the_next_working_day(page: Page, prescriber, sam) -> None:
    then_i_start_on_my_worklist(page, prescriber, "Released from prison on OST")
    row = page.locator("#justice-released-on-ost-table tr", has_text=sam.full_name)
    expect(row).to_contain_text(date_uk(first_prescription_due(TODAY)))
    expect(row).to_contain_text("08:15")
