"""Shapes of the contacts API: what a caller sends, and gets back.

Sizes and choices are checked here; the rules (a time still to come, no double booking,
an outcome not before the time, the note's size) are the services', whose ValidationError
core/api.py answers as a 422 naming the field.
"""

import datetime

from ninja import Schema
from pydantic import Field, conint

from beacon.contacts.models import (
    LONGEST_MINUTES,
    NOTE_MAX_LENGTH,
    SHORTEST_MINUTES,
    AppointmentKind,
    AppointmentOutcome,
)
from beacon.contacts.services import MOST_WEEKS
from beacon.core.schemas import MAX_OFFSET, DateTime, Input, IsoDate, choice, text

Minutes = conint(strict=True, ge=SHORTEST_MINUTES, le=LONGEST_MINUTES)
Id = conint(strict=True, ge=1, le=2**31 - 1)


class _When(Input):
    staff_id: Id
    starts_at: DateTime
    minutes: Minutes
    kind: choice(AppointmentKind)
    site_id: Id | None = None
    place: text(200) = ""


class AppointmentIn(_When):
    weeks: conint(strict=True, ge=1, le=MOST_WEEKS) = Field(
        1, description="More than 1: the same time every week, booked once"
    )


class ContactRecordIn(_When):
    pass


class AppointmentOutcomeIn(Input):
    outcome: choice(AppointmentOutcome)


class CaseNoteIn(Input):
    # One character over the limit reaches the service, which says how long the note is.
    text: text(NOTE_MAX_LENGTH + 1, required=True)
    goal_ids: list[Id] = Field(default_factory=list, max_length=50)
    action_ids: list[Id] = Field(default_factory=list, max_length=50)


class CaseNoteCorrectionIn(Input):
    text: text(NOTE_MAX_LENGTH + 1, required=True)


class GroupSessionIn(Input):
    name: text(200, required=True)
    facilitator_id: Id
    starts_at: DateTime
    minutes: Minutes
    site_id: Id | None = None
    place: text(200) = ""
    client_numbers: list[text(20, required=True)] = Field(min_length=1, max_length=100)


class FollowUpDoneIn(Input):
    note: text(500, required=True)


class AppointmentOut(Schema):
    id: int
    client_number: str
    staff_id: int
    staff_name: str
    starts_at: datetime.datetime
    minutes: int
    kind: str
    site_id: int | None
    place: str
    booked: bool
    series_id: int | None
    group_session_id: int | None
    outcome: str

    @staticmethod
    def resolve_client_number(obj) -> str:
        return obj.client.client_number

    @staticmethod
    def resolve_staff_name(obj) -> str:
        return obj.staff.display_name


class CaseNoteOut(Schema):
    id: int
    appointment_id: int
    text: str
    goal_ids: list[int]
    action_ids: list[int]
    corrects_id: int | None
    written_by: str
    written_at: datetime.datetime

    @staticmethod
    def resolve_goal_ids(obj) -> list[int]:
        return [goal.pk for goal in obj.goals.all()]

    @staticmethod
    def resolve_action_ids(obj) -> list[int]:
        return [action.pk for action in obj.actions.all()]

    @staticmethod
    def resolve_written_by(obj) -> str:
        return obj.written_by.display_name


class GroupSessionOut(Schema):
    id: int
    name: str
    facilitator_id: int
    starts_at: datetime.datetime
    minutes: int
    attendances: list[AppointmentOut]

    @staticmethod
    def resolve_attendances(obj) -> list:
        # Set by the endpoint: only the attendances of clients the caller may open.
        return obj.visible_attendances


class FollowUpOut(Schema):
    id: int
    client_number: str
    appointment_id: int
    assigned_to_id: int
    due_at: datetime.datetime
    done_at: datetime.datetime | None

    @staticmethod
    def resolve_client_number(obj) -> str:
        return obj.client.client_number


class AttendanceOut(Schema):
    name: str
    team: str
    booked: int
    attended: int
    rate: float | None


class AttendanceFiguresOut(Schema):
    first: datetime.date
    last: datetime.date
    keyworkers: list[AttendanceOut]
    teams: list[AttendanceOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_OFFSET // 100)
    page_size: int = Field(25, ge=1, le=100)


class PeriodQuery(Schema):
    first: IsoDate | None = Field(None, description="First day; the month's first by default")
    last: IsoDate | None = Field(None, description="Last day; today by default")


class AppointmentPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[AppointmentOut]
