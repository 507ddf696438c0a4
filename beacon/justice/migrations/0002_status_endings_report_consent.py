"""How a status ended (reason, in words, by whom, when) and an order's expected end; the
consent a progress report was drafted under and what it allowed then."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0006_sharing_consents'),
        ('core', '0016_lone_working_alert'),
        ('justice', '0001_statuses_releases_reports_partner_reads'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='justicestatus',
            name='end_detail',
            field=models.CharField(blank=True, max_length=200, verbose_name='how it ended, in words'),
        ),
        migrations.AddField(
            model_name='justicestatus',
            name='end_reason',
            field=models.CharField(blank=True, choices=[('completed', 'Completed'), ('revoked', 'Revoked by the court'), ('breached', 'Breached'), ('recalled', 'Recalled or returned to prison'), ('transferred', 'Transferred to another area'), ('superseded', 'Another probation officer became responsible'), ('other', 'Other')], max_length=20, verbose_name='how it ended'),
        ),
        migrations.AddField(
            model_name='justicestatus',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='justicestatus',
            name='ended_by',
            field=models.ForeignKey(blank=True, help_text='Who recorded how it ended', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='justicestatus',
            name='expected_end',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='expected end'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='consent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='progress_reports', to='clients.sharingconsent', verbose_name='drafted under the consent'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='consent_shares',
            field=models.JSONField(blank=True, default=list, verbose_name='what the consent allowed when drafted'),
        ),
        migrations.AlterField(
            model_name='justicestatus',
            name='ended_on',
            field=models.DateField(blank=True, null=True, verbose_name='end date'),
        ),
    ]
