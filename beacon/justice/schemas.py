"""Shapes of the justice API: what a probation officer's token reads of a consenting client
(attendance, engagement, review hearings, each only when the consent names it), and a
client's criminal-justice statuses for staff."""

import datetime

from ninja import Schema


class JusticeAttendanceOut(Schema):
    since: datetime.date
    kept: int
    missed: int


class JusticeSupervisedOut(Schema):
    client_number: str
    name: str
    date_of_birth: datetime.date
    shared_until: datetime.date
    attendance: JusticeAttendanceOut | None
    engaging: bool | None
    review_hearings: list[datetime.date] | None


class JusticeStatusOut(Schema):
    id: int
    status: str
    status_label: str
    start_date: datetime.date
    length_months: int | None
    # A licence's licence end date, or the day post-sentence supervision ends (H-280).
    supervision_end: datetime.date | None
    ends_on: datetime.date | None
    # The last day: an order's by its length, a licence's or supervision's its end date;
    # past it the status is no longer current.
    expected_end: datetime.date | None
    current: bool
    past_expected_end: bool
    # A licence or supervision recorded before Beacon asked for its end date: record it.
    needs_end_date: bool
    responsible_officer: str | None
    prison: str
    ended_on: datetime.date | None
    end_reason: str
    how_it_ended: str
    ended_by: str | None


class JusticeStatusEndIn(Schema):
    """How the status ended (`end_reason`: completed, revoked, breached, recalled,
    transferred or other, as its kind allows; `end_detail` in words, needed for other) and
    the end date (not in the future, not before the start)."""

    ended_on: datetime.date
    end_reason: str
    end_detail: str = ""


class JusticeStatusEndDateIn(Schema):
    """The end date of a licence (its licence end date) or of post-sentence supervision,
    after the start (H-280)."""

    supervision_end: datetime.date
