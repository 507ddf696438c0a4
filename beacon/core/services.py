"""Writes of the core app: sign-in records, two-factor enrolment, alerts, API tokens."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import Alert, ApiToken, Provider, User
from beacon.core.selectors import totp_device_for
from beacon.core.tasks import alert_email_send

if TYPE_CHECKING:  # an alert may name a client; core imports no app at run time
    from beacon.clients.models import Client


@transaction.atomic
def sign_in_record(*, user: User, origin: AuditOrigin | None) -> None:
    audit_record(actor=user, action=Action.SIGN_IN, origin=origin)


@transaction.atomic
def totp_device_start_enrolment(*, user: User) -> TOTPDevice:
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, origin: AuditOrigin | None = None) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=device.user, action=Action.ENROL_TWO_FACTOR, origin=origin)


@transaction.atomic
def two_factor_failed_record(*, user: User, origin: AuditOrigin | None) -> None:
    audit_record(actor=user, action=Action.TWO_FACTOR_FAILED, origin=origin)


@transaction.atomic
def sign_in_failed_record(*, username: str, origin: AuditOrigin | None) -> None:
    """A wrong password (or a locked account) for `username`, known or not: the entry names
    the account when there is one, so its provider's manager sees it."""
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=user,
        action=Action.SIGN_IN_FAILED,
        detail=f"sign-in failed for {username[:150]!r}",
        origin=origin,
    )


# Alerts ------------------------------------------------------------------------------------


def alert_raise(
    *,
    provider: Provider,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    message: str,
    client: "Client | None" = None,
    link: str = "",
) -> list[Alert]:
    """Alert each recipient (once, however often they are named) in the app; when
    BEACON_ALERT_EMAILS is on, email those with an address once the transaction commits.
    Called inside the service that found the thing to alert on."""
    alerts, seen = [], set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        alerts.append(
            Alert.objects.create(
                provider=provider,
                recipient=user,
                kind=kind,
                client=client,
                title=title,
                message=message,
                link=link,
            )
        )
    if settings.BEACON_ALERT_EMAILS:
        for alert in alerts:
            if alert.recipient.email:
                transaction.on_commit(partial(alert_email_send.enqueue, alert.pk))
    return alerts


@transaction.atomic
def alerts_mark_read(*, user: User, alert_ids: list[int] | None = None) -> int:
    """Mark the user's unread alerts (all, or those named) read; returns how many."""
    unread = user.alerts.filter(read_at__isnull=True)
    if alert_ids is not None:
        unread = unread.filter(pk__in=alert_ids)
    return unread.update(read_at=timezone.now())


# API tokens: issued (shown once), looked up by hash (recording use), revoked ---------------

TOKEN_PREFIX = "bcn_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    name: str,
    expires_on: datetime.date | None = None,
    issued_by: User | None = None,
    origin: AuditOrigin | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`, working until the end of `expires_on` (London time) if
    given; returns the record and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = None
    if expires_on is not None:
        next_day = datetime.datetime.combine(
            expires_on + datetime.timedelta(days=1), datetime.time()
        )
        expires_at = timezone.make_aware(next_day)
    token = ApiToken.objects.create(
        expires_at=expires_at,
        provider_id=user.provider_id,
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=_hash(raw),
        created_by=issued_by,
    )
    audit_record(
        actor=issued_by or user,
        action=Action.ISSUE_TOKEN,
        obj=token,
        detail=f"for {user.username}: {name}",
        origin=origin,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(
    *, token: ApiToken, revoked_by: User, origin: AuditOrigin | None = None
) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=revoked_by,
            action=Action.REVOKE_TOKEN,
            obj=token,
            detail=f"for {token.user.username}: {token.name}",
            origin=origin,
        )


def api_token_user(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__provider")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=timezone.now())
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute, so reads stay cheap.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
