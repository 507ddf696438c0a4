"""Reading an old system's files, a row at a time: a folder of CSV files, or one XLSX
workbook with a sheet a file. Nothing reads a whole file into memory."""

import csv
import datetime
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

Row = dict[str, str]


class HistoryFiles(ABC):
    """The files of one import, whatever they came in (CsvFolder, Workbook)."""

    label = ""

    @abstractmethod
    def names(self) -> list[str]:
        """The files present, by name (`clients`, `referrals`…)."""

    @abstractmethod
    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        """(row number as a spreadsheet shows it, the header row being 1; the row's cells)."""

    @abstractmethod
    def header(self, name: str) -> list[str]:
        """The file's column names, as given."""


class CsvFolder(HistoryFiles):
    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.label = str(self.folder)

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.csv"

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.csv"))

    def header(self, name: str) -> list[str]:
        with self._path(name).open(newline="", encoding="utf-8-sig") as handle:
            return [cell.strip() for cell in next(csv.reader(handle), [])]

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        with self._path(name).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [cell.strip() for cell in next(reader, [])]
            for number, cells in enumerate(reader, start=2):
                if any(cell.strip() for cell in cells):
                    yield number, dict(zip(header, cells, strict=False))


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Workbook(HistoryFiles):
    def __init__(self, path: str | os.PathLike) -> None:
        from openpyxl import load_workbook

        self.path = Path(path)
        self.label = self.path.name
        # Read-only mode streams the sheet's XML instead of building it in memory.
        self.book = load_workbook(self.path, read_only=True, data_only=True)

    def names(self) -> list[str]:
        return sorted(self.book.sheetnames)

    def header(self, name: str) -> list[str]:
        for cells in self.book[name].iter_rows(max_row=1, values_only=True):
            return [_cell_text(c).strip() for c in cells]
        return []

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        sheet_rows = self.book[name].iter_rows(values_only=True)
        header = [_cell_text(c).strip() for c in next(sheet_rows, ())]
        for number, cells in enumerate(sheet_rows, start=2):
            texts = [_cell_text(c) for c in cells]
            if any(t.strip() for t in texts):
                yield number, dict(zip(header, texts, strict=False))


def history_files(path: str | os.PathLike) -> HistoryFiles:
    """The files at `path`: a folder of CSV files, or an .xlsx workbook."""
    if Path(path).is_dir():
        return CsvFolder(path)
    return Workbook(path)
