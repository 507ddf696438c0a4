"""Naloxone supplies and NSP transactions: through naloxone's and harm reduction's own
services; a supply of the old system is history and moves no stock of today's (H-276)."""

import datetime

import pytest
from django.utils import timezone

from beacon.core.tests.factories import SiteFactory
from beacon.harmreduction.models import NspTransaction
from beacon.imports.models import ExternalReference
from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder
from beacon.imports.tests.factories import ago, one_client_files, write_files
from beacon.naloxone import services as naloxone_services
from beacon.naloxone.models import NaloxoneOffer, NaloxoneSupply, StockBalance, StockEntry

pytestmark = pytest.mark.django_db

ALL_TOPICS = "recognising;recovery_position;calling_999;giving;staying"


def _files(**supply) -> dict:
    files = one_client_files()
    files["sites"] = [{"site_id": "S1", "name": "Old Road Hub"}]
    files["staff"].append({"staff_id": "K1", "username": "old.keyworker", "role": "keyworker"})
    files["naloxone_supplies"] = [
        {
            "naloxone_supply_id": "N1",
            "client_id": "C1",
            "recipient": "client",
            "kit_type": "prenoxad",
            "batch_number": "PX2025",
            "expires_on": ago(-400),
            "site_id": "S1",
            "supplied_on": ago(300),
            "supplied_by_id": "K1",
            "training_topics": ALL_TOPICS,
            **supply,
        },
        {
            "naloxone_supply_id": "N2",
            "recipient": "friend",
            "kit_type": "nyxoid",
            "batch_number": "NY1",
            "expires_on": ago(100),
            "site_id": "S1",
            "supplied_on": ago(120),
            "supplied_by_id": "K1",
            "training_topics": "recognising;calling_999;giving",
        },
    ]
    files["nsp_transactions"] = [
        {
            "nsp_transaction_id": "V1",
            "client_id": "C1",
            "site_id": "S1",
            "date": ago(200),
            "bins_out": "1",
            "needle_orange_25g_16mm": "10",
            "swab": "10",
        },
        {
            "nsp_transaction_id": "V2",
            "site_id": "S1",
            "date": ago(50),
            "initials": "js",
            "date_of_birth": "1985-05-05",
            "sex": "M",
            "bins_returned": "2",
        },
    ]
    return files


def _run(manager, folder, dry_run=False):
    return history_import_run(actor=manager, files=CsvFolder(folder), source="Old", dry_run=dry_run)


def test_an_old_supply_is_history_and_moves_none_of_todays_stock(manager, tmp_path):
    site = SiteFactory(provider=manager.provider, name="Old Road Hub")
    naloxone_services.stock_receive(
        actor=manager,
        site=site,
        kit_type="prenoxad",
        batch_number="PX2025",
        expires_on=timezone.localdate() + datetime.timedelta(days=400),
        quantity=5,
        on=timezone.localdate(),
    )
    result = _run(manager, write_files(tmp_path, _files()))
    assert result.saved, result.problems
    assert StockBalance.objects.get(site=site).balance == 5  # no kit left today's stock
    assert StockEntry.objects.count() == 1  # only the receipt
    to_client = NaloxoneSupply.objects.get(recipient="client")
    assert to_client.imported_as_history and to_client.stock_entry is None
    assert to_client.supplied_by.username == "old.keyworker"
    assert NaloxoneOffer.objects.get().supply == to_client  # the offer, as supplied
    reference = ExternalReference.objects.get(external_id="N1")
    assert reference.imported_as_history
    assert "no stock movement" in reference.history_reason
    # Three topics of five, and a kit supplied with under 30 days left: flagged, kept.
    friend = ExternalReference.objects.get(external_id="N2")
    assert "training recorded without staying with the person" in friend.history_reason
    assert "recovery position" in friend.history_reason
    assert "less than 30 days" in friend.history_reason
    assert result.counts["naloxone supply refused today, kept as history"] == 1


def test_a_history_supply_recorded_in_error_puts_no_kit_back_into_stock(manager, tmp_path):
    result = _run(manager, write_files(tmp_path, _files()))
    assert result.saved, result.problems
    supply = NaloxoneSupply.objects.get(recipient="client")
    reversal = naloxone_services.supply_reverse(actor=manager, supply=supply, reason="Wrong person")
    assert reversal.entry is None
    assert StockEntry.objects.count() == 0 and StockBalance.objects.count() == 0


def test_nsp_visits_are_linked_to_the_client_or_keyed_by_their_attributor(manager, tmp_path):
    result = _run(manager, write_files(tmp_path, _files()))
    assert result.saved, result.problems
    linked = NspTransaction.objects.get(client__isnull=False)
    assert linked.initials == "RM" and linked.date_of_birth == datetime.date(1980, 2, 3)
    assert {i.item: i.quantity for i in linked.items.all()} == {
        "needle_orange_25g_16mm": 10,
        "swab": 10,
    }
    anonymous = NspTransaction.objects.get(client__isnull=True)
    assert anonymous.initials == "JS" and anonymous.bins_returned == 2


def test_bad_supply_and_nsp_rows_are_named_by_their_column(manager, tmp_path):
    files = _files(supplied_on=ago(-3), client_id="C9")
    files["naloxone_supplies"][1]["expires_on"] = ago(130)  # expired before it was supplied
    files["nsp_transactions"][1]["initials"] = "John Smith"
    files["nsp_transactions"][0]["swab"] = "-4"
    result = _run(manager, write_files(tmp_path, files), dry_run=True)
    found = {(p.file, p.row, p.column) for p in result.problems}
    assert found == {
        ("naloxone_supplies", 2, "client_id"),
        ("naloxone_supplies", 3, "expires_on"),
        ("nsp_transactions", 2, "swab"),
        ("nsp_transactions", 3, "initials"),
    }, result.problems
    assert NaloxoneSupply.objects.count() == 0 and NspTransaction.objects.count() == 0
