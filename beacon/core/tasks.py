"""Background work of the core app (django-tasks; `make run` starts the db_worker): alert
emails and texts by GOV.UK Notify."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from beacon.core.models import Alert

EMAIL_SUBJECT = "Beacon: {title}"
# No name, number, dose or address leaves Beacon by email: the reader signs in to see it.
EMAIL_BODY = (
    "You have a new alert in Beacon: {kind}.\n\n"
    "Sign in to Beacon to see it and act on it today:\n{url}\n\n"
    "This email holds no client details on purpose."
)


@task()
def alert_email_send(alert_id: int) -> bool:
    """Email one alert's recipient; True when sent, False when there is nothing to send."""
    alert = Alert.objects.select_related("recipient").filter(pk=alert_id).first()
    if alert is None or alert.emailed_at is not None or not alert.recipient.email:
        return False
    kind = alert.get_kind_display().lower()
    urgent = alert.title.startswith("Urgent")
    send_mail(
        subject=EMAIL_SUBJECT.format(
            title=("Urgent: " if urgent else "") + alert.get_kind_display().lower()
        ),
        message=EMAIL_BODY.format(kind=kind, url=f"{settings.BEACON_SITE_URL}/alerts/"),
        from_email=None,
        recipient_list=[alert.recipient.email],
    )
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())
    return True


@task()
def text_send(text_id: int) -> str:
    """Hand one queued text to GOV.UK Notify (services.text_send_attempt); its status after."""
    from beacon.core.services import text_send_attempt  # services queue this task

    text = text_send_attempt(text_id=text_id)
    return text.status if text else "missing"


@task()
def text_status_check(text_id: int) -> str:
    """Ask GOV.UK Notify what became of one text (services.text_status_check_attempt)."""
    from beacon.core.services import text_status_check_attempt

    text = text_status_check_attempt(text_id=text_id)
    return text.status if text else "missing"
