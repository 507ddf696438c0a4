"""Writes of the core app: sign-in records, two-factor enrolment, alerts, API tokens,
integration accounts, unlocking accounts, texts."""

import contextlib
import datetime
import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks.base import Task

from beacon.core.audit import Action, AuditOrigin, audit_record, record_save
from beacon.core.models import (
    Alert,
    ApiToken,
    Provider,
    TextMessage,
    TextPurpose,
    TextWording,
    User,
)
from beacon.core.notify import (
    NotifyRefused,
    NotifyUnavailable,
    notify_send_text,
    notify_text_status,
    texts_off_reason,
)
from beacon.core.permissions import user_can
from beacon.core.roles import Role
from beacon.core.selectors import text_refusal, text_wording_for, totp_device_for
from beacon.core.states import StateMachine
from beacon.core.tasks import alert_email_send, text_send, text_status_check
from beacon.core.texts import clinical_words_in, mobile_number, wording_check, wording_render

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
    or_managers: bool = False,
) -> list[Alert]:
    """Alert each recipient (once, however often they are named) in the app; when
    BEACON_ALERT_EMAILS is on, email those with an address once the transaction commits.
    Called inside the service that found the thing to alert on. With `or_managers`, when
    none of the recipients can be alerted (none named, or no longer active), the provider's
    active managers are, so that an alert somebody must act on reaches somebody."""
    recipients = list(recipients)
    if or_managers and not any(user is not None and user.is_active for user in recipients):
        recipients = list(provider.users.filter(role=Role.MANAGER, is_active=True))
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


# Texts to clients by GOV.UK Notify ---------------------------------------------------------

_NOTIFY_STATUSES = ["created", "sending", "pending", "sent"]
_TEXT_FINAL = ["delivered", "permanent-failure", "temporary-failure", "technical-failure"]
# Notify reports may arrive late or twice (a callback and our own check); a final status
# is never overwritten, and an in-progress one may move to any other.
TEXT_STATES: StateMachine[TextMessage] = StateMachine(
    TextMessage.Status,
    {
        "queued": [*_NOTIFY_STATUSES, *_TEXT_FINAL, "not-sent"],
        **{state: [*_NOTIFY_STATUSES, *_TEXT_FINAL] for state in _NOTIFY_STATUSES},
        **{state: [] for state in [*_TEXT_FINAL, "not-sent"]},
    },
    refusal=lambda text, to: f"A text that is {text.get_status_display().lower()} stays so",
)
# After a failed attempt to reach Notify, wait this long before the next; then give up.
TEXT_RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
]
# Ask Notify what became of an accepted text this long after sending, then after each
# further delay, until it reports a final status (Notify itself retries for 72 hours).
TEXT_STATUS_CHECK_DELAYS = [
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=3),
    datetime.timedelta(hours=24),
    datetime.timedelta(hours=73),
]


def _enqueue_later(task: Task, text_id: int, delay: datetime.timedelta) -> bool:
    """Queue `task` for the text after `delay`, once the transaction commits; False when the
    tasks backend cannot wait (BEACON_TASKS_BACKEND=immediate)."""
    if not task.get_backend().supports_defer:
        return False
    later = task.using(run_after=timezone.now() + delay)
    transaction.on_commit(partial(later.enqueue, text_id))
    return True


@transaction.atomic
def text_wording_save(
    *,
    provider: Provider,
    purpose: str,
    body: str,
    service_phone: str,
    actor: User,
    origin: AuditOrigin | None = None,
) -> TextWording:
    """Save a provider's wording of one kind of text, refused if it says what the service is
    or uses an unknown placeholder (texts.wording_check)."""
    wording_check(body, purpose=purpose, provider_name=provider.name)
    if "{service_phone}" in body and not service_phone.strip():
        raise ValidationError(
            {"service_phone": "Enter the phone number: the wording uses {service_phone}"}
        )
    wording = TextWording.objects.filter(provider=provider, purpose=purpose).first()
    action = Action.UPDATE if wording else Action.CREATE
    wording = wording or TextWording(provider=provider, purpose=purpose)
    wording.body, wording.service_phone, wording.updated_by = body, service_phone, actor
    return record_save(wording, actor=actor, action=action, origin=origin, detail="text wording")


