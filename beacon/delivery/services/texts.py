"""Delivery window texts: on the morning of a round, each client who agreed to one is texted
the window their parcel is due in, once (core.services.text_queue sends it by Notify)."""

import datetime

from beacon.core.models import Provider, TextPurpose
from beacon.core.services import TextsQueued, texts_queue_each
from beacon.delivery.selectors.texts import stops_for_window_texts


def window_text_reference(*, client_id: int, date: datetime.date) -> str:
    # One text a client a day: a client with two stops is texted the earlier window.
    return f"delivery-window-{date.isoformat()}-{client_id}"


def delivery_window_texts_queue(*, provider: Provider, date: datetime.date) -> TextsQueued:
    """Queue the delivery window text of each client on the provider's rounds on `date` who
    agreed to one; idempotent: a client already texted that day is not texted again, and a
    client with two stops is texted the earlier window."""
    first_stop = {}
    for stop in stops_for_window_texts(provider=provider, date=date):
        first_stop.setdefault(stop.client_id, stop)
    return texts_queue_each(
        purpose=TextPurpose.DELIVERY_WINDOW,
        wanted=(
            (
                stop.client,
                window_text_reference(client_id=stop.client_id, date=date),
                {
                    "window_start": f"{stop.window_start:%H:%M}",
                    "window_end": f"{stop.window_end:%H:%M}",
                },
            )
            for stop in first_stop.values()
        ),
    )
