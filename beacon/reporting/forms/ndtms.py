"""The NDTMS return's form: which month, in which dataset version."""

import datetime

from django import forms
from django.utils import timezone

from beacon.core.forms import FilterForm
from beacon.reporting.datasets import CURRENT, DATASET_VERSIONS
from beacon.reporting.selectors.ndtms import month_period

MONTHS_OFFERED = 36


def months_back(today: datetime.date, count: int = MONTHS_OFFERED) -> list[str]:
    """This month and the `count - 1` before it, newest first, as YYYY-MM."""
    index = today.year * 12 + today.month - 1
    return [f"{(index - n) // 12}-{(index - n) % 12 + 1:02d}" for n in range(count)]


def last_month(today: datetime.date) -> str:
    return months_back(today, 2)[1]


class NdtmsReturnForm(FilterForm):
    month = forms.ChoiceField(label="Month", help_text="The month the return is for")
    dataset = forms.ChoiceField(
        label="Dataset version",
        required=False,
        choices=[(letter, version.title) for letter, version in DATASET_VERSIONS.items()],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].choices = [(m, m) for m in months_back(today)]
        self.fields["month"].initial = last_month(today)
        self.fields["dataset"].initial = CURRENT.letter

    def chosen(self) -> tuple[str, str]:
        """The month and dataset letter asked for, or last month in the current version."""
        data = self.filters()
        today = timezone.localdate()
        return data.get("month") or last_month(today), data.get("dataset") or CURRENT.letter

    def period(self) -> tuple[datetime.date, datetime.date]:
        return month_period(self.chosen()[0])
