"""Each prescription stores its substance; on PostgreSQL no two prescriptions of one client
and one substance may supply on the same day (issue #9: a double submit doubled a dose)."""

from django.db import migrations, models

# A prescription supplies from its start date to its last day (the end date, or the day a
# prescriber ended it on if earlier, as `Prescription.last_day`); one ended before its first
# day supplies nothing, an empty range, which overlaps nothing.
SUPPLY_RANGE = (
    "daterange(start_date, "
    "GREATEST(start_date, LEAST(end_date, COALESCE(ended_on, end_date)) + 1), '[)')"
)
CONSTRAINT = "prescription_one_per_substance_at_a_time"


def fill_substance(apps, schema_editor):
    from beacon.prescribing.medicines import MEDICINES

    Prescription = apps.get_model("prescribing", "Prescription")
    for substance in {m.substance for m in MEDICINES.values()}:
        codes = [code for code, m in MEDICINES.items() if m.substance == substance]
        Prescription.objects.filter(medicine__in=codes).update(substance=substance)


def add_exclusion_constraint(apps, schema_editor):
    # SQLite has no exclusion constraints; there the row lock in prescription_create holds
    # (and SQLite serialises writers anyway).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE prescribing_prescription ADD CONSTRAINT {CONSTRAINT} "
        f"EXCLUDE USING gist (client_id WITH =, substance WITH =, {SUPPLY_RANGE} WITH &&)"
    )


def drop_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE prescribing_prescription DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("prescribing", "0005_sedatives_answer_may_be_not_asked"),
    ]

    operations = [
        migrations.AddField(
            model_name="prescription",
            name="substance",
            field=models.CharField(
                choices=[("methadone", "Methadone"), ("buprenorphine", "Buprenorphine")],
                default="",
                editable=False,
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_substance, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="prescription",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        (
                            "medicine__in",
                            ["methadone-1mg-ml-oral-solution", "methadone-1mg-ml-oral-solution-sf"],
                        ),
                        ("substance", "methadone"),
                    ),
                    models.Q(
                        (
                            "medicine__in",
                            [
                                "buprenorphine-2mg-sublingual-tablets",
                                "buprenorphine-8mg-sublingual-tablets",
                                "buvidal-128mg-monthly",
                                "buvidal-160mg-monthly",
                                "buvidal-16mg-weekly",
                                "buvidal-24mg-weekly",
                                "buvidal-32mg-weekly",
                                "buvidal-64mg-monthly",
                                "buvidal-8mg-weekly",
                                "buvidal-96mg-monthly",
                            ],
                        ),
                        ("substance", "buprenorphine"),
                    ),
                    _connector="OR",
                ),
                name="prescription_substance_of_medicine",
            ),
        ),
        migrations.RunPython(add_exclusion_constraint, drop_exclusion_constraint),
    ]
