"""Naloxone at a partner pharmacy (issue 14): the pharmacist supplies a kit through
naloxone's own supply service, from the pharmacy's own stock (its site), to a client
dispensing there (known by name and date of birth only) or to someone linked to no
client; the service's coverage and kit figures count it; nobody crosses stocks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beacon.core.tests.helpers import post_json
from beacon.naloxone import selectors, services
from beacon.naloxone.models import NaloxoneSupply, Recipient, StockBalance
from beacon.naloxone.tests.factories import ALL_TOPICS, day, opiate_client, supply_to
from beacon.pharmacy.services import pharmacy_site_open
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of

pytestmark = pytest.mark.django_db
SUPPLY_PAGE = "/naloxone/pharmacy/supply/"


@pytest.fixture
def pharmacist(users):
    return users["pharmacist"]


@pytest.fixture
def pharmacy_site(pharmacist, users, site, batch):
    """The pharmacy's site, holding 3 of the hub's 5 kits (moved by the manager)."""
    at_pharmacy = pharmacy_site_open(actor=None, pharmacy=pharmacist.partner_organisation)
    services.stock_transfer(
        actor=users["manager"],
        batch=batch,
        from_site=site,
        to_site=at_pharmacy,
        quantity=3,
        on=day(0),
    )
    return at_pharmacy


@pytest.fixture
def dispensing(pharmacist, opiate, users):
    """The opiate client collects methadone at the pharmacist's pharmacy."""
    return dispensed_at(
        pharmacist.partner_organisation, client=opiate, prescriber=users["prescriber"]
    )


def kits_at(site, batch) -> int:
    return StockBalance.objects.get(site=site, batch=batch).balance


def supply_form(balance, **extra) -> dict:
    return {"stock": balance.pk, "training_topics": ALL_TOPICS, **extra}


def test_a_pharmacist_supplies_a_client_dispensing_there_and_coverage_counts_it(
    web_as, pharmacist, pharmacy_site, dispensing, opiate, batch, site
):
    assert selectors.coverage(provider=opiate.provider, on=day(0)).overall.holding == 0
    page = web_as(pharmacist)
    form = page.get(SUPPLY_PAGE).content.decode()
    assert f"{opiate.full_name}, born {opiate.date_of_birth:%d/%m/%Y}" in form
    assert opiate.client_number not in form
    assert "checked" not in form  # no answer chosen for them
    balance = StockBalance.objects.get(site=pharmacy_site, batch=batch)
    response = page.post(SUPPLY_PAGE, supply_form(balance, client=opiate.pk, recipient="client"))
    assert response.status_code == 302
    supply = NaloxoneSupply.objects.get()
    assert (supply.site, supply.client, supply.trained_by) == (pharmacy_site, opiate, pharmacist)
    assert kits_at(pharmacy_site, batch) == 2 and kits_at(site, batch) == 2
    assert selectors.coverage(provider=opiate.provider, on=day(0)).overall.holding == 1
    figures = selectors.kit_figures(provider=opiate.provider, first=day(0), last=day(0))
    assert (figures.supplied, figures.to_clients) == (1, 1)
    listing = page.get("/naloxone/pharmacy/").content.decode()
    assert opiate.full_name in listing and opiate.client_number not in listing


def test_a_kit_for_the_client_names_the_client_beside_its_field_and_keeps_the_rest(
    web_as, pharmacist, pharmacy_site, batch
):
    balance = StockBalance.objects.get(site=pharmacy_site, batch=batch)
    response = web_as(pharmacist).post(
        SUPPLY_PAGE, supply_form(balance, recipient="client", recipient_name="Sam")
    )
    shown = response.content.decode()
    assert response.status_code == 200
    assert "Give the client the kit was supplied to" in shown
    assert 'value="Sam"' in shown
    assert NaloxoneSupply.objects.count() == 0 and kits_at(pharmacy_site, batch) == 3


def test_a_pharmacist_supplies_someone_linked_to_no_client(pharmacist, pharmacy_site, batch):
    supply = supply_to(pharmacist, None, batch, pharmacy_site, recipient=Recipient.PEER)
    assert supply.client is None and kits_at(pharmacy_site, batch) == 2


def test_a_pharmacist_cannot_supply_a_client_not_dispensing_there(
    pharmacist, pharmacy_site, opiate, batch
):
    with pytest.raises(PermissionDenied):
        supply_to(pharmacist, opiate, batch, pharmacy_site)
    assert NaloxoneSupply.objects.count() == 0


def test_each_stock_is_supplied_only_by_its_own_holder(
    pharmacist, pharmacy_site, dispensing, opiate, users, batch, site
):
    with pytest.raises(ValidationError) as from_the_hub:
        supply_to(pharmacist, opiate, batch, site)
    assert "your pharmacy's own stock" in str(from_the_hub.value)
    with pytest.raises(ValidationError) as from_the_pharmacy:
        supply_to(users["keyworker"], opiate, batch, pharmacy_site)
    assert "stock: supply from your service's own" in str(from_the_pharmacy.value)
    staff_choices = selectors.supply_batches(provider=site.provider, on=day(0))
    assert [b.site for b in staff_choices] == [site]
    assert kits_at(pharmacy_site, batch) == 3 and kits_at(site, batch) == 2


def test_the_pharmacy_page_lists_only_its_own_supplies(
    web_as, pharmacist, pharmacy_site, users, batch, site, team
):
    elsewhere = opiate_client(team, users["keyworker"], first_name="Quill", last_name="Marsh")
    supply_to(users["keyworker"], elsewhere, batch, site)
    supply_to(pharmacist, None, batch, pharmacy_site, recipient=Recipient.FRIEND)
    page = web_as(pharmacist)
    listing = page.get("/naloxone/pharmacy/").content.decode()
    assert "Friend (not named)" in listing and "Marsh" not in listing
    csv = page.get("/naloxone/pharmacy.csv").content.decode()
    assert csv.count("\n") == 2 and "Marsh" not in csv
    assert page.get(f"/naloxone/clients/{elsewhere.client_number}/").status_code == 403


def test_a_pharmacists_token_supplies_for_a_client_by_their_instalment(
    api_as, pharmacist, pharmacy_site, dispensing, opiate, batch
):
    http = api_as(pharmacist)
    response = post_json(
        http,
        "/api/v1/naloxone/pharmacy/supplies",
        {
            "kit_type": batch.kit_type,
            "batch": batch.batch_number,
            "recipient": "client",
            "instalment_id": instalment_of(dispensing).pk,
            "training_topics": ALL_TOPICS,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["client_linked"] is True
    assert NaloxoneSupply.objects.get().client == opiate
    read = http.get("/api/v1/naloxone/pharmacy").json()
    assert read["stock"][0]["kits"] == 2 and len(read["supplies"]) == 1
    assert "client_number" not in read["supplies"][0]


def test_the_pharmacists_home_links_to_naloxone_and_nsp(web_as, pharmacist):
    home = web_as(pharmacist).get("/pharmacy/due/").content.decode()
    assert 'href="/naloxone/pharmacy/supply/"' in home
    assert 'href="/harm-reduction/nsp/new/"' in home
