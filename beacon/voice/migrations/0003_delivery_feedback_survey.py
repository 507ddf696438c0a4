"""The short home delivery survey every service reads (key `delivery-feedback`): was it on
time, was it convenient, anything to change. Sending it after a client's first week of
deliveries is not built yet."""

from django.db import migrations

from beacon.voice.shipped import DELIVERY_FEEDBACK, ship


def ship_survey(apps, schema_editor):
    ship(apps.get_model("voice", "Survey"), apps.get_model("voice", "Question"), DELIVERY_FEEDBACK)


def unship(apps, schema_editor):
    Survey = apps.get_model("voice", "Survey")
    Survey.objects.filter(provider=None, key=DELIVERY_FEEDBACK, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("voice", "0002_standard_satisfaction_survey")]
    operations = [migrations.RunPython(ship_survey, unship)]
