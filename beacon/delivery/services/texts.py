"""Delivery window texts: on the morning of a round, each client who agreed to one is texted
the window their parcel is due in, once (core.services.text_queue sends it by Notify)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from beacon.core.models import Provider, TextMessage, TextPurpose
from beacon.core.selectors import text_refusal
from beacon.core.services import text_queue
from beacon.delivery.selectors.texts import stops_for_window_texts


@dataclass
class WindowTexts:
    """What one morning's run did: texts queued now, queued before, and not sent, why."""

    queued: int = 0
    already: int = 0
    not_sent: Counter[str] = field(default_factory=Counter)


def window_text_reference(*, client_id: int, date: datetime.date) -> str:
    # One text a client a day: a client with two stops is texted the earlier window.
    return f"delivery-window-{date.isoformat()}-{client_id}"


def delivery_window_texts_queue(*, provider: Provider, date: datetime.date) -> WindowTexts:
    """Queue the delivery window text of each client on the provider's rounds on `date` who
    agreed to one; idempotent: a client already texted that day is not texted again."""
    result = WindowTexts()
    stops = list(stops_for_window_texts(provider=provider, date=date))
    references = {
        window_text_reference(client_id=stop.client_id, date=date): stop for stop in stops
    }
    sent_before = set(
        TextMessage.objects.filter(provider=provider, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    seen: set[int] = set()
    for reference, stop in references.items():
        if stop.client_id in seen:
            continue
        seen.add(stop.client_id)
        if reference in sent_before:
            result.already += 1
            continue
        reason = text_refusal(client=stop.client, purpose=TextPurpose.DELIVERY_WINDOW)
        if reason:
            result.not_sent[reason] += 1
            continue
        try:
            text_queue(
                client=stop.client,
                purpose=TextPurpose.DELIVERY_WINDOW,
                personalisation={
                    "window_start": f"{stop.window_start:%H:%M}",
                    "window_end": f"{stop.window_end:%H:%M}",
                },
                reference=reference,
            )
        except ValidationError as exc:
            result.not_sent[" ".join(exc.messages)] += 1
            continue
        result.queued += 1
    return result
