"""The pharmacy pages and API: the pharmacist's home is the due list, showing only what a
pharmacist may see and the identity prompt; recording keeps what was typed on an error;
another pharmacy's instalment is not found; the token follows the same rules."""

import json

import pytest
from django.urls import reverse

from beacon.core.presenters import date_uk
from beacon.pharmacy.models import Supply
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of
from beacon.prescribing.models import Instalment
from beacon.prescribing.tests.factories import pharmacy_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def prescription(pharmacy, client_in_treatment, users):
    return dispensed_at(pharmacy, client=client_in_treatment, prescriber=users["prescriber"])


def test_the_pharmacists_home_is_the_due_list_with_the_identity_prompt(
    prescription, client_in_treatment, web_as
):
    http = web_as("pharmacist")
    response = http.get("/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("pharmacy:due")
    assert client_in_treatment.full_name in page
    assert date_uk(client_in_treatment.date_of_birth) in page
    assert "Check the person&#39;s identity" in page or "Check the person's identity" in page
    assert "Supervised consumption" in page
    # What a pharmacist never sees: the client number that opens the record, the prescriber's
    # reasons, the client's record links.
    assert client_in_treatment.client_number not in page
    assert "/clients/" not in page


def test_the_instalment_page_shows_the_wording_and_records_a_supervised_supply(
    prescription, web_as
):
    http = web_as("pharmacist")
    instalment = instalment_of(prescription)
    url = reverse("pharmacy:instalment", kwargs={"instalment_id": instalment.pk})
    page = http.get(url).content.decode()
    assert "please still dispense the amount due for any remaining day(s)" in page
    assert 'value="take_home"' not in page  # a supervised dose offers no take-home
    response = http.post(url, {"supply": Supply.SUPERVISED}, follow=True)
    assert "Instalment recorded." in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.outcome == Instalment.Outcome.COLLECTED


def test_a_refusal_without_its_reason_answers_200_and_keeps_what_was_typed(prescription, web_as):
    http = web_as("pharmacist")
    instalment = instalment_of(prescription)
    url = reverse("pharmacy:instalment", kwargs={"instalment_id": instalment.pk})
    response = http.post(url, {"supply": Supply.REFUSED, "notes": "Slurred speech"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose why supply was refused" in page
    assert "Slurred speech" in page
    instalment.refresh_from_db()
    assert instalment.outcome == ""


def test_another_pharmacys_instalment_is_not_found_by_page_or_token(
    client_in_treatment, users, web_as, api_as
):
    theirs = dispensed_at(
        pharmacy_for(client_in_treatment.provider),
        client=client_in_treatment,
        prescriber=users["prescriber"],
    )
    instalment = instalment_of(theirs)
    http = web_as("pharmacist")
    assert http.get(f"/pharmacy/instalments/{instalment.pk}/").status_code == 404
    api = api_as("pharmacist")
    response = api.post(
        f"/api/v1/pharmacy/instalments/{instalment.pk}/supply",
        json.dumps({"supply": "supervised"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert api.get("/api/v1/pharmacy/due").json()["instalments"] == []


def test_the_token_reads_the_due_list_and_records_as_the_pages_do(prescription, api_as):
    api = api_as("pharmacist")
    due = api.get("/api/v1/pharmacy/due").json()
    today = due["instalments"][0]
    assert set(today) >= {"client_name", "date_of_birth", "medicine", "amount", "supervised"}
    assert "client_number" not in today
    refused = api.post(
        f"/api/v1/pharmacy/instalments/{today['id']}/supply",
        json.dumps({"supply": "take_home"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "consumed under supervision" in refused.content.decode()
    saved = api.post(
        f"/api/v1/pharmacy/instalments/{today['id']}/supply",
        json.dumps({"supply": "supervised"}),
        content_type="application/json",
    )
    assert saved.status_code == 201
    assert saved.json()["outcome"] == "collected"


def test_only_a_pharmacist_token_records_at_a_pharmacy(prescription, api_as):
    response = api_as("prescriber").post(
        f"/api/v1/pharmacy/instalments/{instalment_of(prescription).pk}/supply",
        json.dumps({"supply": "supervised"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_figures_page_lists_the_pharmacy_to_phone(prescription, pharmacy, web_as):
    page = web_as("manager").get(reverse("pharmacy:figures")).content.decode()
    assert pharmacy.name in page
    assert "Instalments not recorded" in page and f"Phoned {pharmacy.name}" in page
    csv = web_as("prescriber").get(reverse("pharmacy:figures_csv")).content.decode()
    assert csv.splitlines()[0].startswith("Pharmacy,ODS code")


def test_the_due_list_is_paged(prescription, web_as, settings):
    settings.BEACON_PAGE_SIZE = 3
    http = web_as("pharmacist")
    first = http.get("/pharmacy/due/").content.decode()
    last = http.get("/pharmacy/due/?page=2").content.decode()
    # Today and the next three days: four instalments, three on the first page.
    assert first.count('href="/pharmacy/instalments/') == 3
    assert last.count('href="/pharmacy/instalments/') == 1
    assert "page=2" in first
