"""Writes of the imports app: a history import run (checked, or saved all or nothing), and
the record of each upload. Every run writes an audit entry naming file, user and counts."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.models import User
from beacon.core.states import StateMachine
from beacon.imports.importer import HistoryImporter, Problem
from beacon.imports.models import HistoryImport, ImportProblem
from beacon.imports.sources import HistoryFiles
from beacon.imports.storage import (
    UploadRefused,
    progress_write,
    rows_in,
    stored_files,
    upload_store,
)
from beacon.imports.tasks import history_import_apply, history_import_check


@dataclass
class ImportResult:
    """What a run found: records saved (or that a dry run would save), and every bad row."""

    dry_run: bool
    saved: bool
    counts: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def summary(self) -> str:
        counted = ", ".join(f"{count} {kind}" for kind, count in sorted(self.counts.items()))
        return f"{self.rows} rows; {counted or 'nothing'}; {len(self.problems)} problems"


class _Undo(Exception):
    """Leave the run's transaction with nothing saved."""


def history_import_run(
    *,
    actor: User,
    files: HistoryFiles,
    source: str,
    dry_run: bool,
    file_name: str = "",
    history_import: HistoryImport | None = None,
    origin: AuditOrigin | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportResult:
    """Run every row through the services in one transaction. A dry run, or a run with any
    problem, is rolled back whole: nothing is saved until a run has no errors (H-252)."""
    importer = HistoryImporter(
        actor=actor,
        files=files,
        source=source,
        history_import=history_import,
        origin=origin,
        on_row=on_row,
    )
    saved = False
    try:
        with transaction.atomic():
            importer.run()
            if dry_run or importer.problems:
                raise _Undo
            saved = True
            _audit_run(actor, file_name or files.label, importer, dry_run=False, origin=origin)
    except _Undo:
        pass
    result = ImportResult(
        dry_run=dry_run,
        saved=saved,
        counts=dict(importer.counts),
        problems=importer.problems,
        rows=importer.rows_done,
    )
    if not saved:
        _audit_run(actor, file_name or files.label, importer, dry_run=dry_run, origin=origin)
    return result


def _audit_run(
    actor: User,
    file_name: str,
    importer: HistoryImporter,
    *,
    dry_run: bool,
    origin: AuditOrigin | None,
) -> None:
    what = "checked (dry run)" if dry_run else ("imported" if not importer.problems else "refused")
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(importer.counts.items()))
    audit_record(
        actor=actor,
        action=Action.CREATE if what == "imported" else Action.SEARCH,
        obj=importer.history_import,
        detail=f"history import {what}: {file_name} by {actor.username}; "
        f"{importer.rows_done} rows; {counted or 'nothing saved'}; "
        f"{len(importer.problems)} problems",
        origin=origin,
    )


def _refusal(record: HistoryImport, to: str) -> str:
    return (
        f"An import that is {record.get_status_display().lower()} cannot become "
        f"{HistoryImport.Status(to).label.lower()}"
    )


Status = HistoryImport.Status
# An upload is checked (a dry run) before anyone may confirm it; a confirmed run that meets
# a problem (the records changed since the check) is refused whole, and may be checked again.
IMPORT_STATES = StateMachine(
    Status,
    {
        Status.WAITING: {Status.CHECKING},
        Status.CHECKING: {Status.CHECKED, Status.REFUSED, Status.FAILED},
        Status.CHECKED: {Status.IMPORTING, Status.CHECKING},
        Status.REFUSED: {Status.CHECKING},
        Status.IMPORTING: {Status.IMPORTED, Status.REFUSED, Status.FAILED},
        Status.IMPORTED: set(),
        Status.FAILED: {Status.CHECKING},
    },
    refusal=_refusal,
)


@transaction.atomic
def history_import_upload(
    *, actor: User, data: dict, origin: AuditOrigin | None = None
) -> HistoryImport:
    """Keep an uploaded workbook or ZIP of CSV files and queue its check (a dry run)."""
    upload = data["file"]
    try:
        stored = upload_store(
            provider_id=actor.provider_id, name=upload.name, chunks=upload.chunks()
        )
    except UploadRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    record = HistoryImport.objects.create(
        provider_id=actor.provider_id,
        source=data["source"].strip(),
        file_name=upload.name[:200],
        stored_path=stored,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=record,
        detail=f"uploaded {upload.name}"[:500],
        origin=origin,
    )
    transaction.on_commit(partial(history_import_check.enqueue, record.pk))
    return record


@transaction.atomic
def history_import_confirm(
    *, actor: User, history_import: HistoryImport, origin: AuditOrigin | None = None
) -> HistoryImport:
    """A manager confirms a checked import with no problems: its real run is queued."""
    record = HistoryImport.objects.select_for_update().get(pk=history_import.pk)
    if record.status != Status.CHECKED or record.problem_count:
        raise ValidationError("Only an import checked with no problems can be imported")
    IMPORT_STATES.move(record, Status.IMPORTING)
    record.confirmed_by = actor
    record.save(update_fields=["confirmed_by"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=record, detail="confirmed the import", origin=origin
    )
    transaction.on_commit(partial(history_import_apply.enqueue, record.pk))
    return record


PROGRESS_EVERY_ROWS = 200


def _progress(path: str, done: int) -> None:
    if done % PROGRESS_EVERY_ROWS == 0:
        progress_write(path, done)


def history_import_background_run(*, history_import_id: int, dry_run: bool) -> HistoryImport:
    """The background task's work: the check (dry run) or the confirmed import of one
    upload, its progress kept beside the file, its report and counts kept after."""
    record = HistoryImport.objects.select_related("created_by", "confirmed_by").get(
        pk=history_import_id
    )
    if dry_run:
        IMPORT_STATES.move(record, Status.CHECKING)
    actor = record.created_by if dry_run else record.confirmed_by
    try:
        files = stored_files(record.stored_path)
        record.rows_total = rows_in(files)
        record.save(update_fields=["rows_total"])
        result = history_import_run(
            actor=actor,
            files=files,
            source=record.source,
            dry_run=dry_run,
            file_name=record.file_name,
            history_import=record,
            on_row=partial(_progress, record.stored_path),
        )
    except Exception as exc:
        # Nothing was saved (the run is one transaction); say so, and keep the reason.
        IMPORT_STATES.move(record, Status.FAILED, save=False)
        record.failure = f"Nothing saved: {exc}"[:500]
        record.finished_at = timezone.now()
        record.save(update_fields=["status", "failure", "finished_at"])
        raise
    return history_import_finish(history_import=record, result=result)


@transaction.atomic
def history_import_finish(*, history_import: HistoryImport, result: ImportResult) -> HistoryImport:
    """Keep what a run found: its counts and every bad row (the report)."""
    history_import.problems.all().delete()
    ImportProblem.objects.bulk_create(
        ImportProblem(
            history_import=history_import,
            file=p.file,
            row=p.row,
            column=p.column[:60],
            value=p.value[:200],
            reason=p.reason[:500],
        )
        for p in result.problems
    )
    history_import.counts = result.counts
    history_import.problem_count = len(result.problems)
    history_import.rows_done = result.rows
    if result.saved:
        IMPORT_STATES.move(history_import, Status.IMPORTED, save=False)
    elif result.problems:
        IMPORT_STATES.move(history_import, Status.REFUSED, save=False)
    else:
        IMPORT_STATES.move(history_import, Status.CHECKED, save=False)
    history_import.finished_at = timezone.now()
    history_import.save()
    return history_import
