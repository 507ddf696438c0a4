"""The printable instalment prescription: every item Misuse of Drugs Regulations 2001
reg 15 requires, the total in words and figures, and the Home Office approved wording."""

import html
from decimal import Decimal

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.exporters import csv_cell
from beacon.core.tests.factories import SiteFactory
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import Prescription
from beacon.prescribing.presenters import (
    instalment_direction,
    number_in_words,
    quantity_in_figures_and_words,
)
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8,
    METHADONE,
    TAKE_HOME_REASON,
    days_from_today,
    prescribe,
)
from beacon.prescribing.tests.test_pages import form_data
from beacon.prescribing.wording import ApprovedWording
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(provider, team, users):
    site = SiteFactory(
        provider=provider,
        name="Central hub",
        address="2 Example Road\nDemo City",
        postcode="LS2 7AB",
    )
    team.site = site
    team.save()
    return ClientFactory(
        provider=provider, team=team, keyworker=users["keyworker"], first_name="Robin"
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (Decimal(0), "zero"),
        (Decimal(7), "seven"),
        (Decimal(14), "fourteen"),
        (Decimal(42), "forty-two"),
        (Decimal(100), "one hundred"),
        (Decimal(420), "four hundred and twenty"),
        (Decimal(1005), "one thousand and five"),
        (Decimal(1260), "one thousand two hundred and sixty"),
        (Decimal("52.5"), "fifty-two point five"),
        (Decimal("105.00"), "one hundred and five"),
    ],
)
def test_quantities_are_written_in_words(value, words):
    assert number_in_words(value) == words


def test_total_is_in_figures_and_words_in_the_units_of_the_preparation():
    assert quantity_in_figures_and_words(MEDICINES[METHADONE], Decimal(420)) == (
        "420 ml (four hundred and twenty millilitres)"
    )
    assert quantity_in_figures_and_words(MEDICINES[BUPRENORPHINE_8], Decimal(112)) == (
        "14 tablets (fourteen tablets)"
    )


def test_printed_prescription_states_every_reg_15_item(client, users, web_as):
    prescription = prescribe(
        client=client,
        prescriber=users["prescriber"],
        start_date=days_from_today(1),
        wording=[ApprovedWording.MISSED_COLLECTION, ApprovedWording.CONSULT_AFTER_3_DAYS],
    )
    users["prescriber"].team = client.team
    users["prescriber"].save()
    page = web_as("prescriber").get(f"/prescribing/prescriptions/{prescription.pk}/print/")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    for item in [
        client.full_name,  # the client's name
        "1 Test Street",  # and address
        "Methadone 1mg/ml oral solution sugar free",  # the medicine
        "Oral solution",  # its form
        "1 mg/ml",  # its strength
        "30 mg a day",  # the dose
        "420 ml (four hundred and twenty millilitres)",  # total quantity, words and figures
        "Dispense 30 ml (30 mg) daily",  # the instalment amount and interval
        users["prescriber"].display_name,  # the prescriber's name
        "2 Example Road",  # and address
        "LS2 7AB",
        "Prescriber's signature",
        ApprovedWording.MISSED_COLLECTION.label,
        ApprovedWording.CONSULT_AFTER_3_DAYS.label,
    ]:
        assert item in text, item
    assert ApprovedWording.SEPARATE_CONTAINERS.label not in text
    detail = web_as("prescriber").get(f"/prescribing/{prescription.pk}/").content.decode()
    assert ApprovedWording.CONSULT_AFTER_3_DAYS.label in html.unescape(detail)
    assert f"/prescribing/prescriptions/{prescription.pk}/print/" in detail


def test_instalment_interval_follows_the_pattern(client, users):
    mon_sat = prescribe(
        client=client,
        prescriber=users["prescriber"],
        pattern="mon_sat",
        start_date=days_from_today(-days_from_today(0).weekday()),
        reason=TAKE_HOME_REASON,
    )
    assert instalment_direction(mon_sat) == (
        "Dispense 30 ml (30 mg) daily Monday to Saturday; on Saturday dispense 60 ml "
        "(Saturday's and Sunday's doses)"
    )


def test_default_wording_is_the_missed_dose_pair(client, users):
    prescription = prescribe(client=client, prescriber=users["prescriber"])
    assert prescription.instalment_wording.splitlines() == [
        ApprovedWording.MISSED_COLLECTION.label,
        ApprovedWording.CONSULT_AFTER_3_DAYS.label,
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [csv_cell(v) for v in ("+1", "-1", "@a", "plain")] == ["'+1", "'-1", "'@a", "plain"]


def test_prescriber_chooses_the_approved_wording_on_the_page(client, web_as):
    TreatmentEpisodeFactory(client=client)
    web = web_as("prescriber")
    form = html.unescape(
        web.get(f"/prescribing/clients/{client.client_number}/new/").content.decode()
    )
    assert ApprovedWording.CLOSED_DAYS.label in form
    assert 'value="missed_collection" checked' in form.replace('checked=""', "checked")
    data = form_data(client, wording=["closed_days", "supervise"])
    response = web.post(f"/prescribing/clients/{client.client_number}/new/", data)
    assert response.status_code == 302
    assert Prescription.objects.get().instalment_wording.splitlines() == [
        ApprovedWording.CLOSED_DAYS.label,
        ApprovedWording.SUPERVISE_ON_COLLECTION.label,
    ]
