"""A licence or post-sentence supervision has its end date in the database too (H-280), as
the form, the service and the API already require.

Those 0005 left without one are not given a guessed date (its docstring says why: the date
is probation's, and a wrong one cuts an officer off early or keeps them reading late).
They are marked `recorded_before_end_dates` instead, and stay current and flagged until the
keyworker records the date; the constraint lets only those go without it. Nothing sets the
mark again, so every licence and supervision recorded from now on needs its end date."""

from django.db import migrations, models

LICENCE_KINDS = ["licence", "post_sentence_supervision"]


def mark_those_recorded_before(apps, schema_editor):
    JusticeStatus = apps.get_model("justice", "JusticeStatus")
    JusticeStatus.objects.filter(kind__in=LICENCE_KINDS, supervision_end__isnull=True).update(
        recorded_before_end_dates=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ('justice', '0005_licence_and_supervision_end_dates'),
    ]

    operations = [
        migrations.AddField(
            model_name='justicestatus',
            name='recorded_before_end_dates',
            field=models.BooleanField(default=False, editable=False, verbose_name='recorded before end dates were asked'),
        ),
        migrations.RunPython(mark_those_recorded_before, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='justicestatus',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['licence', 'post_sentence_supervision']), _negated=True), ('supervision_end__isnull', False), ('recorded_before_end_dates', True), _connector='OR'), name='justice_licence_has_an_end_date', violation_error_message='Give the licence or supervision end date'),
        ),
    ]
