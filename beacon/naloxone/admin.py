"""Naloxone in the set-up admin: the stock ledger and its batches readable, never changed
there (a batch's expiry is what supplies are checked against: H-116)."""

from django.contrib import admin

from beacon.core.ledger import AppendOnlyAdmin
from beacon.naloxone.models import KitBatch, StockEntry


@admin.register(StockEntry)
class StockEntryAdmin(AppendOnlyAdmin):
    list_display = ("on", "site", "batch", "kind", "change", "balance_after")
    list_filter = ("kind", "site")


@admin.register(KitBatch)
class KitBatchAdmin(AppendOnlyAdmin):
    """Batches are made by a receipt (`services.stock_receive`) and never edited: a changed
    expiry or batch number would rewrite what every supply of it was checked against."""

    list_display = ("kit_type", "batch_number", "expires_on")
