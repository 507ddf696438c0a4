"""Dates typed as day, month and year in three boxes (the NHS.UK date input pattern)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")


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
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
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
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None
