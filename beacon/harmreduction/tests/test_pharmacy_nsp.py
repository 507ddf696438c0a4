"""NSP at a partner pharmacy (issue 14): the pharmacist records through the same service
and pages as staff, at their own pharmacy's site, by attributor only; sees only what was
recorded there; and the service's NSP figures count it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from beacon.core.tests.factories import PartnerOrganisationFactory, UserFactory
from beacon.core.tests.helpers import post_json
from beacon.harmreduction import selectors
from beacon.harmreduction.models import NspTransaction
from beacon.harmreduction.tests.factories import days_ago, nsp_visit
from beacon.harmreduction.tests.test_pages import NEW, visit_form
from beacon.pharmacy.services import pharmacy_site_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def pharmacist(users):
    return users["pharmacist"]


@pytest.fixture
def pharmacy_site(pharmacist):
    return pharmacy_site_open(actor=None, pharmacy=pharmacist.partner_organisation)


def other_pharmacist(provider):
    pharmacy = PartnerOrganisationFactory(provider=provider, kind="pharmacy", name="Quay Chemist")
    return UserFactory(provider=provider, role="pharmacist", partner_organisation=pharmacy)


def test_a_pharmacist_records_nsp_at_their_pharmacy_by_attributor_only(
    web_as, pharmacist, pharmacy_site, client_record
):
    page = web_as(pharmacist)
    form = page.get(NEW).content.decode()
    assert "Client number" not in form
    assert pharmacy_site.name in form
    response = page.post(NEW, visit_form(pharmacy_site, client_number=client_record.client_number))
    assert response.status_code == 302
    recorded = NspTransaction.objects.get()
    assert recorded.site == pharmacy_site and recorded.client is None
    assert recorded.attributor == "AB 01/01/1990 F"


def test_a_pharmacist_cannot_record_at_another_site(pharmacist, pharmacy_site, site):
    with pytest.raises(ValidationError) as refused:
        nsp_visit(pharmacist, site)
    assert "Record at your pharmacy" in str(refused.value)
    assert NspTransaction.objects.count() == 0


def test_a_pharmacy_without_its_site_is_told_to_ask_the_service(pharmacist, site):
    with pytest.raises(ValidationError) as refused:
        nsp_visit(pharmacist, site)
    assert "ask the service to set it up" in str(refused.value)


def test_a_pharmacist_sees_only_what_was_recorded_at_their_pharmacy(
    web_as, users, provider, pharmacist, pharmacy_site, site, client_record
):
    theirs = nsp_visit(pharmacist, pharmacy_site)
    at_the_hub = nsp_visit(users["keyworker"], site, client=client_record)
    elsewhere = other_pharmacist(provider)
    elsewhere_site = pharmacy_site_open(actor=None, pharmacy=elsewhere.partner_organisation)
    other_pharmacys = nsp_visit(elsewhere, elsewhere_site, attributor=("QQ", days_ago(9000), "F"))
    assert list(selectors.transactions_visible_to(pharmacist)) == [theirs]
    page = web_as(pharmacist)
    listing = page.get("/harm-reduction/nsp/").content.decode()
    assert theirs.attributor in listing
    # The other pharmacy's person by their whole attributor: "QQ" alone may turn up in a
    # page's random script nonce.
    assert other_pharmacys.attributor not in listing
    assert client_record.client_number not in listing
    assert page.get(f"/harm-reduction/nsp/{theirs.pk}/").status_code == 200
    assert page.get(f"/harm-reduction/nsp/{at_the_hub.pk}/").status_code == 403
    assert page.get(f"/harm-reduction/nsp/{other_pharmacys.pk}/").status_code == 403


def test_the_nsp_figures_count_pharmacy_transactions(pharmacist, pharmacy_site, site, users):
    nsp_visit(pharmacist, pharmacy_site, items={"needle_orange_25g_16mm": 20})
    nsp_visit(users["nurse"], site, attributor=("CD", datetime.date(1979, 5, 5), "M"))
    today = days_ago(0)
    everywhere = selectors.nsp_figures(provider=pharmacist.provider, first=today, last=today)
    at_pharmacy = selectors.nsp_figures(
        provider=pharmacist.provider, first=today, last=today, site=pharmacy_site
    )
    assert (everywhere.transactions, everywhere.items_out) == (2, 30)
    assert (at_pharmacy.transactions, at_pharmacy.items_out, at_pharmacy.people) == (1, 20, 1)


def test_a_pharmacists_token_records_at_their_pharmacy(api_as, pharmacist, pharmacy_site):
    response = post_json(
        api_as(pharmacist),
        "/api/v1/harm-reduction/transactions",
        {
            "date": str(days_ago(0)),
            "attributor": {"initials": "EF", "date_of_birth": "1991-03-04", "sex": "F"},
            "items_out": {"needle_orange_25g_16mm": 5},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["site_id"] == pharmacy_site.pk
    assert response.json()["client_number"] is None
