"""Dates typed as day, month and year in three boxes (the NHS.UK date input pattern)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
# Dates the service can mean: a date of birth, a referral, a prescription's end. Outside
# these years a date is a typing slip (or a fuzzer's), refused before any rule runs.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class DayMonthYearWidget(forms.Widget):
    """Reads `name[day]`, `name[month]` and `name[year]`, as nhsukDateInput names them."""

    def value_from_datadict(self, data, files, name):
        parts = {part: (data.get(f"{name}[{part}]") or "").strip() for part in PARTS}
        if not any(parts.values()):
            # An ISO date in one value still works, for links such as ?date_from=2026-11-01.
            return data.get(name) or None
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}[{part}]" in data for part in PARTS)

    @staticmethod
    def parts(value) -> dict[str, str]:
        """The three boxes' contents for a date, a typed dict, an ISO string or nothing."""
        if isinstance(value, dict):
            return {part: value.get(part, "") for part in PARTS}
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return dict.fromkeys(PARTS, "")
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return dict.fromkeys(PARTS, "")


class DayMonthYearField(forms.Field):
    widget = DayMonthYearWidget

    def to_python(self, value) -> datetime.date | None:
        if value in (None, "", {}):
            return None
        if isinstance(value, datetime.date):
            return self._in_years(value)
        if isinstance(value, str):
            try:
                return self._in_years(datetime.date.fromisoformat(value))
            except ValueError:
                raise ValidationError("Enter a real date", code="invalid") from None
        missing = [part for part in PARTS if not value.get(part)]
        if missing:
            raise ValidationError(f"{self.label} must include a {missing[0]}", code="incomplete")
        try:
            day, month, year = (int(value[part]) for part in PARTS)
        except ValueError:
            raise ValidationError(
                f"{self.label} must be a real date, in numbers", code="invalid"
            ) from None
        if year < 1000:
            raise ValidationError("Enter the year as 4 digits, for example 1985", code="year")
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None
        return self._in_years(date)

    def _in_years(self, date: datetime.date) -> datetime.date:
        # After the last year the API accepts (core.schemas) a date is a typing slip, and
        # near the calendar's ends a day before or after cannot be counted. Each form says
        # itself how far back its dates go ("Date of birth must be after 1900").
        if date.year < 1000:
            raise ValidationError("Enter the year as 4 digits, for example 1985", code="year")
        if date.year > LAST_YEAR:
            raise ValidationError(
                f"{self.label or 'The date'} must be before the year {LAST_YEAR + 1}",
                code="year",
            )
        return date


def a_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February after a 29th)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def check_within_a_year(
    value: datetime.date | None, start: datetime.date | None, *, field: str, message: str
) -> None:
    """Refuse a date more than a year after `start`: a review or a booking further ahead is
    a typing slip (a year typed as 2036), and would leave the client unreviewed meanwhile."""
    if value and start and value > a_year_after(start):
        raise ValidationError({field: message})
