"""Migrations 0009-0011 move an existing register onto its provider's first site, fill the
reg 19 details old entries never held with "Not recorded", and put the append-only
trigger back."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("delivery", "0008_round_receipt_confirmed")]
AFTER = [("delivery", "0011_register_site_required_and_reg19_constraints")]


@pytest.mark.django_db(transaction=True)
def test_existing_entries_go_to_the_first_site_and_stay_append_only():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    provider = old.get_model("core", "Provider").objects.create(name="Old Service", code="OLD")
    first = old.get_model("core", "Site").objects.create(provider=provider, name="Zed first")
    old.get_model("core", "Site").objects.create(provider=provider, name="Alpha second")
    user = old.get_model("core", "User").objects.create(
        username="old-manager", provider=provider, role="manager"
    )
    entry = old.get_model("delivery", "RegisterEntry").objects.create(
        provider=provider,
        medicine="methadone-1mg-ml-oral-solution-sf",
        kind="received",
        quantity=100,
        balance_after=100,
        unit="ml",
        occurred_at=timezone.now(),
        supplier="Old Wholesale",
        entered_by=user,
    )
    old.get_model("delivery", "RegisterBalance").objects.create(
        provider=provider, medicine="methadone-1mg-ml-oral-solution-sf", balance=100
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("delivery", "RegisterEntry").objects.get(pk=entry.pk)
    assert moved.site_id == first.pk  # the first site set up, not the first by name
    assert moved.supplier_address.startswith("Not recorded")
    balance = new.get_model("delivery", "RegisterBalance").objects.get(provider_id=provider.pk)
    assert balance.site_id == first.pk
    table = moved._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET quantity = 1 WHERE id = %s", [entry.pk])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
