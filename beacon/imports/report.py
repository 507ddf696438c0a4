"""The report of a checked import, as a CSV download or file: every bad row in plain words."""

from collections.abc import Iterable
from typing import Protocol

from beacon.core.exporters import csv_text

REPORT_HEADER = ["file", "row", "column", "value", "reason"]


class _Bad(Protocol):
    file: str
    row: int
    column: str
    value: str
    reason: str


def report_rows(problems: Iterable[_Bad]) -> Iterable[list]:
    for p in problems:
        yield [p.file, p.row, p.column, p.value, p.reason]


def report_csv(problems: Iterable[_Bad]) -> str:
    return csv_text(REPORT_HEADER, report_rows(problems))
