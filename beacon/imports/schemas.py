"""Shapes of the imports API: an import's status, counts and report of bad rows."""

import datetime

from ninja import Schema


class HistoryImportProblemOut(Schema):
    file: str
    row: int
    column: str
    value: str
    reason: str


class HistoryImportOut(Schema):
    id: int
    file_name: str
    source: str
    status: str
    uploaded_at: datetime.datetime
    rows_total: int
    rows_done: int
    counts: dict[str, int]
    problem_count: int


class HistoryImportDetailOut(HistoryImportOut):
    problems: list[HistoryImportProblemOut]
