"""Writes of the police notice: a record that the day's notice (which drivers and vehicles
carry controlled drugs, when, and in which postcode districts, so a driver stopped by the
police can be cleared quickly) was sent, audited. The notice itself is
selectors/police.py's; its CSV export is audited by the view.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from beacon.core.audit import AuditOrigin, record_save
from beacon.core.models import Provider, User
from beacon.delivery.models import PoliceNoticeSent


@transaction.atomic
def police_notice_sent_record(
    *,
    actor: User,
    provider: Provider,
    date: datetime.date,
    data: dict,
    origin: AuditOrigin | None = None,
) -> PoliceNoticeSent:
    """Record that the notice of `date` was sent; `sent_at` defaults to now (stored in UTC)."""
    sending = PoliceNoticeSent(
        provider=provider,
        date=date,
        sent_at=data.get("sent_at") or timezone.now(),
        sent_to=(data.get("sent_to") or "").strip(),
        method=data.get("method") or "",
        notes=(data.get("notes") or "").strip(),
        sent_by=actor,
    )
    return record_save(
        sending,
        actor=actor,
        origin=origin,
        detail=f"police notice for {date:%Y-%m-%d} sent to {sending.sent_to} "
        f"by {sending.get_method_display().lower()}",
    )
