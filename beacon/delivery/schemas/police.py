"""Shapes of the police notice API: drivers, vehicles, shifts and postcode districts only;
no client, address or dose."""

import datetime

from ninja import Schema

from beacon.core.schemas import DateTime, Input, LocalTime, choice, text
from beacon.delivery.models import PoliceNoticeSent


class PoliceNoticeRowOut(Schema):
    driver: str
    organisation: str
    registration: str
    make: str
    colour: str
    shift_start: LocalTime
    shift_end: LocalTime
    areas: list[str]


class PoliceNoticeSentOut(Schema):
    id: int
    date: datetime.date
    sent_at: datetime.datetime
    sent_to: str
    method: str
    sent_by_id: int
    notes: str


class PoliceNoticeOut(Schema):
    date: datetime.date
    rows: list[PoliceNoticeRowOut]
    sendings: list[PoliceNoticeSentOut]


class PoliceNoticeSentIn(Input):
    sent_to: text(200, required=True)
    method: choice(PoliceNoticeSent.Method)
    sent_at: DateTime | None = None
    notes: text(2000) = ""
