"""The pharmacy API's writes by token (`/api/v1/pharmacy/…`): a pharmacist's token records
an instalment's outcome and leaves the prescriber a message, with the same messages as the
pages; every other role's token is refused (403, "Your role does not allow this") and
nothing is written; another pharmacy's instalment is not found."""

import json

import pytest

from beacon.core.tests.helpers import ROLES
from beacon.pharmacy.models import PharmacyMessage, PharmacySupply
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of
from beacon.prescribing.models import Instalment

pytestmark = pytest.mark.django_db

NOT_PHARMACISTS = [role for role in ROLES if role != "pharmacist"]


@pytest.fixture
def instalment(pharmacy, client_in_treatment, users):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    return instalment_of(prescription)


def post(api, path: str, body: dict):
    return api.post(path, json.dumps(body), content_type="application/json")


def test_a_pharmacist_token_records_outcomes_with_the_pages_messages(instalment, api_as):
    api = api_as("pharmacist")
    path = f"/api/v1/pharmacy/instalments/{instalment.pk}/supply"
    refused = post(api, path, {"supply": "refused"})
    assert refused.status_code == 422
    assert "refusal_reason" in refused.content.decode()
    take_home = post(api, path, {"supply": "take_home"})
    assert take_home.status_code == 422
    assert "consumed under supervision" in take_home.content.decode()
    assert not PharmacySupply.objects.exists()
    saved = post(api, path, {"supply": "supervised"})
    assert saved.status_code == 201
    assert saved.json()["outcome"] == "collected"
    assert saved.json()["prescription_suspended"] is False
    again = post(api, path, {"supply": "not_collected"})
    assert again.status_code == 422  # one outcome an instalment: the first is kept
    instalment.refresh_from_db()
    assert instalment.outcome == Instalment.Outcome.COLLECTED


def test_a_pharmacist_token_leaves_the_prescriber_a_message(instalment, api_as):
    api = api_as("pharmacist")
    path = f"/api/v1/pharmacy/instalments/{instalment.pk}/messages"
    empty = post(api, path, {"text": "   "})
    assert empty.status_code == 422 and "text" in empty.content.decode()
    sent = post(api, path, {"text": "Seemed unwell this morning; supplied."})
    assert sent.status_code == 201 and sent.json()["instalment_id"] == instalment.pk
    assert PharmacyMessage.objects.get().text == "Seemed unwell this morning; supplied."


def test_every_other_role_is_refused_the_pharmacy_writes(instalment, api_as):
    for role in NOT_PHARMACISTS:
        api = api_as(role)
        supply = post(
            api, f"/api/v1/pharmacy/instalments/{instalment.pk}/supply", {"supply": "supervised"}
        )
        message = post(
            api, f"/api/v1/pharmacy/instalments/{instalment.pk}/messages", {"text": "Hi"}
        )
        for response in (supply, message):
            assert response.status_code == 403, role
            assert response.json()["detail"] == "Your role does not allow this"
    assert not PharmacySupply.objects.exists() and not PharmacyMessage.objects.exists()
    instalment.refresh_from_db()
    assert instalment.outcome == ""


def test_a_pharmacist_token_finds_no_other_pharmacys_instalment(
    provider, client_in_treatment, users, api_as
):
    from beacon.prescribing.tests.factories import pharmacy_for

    elsewhere = pharmacy_for(provider)
    assert elsewhere != users["pharmacist"].partner_organisation
    other = instalment_of(
        dispensed_at(elsewhere, client=client_in_treatment, prescriber=users["prescriber"])
    )
    api = api_as("pharmacist")
    for path, body in (
        (f"/api/v1/pharmacy/instalments/{other.pk}/supply", {"supply": "supervised"}),
        (f"/api/v1/pharmacy/instalments/{other.pk}/messages", {"text": "Hello"}),
    ):
        response = post(api, path, body)
        assert response.status_code == 404 and response.json()["detail"] == "Not found"
    assert not PharmacySupply.objects.exists() and not PharmacyMessage.objects.exists()