@transaction.atomic
def text_queue(
    *,
    client: "Client",
    purpose: str,
    personalisation: Mapping[str, str],
    reference: str,
) -> TextMessage | None:
    """Word a text to `client` from the provider's wording of `purpose` and queue it for
    GOV.UK Notify; the send runs in the background (tasks.text_send) once this commits.

    `personalisation` fills the wording's placeholders (texts.PLACEHOLDERS; the service's
    phone comes from the wording): for an appointment reminder `staff_first_name`, `day`
    ("tomorrow"), `time` ("10:30") and `place` ("Harbour Street"). `reference` says what
    the text is for, once (e.g. "appointment-reminder-123"): the same reference again
    returns the text already queued (selectors.text_by_reference finds it later).

    Returns None, and sends nothing, when texts of `purpose` are off, or the client has not
    consented to texts or has no mobile number (selectors.text_refusal says which).
    Refuses (ValidationError) a text that would name a clinical word, e.g. in a place name.
    """
    existing = TextMessage.objects.filter(provider_id=client.provider_id, reference=reference)
    if existing.exists():
        return existing.get()
    if text_refusal(client=client, purpose=purpose):
        return None
    wording = text_wording_for(provider=client.provider, purpose=purpose)
    body = wording_render(wording.body, {**personalisation, "service_phone": wording.service_phone})
    words = clinical_words_in(body, provider_name=client.provider.name)
    if words:
        raise ValidationError(
            "The text would say what the service is ("
            + ", ".join(f"“{word}”" for word in words)
            + "); nothing was sent"
        )
    text = record_save(
        TextMessage(
            provider_id=client.provider_id,
            client=client,
            purpose=purpose,
            reference=reference,
            body=body,
            phone=mobile_number(client.phone),
        ),
        actor=None,
        detail=f"{TextPurpose(purpose).label.lower()} text queued",
    )
    transaction.on_commit(partial(text_send.enqueue, text.pk))
    return text


@dataclass
class TextsQueued:
    """What one run of a day's texts did: texts queued now, queued before, and not sent, why."""

    queued: int = 0
    already: int = 0
    not_sent: Counter[str] = field(default_factory=Counter)

    def summary(self, what: str, *, day: datetime.date) -> str:
        """One line for a management command's output."""
        line = f"{self.queued} {what} queued for {day:%d/%m/%Y}, {self.already} queued before"
        for reason, count in sorted(self.not_sent.items()):
            line += f"; not sent to {count}: {reason}"
        return line


def texts_queue_each(
    *, purpose: str, wanted: Iterable[tuple["Client", str, Mapping[str, str]]]
) -> TextsQueued:
    """Queue a text of `purpose` for each (client, reference, personalisation) in `wanted`,
    through text_queue, counting what happened: a reference already queued is not sent
    again, a client who cannot be texted (text_refusal) or a text that would name a
    clinical word is counted with the reason, and the others are queued."""
    result = TextsQueued()
    for client, reference, personalisation in wanted:
        if TextMessage.objects.filter(provider_id=client.provider_id, reference=reference).exists():
            result.already += 1
            continue
        reason = text_refusal(client=client, purpose=purpose)
        if reason:
            result.not_sent[reason] += 1
            continue
        try:
            text_queue(
                client=client,
                purpose=purpose,
                personalisation=personalisation,
                reference=reference,
            )
        except ValidationError as exc:
            result.not_sent[" ".join(exc.messages)] += 1
            continue
        result.queued += 1
    return result


