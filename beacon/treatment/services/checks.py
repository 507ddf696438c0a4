"""Date-order checks every treatment service shares; each raises a ValidationError on a field."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def on(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def check_not_in_future(value: datetime.date | None, field: str, label: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: f"{label} cannot be in the future"})


def check_not_before(
    value: datetime.date | None, earlier: datetime.date | None, field: str, message: str
) -> None:
    if value and earlier and value < earlier:
        raise ValidationError({field: message})
