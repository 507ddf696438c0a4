"""The prescription form chooses neither instalments nor supply for the prescriber (H-94)."""

import pytest

from beacon.core.tests.helpers import form_as_sent
from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import days_from_today, prescription_page_fields

pytestmark = pytest.mark.django_db


def test_a_prescription_sent_without_pattern_or_supply_is_refused(client, web_as):
    url = f"/prescribing/clients/{client.client_number}/new/"
    http = web_as("prescriber")
    untouched = form_as_sent(http.get(url).text)
    typed = prescription_page_fields(client, start=days_from_today(1))
    for chosen in ("pattern", "pharmacy", "supervised_days"):
        typed.pop(chosen)

    response = http.post(url, {**untouched, **typed})

    assert "pattern" not in untouched and untouched["pharmacy"] == [""]
    assert "Select instalments" in response.text
    assert not Prescription.objects.exists()


def test_the_pharmacy_list_does_not_offer_home_delivery(client, web_as):
    page = web_as("prescriber").get(f"/prescribing/clients/{client.client_number}/new/").text

    assert "None (home delivery)" not in page
    assert 'name="home_delivery"' in page
