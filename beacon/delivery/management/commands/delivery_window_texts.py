"""Text today's home-delivery clients who agreed to it the window their parcel is due in."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from beacon.core.models import Provider
from beacon.delivery.services.texts import delivery_window_texts_queue


class Command(BaseCommand):
    help = (
        "Queue today's delivery window texts (run each morning, after the rounds are planned "
        "and before the first leaves). Safe to run again: nobody is texted twice a day."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        for provider in Provider.objects.order_by("name"):
            result = delivery_window_texts_queue(provider=provider, date=today)
            summary = result.summary("delivery window texts", day=today)
            self.stdout.write(f"{provider.name}: {summary}")
