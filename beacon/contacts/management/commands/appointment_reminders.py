"""Text each client with an appointment tomorrow a reminder (run once a day)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from beacon.contacts.services import appointment_reminders_queue
from beacon.core.models import Provider


class Command(BaseCommand):
    help = (
        "Queue tomorrow's appointment reminder texts (run once a day, for example at 17:00). "
        "Safe to run again: nobody is reminded twice of one appointment."
    )

    def handle(self, *args, **options):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for provider in Provider.objects.order_by("name"):
            result = appointment_reminders_queue(provider=provider, day=tomorrow)
            summary = result.summary("appointment reminders", day=tomorrow)
            self.stdout.write(f"{provider.name}: {summary}")
