"""Building blocks every app's API schemas share: strict input, dates, times, code lists,
text sizes, numbers that fit the database, errors."""

import datetime
import re
import zoneinfo
from typing import Annotated, Any

from django.db import models
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from beacon.core.dates import FIRST_YEAR, LAST_YEAR

# `offset`, `page` and ids sent by a caller stay far below PostgreSQL's 64-bit integers.
MAX_OFFSET = 10**9
UK_TIME = zoneinfo.ZoneInfo("Europe/London")

LOCAL_TIME_MESSAGE = "Give a local time (UK time) without a UTC offset, for example 09:30"
DATE_TIME_MESSAGE = (
    "Give a date and time as YYYY-MM-DDTHH:MM, for example 2026-03-02T09:30 (UK time), "
    "or with a UTC offset (2026-03-02T09:30Z)"
)
_LOCAL_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_UTC_OFFSET = r"(Z|z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
LOCAL_TIME_PATTERN = f"^{_LOCAL_TIME}$"
DATE_TIME_PATTERN = f"^{_DATE}[Tt ]{_LOCAL_TIME}{_UTC_OFFSET}?$"


def _iso_date_text(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970; a date must be written as one.
    if isinstance(value, datetime.date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise PydanticCustomError("date_format", "Enter a date as YYYY-MM-DD, for example 1985-02-14")


def _sensible_year(value: datetime.date) -> datetime.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_range", f"Enter a date between the years {FIRST_YEAR} and {LAST_YEAR}"
        )
    return value


def _local_time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(_LOCAL_TIME, value):
        return datetime.time.fromisoformat(value)
    raise PydanticCustomError("local_time", LOCAL_TIME_MESSAGE)


def _date_time(value: Any) -> datetime.datetime:
    # Explicitly, before anything is written: a time without an offset is UK time (as the
    # pages read it); one with an offset is that instant. Either is kept in UTC.
    if isinstance(value, str) and re.fullmatch(f"{_DATE}[Tt ]{_LOCAL_TIME}{_UTC_OFFSET}?", value):
        try:
            value = datetime.datetime.fromisoformat(value.upper())
        except ValueError:
            raise PydanticCustomError("date_time", DATE_TIME_MESSAGE) from None
    if not isinstance(value, datetime.datetime):
        raise PydanticCustomError("date_time", DATE_TIME_MESSAGE)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UK_TIME)
    _sensible_year(value.date())
    return value.astimezone(datetime.UTC)


def text(max_length: int, *, required: bool = False) -> Any:
    """A string trimmed of outer spaces, at most `max_length` long (and not empty if required)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length, min_length=int(required)),
    ]


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date_text),
    AfterValidator(_sensible_year),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"YYYY-MM-DD, in the years {FIRST_YEAR} to {LAST_YEAR}",
        }
    ),
]
"""A date written as YYYY-MM-DD, in a year the service can mean (1900 to 2100)."""

LocalTime = Annotated[
    datetime.time,
    BeforeValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "A time of day in UK time, HH:MM or HH:MM:SS, without a UTC offset",
        }
    ),
]
"""A time of day in UK time; one with a UTC offset is refused (a shift, usual hours)."""

DateTime = Annotated[
    datetime.datetime,
    BeforeValidator(_date_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DATE_TIME_PATTERN,
            "description": "A date and time: without a UTC offset it is UK time; with one, "
            "that instant. Kept in UTC.",
        }
    ),
]
"""A date and time; naive means UK time, aware is converted; always UTC once read."""


def choice(code_list: type[models.TextChoices]) -> Any:
    """A field holding one of a Django code list, documented under its own unique name.

    A code list nested in a model (`Referral.Status`, `Triage.Outcome`) would otherwise be
    documented as a bare `Status` or `Outcome`, and one such component overwrites another.
    """
    name = code_list.__qualname__.replace(".", "")
    return Annotated[
        code_list,
        WithJsonSchema({"type": "string", "enum": list(code_list.values), "title": name}),
    ]


class Input(Schema):
    # Unknown keys are refused, so a misspelt field is an error rather than silently ignored;
    # codes are passed on as their plain string values.
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str | None
    message: str


class InvalidOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


REFUSED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
INVALID = {**REFUSED, 422: InvalidOut}
