"""The auditor: services and selectors call it to write the append-only audit log."""

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.http import HttpRequest

from beacon.core.models import AuditEntry, User

if TYPE_CHECKING:  # the audit entry names a client; core imports no app at run time
    from beacon.clients.models import Client

Action = AuditEntry.Action
Channel = AuditEntry.Channel


@dataclass(frozen=True)
class AuditOrigin:
    """Where an action came from, for the audit log: the address and the channel (web page,
    API, command). Views build it from the request (`audit_origin`) and pass it to
    services, which never see the request itself."""

    ip_address: str | None = None
    channel: str = Channel.COMMAND
    # One id per request: the entries one page view wrote are one row of the audit log.
    request_id: uuid.UUID | None = None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_origin(request: HttpRequest | None) -> AuditOrigin | None:
    """The origin of a request: its address, and the API channel when a token signed it in."""
    if request is None:
        return None
    if not hasattr(request, "beacon_request_id"):
        request.beacon_request_id = uuid.uuid4()  # type: ignore[attr-defined]
    return AuditOrigin(
        ip_address=client_ip(request),
        channel=getattr(request, "beacon_channel", Channel.WEB),
        request_id=request.beacon_request_id,  # type: ignore[attr-defined]
    )


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    client: "Client | None" = None,
    detail: str = "",
    origin: AuditOrigin | None = None,
) -> AuditEntry:
    """Write one entry: who (and in which role), did what, to which record, when, from where
    (`origin`; none means a command run on the server)."""
    origin = origin or AuditOrigin()
    return AuditEntry.objects.create(
        provider_id=getattr(actor, "provider_id", None),
        user=actor if getattr(actor, "pk", None) else None,
        username=getattr(actor, "username", "") or "system",
        role=getattr(actor, "role", "")
        or ("superuser" if getattr(actor, "is_superuser", False) else ""),
        action=action,
        channel=origin.channel,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        client=client,
        detail=detail[:500],
        ip_address=origin.ip_address,
        request_id=origin.request_id,
    )


def audit_request(
    request: HttpRequest,
    *,
    action: str,
    detail: str = "",
    obj: models.Model | None = None,
    client: "Client | None" = None,
) -> AuditEntry:
    """The entry a page or an API endpoint writes itself (a list read, an export): by the
    request's signed-in user, from the request's address and channel. Services take an
    `AuditOrigin` instead and call `audit_record`."""
    user = request.user
    return audit_record(
        actor=user if isinstance(user, User) else None,
        action=action,
        obj=obj,
        client=client,
        detail=detail,
        origin=audit_origin(request),
    )


def audit_refusal(request: HttpRequest, status: int) -> None:
    """A refused attempt (403, or 404 on a record the user may not reach, such as another
    provider's) by a signed-in user: who tried what, from where."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    audit_request(
        request, action=Action.REFUSED, detail=f"{status} {request.method} {request.path}"[:500]
    )


M = TypeVar("M", bound=models.Model)


def record_save(
    instance: M,
    *,
    actor: User | None,
    action: str = Action.CREATE,
    origin: AuditOrigin | None = None,
    client: "Client | None" = None,
    detail: str = "",
    exclude: list[str] | None = None,
) -> M:
    """The one save path of services: validate the record (model constraints and field
    checks, leaving out `exclude`), save it, and write its audit entry, in the caller's
    transaction. `client` defaults to the record's own client, when it has one."""
    instance.full_clean(exclude=exclude)
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        obj=instance,
        client=client or getattr(instance, "client", None),
        detail=detail,
        origin=origin,
    )
    return instance
