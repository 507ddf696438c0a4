"""The database itself refuses to change naloxone stock entries (on PostgreSQL also to
delete them, or, for any role but the owner, to empty the table)."""

from django.db import migrations

from beacon.core.ledger import append_only_trigger, append_only_truncate_guard

MESSAGE = "The naloxone stock ledger is append-only"


class Migration(migrations.Migration):
    dependencies = [("naloxone", "0001_initial")]

    operations = [
        append_only_trigger("naloxone_stockentry", MESSAGE),
        append_only_truncate_guard("naloxone_stockentry", MESSAGE),
    ]
