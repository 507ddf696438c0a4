"""Writes of the core app: sign-in records, two-factor enrolment, alerts, API tokens,
integration accounts, unlocking accounts."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import Alert, ApiToken, Provider, User
from beacon.core.permissions import user_can
from beacon.core.roles import Role
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


def _new_key() -> tuple[str, str, str]:
    """A raw token, its prefix and its hash."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, raw[:10], _hash(raw)


def api_token_refusal(*, user: User, issued_by: User | None) -> str | None:
    """Why `issued_by` may not issue a token acting as `user` (None: they may). The one
    rule the token form, the command and the service ask."""
    if user.is_superuser:
        return (
            "The set-up superuser cannot have an API token: issue it for an integration "
            "account instead"
        )
    if not user.is_active:
        return f"{user.username} is not active: reactivate them before issuing a token"
    if user.provider_id is None:
        return f"{user.username} belongs to no provider, so a token would reach no records"
    if issued_by is not None:
        if issued_by.provider_id != user.provider_id:
            return "A token can only be issued for an account of your own provider"
        if not user_can(issued_by, "core.manage_api_tokens"):
            return "Only a service manager issues API tokens"
    return None


def api_token_needs_acceptance(*, user: User, issued_by: User | None) -> bool:
    """A token for another person works only once that person accepts it; a manager's own
    token and an integration account's work at once (as does one issued on the server)."""
    return issued_by is not None and issued_by.pk != user.pk and not user.is_integration


@transaction.atomic
def api_token_issue(
    *,
    user: User,
    name: str,
    expires_on: datetime.date | None = None,
    issued_by: User | None = None,
    origin: AuditOrigin | None = None,
) -> tuple[ApiToken, str | None]:
    """Create a token for `user`, working until the end of `expires_on` (London time) if
    given; returns the record and the raw token, which is never stored. A token for
    another person is pending: no raw token (None) until they accept it
    (`api_token_accept`), and they are alerted to do so."""
    refusal = api_token_refusal(user=user, issued_by=issued_by)
    if refusal:
        raise ValidationError(refusal)
    expires_at = None
    if expires_on is not None:
        next_day = datetime.datetime.combine(
            expires_on + datetime.timedelta(days=1), datetime.time()
        )
        expires_at = timezone.make_aware(next_day)
    pending = api_token_needs_acceptance(user=user, issued_by=issued_by)
    raw, prefix, key_hash = (None, "", None) if pending else _new_key()
    token = ApiToken.objects.create(
        expires_at=expires_at,
        provider_id=user.provider_id,
        user=user,
        name=name,
        prefix=prefix,
        key_hash=key_hash,
        accepted_at=None if pending else timezone.now(),
        created_by=issued_by,
    )
    audit_record(
        actor=issued_by or user,
        action=Action.ISSUE_TOKEN,
        obj=token,
        detail=f"for {user.username}: {name}" + (", waiting for them to accept" if pending else ""),
        origin=origin,
    )
    if pending and issued_by is not None:
        alert_raise(
            provider=issued_by.provider,
            recipients=[user],
            kind=Alert.Kind.API_TOKEN_TO_ACCEPT,
            title="An API token waits for you to accept it",
            message=f"{issued_by.display_name} issued an API token “{name}” that acts as you. "
            "It works only once you accept it; if you did not ask for it, do not accept it.",
            link=reverse("core:my_api_tokens"),
        )
    return token, raw


@transaction.atomic
def api_token_accept(*, token: ApiToken, user: User, origin: AuditOrigin | None = None) -> str:
    """The person a pending token acts as accepts it: it gets its key, shown to them once."""
    if token.user_id != user.pk or not token.is_pending:
        raise ValidationError("This token is not waiting for you to accept it")
    raw, token.prefix, token.key_hash = _new_key()
    token.accepted_at = timezone.now()
    token.save(update_fields=["prefix", "key_hash", "accepted_at"])
    audit_record(
        actor=user,
        action=Action.ACCEPT_TOKEN,
        obj=token,
        detail=f"accepted {token.name}",
        origin=origin,
    )
    return raw


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
        .filter(
            key_hash=_hash(raw),
            accepted_at__isnull=False,
            revoked_at__isnull=True,
            user__is_active=True,
        )
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


# Integration accounts and locked accounts ------------------------------------------------

# An integration account may be given any role but a manager's: another system never
# manages the service (issues tokens, unlocks accounts, reads the audit log).
INTEGRATION_ROLES = [role for role in Role if role != Role.MANAGER]


@transaction.atomic
def integration_account_create(
    *,
    provider: Provider,
    username: str,
    name: str,
    role: str,
    actor: User,
    origin: AuditOrigin | None = None,
) -> User:
    """An account for another system (a pharmacy link, a reporting tool): no person behind
    it, no password (it cannot sign in to the pages), only the role it is given, reached
    only through the API tokens a manager issues for it."""
    if role not in INTEGRATION_ROLES:
        raise ValidationError({"role": "An integration account cannot be a service manager"})
    account = User(
        username=username,
        first_name=name,
        kind=User.Kind.INTEGRATION,
        provider=provider,
        role=role,
    )
    account.set_unusable_password()
    return record_save(
        account,
        actor=actor,
        origin=origin,
        detail=f"integration account {username} as {Role(role).label}",
    )


@transaction.atomic
def account_unlock(*, account: User, actor: User, origin: AuditOrigin | None = None) -> int:
    """Lift the lock django-axes put on `account` after too many wrong passwords, at every
    address it is locked at; returns how many locks were lifted."""
    lifted = axes_reset(username=account.username)
    if not lifted:
        raise ValidationError(f"{account.display_name}'s account is not locked")
    audit_record(
        actor=actor,
        action=Action.UNLOCK_ACCOUNT,
        obj=account,
        detail=f"unlocked {account.username}",
        origin=origin,
    )
    return lifted
