"""Reads of the core app: audit log search, two-factor devices, alerts, texts, locked
accounts, API tokens."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.models import (
    Alert,
    ApiToken,
    AuditEntry,
    Provider,
    TextMessage,
    TextWording,
    User,
)
from beacon.core.notify import texts_off_reason
from beacon.core.permissions import ensure_can
from beacon.core.texts import DEFAULT_WORDING, mobile_number

if TYPE_CHECKING:  # a text goes to a client; core imports no app at run time
    from beacon.clients.models import Client

DEMO_DEVICE_NAME = "demo"


def audit_entries_search(
    *,
    provider: Provider,
    username: str = "",
    client_number: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The provider's entries, newest first, filtered: `username` matches part of a user's
    account name or full name, `client_number` part of a client number ("206" finds
    TRS-00206), dates are London days, both ends included."""
    entries = provider.audit_entries.select_related("user", "client")
    if username:
        words = username.split()
        if len(words) == 1:
            entries = entries.filter(
                Q(username__icontains=words[0])
                | Q(user__first_name__icontains=words[0])
                | Q(user__last_name__icontains=words[0])
            )
        else:  # "Wren Halloway": first and last name
            entries = entries.filter(
                user__first_name__icontains=words[0], user__last_name__icontains=words[-1]
            )
    if client_number:
        entries = entries.filter(client__client_number__icontains=client_number.strip())
    if action:
        entries = entries.filter(action=action)
    entries = within_london_days(entries, "at", date_from=date_from, date_to=date_to)
    return entries.order_by("-at", "-id")


RecordsT = TypeVar("RecordsT", bound=QuerySet)


