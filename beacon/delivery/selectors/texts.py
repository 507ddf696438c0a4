"""Reads for delivery window texts: the day's planned stops of clients who agreed to one."""

import datetime

from django.db.models import QuerySet

from beacon.core.models import Provider
from beacon.delivery.models import DeliveryStop


def stops_for_window_texts(*, provider: Provider, date: datetime.date) -> QuerySet[DeliveryStop]:
    """The provider's stops on `date` that are on a round with a time window, still to
    deliver, of clients who agreed to a delivery window text; earliest window first.
    Consent to contact by text and a mobile number are checked by core's text_queue."""
    return (
        DeliveryStop.objects.filter(
            provider=provider,
            date=date,
            round__isnull=False,
            status=DeliveryStop.Status.PLANNED,
            window_start__isnull=False,
            window_end__isnull=False,
            client__delivery_details__window_text_agreed=True,
        )
        .select_related("client", "client__provider")
        .order_by("client_id", "window_start", "id")
    )
