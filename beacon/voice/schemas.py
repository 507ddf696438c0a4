"""Shapes of the service-user voice API: surveys with their questions, and a response."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from beacon.core.schemas import Input, IsoDate

Answer = int | str | list[str] | None


class QuestionOut(Schema):
    id: int
    order: int
    section: str
    text: str
    kind: Literal["scale", "single", "multiple", "yes_no", "text"]
    required: bool
    choices: list[str]


class SurveyOut(Schema):
    id: int
    key: str
    version: int
    title: str
    status: str
    questions: list[QuestionOut]


class ResponseIn(Input):
    mode: Literal["interview", "kiosk", "link"]
    date: IsoDate
    answers: dict[str, Answer] = Field(max_length=200)
    client_number: str | None = Field(default=None, max_length=20)


class ResponseOut(Schema):
    survey_id: int
    mode: str
    date: datetime.date
    anonymous: bool


class EventOut(Schema):
    id: int
    kind: str
    title: str
    date: datetime.date
    place: str
    facilitated_by: str
    clients: int
    family: int
    providers: int
    commissioners: int
    consent: bool
    themes: str


class EventIn(Input):
    kind: Literal["focus_group", "seminar", "consultation"]
    title: str = Field(min_length=1, max_length=120)
    date: IsoDate
    place: str = Field(min_length=1, max_length=120)
    facilitated_by: str = Field(min_length=1, max_length=120)
    clients: int = Field(default=0, ge=0, le=500)
    family: int = Field(default=0, ge=0, le=500)
    providers: int = Field(default=0, ge=0, le=500)
    commissioners: int = Field(default=0, ge=0, le=500)
    consent: bool
    notes: str = Field(default="", max_length=5000)
    themes: str = Field(default="", max_length=2000)


class VoiceActionIn(Input):
    you_said: str = Field(min_length=1, max_length=300)
    we_did: str = Field(min_length=1, max_length=300)
    owner_id: int
    due_on: IsoDate
    event_id: int | None = None
    survey_id: int | None = None


class VoiceActionStatusIn(Input):
    status: Literal["open", "in_progress", "done"]


class VoiceActionOut(Schema):
    id: int
    you_said: str
    we_did: str
    owner: str
    due_on: datetime.date
    status: str
    completed_on: datetime.date | None
    overdue: bool
