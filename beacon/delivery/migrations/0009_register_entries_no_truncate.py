"""On PostgreSQL the controlled-drug register cannot be emptied with TRUNCATE but by its
owner (Misuse of Drugs Regulations 2001, reg 20: entries are never removed)."""

from django.db import migrations

from beacon.core.ledger import append_only_truncate_guard


class Migration(migrations.Migration):
    dependencies = [("delivery", "0008_round_receipt_confirmed")]

    operations = [
        append_only_truncate_guard(
            "delivery_registerentry", "The controlled-drug register cannot be emptied"
        )
    ]
