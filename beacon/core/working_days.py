"""Working days: Monday to Friday, less the bank holidays of the service's nation.

Bank holidays come from the `holidays` package (GOV.UK's list, with one-off days such as a
coronation), for `BEACON_BANK_HOLIDAYS` (default "ENG": England; "WLS", "SCT" or "NIR" for a
service elsewhere in the UK). Every "next working day" and "N working days" rule in Beacon
counts through this module (H-88, H-173, H-203, H-261, H-176).
"""

import datetime
from functools import cache

import holidays
from django.conf import settings


@cache
def _bank_holidays(nation: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=nation)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(settings.BEACON_BANK_HOLIDAYS)


def bank_holiday_name(day: datetime.date) -> str | None:
    """The bank holiday's name ("Christmas Day"), or None on any other day."""
    return _bank_holidays(settings.BEACON_BANK_HOLIDAYS).get(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day after `day`."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The day `count` working days before `day` (the days between are included whatever
    they are: a weekend before a Monday is within one working day of it)."""
    while count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
