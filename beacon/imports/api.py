"""History import endpoints of the JSON API, for managers as the pages are: the imports of
the service and one import's progress and report. Uploading is the page's or the command's.
"""

from django.http import HttpRequest
from ninja import Router

from beacon.core.permissions import ensure_can
from beacon.core.schemas import REFUSED
from beacon.imports import selectors
from beacon.imports.models import HistoryImport
from beacon.imports.rules import IMPORT_HISTORY
from beacon.imports.schemas import HistoryImportDetailOut, HistoryImportOut

router = Router(tags=["history imports"])
REPORT_ROWS_SHOWN = 1000


def _out(record: HistoryImport) -> dict:
    return {
        "id": record.pk,
        "file_name": record.file_name,
        "source": record.source,
        "status": record.status,
        "uploaded_at": record.created_at,
        "rows_total": record.rows_total,
        "rows_done": selectors.history_import_rows_done(history_import=record),
        "counts": record.counts,
        "problem_count": record.problem_count,
    }


@router.get("", response={200: list[HistoryImportOut], **REFUSED}, summary="Imports, newest first")
def history_import_list(request: HttpRequest):
    ensure_can(request.user, IMPORT_HISTORY)
    return [_out(r) for r in selectors.history_imports(provider=request.provider)[:200]]


@router.get(
    "/{int:history_import_id}",
    response={200: HistoryImportDetailOut, **REFUSED},
    summary="One import: its progress, counts and first bad rows",
)
def history_import_detail(request: HttpRequest, history_import_id: int):
    ensure_can(request.user, IMPORT_HISTORY)
    record = selectors.history_import_get(
        provider=request.provider, history_import_id=history_import_id
    )
    problems = selectors.history_import_problems(history_import=record)[:REPORT_ROWS_SHOWN]
    return {**_out(record), "problems": list(problems)}
