"""Every register entry and balance now names its site; the reg 19 constraints; the
append-only trigger put back (taken off by 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from beacon.core.ledger import append_only_trigger

TRIGGER = append_only_trigger("delivery_registerentry", "The controlled-drug register is append-only")


class Migration(migrations.Migration):
    dependencies = [("delivery", "0010_register_entries_to_a_site")]

    operations = [
        migrations.AlterField(
            model_name="registerbalance",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="register_balances",
                to="core.site",
            ),
        ),
        migrations.AlterField(
            model_name="registerentry",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="register_entries",
                to="core.site",
            ),
        ),
        migrations.AddIndex(
            model_name='registerentry',
            index=models.Index(fields=['site', 'medicine', '-id'], name='register_site_page'),
        ),
        migrations.AddConstraint(
            model_name='registerbalance',
            constraint=models.UniqueConstraint(fields=('site', 'medicine'), name='register_balance_one_per_site_page'),
        ),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'delivered'), _negated=True), models.Q(models.Q(('supplied_name', ''), _negated=True), models.Q(('supplied_address', ''), _negated=True), models.Q(('prescriber_name', ''), _negated=True), models.Q(('prescriber_address', ''), _negated=True), ('recipient__in', ['client', 'representative', 'healthcare_professional'])), _connector='OR'), name='register_supply_names_person_prescriber_collector'),
        ),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recipient', 'representative'), _negated=True), models.Q(('representative_name', ''), _negated=True), _connector='OR'), name='register_representative_is_named'),
        ),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recipient', 'healthcare_professional'), _negated=True), models.Q(models.Q(('professional_name', ''), _negated=True), models.Q(('professional_address', ''), _negated=True)), _connector='OR'), name='register_professional_named_with_address'),
        ),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'received'), _negated=True), models.Q(models.Q(('supplier', ''), _negated=True), models.Q(('supplier_address', ''), _negated=True)), _connector='OR'), name='register_receipt_names_supplier_and_address'),
        ),
        migrations.AddConstraint(
            model_name='registerentry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'destroyed'), _negated=True), models.Q(('witness', ''), _negated=True), _connector='OR'), name='register_destruction_names_witness'),
        ),
        TRIGGER,
    ]
