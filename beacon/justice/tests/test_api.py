"""The justice API, with the pages' rules: an officer's token reads only their consenting
clients' attendance summary (each read logged with their organisation); staff read a
client's statuses; an officer reads no status of any client."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.tests.factories import contact_at
from beacon.justice.models import PartnerRead
from beacon.justice.tests.factories import consents, on_order

pytestmark = pytest.mark.django_db


def test_an_officers_token_reads_only_consenting_clients_attendance(
    api_as, client_record, keyworker, officer, provider, team
):
    on_order(client_record, keyworker, officer)
    consents(client_record, keyworker, officer.partner_organisation)
    contact_at(client_record, keyworker, days=2)
    unconsenting = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    on_order(unconsenting, keyworker, officer)
    api = api_as(officer)
    body = api.get("/api/v1/justice/supervised").json()
    assert [row["client_number"] for row in body] == [client_record.client_number]
    assert body[0]["attendance"]["kept"] == 1
    assert body[0]["engaging"] is None and body[0]["review_hearings"] is None
    assert set(body[0]) == {
        "client_number",
        "name",
        "date_of_birth",
        "shared_until",
        "attendance",
        "engaging",
        "review_hearings",
    }
    assert api.get(f"/api/v1/justice/supervised/{unconsenting.client_number}").status_code == 404
    assert PartnerRead.objects.filter(client=client_record).exists()
    assert not PartnerRead.objects.filter(client=unconsenting).exists()


def test_staff_read_statuses_and_an_officer_does_not(api_as, client_record, keyworker, officer):
    on_order(client_record, keyworker, officer)
    path = f"/api/v1/justice/clients/{client_record.client_number}/statuses"
    rows = api_as("nurse").get(path).json()
    assert rows[0]["status"] == "drug_rehabilitation_requirement"
    assert api_as(officer).get(path).status_code == 403
