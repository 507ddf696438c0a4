"""Writes of the caseload and the lists of what is due: the audit entry of opening one."""

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import User


def due_list_viewed(
    *, actor: User, what: str, count: int, origin: AuditOrigin | None = None
) -> None:
    """Lists name clients; like a search, the entry records the list and its size."""
    audit_record(actor=actor, action=Action.VIEW, detail=f"{what}, {count} shown", origin=origin)
