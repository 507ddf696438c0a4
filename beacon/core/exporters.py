"""Tables that leave Beacon as files: an exporter names its columns and yields its rows,
and gets its CSV download from here (as pretix's exporters do). Every CSV Beacon writes
goes through this module, so every cell is made safe for a spreadsheet in one place."""

import csv
import datetime
import io
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

# A text cell starting with one of these is run as a formula by Excel, LibreOffice and
# Sheets (CSV injection, OWASP): it is written with a leading apostrophe, shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One cell: numbers and dates as they are (a negative adjustment stays -10), yes/no
    for booleans, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV download named `filename`."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Exporter(ABC):
    """A subclass sets `filename` and `columns` and yields `rows()`; `csv_response()`
    gives the download."""

    filename = "export.csv"
    columns: Sequence[str] = ()

    @abstractmethod
    def rows(self) -> Iterable[Sequence[Any]]:
        """The table's rows, each a sequence of cells in the order of `columns`."""

    def csv_text(self) -> str:
        return csv_text(self.columns, self.rows())

    def csv_response(self) -> HttpResponse:
        return csv_response(filename=self.filename, header=self.columns, rows=self.rows())
