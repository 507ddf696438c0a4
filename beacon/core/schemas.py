"""Building blocks every app's API schemas share: strict input, dates, text sizes, errors."""

import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError


def _iso_date_text(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970; a date must be written as one.
    if isinstance(value, datetime.date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise PydanticCustomError("date_format", "Enter a date as YYYY-MM-DD, for example 1985-02-14")


def text(max_length: int, *, required: bool = False) -> Any:
    """A string trimmed of outer spaces, at most `max_length` long (and not empty if required)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length, min_length=int(required)),
    ]


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_text)]


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
