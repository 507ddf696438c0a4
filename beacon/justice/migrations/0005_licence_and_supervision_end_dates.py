"""A licence's licence end date and post-sentence supervision's end date (H-280), and the
constraints that keep it coherent: only those two kinds carry one, and it falls after the
start.

Nothing is backfilled. Nobody can say when an existing licence or supervision ends (the
date comes from probation's sentence calculation, not from anything Beacon holds), and a
guessed date would either cut a responsible officer off early or keep them reading late.
So the column stays nullable for those rows: they stay current as before, and the client's
justice page and the statuses list flag each one ("No end date") with the link to record
it. Every licence and supervision recorded from now on needs the date (the form, the
service and the API refuse one without it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('justice', '0004_status_end_constraints'),
    ]

    operations = [
        migrations.AddField(
            model_name='justicestatus',
            name='supervision_end',
            field=models.DateField(blank=True, null=True, verbose_name='licence or supervision end date'),
        ),
        migrations.AddConstraint(
            model_name='justicestatus',
            constraint=models.CheckConstraint(condition=models.Q(('supervision_end__isnull', True), ('kind__in', ['licence', 'post_sentence_supervision']), _connector='OR'), name='justice_supervision_end_of_licence_or_pss', violation_error_message='Only a licence or post-sentence supervision has a set end date'),
        ),
        migrations.AddConstraint(
            model_name='justicestatus',
            constraint=models.CheckConstraint(condition=models.Q(('supervision_end__isnull', True), ('supervision_end__gt', models.F('start_date')), _connector='OR'), name='justice_supervision_end_after_start', violation_error_message='The end date must be after the start date'),
        ),
    ]
