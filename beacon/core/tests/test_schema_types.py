"""The API's shared input types: dates in sensible years, local times, date-times in UTC."""

import datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from beacon.core.schemas import LOCAL_TIME_MESSAGE, DateTime, IsoDate, LocalTime

UTC = datetime.UTC


def message(adapter: TypeAdapter, value) -> str:
    with pytest.raises(ValidationError) as error:
        adapter.validate_python(value)
    return error.value.errors()[0]["msg"]


@pytest.mark.parametrize("value", ["09:30", "09:30:15", "23:59:59.5"])
def test_a_local_time_is_read_as_written(value):
    assert TypeAdapter(LocalTime).validate_python(value) == datetime.time.fromisoformat(value)


@pytest.mark.parametrize("value", ["09:30Z", "09:30+01:00", "06:29:34.829+00:46", "17:40:35.6Z"])
def test_a_time_with_a_utc_offset_is_refused(value):
    assert message(TypeAdapter(LocalTime), value) == LOCAL_TIME_MESSAGE


@pytest.mark.parametrize("value", [930, "9.30", "24:00", "noon", ""])
def test_a_time_that_is_not_hh_mm_is_refused(value):
    assert message(TypeAdapter(LocalTime), value) == LOCAL_TIME_MESSAGE


def test_a_date_time_without_an_offset_is_uk_time_kept_in_utc():
    adapter = TypeAdapter(DateTime)
    summer = adapter.validate_python("2026-07-01T09:30")
    winter = adapter.validate_python("2026-01-05 09:30:00")
    assert summer == datetime.datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert summer.utcoffset() == datetime.timedelta(0)
    assert winter == datetime.datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_a_date_time_with_an_offset_is_the_same_instant_in_utc():
    adapter = TypeAdapter(DateTime)
    when = adapter.validate_python("2026-07-01T09:30:00+05:30")
    assert when == datetime.datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
    assert when.tzinfo == UTC
    assert adapter.validate_python("2026-07-01T09:30Z").hour == 9


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "2026-13-01T09:00", 1767225600, "today"])
def test_a_date_time_that_makes_no_sense_is_refused(value):
    with pytest.raises(ValidationError):
        TypeAdapter(DateTime).validate_python(value)


@pytest.mark.parametrize("value", ["0202-08-22", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_years_the_service_means_is_refused(value):
    assert message(TypeAdapter(IsoDate), value) == "Enter a date between the years 1900 and 2100"


@pytest.mark.parametrize("value", ["2026-03-00", "2026-00-10", "2026-02-30"])
def test_a_day_or_month_zero_is_refused_by_parsing(value):
    with pytest.raises(ValidationError):
        TypeAdapter(IsoDate).validate_python(value)


def test_dates_at_the_ends_of_the_range_are_taken():
    adapter = TypeAdapter(IsoDate)
    assert adapter.validate_python("1900-01-01") == datetime.date(1900, 1, 1)
    assert adapter.validate_python("2100-12-31") == datetime.date(2100, 12, 31)
