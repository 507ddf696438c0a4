"""The naloxone stock ledger: receipts, supplies, transfers, write-offs and corrections, an
append-only running balance that never goes below zero, also with two supplies at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import ProviderFactory, SiteFactory, TeamFactory, UserFactory
from beacon.naloxone import selectors, services
from beacon.naloxone.models import (
    KitBatch,
    NaloxoneSupply,
    StockBalance,
    StockEntry,
    SupplyReversal,
)
from beacon.naloxone.tests.factories import ALL_TOPICS, day, receive, supply_to, write_off_kits

pytestmark = pytest.mark.django_db


def balance(site, batch) -> int:
    return StockBalance.objects.get(site=site, batch=batch).balance


def test_a_receipt_adds_kits_and_records_the_pack_contents(users, site):
    entry = receive(users["manager"], site, quantity=12)
    assert entry.balance_after == 12
    assert entry.batch.pack_contents == ["gloves", "face_shield", "instruction_card"]
    assert balance(site, entry.batch) == 12


def test_expiry_in_the_past_on_receipt_is_refused_and_nothing_saved(users, site):
    with pytest.raises(ValidationError) as refused:
        receive(users["manager"], site, expires=-1, on=0)
    assert "expired" in refused.value.message_dict["expiry"][0]
    assert not KitBatch.objects.exists() and not StockEntry.objects.exists()


def test_a_known_batch_with_another_expiry_is_refused(users, site, batch):
    with pytest.raises(ValidationError) as refused:
        receive(users["manager"], site, expires=300)
    assert "check the date on the pack" in refused.value.message_dict["expiry"][0]
    assert balance(site, batch) == 5


def test_only_a_manager_keeps_stock(users, site):
    for role in ("keyworker", "nurse", "commissioner", "volunteer"):
        with pytest.raises(PermissionDenied):
            receive(users[role], site)
    assert not StockEntry.objects.exists()


def test_a_supply_moves_the_stock_in_the_same_transaction(users, site, batch, opiate):
    supply = supply_to(users["keyworker"], opiate, batch, site)
    assert balance(site, batch) == 4
    entry = StockEntry.objects.filter(kind="supplied").get()
    assert (entry.change, entry.balance_after) == (-1, 4)
    assert supply.offer.outcome == "supplied"


def test_supply_from_empty_stock_is_refused_with_a_clear_message_and_saves_nothing(
    users, site, batch, opiate
):
    write_off_kits(users["manager"], batch, site, quantity=5)
    with pytest.raises(ValidationError) as refused:
        supply_to(users["keyworker"], opiate, batch, site)
    assert "no stock" in refused.value.message_dict["batch"][0]
    assert not opiate.naloxone_supplies.exists() and not opiate.naloxone_offers.exists()
    assert balance(site, batch) == 0


def test_a_write_off_beyond_the_balance_says_how_many_there_are(users, site, batch):
    with pytest.raises(ValidationError) as refused:
        write_off_kits(users["manager"], batch, site, quantity=6)
    assert refused.value.message_dict["quantity"] == [
        "Harbour Street has only 5 kits of Prenoxad 2 mg/2 ml injection kit (intramuscular), "
        "batch PX1: enter 5 or fewer"
    ]


def test_a_transfer_moves_kits_between_sites_together(users, site, batch, provider):
    clinic = SiteFactory(provider=provider, name="Northgate")
    out, into = services.stock_transfer(
        actor=users["manager"],
        batch=batch,
        from_site=site,
        to_site=clinic,
        quantity=2,
        on=day(0),
    )
    assert (out.balance_after, into.balance_after) == (3, 2)
    assert (balance(site, batch), balance(clinic, batch)) == (3, 2)
    with pytest.raises(ValidationError):
        services.stock_transfer(
            actor=users["manager"],
            batch=batch,
            from_site=clinic,
            to_site=site,
            quantity=3,
            on=day(0),
        )
    assert balance(clinic, batch) == 2


def test_a_transfer_or_write_off_of_another_services_batch_or_site_is_refused(users, site, batch):
    other = ProviderFactory()
    their_site = SiteFactory(provider=other, name="Elsewhere")
    their_batch = receive(UserFactory(provider=other, role="manager"), their_site).batch
    manager = users["manager"]
    with pytest.raises(ValidationError) as refused:
        services.stock_transfer(
            actor=manager, batch=their_batch, from_site=site, to_site=site, quantity=1, on=day(0)
        )
    assert "stock" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.stock_transfer(
            actor=manager, batch=batch, from_site=site, to_site=their_site, quantity=1, on=day(0)
        )
    assert "to_site" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write_off_kits(manager, their_batch, their_site, quantity=1)
    assert "stock" in refused.value.message_dict
    assert balance(their_site, their_batch) == 5 and balance(site, batch) == 5
    assert not StockEntry.objects.filter(kind__in=["transfer_out", "written_off_damaged"]).exists()


def test_an_expired_write_off_before_the_batch_expires_is_refused(users, provider):
    site = SiteFactory(provider=provider, name="Quay Road")
    batch = receive(users["manager"], site, expires=-10, on=-40).batch

    def write_off(on: int):
        return write_off_kits(
            users["manager"], batch, site, quantity=1, reason="written_off_expired", on=on
        )

    for on in (-15, -10):
        with pytest.raises(ValidationError) as refused:
            write_off(on)
        assert refused.value.message_dict["reason"] == [
            f"Batch PX1 expires on {day(-10):%d/%m/%Y}: it has not expired on this date"
        ]
    assert balance(site, batch) == 5
    assert write_off(-9).balance_after == 4


def test_an_entry_is_never_changed_a_correction_is_a_new_entry(users, site, batch):
    entry = StockEntry.objects.get()
    entry.change = 50
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        StockEntry.objects.all().delete()
    correction = services.stock_correct(
        actor=users["manager"], entry=entry, change=-1, note="Counted 4, not 5"
    )
    assert correction.corrects == entry and correction.balance_after == 4
    assert StockEntry.objects.count() == 2


def test_stock_lists_show_in_date_batches_to_supply(users, site, batch, provider):
    # Listed while it has 30 days or more of shelf life left, not after.
    old = receive(users["manager"], site, batch="OLD", expires=32, quantity=1).batch
    assert [b.batch for b in selectors.supply_batches(provider=provider, on=day(0))] == [old, batch]
    assert [b.batch for b in selectors.supply_batches(provider=provider, on=day(3))] == [batch]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (select_for_update) need PostgreSQL; SQLite has no concurrent writers, "
    "so this test runs only in the PostgreSQL pass of .ci/run",
)
@pytest.mark.django_db(transaction=True)
def test_two_supplies_of_the_last_kit_at_once_leave_stock_at_zero():
    provider = ProviderFactory(code="NLX")
    site = SiteFactory(provider=provider, name="Last kit site")
    team = TeamFactory(provider=provider, site=site)
    manager = UserFactory(role="manager", provider=provider, username="manager-nlx")
    keyworkers = [
        UserFactory(role="keyworker", provider=provider, team=team, username=f"kw-nlx-{n}")
        for n in range(2)
    ]
    batch = receive(manager, site, quantity=1).batch
    clients = [ClientFactory(provider=provider, team=team) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def supply(n: int):
        try:
            barrier.wait(timeout=10)
            services.supply_record(
                actor=keyworkers[n],
                client=clients[n],
                batch=batch,
                site=site,
                recipient="client",
                on=day(0),
                trained_by=keyworkers[n],
                training_topics=ALL_TOPICS,
            )
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["batch"][0])
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=supply, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "There is no stock of Prenoxad 2 mg/2 ml injection kit (intramuscular), batch PX1 at "
        "Last kit site: it was supplied or moved just now. Choose another batch",
        "saved",
    ]
    assert StockBalance.objects.get(site=site, batch=batch).balance == 0
    balances = sorted(
        StockEntry.objects.filter(batch=batch).values_list("balance_after", flat=True)
    )
    assert balances == [0, 1]


def test_a_supply_recorded_in_error_is_reversed_by_a_ledger_entry_not_deleted(
    users, site, batch, opiate
):
    supply = supply_to(users["keyworker"], opiate, batch, site)
    assert not selectors.needs_offer(opiate, day(0)) and balance(site, batch) == 4
    with pytest.raises(ValidationError) as refused:
        services.supply_reverse(actor=users["keyworker"], supply=supply, reason="  ")
    assert "Say why" in refused.value.message_dict["reason"][0]
    reversal = services.supply_reverse(
        actor=users["keyworker"], supply=supply, reason="Recorded against the wrong client"
    )
    assert balance(site, batch) == 5
    assert (reversal.entry.kind, reversal.entry.change) == ("correction", 1)
    assert reversal.entry.corrects == supply.stock_entry and supply.stock_entry.kind == "supplied"
    assert NaloxoneSupply.objects.filter(pk=supply.pk).exists()
    assert selectors.needs_offer(opiate, day(0))
    figures = selectors.kit_figures(provider=opiate.provider, first=day(0), last=day(0))
    assert figures.supplied == 0
    offers = selectors.offer_outcomes(provider=opiate.provider, first=day(0), last=day(0))
    assert offers.supplied == 0
    assert AuditEntry.objects.filter(detail__contains="recorded in error").exists()
    with pytest.raises(ValidationError):
        services.supply_reverse(actor=users["keyworker"], supply=supply, reason="again")
    assert balance(site, batch) == 5


def test_a_kit_reported_used_cannot_be_marked_recorded_in_error(users, site, batch, opiate):
    supply = supply_to(users["keyworker"], opiate, batch, site)
    services.report_record(actor=users["keyworker"], supply=supply, kind="lost", on=day(0))
    with pytest.raises(ValidationError) as refused:
        services.supply_reverse(actor=users["keyworker"], supply=supply, reason="mistake")
    assert "it was handed over" in refused.value.message_dict["reason"][0]
    assert balance(site, batch) == 4


def test_the_supply_page_marks_a_supply_recorded_in_error(users, site, batch, opiate, web_as):
    supply = supply_to(users["keyworker"], opiate, batch, site)
    http = web_as("keyworker")
    url = reverse("naloxone:reverse", args=[supply.pk])
    empty = http.post(url, {"reason": ""})
    assert empty.status_code == 200 and not SupplyReversal.objects.exists()
    page = http.post(url, {"reason": "Kit not handed over"}, follow=True).content.decode()
    assert "Supply marked as recorded in error" in page
    assert "Recorded in error" in page and "Kit not handed over" in page
    assert balance(site, batch) == 5


def test_a_manager_corrects_a_stock_count_by_a_new_entry(users, site, batch, web_as):
    stock = batch.balances.get()
    http = web_as("manager")
    same = http.post(reverse("naloxone:count"), {"stock": stock.pk, "counted": 5, "note": "x"})
    assert same.status_code == 200
    assert "there is nothing to correct" in same.content.decode()
    no_reason = http.post(reverse("naloxone:count"), {"stock": stock.pk, "counted": 3})
    assert no_reason.status_code == 200 and balance(site, batch) == 5
    page = http.post(
        reverse("naloxone:count"),
        {"stock": stock.pk, "counted": 3, "note": "2 found damaged"},
        follow=True,
    ).content.decode()
    assert "Stock count recorded" in page and "Stock count 3: 2 found damaged" in page
    entry = StockEntry.objects.get(kind="correction")
    assert (entry.change, entry.balance_after) == (-2, 3) and balance(site, batch) == 3
    assert web_as("keyworker").get(reverse("naloxone:count")).status_code == 403


def test_the_admin_offers_no_way_to_add_change_or_delete_a_batch_or_an_entry(batch, web_as):
    admin = web_as("admin")
    assert admin.get(reverse("admin:naloxone_kitbatch_changelist")).status_code == 200
    assert admin.get(reverse("admin:naloxone_kitbatch_add")).status_code == 403
    response = admin.post(
        reverse("admin:naloxone_kitbatch_change", args=[batch.pk]),
        {"kit_type": "prenoxad", "batch_number": "PX1", "expires_on": "2099-01-01"},
    )
    assert response.status_code == 403
    assert admin.post(reverse("admin:naloxone_kitbatch_delete", args=[batch.pk])).status_code == 403
    entry = StockEntry.objects.get()
    assert (
        admin.post(reverse("admin:naloxone_stockentry_delete", args=[entry.pk])).status_code == 403
    )
    assert KitBatch.objects.get().expires_on == batch.expires_on
