"""Patient returns (kept apart from stock, append-only like the register) and the
provider's delivery set-up (the site holding the delivery stock)."""

import beacon.core.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from beacon.core.ledger import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_free_text_limits"),
        ("delivery", "0011_register_site_required_and_reg19_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeliverySetup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
        ),
        migrations.CreateModel(
            name='PatientReturn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('returned', 'Returned by the client'), ('destroyed', 'Destroyed')], max_length=10)),
                ('medicine', models.CharField(choices=[('methadone-1mg-ml-oral-solution-sf', 'Methadone 1mg/ml oral solution sugar free'), ('methadone-1mg-ml-oral-solution', 'Methadone 1mg/ml oral solution'), ('buprenorphine-2mg-sublingual-tablets', 'Buprenorphine 2mg sublingual tablets'), ('buprenorphine-8mg-sublingual-tablets', 'Buprenorphine 8mg sublingual tablets'), ('buvidal-8mg-weekly', 'Buvidal 8mg/0.16ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-16mg-weekly', 'Buvidal 16mg/0.32ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-24mg-weekly', 'Buvidal 24mg/0.48ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-32mg-weekly', 'Buvidal 32mg/0.64ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-64mg-monthly', 'Buvidal 64mg/0.18ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-96mg-monthly', 'Buvidal 96mg/0.27ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-128mg-monthly', 'Buvidal 128mg/0.36ml prolonged-release solution for injection pre-filled syringes'), ('buvidal-160mg-monthly', 'Buvidal 160mg/0.45ml prolonged-release solution for injection pre-filled syringes')], max_length=60)),
                ('quantity', models.DecimalField(decimal_places=2, help_text="In the medicine's unit", max_digits=10)),
                ('unit', models.CharField(max_length=10)),
                ('occurred_at', models.DateTimeField(db_index=True, verbose_name='date and time')),
                ('client_name', models.CharField(blank=True, max_length=200)),
                ('returned_by', models.CharField(blank=True, max_length=200, verbose_name='brought in by')),
                ('witness', models.CharField(blank=True, max_length=200)),
                ('notes', beacon.core.fields.BoundedTextField(blank=True, max_length=2000)),
                ('entered_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-id'],
            },
        ),
        migrations.AddField(
            model_name='deliverysetup',
            name='provider',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='delivery_setup', to='core.provider'),
        ),
        migrations.AddField(
            model_name='deliverysetup',
            name='stock_site',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.site', verbose_name='site holding the delivery stock'),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='client',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='patient_returns', to='clients.client'),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='destroys',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='destruction', to='delivery.patientreturn'),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='entered_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='patient_returns', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='provider',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='patient_returns', to='core.provider'),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='site',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='patient_returns', to='core.site'),
        ),
        migrations.AddField(
            model_name='patientreturn',
            name='witnessed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='patient_returns_witnessed', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='patientreturn',
            index=models.Index(fields=['site', '-id'], name='patient_return_site_page'),
        ),
        migrations.AddConstraint(
            model_name='patientreturn',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='patient_return_quantity_gt_0'),
        ),
        migrations.AddConstraint(
            model_name='patientreturn',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'returned'), ('client__isnull', False), models.Q(('client_name', ''), _negated=True), models.Q(('returned_by', ''), _negated=True), ('destroys__isnull', True)), models.Q(('kind', 'destroyed'), ('destroys__isnull', False), ('witnessed_by__isnull', False), models.Q(('witness', ''), _negated=True)), _connector='OR'), name='patient_return_names_client_or_destruction_witness'),
        ),
        append_only_trigger(
            "delivery_patientreturn",
            "Patient returns are append-only",
        ),
    ]
