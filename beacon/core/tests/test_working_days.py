"""Working days leave out weekends and the nation's bank holidays (H-176)."""

import datetime

from beacon.core import working_days

# A Thursday: Christmas Day is the Friday, and Boxing Day is observed on the Monday.
CHRISTMAS_EVE = datetime.date(2026, 12, 24)


def test_the_working_day_after_christmas_eve_is_the_tuesday_after_boxing_day():
    assert working_days.next_working_day(CHRISTMAS_EVE) == datetime.date(2026, 12, 29)


def test_a_friday_is_followed_by_the_monday_and_easter_monday_is_not_a_working_day():
    assert working_days.next_working_day(datetime.date(2026, 11, 27)) == datetime.date(2026, 11, 30)
    # Maundy Thursday 2027: Good Friday and Easter Monday are bank holidays in England.
    assert working_days.next_working_day(datetime.date(2027, 3, 25)) == datetime.date(2027, 3, 30)
    assert working_days.bank_holiday_name(datetime.date(2027, 3, 29)) == "Easter Monday"


def test_one_off_bank_holidays_are_known():
    assert not working_days.is_working_day(datetime.date(2023, 5, 8))  # the coronation


def test_working_days_before_skip_bank_holidays():
    # Two working days before Tuesday 29 December 2026 are Thursday 24th and Wednesday 23rd.
    assert working_days.working_days_before(datetime.date(2026, 12, 29), 2) == datetime.date(
        2026, 12, 23
    )
    assert working_days.working_days_before(datetime.date(2026, 12, 2), 2) == datetime.date(
        2026, 11, 30
    )


def test_the_nation_follows_the_setting(settings):
    st_andrews_day = datetime.date(2026, 11, 30)
    assert working_days.is_working_day(st_andrews_day)
    settings.BEACON_BANK_HOLIDAYS = "SCT"
    assert not working_days.is_working_day(st_andrews_day)
    assert working_days.is_working_day(datetime.date(2027, 3, 29))  # no Easter Monday there