@transaction.atomic
def text_send_attempt(*, text_id: int) -> TextMessage | None:
    """Hand a queued text to Notify (the background task's work). On success it records
    Notify's id and schedules the status checks; when Notify cannot be reached it tries
    again later (TEXT_RETRY_DELAYS), then marks it not sent; a refusal is final."""
    rows = TextMessage.objects.select_for_update().select_related("client").filter(pk=text_id)
    text = rows.first()
    if text is None or text.status != TextMessage.Status.QUEUED:
        return text  # sent already: a task run twice sends once
    refused = ""
    if not text.client.consent_contact_by_text or mobile_number(text.client.phone) is None:
        refused = "Not sent: the client no longer agrees to texts, or has no mobile number"
    elif mobile_number(text.client.phone) != text.phone:
        # The old phone may now be someone else's: never text a number the client replaced.
        refused = "Not sent: the client's mobile number changed after it was queued"
    if refused:
        text.error = refused
        TEXT_STATES.move(text, TextMessage.Status.NOT_SENT, save=False)
        text.save(update_fields=["status", "error"])
        return text
    off = texts_off_reason(text.purpose)
    text.attempts += 1
    try:
        if off:
            raise NotifyRefused(off)
        answer = notify_send_text(
            phone=text.phone, purpose=text.purpose, body=text.body, reference=f"beacon-{text.pk}"
        )
    except NotifyUnavailable as exc:
        text.error = str(exc)
        retry = text.attempts <= len(TEXT_RETRY_DELAYS) and _enqueue_later(
            text_send, text.pk, TEXT_RETRY_DELAYS[text.attempts - 1]
        )
        if not retry:
            TEXT_STATES.move(text, TextMessage.Status.NOT_SENT, save=False)
        text.save(update_fields=["status", "attempts", "error"])
        return text
    except NotifyRefused as exc:
        text.error = str(exc)
        TEXT_STATES.move(text, TextMessage.Status.NOT_SENT, save=False)
        text.save(update_fields=["status", "attempts", "error"])
        return text
    text.notify_id, text.sent_at, text.error = answer.notify_id, timezone.now(), ""
    TEXT_STATES.move(text, answer.status, save=False)
    text.save(update_fields=["status", "attempts", "error", "notify_id", "sent_at"])
    _enqueue_later(text_status_check, text.pk, TEXT_STATUS_CHECK_DELAYS[0])
    return text


@transaction.atomic
def text_status_record(*, text: TextMessage, status: str) -> bool:
    """Record Notify's report of a text's status (from its callback or our check); True when
    it changed. A report after a final status, or of an unknown status, changes nothing."""
    text = TextMessage.objects.select_for_update().get(pk=text.pk)
    if status == text.status or status not in TextMessage.Status.values:
        return False
    if not TEXT_STATES.can_move(text, status) or status == TextMessage.Status.QUEUED:
        return False
    text.status_at = timezone.now()
    TEXT_STATES.move(text, status, save=False)
    text.save(update_fields=["status", "status_at"])
    return True


def text_status_check_attempt(*, text_id: int) -> TextMessage | None:
    """Ask Notify what became of a text (the background task's work); ask again later
    while it is still on its way (TEXT_STATUS_CHECK_DELAYS)."""
    text = TextMessage.objects.filter(pk=text_id).exclude(notify_id="").first()
    if text is None or text.status in TEXT_STATES.final_states():
        return text
    with contextlib.suppress(NotifyUnavailable, NotifyRefused):  # asked again below
        text_status_record(text=text, status=notify_text_status(text.notify_id))
    text.refresh_from_db()
    if text.status not in TEXT_STATES.final_states():
        waited = timezone.now() - (text.sent_at or text.queued_at)
        later = [delay for delay in TEXT_STATUS_CHECK_DELAYS if delay > waited]
        if later:
            with transaction.atomic():  # queued when this block commits
                _enqueue_later(text_status_check, text.pk, later[0] - waited)
    return text
