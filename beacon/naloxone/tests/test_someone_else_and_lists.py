"""A keyworker's supply to someone linked to no client (H-147), and the filters of the kits
expiring list and the stock ledger, on the page and in their CSV."""

import re

import pytest
from django.urls import reverse

from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.models import NaloxoneSupply
from beacon.naloxone.tests.factories import ALL_TOPICS, day, opiate_client, receive, supply_to
from beacon.naloxone.tests.test_pages import date_fields

pytestmark = pytest.mark.django_db


def _posted(users, stock, **changes) -> dict:
    return {
        "recipient": "friend",
        "recipient_name": "Alex (a friend of someone using)",
        "stock": stock.pk,
        **date_fields("date", day(0)),
        "trained_by": users["keyworker"].pk,
        "training_topics": ALL_TOPICS,
        **changes,
    }


def test_a_keyworker_supplies_a_friend_linked_to_no_client_from_the_page(
    users, site, batch, web_as
):
    http = web_as("keyworker")
    gaps = http.get(reverse("naloxone:gaps")).content.decode()
    assert f'href="{reverse("naloxone:supply_other")}"' in gaps
    form = http.get(reverse("naloxone:supply_other")).content.decode()
    radios = re.findall(r'<input[^>]*name="recipient"[^>]*>', form)
    assert radios and not any('value="client"' in r for r in radios)
    assert not any("checked" in r for r in radios)  # nothing chosen for them
    stock = batch.balances.get()
    response = http.post(reverse("naloxone:supply_other"), _posted(users, stock), follow=True)
    assert "Naloxone supply recorded." in response.content.decode()
    supply = NaloxoneSupply.objects.get()
    assert supply.client is None and supply.recipient == "friend"
    assert supply.supplied_by == users["keyworker"] and not supply.by_volunteer
    stock.refresh_from_db()
    assert stock.balance == 4


def test_the_supply_to_someone_else_is_refused_without_the_training_and_saves_nothing(
    users, site, batch, web_as
):
    response = web_as("keyworker").post(
        reverse("naloxone:supply_other"),
        _posted(users, batch.balances.get(), training_topics=["recognising"]),
    )
    assert "Train before supplying" in response.content.decode()
    assert 'value="Alex (a friend of someone using)"' in response.content.decode()
    assert not NaloxoneSupply.objects.exists()
    no_one = web_as("keyworker").post(
        reverse("naloxone:supply_other"), _posted(users, batch.balances.get(), recipient="client")
    )
    assert "nhsuk-error-summary" in no_one.content.decode()
    assert not NaloxoneSupply.objects.exists()


def test_the_supply_to_someone_else_is_refused_to_drivers_volunteers_and_commissioners(
    site, batch, web_as
):
    for role in ("driver", "volunteer", "commissioner", "pharmacist"):
        assert web_as(role).get(reverse("naloxone:supply_other")).status_code == 403


def test_kits_expiring_filter_by_keyworker_on_the_page_and_in_the_csv(
    users, team, site, make_user, web_as
):
    soon = receive(users["manager"], site, batch="SOON1", expires=20).batch
    other_keyworker = make_user("keyworker", username="kw-expiring", team=team)
    mine = opiate_client(team, users["keyworker"], last_name="Mineexpiring")
    theirs = opiate_client(team, other_keyworker, last_name="Theirsexpiring")
    for client in (mine, theirs):
        supply_to(users["keyworker"], client, soon, site, on=-30)
    http = web_as("manager")
    everyone = http.get(reverse("naloxone:expiring")).content.decode()
    assert "MINEEXPIRING" in everyone and "THEIRSEXPIRING" in everyone
    only = {"keyworker": other_keyworker.pk}
    filtered = http.get(reverse("naloxone:expiring"), only).content.decode()
    assert "THEIRSEXPIRING" in filtered and "MINEEXPIRING" not in filtered
    assert f"expiring.csv?keyworker={other_keyworker.pk}" in filtered
    csv = http.get(reverse("naloxone:expiring_csv"), only).content.decode()
    assert theirs.client_number in csv and mine.client_number not in csv


def test_the_stock_ledger_filters_by_site_and_batch_on_the_page_and_in_the_csv(
    users, provider, site, batch, web_as
):
    elsewhere = SiteFactory(provider=provider, name="Quay Lane")
    receive(users["manager"], elsewhere, batch="QL7", quantity=3)
    http = web_as("nurse")
    by_site = http.get(reverse("naloxone:stock"), {"site": elsewhere.pk}).content.decode()
    ledger = by_site[by_site.index("<h2>Ledger</h2>") :]
    assert "QL7" in ledger and "PX1" not in ledger
    by_batch = http.get(reverse("naloxone:stock"), {"batch": "px1"}).content.decode()
    ledger = by_batch[by_batch.index("<h2>Ledger</h2>") :]
    assert "PX1" in ledger and "QL7" not in ledger
    csv = http.get(reverse("naloxone:stock_csv"), {"site": elsewhere.pk}).content.decode()
    assert "QL7" in csv and "PX1" not in csv
    refused = http.get(reverse("naloxone:stock_csv"), {"site": "999999"})
    assert refused["Content-Type"].startswith("text/html")
    assert "nhsuk-error-summary" in refused.content.decode()
