"""API tokens: issue (shown once), look up by hash, revoke."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import ApiToken, User

TOKEN_PREFIX = "bcn_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, issued_by: User | None = None, origin: AuditOrigin | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the record and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
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
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute, so reads stay cheap.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
