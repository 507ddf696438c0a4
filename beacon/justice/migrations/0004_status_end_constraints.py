"""An ended status says how it ended; "other" says it in words."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("justice", "0003_backfill_endings")]

    operations = [
        migrations.AddConstraint(
            model_name='justicestatus',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('end_reason', ''), ('ended_on__isnull', True)), models.Q(('ended_on__isnull', False), models.Q(('end_reason', ''), _negated=True)), _connector='OR'), name='justice_status_end_says_how', violation_error_message='Say how the status ended'),
        ),
        migrations.AddConstraint(
            model_name='justicestatus',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('end_reason', 'other'), _negated=True), models.Q(('end_detail', ''), _negated=True), _connector='OR'), name='justice_status_other_end_in_words', violation_error_message='Say how it ended'),
        ),
    ]
