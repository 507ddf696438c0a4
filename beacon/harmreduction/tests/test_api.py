"""The harm reduction API: the same rules and audit as the pages (POST
/api/v1/harm-reduction/transactions, figures, blood-borne viruses)."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.harmreduction.models import BloodBorneVirusTest, HepatitisBDose, NspTransaction
from beacon.harmreduction.tests.factories import days_ago, hepatitis_b_course, nsp_visit

pytestmark = pytest.mark.django_db
URL = "/api/v1/harm-reduction/transactions"


def post(http, url, body):
    return http.post(url, body, content_type="application/json")


def visit(**extra) -> dict:
    return {
        "date": days_ago(0).isoformat(),
        "attributor": {"initials": "AB", "date_of_birth": "1990-01-01", "sex": "F"},
        "items_out": {"needle_orange_25g_16mm": 10, "citric": 10},
        "bins_out": 1,
        "bins_returned": 1,
        **extra,
    }


def fields(response) -> dict:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_a_transaction_by_attributor_at_the_teams_site(api_as, users, site, team):
    team.site = site
    team.save()
    response = post(api_as("keyworker"), URL, visit())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attributor"] == "AB 01/01/1990 F" and body["site_id"] == site.pk
    assert body["items_out"] == {"needle_orange_25g_16mm": 10, "citric": 10}
    assert body["client_number"] is None
    assert AuditEntry.objects.filter(
        object_type="harmreduction.NspTransaction", channel="api"
    ).exists()


def test_a_transaction_for_a_client_derives_the_attributor(api_as, site, client_record):
    body = visit(client_number=client_record.client_number, site_id=site.pk)
    del body["attributor"]
    response = post(api_as("nurse"), URL, body)
    assert response.status_code == 201, response.content
    assert response.json()["attributor"] == "JS 14/02/1985 M"
    assert response.json()["client_number"] == client_record.client_number


def test_a_volunteer_cannot_send_a_client_number(api_as, site, client_record):
    body = visit(client_number=client_record.client_number, site_id=site.pk)
    del body["attributor"]
    response = post(api_as("volunteer"), URL, body)
    assert response.status_code == 422
    assert "client_number" in fields(response)
    assert NspTransaction.objects.count() == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}, "date"),
        ({"items_out": {"filter": -1}}, "item_filter"),
        ({"bins_out": -2}, "bins_out"),
        ({"items_out": {"heroin": 1}}, "items_out.heroin.[key]"),
        ({"items_out": {}, "bins_out": 0, "bins_returned": 0}, None),
        (
            {"attributor": {"initials": "AB", "date_of_birth": "1990-13-01", "sex": "F"}},
            "attributor.date_of_birth",
        ),
        (
            {"attributor": {"initials": "AB", "date_of_birth": "1905-01-01", "sex": "F"}},
            "date_of_birth",
        ),
        ({"attributor": None}, "attributor"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_saved(api_as, site, change, field):
    response = post(api_as("nurse"), URL, visit(site_id=site.pk, **change))
    assert response.status_code == 422, response.content
    assert field in fields(response)
    assert NspTransaction.objects.count() == 0


def test_drivers_and_commissioners_are_refused(api_as, site):
    for role in ("driver", "commissioner"):
        assert post(api_as(role), URL, visit(site_id=site.pk)).status_code == 403


def test_a_volunteer_reads_their_own_transaction_only(api_as, users, site):
    theirs = nsp_visit(users["volunteer"], site)
    staffs = nsp_visit(users["nurse"], site)
    http = api_as("volunteer")
    assert http.get(f"{URL}/{theirs.pk}").status_code == 200
    assert http.get(f"{URL}/{staffs.pk}").status_code == 403


def test_the_api_hides_the_attributor_of_a_client_the_caller_may_not_open(
    api_as, users, site, provider
):
    elsewhere = ClientFactory(provider=provider, team=TeamFactory(provider=provider))
    transaction = nsp_visit(users["nurse"], site, client=elsewhere)
    keyworker = api_as("keyworker").get(f"{URL}/{transaction.pk}").json()
    assert (keyworker["attributor"], keyworker["client_number"]) == ("Not shown", None)
    nurse = api_as("nurse").get(f"{URL}/{transaction.pk}").json()
    assert nurse["attributor"] == transaction.attributor


def test_figures_for_a_commissioner(api_as, users, site):
    nsp_visit(users["nurse"], site, bins_out=2, bins_returned=1)
    response = api_as("manager").get("/api/v1/harm-reduction/figures")
    assert response.status_code == 200
    now = response.json()["this_year"]
    assert (now["transactions"], now["people"], now["items_out"]) == (1, 1, 12)
    assert float(now["return_rate"]) == 0.5
    commissioner = api_as("commissioner").get("/api/v1/harm-reduction/figures").json()
    now = commissioner["this_year"]
    assert (now["transactions"], now["people"], now["items_out"]) == (
        "fewer than 5",
        "fewer than 5",
        12,
    )
    assert now["linked_to_clients"] == "fewer than 5"


def test_a_commissioner_sees_counts_of_5_or_more(api_as, users, site):
    for number in range(5):
        nsp_visit(users["nurse"], site, attributor=("AB", datetime.date(1980, 1, 1 + number), "F"))
    now = api_as("commissioner").get("/api/v1/harm-reduction/figures").json()["this_year"]
    assert (now["transactions"], now["people"]) == (5, 5)


def test_bbv_tests_by_api_follow_the_page_rules(api_as, client_record):
    url = f"/api/v1/harm-reduction/clients/{client_record.client_number}/bbv/tests"
    body = {
        "virus": "hepatitis_c",
        "offered_on": days_ago(10).isoformat(),
        "offer": "accepted",
        "kind": "hcv_antibody",
        "tested_on": days_ago(5).isoformat(),
        "result": "negative",
        "result_on": days_ago(6).isoformat(),
    }
    response = post(api_as("nurse"), url, body)
    assert response.status_code == 422 and "result_on" in fields(response)
    assert post(api_as("prescriber"), url, body).status_code == 403
    body["result_on"] = days_ago(1).isoformat()
    assert post(api_as("nurse"), url, body).status_code == 201
    assert BloodBorneVirusTest.objects.get().result == "negative"
    read = api_as("prescriber").get(
        f"/api/v1/harm-reduction/clients/{client_record.client_number}/bbv"
    )
    assert read.json()["tests"][0]["kind"] == "hcv_antibody"


def test_hepatitis_b_doses_by_api_keep_the_interval(api_as, users, client_record):
    course = hepatitis_b_course(users["nurse"], client_record, offered_on=days_ago(20))
    url = f"/api/v1/harm-reduction/bbv/hepatitis-b/{course.pk}/doses"
    http = api_as("keyworker")
    first = post(http, url, {"given_on": days_ago(20).isoformat()})
    assert first.status_code == 201 and first.json()["ndtms_hepbvac"] == "1"
    too_soon = post(http, url, {"given_on": days_ago(15).isoformat()})
    assert too_soon.status_code == 422 and "given_on" in fields(too_soon)
    assert HepatitisBDose.objects.count() == 1
