"""The instalment schedule a prescription's pattern makes: which days, each covering how many."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from beacon.prescribing.medicines import Medicine

SUNDAY = 6
PATTERN_INTERVAL_DAYS = {"daily": 1, "weekly": 7, "monthly": 28}


@dataclass(frozen=True)
class PlannedInstalment:
    date: datetime.date
    covers_days: int
    quantity: Decimal
    supervised: bool


def instalment_days(
    pattern: str, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, int]]:
    """(day, days covered) for each instalment from start to end inclusive."""
    days = []
    if pattern == "mon_sat":
        day = start
        while day <= end:
            if day.weekday() != SUNDAY:
                # Saturday's instalment also covers Sunday, when Sunday is prescribed.
                covers = 2 if day.weekday() == 5 and day < end else 1
                days.append((day, covers))
            day += datetime.timedelta(days=1)
        return days
    step = PATTERN_INTERVAL_DAYS.get(pattern)
    if step is None:
        return []
    day = start
    while day <= end:
        covers = min(step, (end - day).days + 1)
        days.append((day, covers))
        day += datetime.timedelta(days=step)
    return days


def instalment_quantity(medicine: Medicine, dose: Decimal, covers_days: int) -> Decimal:
    # An injection is one dose whatever it covers; oral doses are a day's dose for each day.
    return dose if medicine.is_injection else dose * covers_days


def planned_instalments(
    *,
    medicine: Medicine,
    dose: Decimal,
    pattern: str,
    start: datetime.date,
    end: datetime.date,
    supervised_days: str,
) -> list[PlannedInstalment]:
    return [
        PlannedInstalment(
            date=day,
            covers_days=covers,
            quantity=instalment_quantity(medicine, dose, covers),
            supervised=medicine.is_injection or str(day.weekday()) in supervised_days,
        )
        for day, covers in instalment_days(pattern, start, end)
    ]
