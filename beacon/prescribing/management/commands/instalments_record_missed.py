"""`instalments_record_missed [--before YYYY-MM-DD]`: record past unrecorded instalments as
missed, suspend at the threshold and alert the prescriber. Run daily (cron or a django-tasks
periodic job) soon after midnight; the missed-doses rule does not wait for it."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from beacon.prescribing.services import instalments_record_missed


class Command(BaseCommand):
    help = "Record instalments before a day (default today) with no outcome as missed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--before", help="Record instalments before this day (YYYY-MM-DD; default today)."
        )

    def handle(self, *args, before: str | None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(before) if before else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--before: {before} is not a date (YYYY-MM-DD)") from error
        if day > timezone.localdate():
            raise CommandError(f"--before: {day} is in the future")
        self.stdout.write(f"Recording instalments before {day:%d/%m/%Y} with no outcome")
        result = instalments_record_missed(before=day, progress=self.stdout.write)
        self.stdout.write(
            f"{result['missed']} instalments recorded as missed; "
            f"{result['suspended']} prescriptions suspended for prescriber review"
        )
