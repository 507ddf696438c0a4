"""The auditor: services and selectors call it to write the append-only audit log."""

from django.db import models

from beacon.core.models import AuditEntry

Action = AuditEntry.Action
Channel = AuditEntry.Channel


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    client=None,
    detail: str = "",
    request=None,
    channel: str | None = None,
) -> AuditEntry:
    """Write one entry: who (and in which role), did what, to which record, when, from where."""
    if channel is None:
        channel = getattr(request, "beacon_channel", Channel.WEB) if request else Channel.COMMAND
    return AuditEntry.objects.create(
        provider_id=getattr(actor, "provider_id", None),
        user=actor if getattr(actor, "pk", None) else None,
        username=getattr(actor, "username", "") or "system",
        role=getattr(actor, "role", "")
        or ("superuser" if getattr(actor, "is_superuser", False) else ""),
        action=action,
        channel=channel,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        client=client,
        detail=detail[:500],
        ip_address=client_ip(request),
    )
