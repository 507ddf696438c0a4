"""Backfill of 0002: each order's expected end; how each status ended before how was asked
(ended by a new responsible officer when one started the next day, else "other", not
recorded)."""

import calendar
import datetime

from django.db import migrations

ORDER_KINDS = ["drug_rehabilitation_requirement", "alcohol_treatment_requirement"]
SUPERVISED = [*ORDER_KINDS, "licence", "post_sentence_supervision"]


def _expected_end(start: datetime.date, months: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return datetime.date(year, month + 1, day) - datetime.timedelta(days=1)


def backfill(apps, schema_editor):
    JusticeStatus = apps.get_model("justice", "JusticeStatus")
    for status in JusticeStatus.objects.filter(kind__in=ORDER_KINDS, length_months__gt=0):
        status.expected_end = _expected_end(status.start_date, status.length_months)
        status.save(update_fields=["expected_end"])
    for status in JusticeStatus.objects.filter(ended_on__isnull=False, end_reason=""):
        superseded = (
            JusticeStatus.objects.filter(
                client_id=status.client_id,
                kind__in=SUPERVISED,
                start_date=status.ended_on + datetime.timedelta(days=1),
                responsible_officer__isnull=False,
            )
            .exclude(pk=status.pk)
            .exclude(responsible_officer_id=status.responsible_officer_id)
            .exists()
        )
        if superseded:
            status.end_reason = "superseded"
        else:
            status.end_reason = "other"
            status.end_detail = "Not recorded: ended before Beacon asked how"
        status.save(update_fields=["end_reason", "end_detail"])


class Migration(migrations.Migration):
    dependencies = [("justice", "0002_status_endings_report_consent")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
