from django.db import migrations, models


def mark_supplies_by_volunteers(apps, schema_editor):
    """Kits already supplied by peer volunteers (on outreach, the only way they supply):
    the supplier's role is all there is to go on for them."""
    supply = apps.get_model("naloxone", "NaloxoneSupply")
    supply.objects.filter(supplied_by__role="volunteer").update(by_volunteer=True)


class Migration(migrations.Migration):
    dependencies = [
        ("naloxone", "0003_seen_kit_expiry_and_supply_reversal"),
    ]

    operations = [
        migrations.AddField(
            model_name="naloxonesupply",
            name="by_volunteer",
            field=models.BooleanField(default=False, verbose_name="supplied by a peer volunteer"),
        ),
        migrations.RunPython(mark_supplies_by_volunteers, migrations.RunPython.noop),
    ]
