"""The police notice of a day: which drivers and vehicles carry controlled drugs, when, and
in which postcode districts, so a driver stopped by the police can be cleared quickly.

The notice holds no client's name, address, full postcode or dose: only the postcode
district (outward code) of each stop. One row per driver's shift that has a round with
stops; a driver without stops is not listed. Sendings of the notice are recorded and
audited; so is the CSV export (in the view).
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from beacon.clients.validators import postcode_district
from beacon.core.audit import Action, audit_record
from beacon.delivery.models import PoliceNoticeSent

CSV_HEADER = [
    "date",
    "driver",
    "organisation",
    "registration",
    "make",
    "colour",
    "shift start",
    "shift end",
    "areas",
]


@dataclass(frozen=True)
class NoticeRow:
    driver: str
    organisation: str
    registration: str
    make: str
    colour: str
    shift_start: datetime.time
    shift_end: datetime.time
    areas: list[str]


def police_notice_rows(*, provider, date: datetime.date) -> list[NoticeRow]:
    """One row per round of `date` that has stops, in shift order."""
    rounds = (
        provider.delivery_rounds.filter(date=date, stops__isnull=False)
        .distinct()
        .select_related("shift__driver", "shift__vehicle__partner_organisation")
        .order_by("shift__start_time", "id")
    )
    rows = []
    for round_ in rounds:
        postcodes = round_.stops.values_list("client__delivery_details__postcode", flat=True)
        areas = sorted({postcode_district(p) for p in postcodes if p} - {""})
        shift, vehicle = round_.shift, round_.shift.vehicle
        rows.append(
            NoticeRow(
                driver=shift.driver.display_name,
                organisation=vehicle.partner_organisation.name,
                registration=vehicle.registration,
                make=vehicle.make,
                colour=vehicle.colour,
                shift_start=shift.start_time,
                shift_end=shift.end_time,
                areas=areas,
            )
        )
    return rows


def police_notice_csv(*, date: datetime.date, rows: list[NoticeRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                date.isoformat(),
                row.driver,
                row.organisation,
                row.registration,
                row.make,
                row.colour,
                f"{row.shift_start:%H:%M}",
                f"{row.shift_end:%H:%M}",
                " ".join(row.areas),
            ]
        )
    return out.getvalue()


def police_notices_sent(*, provider, date: datetime.date):
    return (
        provider.police_notices_sent.filter(date=date)
        .select_related("sent_by")
        .order_by("-sent_at", "-id")
    )


@transaction.atomic
def police_notice_sent_record(
    *, actor, provider, date: datetime.date, data: dict, request=None
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
    sending.full_clean()
    sending.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=sending,
        detail=f"police notice for {date:%Y-%m-%d} sent to {sending.sent_to} "
        f"by {sending.get_method_display().lower()}",
        request=request,
    )
    return sending
