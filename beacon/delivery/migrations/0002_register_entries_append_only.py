"""The database itself refuses to change register entries (and, on PostgreSQL, to delete them).

Misuse of Drugs Regulations 2001, reg 20: no cancellation, obliteration or alteration of
an entry.
"""

from django.db import migrations

from beacon.core.ledger import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]

    operations = [
        append_only_trigger(
            "delivery_registerentry", "The controlled-drug register is append-only"
        )
    ]
