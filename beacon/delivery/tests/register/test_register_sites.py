"""Reg 20: a separate register for each premises. Each site that holds stock has its own
balances, corrections and reconciliation; the delivery rounds use the site their parcels
are made up at; one site's stock is never used by another."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import Site
from beacon.core.tests.factories import ProviderFactory, UserFactory
from beacon.delivery.models import DeliverySetup, RegisterEntry
from beacon.delivery.selectors import register as selectors
from beacon.delivery.services import register as services
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import METHADONE, deliver, main_site, record, round_today
from beacon.prescribing.medicines import MEDICINES

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(provider):
    return Site.objects.create(provider=provider, name="Southbank clinic", postcode="LS11 5AB")


def balance(site) -> Decimal:
    return selectors.register_balance(site=site, medicine=MEDICINES[METHADONE])


def test_two_sites_keep_separate_balances(users, site, clinic):
    manager = users["manager"]
    record(manager, "received", "100", site=site)
    record(manager, "received", "50", site=clinic)
    assert (balance(site), balance(clinic)) == (Decimal(100), Decimal(50))
    entry = record(manager, "destroyed", "20", site=clinic)
    assert (entry.site, entry.balance_after) == (clinic, Decimal(30))
    assert (balance(site), balance(clinic)) == (Decimal(100), Decimal(30))


def test_a_withdrawal_at_one_site_cannot_use_the_others_stock(users, site, clinic):
    manager = users["manager"]
    record(manager, "received", "100", site=site)
    record(manager, "received", "10", site=clinic)
    with pytest.raises(ValidationError) as exc:
        record(manager, "handed_to_driver", "40", site=clinic, driver=users["driver"])
    assert exc.value.message_dict == {"quantity": ["This would leave −30 ml: the balance is 10 ml"]}
    assert (balance(site), balance(clinic)) == (Decimal(100), Decimal(10))


def test_a_correction_stays_on_its_own_sites_page(users, site, clinic):
    manager = users["manager"]
    at_site = record(manager, "received", "100", site=site)
    record(manager, "received", "100", site=clinic)
    with pytest.raises(ValidationError) as exc:
        services.register_correction_record(
            actor=manager,
            provider=manager.provider,
            site=clinic,
            medicine=METHADONE,
            data={"corrects": at_site, "adjustment": Decimal(-10), "notes": "Miscount"},
        )
    assert "corrects" in exc.value.message_dict
    assert balance(clinic) == Decimal(100)


def test_another_providers_site_is_refused(users, other_provider):
    theirs = Site.objects.create(provider=other_provider, name="Their site")
    with pytest.raises(ValidationError) as exc:
        record(users["manager"], "received", "10", site=theirs)
    assert "site" in exc.value.message_dict
    assert not RegisterEntry.objects.exists()


def test_another_providers_site_pages_are_not_found(web_as, api_as, other_provider):
    theirs = Site.objects.create(provider=other_provider, name="Their site")
    assert web_as("manager").get(f"/delivery/register/{theirs.pk}/{METHADONE}/").status_code == 404
    assert web_as("manager").get(f"/delivery/register/{theirs.pk}/returns/").status_code == 404
    api = api_as("manager")
    assert api.get(f"/api/v1/delivery/register/{theirs.pk}/{METHADONE}/balance").status_code == 404


def test_the_index_lists_each_site_by_each_medicine(web_as, users, site, clinic):
    record(users["manager"], "received", "70", site=clinic)
    page = web_as("manager").get("/delivery/register/").content.decode()
    assert f"/delivery/register/{site.pk}/{METHADONE}/" in page
    assert f"/delivery/register/{clinic.pk}/{METHADONE}/" in page
    rows = selectors.register_balances(provider=users["manager"].provider)
    assert len(rows) == 2 * len(MEDICINES)
    assert (clinic, MEDICINES[METHADONE], Decimal(70), "ml") in rows


def test_reconciliation_is_per_site(users, provider, team, site, clinic):
    manager, driver = users["manager"], users["driver"]
    client = ClientFactory(provider=provider, team=team)
    record(manager, "received", "100", site=site)
    record(manager, "received", "100", site=clinic)
    record(manager, "handed_to_driver", "30", site=site, driver=driver)
    # Delivered in the clinic's register: both sites' pages are out of balance.
    deliver(manager, "30", driver=driver, client=client, site=clinic)
    rows = selectors.reconciliation(provider=provider, date=timezone.localdate())
    assert sorted((r.site.name, r.difference) for r in rows) == [
        ("Main site", Decimal(30)),
        ("Southbank clinic", Decimal(-30)),
    ]


def test_hand_over_uses_the_stock_site_and_parcels_come_back_to_it(
    users, provider, team, site, clinic, mid_morning
):
    DeliverySetup.objects.create(provider=provider, stock_site=clinic)
    record(users["manager"], "received", "500", site=clinic)
    [stop] = round_today(users=users, provider=provider, team=team)
    runsheet.round_hand_over(actor=users["manager"], delivery_round=stop.round)
    stop.refresh_from_db()
    assert stop.handed_over_entry.site == clinic
    assert (balance(clinic), balance(site)) == (Decimal(470), Decimal(0))
    runsheet.round_receipt_confirm(
        actor=users["driver"], delivery_round=stop.round, data={"parcels": [stop.parcel_number]}
    )
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    stop = runsheet.stop_returned(actor=users["manager"], stop=stop)
    assert stop.returned_entry.site == clinic and balance(clinic) == Decimal(500)


def test_hand_over_is_refused_when_no_site_is_set_for_the_delivery_stock(
    users, provider, team, site, clinic, mid_morning
):
    record(users["manager"], "received", "500", site=site)
    [stop] = round_today(users=users, provider=provider, team=team)
    entries = RegisterEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        runsheet.round_hand_over(actor=users["manager"], delivery_round=stop.round)
    assert "site that holds the delivery stock" in exc.value.messages[0]
    assert RegisterEntry.objects.count() == entries
    assert selectors.delivery_stock_site(provider=provider) is None
    DeliverySetup.objects.create(provider=provider, stock_site=site)
    assert selectors.delivery_stock_site(provider=provider) == site


# Two people at once at two sites (PostgreSQL only: SQLite serialises whole-database writes).


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (select_for_update) need PostgreSQL; this runs in the PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
def test_withdrawals_at_once_at_two_sites_use_only_their_own_sites_stock():
    provider = ProviderFactory(code="CCS")
    manager = UserFactory(role="manager", provider=provider, username="manager-ccs")
    witness = UserFactory(role="prescriber", provider=provider, username="prescriber-ccs")
    hub = main_site(provider)
    clinic = Site.objects.create(provider=provider, name="Clinic")
    record(manager, "received", "100", site=hub)
    record(manager, "received", "100", site=clinic)
    barrier = threading.Barrier(3)
    outcomes: list[tuple[str, str]] = []

    def withdraw(site):
        try:
            barrier.wait(timeout=10)
            record(manager, "destroyed", "70", site=site, witness=witness)
            outcomes.append((site.name, "saved"))
        except ValidationError as exc:
            outcomes.append((site.name, exc.message_dict["quantity"][0]))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=withdraw, args=(s,)) for s in (hub, hub, clinic)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        ("Clinic", "saved"),
        ("Main site", "This would leave −40 ml: the balance is 30 ml"),
        ("Main site", "saved"),
    ]
    assert (balance(hub), balance(clinic)) == (Decimal(30), Decimal(30))
    for site in (hub, clinic):
        after = RegisterEntry.objects.filter(site=site).values_list("balance_after", flat=True)
        assert sorted(after) == [Decimal(30), Decimal(100)]


def test_the_coordinator_sets_the_site_holding_the_delivery_stock(web_as, users, site, clinic):
    http = web_as("manager")
    assert http.post("/delivery/register/stock-site/", {"site": ""}).status_code == 200
    response = http.post("/delivery/register/stock-site/", {"site": clinic.pk})
    assert response.status_code == 302
    assert selectors.delivery_stock_site(provider=site.provider) == clinic
    assert "Southbank clinic" in http.get("/delivery/register/").content.decode()
    assert (
        web_as("keyworker").post("/delivery/register/stock-site/", {"site": site.pk}).status_code
        == 403
    )
    assert selectors.delivery_stock_site(provider=site.provider) == clinic
