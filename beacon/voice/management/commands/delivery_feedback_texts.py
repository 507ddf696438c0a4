"""Text clients with a first week of home deliveries behind them a link to the delivery
feedback survey (run each morning)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from beacon.core.models import Provider
from beacon.voice import selectors, services
from beacon.voice.shipped import DELIVERY_FEEDBACK


class Command(BaseCommand):
    help = (
        "Text each client whose first home delivery was a week ago an anonymous link to the "
        "delivery feedback survey (run each morning). Safe to run again: nobody is texted "
        "twice."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        for provider in Provider.objects.order_by("name"):
            survey = selectors.survey_current(provider_id=provider.pk, key=DELIVERY_FEEDBACK)
            if survey is None:
                self.stdout.write(f"{provider.name}: no published delivery feedback survey")
                continue
            result = services.delivery_feedback_texts_send(
                provider=provider,
                survey=survey,
                clients=selectors.clients_due_delivery_feedback(provider=provider, today=today),
                today=today,
            )
            summary = result.summary("delivery feedback texts", day=today)
            self.stdout.write(f"{provider.name}: {summary}")
