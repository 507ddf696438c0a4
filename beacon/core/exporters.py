"""Tables that leave Beacon as files: an exporter names its columns and yields its rows,
and gets its CSV and XLSX downloads from here (as pretix's exporters do). Every CSV and
XLSX Beacon writes goes through this module, so every cell is made safe for a spreadsheet
in one place. The streaming CSV and the XLSX hold one row at a time, however many rows."""

import csv
import datetime
import io
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, TextIO

import xlsxwriter
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


class _Line:
    """A file that hands back what the csv writer writes, one line at a time."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV one line at a time (for a streamed download: nothing held but the row)."""
    writer = csv.writer(_Line())
    yield writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_file_writer(handle: TextIO) -> Callable[[Sequence[Any]], Any]:
    """A CSV file's row writer, each cell as `csv_cell` writes it (numbers and dates as they
    are, yes/no, text never a formula): for the files Beacon writes to disk (a history
    export)."""
    writer = csv.writer(handle)
    return lambda row: writer.writerow([csv_cell(value) for value in row])


def data_file_lines(header: Iterable[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """A data file for another system (the NDTMS return), a line at a time, as Canary writes
    them: every value quoted, "" for a quote inside, `,` between, `\n` at the end, values
    as given. No spreadsheet-formula guard: the file is read by a machine, never opened as
    a sheet, and every value is a code, a date or an initial."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL, lineterminator="\n")
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow(list(row))


def streamed_csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A CSV download sent a line at a time as `lines` yields them."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_write(
    target: Any, *, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """An XLSX workbook of one sheet into `target` (a path or a binary file), written row
    by row (XlsxWriter's constant_memory). Numbers stay numbers, dates dates; text is
    always written as text, so it never runs as a formula."""
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    worksheet = workbook.add_worksheet(sheet[:31])
    for column, name in enumerate(header):
        worksheet.write_string(0, column, str(name), bold)
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            _xlsx_cell(worksheet, line, column, value, day)
    workbook.close()


def _xlsx_cell(worksheet: Any, row: int, column: int, value: Any, day: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        worksheet.write_string(row, column, "yes" if value else "no")
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, column, float(value))
    elif isinstance(value, datetime.datetime):
        worksheet.write_string(row, column, value.isoformat())  # times stay as written
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, column, value, day)
    else:
        worksheet.write_string(row, column, str(value))


class Exporter(ABC):
    """A subclass sets `filename` (its CSV's; the XLSX is named alike) and `columns`, and
    yields `rows()`; the base gives `csv_response()` (whole), `csv_streaming_response()`
    and `xlsx_response()` (one row at a time), or `response(kind)` for either."""

    filename = "export.csv"
    columns: Sequence[str] = ()
    sheet = "Sheet1"

    @abstractmethod
    def rows(self) -> Iterable[Sequence[Any]]:
        """The table's rows, each a sequence of cells in the order of `columns`."""

    def csv_text(self) -> str:
        return csv_text(self.columns, self.rows())

    def csv_response(self) -> HttpResponse:
        return csv_response(filename=self.filename, header=self.columns, rows=self.rows())

    def csv_streaming_response(self) -> StreamingHttpResponse:
        return streamed_csv_response(csv_lines(self.columns, self.rows()), filename=self.filename)

    @property
    def xlsx_filename(self) -> str:
        return str(PurePosixPath(self.filename).with_suffix(".xlsx"))

    def xlsx_bytes(self) -> bytes:
        out = io.BytesIO()
        xlsx_write(out, sheet=self.sheet, header=self.columns, rows=self.rows())
        return out.getvalue()

    def xlsx_response(self) -> FileResponse:
        """The XLSX from a temporary file (deleted once sent): memory holds one row."""
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        xlsx_write(spool, sheet=self.sheet, header=self.columns, rows=self.rows())
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=self.xlsx_filename, content_type=XLSX_TYPE
        )

    def response(self, kind: str) -> HttpResponse | StreamingHttpResponse | FileResponse:
        """The download as `kind`: "xlsx", or otherwise CSV."""
        return self.xlsx_response() if kind == "xlsx" else self.csv_streaming_response()
