"""Reads of the police notice: one row per round of a day that has stops (driver, vehicle,
shift, postcode districts; never a client's name, address, full postcode or dose), and the
sendings of the notice recorded so far."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from beacon.clients.validators import postcode_district
from beacon.core.models import Provider
from beacon.delivery.models import PoliceNoticeSent


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


def police_notice_rows(*, provider: Provider, date: datetime.date) -> list[NoticeRow]:
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


def police_notices_sent(*, provider: Provider, date: datetime.date) -> QuerySet[PoliceNoticeSent]:
    return (
        provider.police_notices_sent.filter(date=date)
        .select_related("sent_by")
        .order_by("-sent_at", "-id")
    )
