"""Where an uploaded import waits for its run (BEACON_IMPORT_DIR), and how far a run has
gone. Progress is kept in a small file beside the upload: the run is one database
transaction, so what it writes to the database cannot be seen until it ends."""

import uuid
import zipfile
from pathlib import Path

from django.conf import settings

from beacon.imports.sources import HistoryFiles, history_files

WORKBOOK = ".xlsx"
ZIP = ".zip"


class UploadRefused(ValueError):
    """The upload is not a workbook or a ZIP of the history's CSV files."""


def upload_store(*, provider_id: int, name: str, chunks) -> str:
    """Keep an uploaded file; the path of what the import reads (a workbook, or the folder
    a ZIP's CSV files were unpacked into)."""
    suffix = Path(name).suffix.lower()
    if suffix not in (WORKBOOK, ZIP):
        raise UploadRefused("Upload an XLSX workbook or a ZIP of CSV files")
    folder = Path(settings.BEACON_IMPORT_DIR) / str(provider_id)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    if suffix == WORKBOOK:
        if not zipfile.is_zipfile(stored):  # an XLSX is a ZIP of XML
            stored.unlink()
            raise UploadRefused("This file is not an XLSX workbook")
        return str(stored)
    unpacked = stored.with_suffix("")
    unpacked.mkdir()
    try:
        with zipfile.ZipFile(stored) as archive:
            for member in archive.infolist():
                base = Path(member.filename).name  # never a path from inside the ZIP
                if member.is_dir() or not base.endswith(".csv") or base.startswith("."):
                    continue
                with archive.open(member) as source, (unpacked / base).open("wb") as target:
                    while block := source.read(1 << 16):
                        target.write(block)
    except zipfile.BadZipFile:
        raise UploadRefused("This file is not a ZIP of CSV files") from None
    finally:
        stored.unlink()
    return str(unpacked)


def stored_files(path: str) -> HistoryFiles:
    return history_files(path)


def rows_in(files: HistoryFiles) -> int:
    """How many rows the files hold, counted once before a run, for its progress."""
    return sum(1 for name in files.names() for _ in files.rows(name))


def _progress_path(path: str) -> Path:
    return Path(f"{path.rstrip('/')}.progress")


def progress_write(path: str, done: int) -> None:
    _progress_path(path).write_text(str(done))


def progress_read(path: str) -> int | None:
    try:
        return int(_progress_path(path).read_text() or 0)
    except (OSError, ValueError):
        return None
