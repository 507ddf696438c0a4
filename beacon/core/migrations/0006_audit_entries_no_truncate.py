"""On PostgreSQL the audit log cannot be emptied with TRUNCATE but by its owner."""

from django.db import migrations

from beacon.core.ledger import append_only_truncate_guard


class Migration(migrations.Migration):
    dependencies = [("core", "0005_api_token_expiry")]

    operations = [
        append_only_truncate_guard("core_auditentry", "The audit log cannot be emptied")
    ]
