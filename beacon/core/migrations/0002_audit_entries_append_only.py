"""The database itself refuses to change audit entries (and, on PostgreSQL, to delete them)."""

from django.db import migrations

from beacon.core.ledger import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [append_only_trigger("core_auditentry", "The audit log is append-only")]
