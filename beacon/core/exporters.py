"""Tables that leave Beacon as files: an exporter names its columns and yields its rows,
and gets its CSV download from here (as pretix's exporters do). Every CSV Beacon writes
goes through `Exporter`, so every cell is made safe for a spreadsheet in one place."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (CSV injection): such a cell is written with a leading apostrophe, which they show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a spreadsheet will read it safely: text, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Exporter:
    """A subclass sets `filename` and `columns` and yields `rows()`; `csv_response()`
    gives the download."""

    filename = "export.csv"
    columns: list[str] = []

    def rows(self) -> Iterable[list[Any]]:
        raise NotImplementedError

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_cell(column) for column in self.columns])
        for row in self.rows():
            writer.writerow([csv_cell(value) for value in row])
        return out.getvalue()

    def csv_response(self) -> HttpResponse:
        response = HttpResponse(self.csv_text(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response
