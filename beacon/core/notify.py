"""GOV.UK Notify, through its official client: whether texts are on, sending one, and asking
what became of it. Settings: NOTIFY_API_KEY, NOTIFY_BASE_URL, NOTIFY_TEMPLATE_* (README).

Each Notify template named here is a text message template whose whole content is
((body)): Beacon words the text (core/texts.py, edited by a manager) and Notify sends it.
"""

from dataclasses import dataclass

import requests
from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from beacon.core.models import TextPurpose

TEMPLATE_SETTINGS = {
    TextPurpose.APPOINTMENT_REMINDER: "NOTIFY_TEMPLATE_APPOINTMENT_REMINDER",
    TextPurpose.DELIVERY_WINDOW: "NOTIFY_TEMPLATE_DELIVERY_WINDOW",
    TextPurpose.SURVEY_LINK: "NOTIFY_TEMPLATE_SURVEY_LINK",
}
TIMEOUT_SECONDS = 10


class NotifyRefused(Exception):
    """Notify answered that it will not send this text (a bad number, a bad key): sending
    it again would get the same answer."""


class NotifyUnavailable(Exception):
    """Notify could not be reached, or asked us to wait (5xx, 429, timeout): try later."""


@dataclass(frozen=True)
class NotifyAnswer:
    notify_id: str
    status: str


def texts_off_reason(purpose: str) -> str:
    """Why texts of `purpose` are off, or "" when they are on."""
    if not settings.NOTIFY_API_KEY:
        return "Texts are off: NOTIFY_API_KEY is not set."
    name = TEMPLATE_SETTINGS[purpose]
    if not getattr(settings, name):
        return f"{TextPurpose(purpose).label} texts are off: {name} is not set."
    return ""


def _client() -> NotificationsAPIClient:
    return NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=TIMEOUT_SECONDS
    )


def _failure(exc: Exception) -> Exception:
    if isinstance(exc, APIError):
        code, message = exc.status_code, exc.message
        if isinstance(message, list):  # Notify's errors: [{"error": …, "message": …}]
            message = "; ".join(str(item.get("message", item)) for item in message)
        text = f"Notify answered {code}: {message}"[:300]
        if code == 429 or code >= 500:
            return NotifyUnavailable(text)
        return NotifyRefused(text)
    return NotifyUnavailable(f"Notify could not be reached: {type(exc).__name__}"[:300])


def notify_send_text(*, phone: str, purpose: str, body: str, reference: str) -> NotifyAnswer:
    """Hand one text to Notify; its id and first status, or NotifyRefused/NotifyUnavailable."""
    template_id = getattr(settings, TEMPLATE_SETTINGS[purpose])
    try:
        answer = _client().send_sms_notification(
            phone_number=phone,
            template_id=template_id,
            personalisation={"body": body},
            reference=reference,
        )
    except (APIError, requests.RequestException) as exc:
        raise _failure(exc) from exc
    # Notify answers 201 with the notification's id; it is "created" until it says more.
    return NotifyAnswer(notify_id=str(answer["id"]), status="created")


def notify_text_status(notify_id: str) -> str:
    """Notify's status of a text it accepted (sending, delivered, permanent-failure…)."""
    try:
        answer = _client().get_notification_by_id(notify_id)
    except (APIError, requests.RequestException) as exc:
        raise _failure(exc) from exc
    return str(answer["status"])
