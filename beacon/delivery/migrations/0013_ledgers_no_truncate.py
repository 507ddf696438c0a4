"""On PostgreSQL the controlled-drug register and the patient returns cannot be emptied with
TRUNCATE but by their owner (Misuse of Drugs Regulations 2001, reg 20: entries are never
removed)."""

from django.db import migrations

from beacon.core.ledger import append_only_truncate_guard


class Migration(migrations.Migration):
    dependencies = [("delivery", "0012_patient_returns_and_delivery_setup")]

    operations = [
        append_only_truncate_guard(
            "delivery_registerentry", "The controlled-drug register cannot be emptied"
        ),
        append_only_truncate_guard(
            "delivery_patientreturn", "The record of patient returns cannot be emptied"
        ),
    ]
