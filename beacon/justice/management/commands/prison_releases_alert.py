"""`prison_releases_alert`: alert the keyworker (else the managers) of every client released
from prison and not seen within BEACON_JUSTICE_RELEASE_SEEN_DAYS (H-262), once per release.
Run daily (cron or a django-tasks periodic job); the releases list shows them meanwhile."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from beacon.core.models import Provider
from beacon.justice.services import release_not_seen_alerts


class Command(BaseCommand):
    help = "Alert on clients released from prison and not seen since."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        total = sum(
            release_not_seen_alerts(provider=provider, today=today)
            for provider in Provider.objects.all()
        )
        self.stdout.write(f"{total} clients released from prison and not seen: alerted")
