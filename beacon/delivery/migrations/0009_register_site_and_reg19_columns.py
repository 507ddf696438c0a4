"""The register per site (reg 20: a register for each premises) and the reg 19 details of
supplies and receipts: new columns, empty or null for now (0010 fills them, 0011 requires them).

The append-only trigger (0002) is taken off for the three steps (0010 writes the new columns
of existing rows) and put back by 0011: a schema change, not an alteration of any entry's
record of a movement.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from beacon.core.ledger import append_only_trigger

TRIGGER = append_only_trigger("delivery_registerentry", "The controlled-drug register is append-only")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_alert"),
        ("delivery", "0008_round_receipt_confirmed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(TRIGGER.reverse_code, TRIGGER.code),
        migrations.RemoveConstraint(
            model_name='registerbalance',
            name='register_balance_one_per_page',
        ),
        migrations.RemoveIndex(
            model_name='registerentry',
            name='register_page',
        ),
        migrations.AddField(
            model_name='registerbalance',
            name='site',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='register_balances', to='core.site'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='prescriber',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='register_entries_as_prescriber', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='prescriber_address',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='prescriber_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='professional_address',
            field=models.CharField(blank=True, max_length=300, verbose_name='address of the healthcare professional'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='professional_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='name of the healthcare professional'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='site',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='register_entries', to='core.site'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='supplied_address',
            field=models.CharField(blank=True, max_length=300, verbose_name='address of the person supplied'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='supplied_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='name of the person supplied'),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='supplier_address',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='registerentry',
            name='witnessed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='register_entries_witnessed', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='registerentry',
            name='recipient',
            field=models.CharField(blank=True, choices=[('client', 'The client'), ('representative', 'A named representative'), ('healthcare_professional', 'A healthcare professional')], max_length=25, verbose_name='who collected'),
        ),
    ]
