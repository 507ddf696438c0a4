"""The standard satisfaction survey every service reads from day one (key
`standard-satisfaction`): overall 0 to 10, would you recommend, what would you change."""

from django.db import migrations

from beacon.voice.shipped import STANDARD_SATISFACTION, ship


def ship_survey(apps, schema_editor):
    ship(apps.get_model("voice", "Survey"), apps.get_model("voice", "Question"), STANDARD_SATISFACTION)


def unship(apps, schema_editor):
    Survey = apps.get_model("voice", "Survey")
    Survey.objects.filter(provider=None, key=STANDARD_SATISFACTION, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]
    operations = [migrations.RunPython(ship_survey, unship)]
