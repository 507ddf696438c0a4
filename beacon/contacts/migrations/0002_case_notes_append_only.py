"""The database itself refuses to change a case note (a correction is a new note)."""

from django.db import migrations

from beacon.core.ledger import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [
        append_only_trigger(
            "contacts_casenote", "Case notes are append-only: write a correction as a new note."
        )
    ]