def within_london_days(
    records: RecordsT,
    field: str,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> RecordsT:
    """Records whose time `field` falls on London days `date_from` to `date_to`, both ends
    included (either may be left open)."""
    tz = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        records = records.filter(**{f"{field}__gte": start})
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        records = records.filter(**{f"{field}__lt": end})
    return records


def audit_entry_records(
    entries: Iterable[AuditEntry], *, provider: Provider
) -> dict[tuple[str, str], models.Model]:
    """The records the entries name, loaded in one query per kind of record (with the
    records they point to), only from `provider`: (label, id) → record. An entry whose
    record is gone, or of a kind without a provider, is missing from the answer."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[tuple[str, str], models.Model] = {}
    for label, ids in wanted.items():
        try:
            model = django_apps.get_model(label)
        except (LookupError, ValueError):
            continue
        field_names = {field.name for field in model._meta.fields}
        if "provider" not in field_names:
            continue
        related = [
            field.name
            for field in model._meta.fields
            if field.many_to_one and field.name != "provider"
        ]
        keys = []
        for value in ids:
            try:
                keys.append(model._meta.pk.to_python(value))
            except ValidationError:
                continue  # not an id of this kind of record: shown by its number alone
        records = model._default_manager.filter(provider=provider, pk__in=keys)
        for record in records.select_related(*related):
            found[(label, str(record.pk))] = record
    return found


def address_locked_out(*, ip_address: str | None) -> bool:
    """Too many failed sign-ins from one address, to whatever accounts, in the last
    `BEACON_ADDRESS_LOCK_HOURS`: the address is locked for longer than one account is
    (django-axes locks an account at one address for AXES_COOLOFF_MINUTES)."""
    if not ip_address:
        return False
    since = timezone.now() - datetime.timedelta(hours=settings.BEACON_ADDRESS_LOCK_HOURS)
    failures = AuditEntry.objects.filter(
        action=AuditEntry.Action.SIGN_IN_FAILED, ip_address=ip_address, at__gte=since
    )
    return failures.count() >= settings.BEACON_ADDRESS_FAILURE_LIMIT


def totp_device_for(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


def totp_secret(device: TOTPDevice) -> str:
    """The shared secret in base32, for typing into an app when the QR code cannot be scanned."""
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


def totp_current_code(device: TOTPDevice) -> str:
    """The code the device accepts now. A code is used once (django-otp remembers the last
    time step), so a second sign-in within the same 30 seconds gets the next step's code,
    which the device's tolerance of one step accepts."""
    if device.pk is not None:
        device.refresh_from_db(fields=["last_t", "drift"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t() and device.last_t + 1 <= totp.t() + device.tolerance:
        totp.time = totp.time + (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def demo_two_factor_code(device: TOTPDevice) -> str | None:
    """The documented demo bypass: only with DEBUG on and only for the seeded demo devices."""
    if settings.DEBUG and settings.BEACON_DEMO_TWO_FACTOR_HINT and device.name == DEMO_DEVICE_NAME:
        return totp_current_code(device)
    return None


def alerts_for(*, user: User, show: str = "", kind: str = "") -> QuerySet[Alert]:
    """The user's own alerts in the provider they act for now, newest first: all of them,
    or only the `show="new"` (unread) or `"read"` ones, of one `kind` if given."""
    alerts = user.alerts.filter(provider_id=user.provider_id)
    if show == "new":
        alerts = alerts.filter(read_at__isnull=True)
    elif show == "read":
        alerts = alerts.filter(read_at__isnull=False)
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts.select_related("client").order_by("-created_at", "-id")


def alert_counts(*, user: User) -> tuple[int, int]:
    """(all, unread) alerts of the user in their provider, in one query."""
    if not user.is_authenticated:
        return 0, 0
    counts = user.alerts.filter(provider_id=user.provider_id).aggregate(
        total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True))
    )
    return counts["total"], counts["unread"]


# Locked accounts and API tokens ----------------------------------------------------------


@dataclass(frozen=True)
class LockedAccount:
    """An account django-axes has locked after too many wrong passwords: from which
    addresses, and until when (the latest lock)."""

    user: User
    addresses: list[str]
    locked_until: datetime.datetime


def locked_accounts(*, provider: Provider) -> list[LockedAccount]:
    """The provider's accounts locked now, at any address, by name. The set-up superuser
    is left out: a service manager cannot unlock it (that is done on the server)."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    people = provider.users.filter(is_superuser=False)
    attempts = AccessAttempt.objects.filter(
        username__in=people.values("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).order_by("attempt_time")
    by_username: dict[str, list[AccessAttempt]] = {}
    for attempt in attempts:
        by_username.setdefault(attempt.username or "", []).append(attempt)
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return [
        LockedAccount(
            user=user,
            addresses=sorted({a.ip_address or "unknown" for a in by_username[user.username]}),
            locked_until=by_username[user.username][-1].attempt_time + cool_off,
        )
        for user in people.filter(username__in=by_username).order_by("last_name", "username")
    ]


def lockable_account_get(*, user: User, account_id: int) -> User:
    """An account of the manager's own provider that they may unlock; 404 for another
    provider's account or the set-up superuser."""
    ensure_can(user, "core.unlock_accounts")
    return get_object_or_404(user.provider.users.filter(is_superuser=False), pk=account_id)


def api_token_to_accept_get(*, user: User, token_id: int) -> ApiToken:
    """A token waiting for `user` to accept it; 404 for anyone else's token."""
    return get_object_or_404(
        user.api_tokens.filter(
            provider_id=user.provider_id, accepted_at__isnull=True, revoked_at__isnull=True
        ),
        pk=token_id,
    )


class TokenStatus:
    WORKING = "working"
    WAITING = "waiting"
    ENDED = "ended"

    choices = [
        (WORKING, "Working"),
        (WAITING, "Waiting to be accepted"),
        (ENDED, "Revoked or expired"),
    ]


def api_tokens_search(
    *, provider: Provider, status: str = "", account: str = "", now: datetime.datetime | None = None
) -> QuerySet[ApiToken]:
    """The provider's tokens, newest first: `status` as `ApiToken.is_active`, `is_pending`
    and the rest read it (a test keeps the two agreed), `account` part of the name of the
    account a token acts as."""
    now = now or timezone.now()
    tokens = provider.api_tokens.select_related("user", "created_by")
    live = Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    if status == TokenStatus.WORKING:
        tokens = tokens.filter(live, accepted_at__isnull=False)
    elif status == TokenStatus.WAITING:
        tokens = tokens.filter(live, accepted_at__isnull=True)
    elif status == TokenStatus.ENDED:
        tokens = tokens.exclude(live)
    for word in account.split()[:3]:
        tokens = tokens.filter(
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
        )
    return tokens.order_by("-created_at", "-id")


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The tokens that act as `user`, pending ones first."""
    return (
        user.api_tokens.filter(provider_id=user.provider_id)
        .select_related("user", "created_by")
        .order_by(F("accepted_at").asc(nulls_first=True), "-created_at")
    )


def api_token_accounts(*, provider: Provider) -> QuerySet[User]:
    """Who a manager may issue a token for: the provider's active people and integration
    accounts, never the set-up superuser."""
    return provider.users.filter(is_active=True, is_superuser=False).order_by("kind", "username")


# Texts to clients ------------------------------------------------------------------------


def text_wording_for(*, provider: Provider, purpose: str) -> TextWording:
    """The provider's wording of `purpose`, or the default (unsaved) when none was saved."""
    wording = TextWording.objects.filter(provider=provider, purpose=purpose).first()
    return wording or TextWording(
        provider=provider, purpose=purpose, body=DEFAULT_WORDING[purpose], service_phone=""
    )


def text_refusal(*, client: "Client", purpose: str) -> str:
    """Why no text of `purpose` may go to `client` now ("" when one may): texts off, no
    consent to contact by text, no mobile number, or no phone number for the wording."""
    off = texts_off_reason(purpose)
    if off:
        return off
    if not client.consent_contact_by_text:
        return "The client has not agreed to be contacted by text."
    if mobile_number(client.phone) is None:
        return "The client has no mobile number on their record."
    wording = text_wording_for(provider=client.provider, purpose=purpose)
    if "{service_phone}" in wording.body and not wording.service_phone:
        return "Set the phone number of the wording on the Texts page first."
    return ""


# The statuses a manager chases: the text never reached the client's phone.
TEXT_FAILED_STATUSES = (
    TextMessage.Status.PERMANENT_FAILURE,
    TextMessage.Status.TEMPORARY_FAILURE,
    TextMessage.Status.TECHNICAL_FAILURE,
    TextMessage.Status.NOT_SENT,
)


def texts_search(
    *,
    provider: Provider,
    client_number: str = "",
    purpose: str = "",
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[TextMessage]:
    """The provider's texts, newest first, with their clients: `client_number` matches part
    of one, `status` "failed" any failure, dates are London days of queueing."""
    texts = provider.text_messages.select_related("client")
    if client_number:
        texts = texts.filter(client__client_number__icontains=client_number.strip())
    if purpose:
        texts = texts.filter(purpose=purpose)
    if status == "failed":
        texts = texts.filter(status__in=TEXT_FAILED_STATUSES)
    elif status:
        texts = texts.filter(status=status)
    texts = within_london_days(texts, "queued_at", date_from=date_from, date_to=date_to)
    return texts.order_by("-queued_at", "-id")


def text_by_notify_id(*, notify_id: str) -> TextMessage | None:
    """The text Notify knows by `notify_id` (its receipts name no provider: the id is
    Notify's own, unique across every service)."""
    if not notify_id:
        return None
    return TextMessage.objects.filter(notify_id=notify_id).first()


def text_by_reference(*, provider: Provider, reference: str) -> TextMessage | None:
    """The provider's text queued for `reference` (e.g. an appointment's reminder), if any:
    what a page shows of the text sent about a record."""
    return provider.text_messages.filter(reference=reference).first()
