"""How imports are shown: the list of imports, an import's report and its history flags."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html

from beacon.core.exporters import Exporter
from beacon.core.presenters import datetime_uk, person
from beacon.imports.models import HistoryImport, ImportProblem
from beacon.imports.report import REPORT_HEADER, report_rows

IMPORT_HEAD = [{"text": t} for t in ("Uploaded", "File", "From", "By", "Status", "Problems")]
PROBLEM_HEAD = [{"text": t.capitalize()} for t in REPORT_HEADER]
HISTORY_HEAD = [{"text": t} for t in ("Record", "Id in the old system", "Why history only")]


def imports_table(imports: Iterable[HistoryImport]) -> dict:
    rows = [
        [
            {"text": datetime_uk(i.created_at)},
            {
                "html": format_html(
                    '<a href="{}">{}</a>',
                    reverse("imports:detail", kwargs={"history_import_id": i.pk}),
                    i.file_name,
                )
            },
            {"text": i.source},
            {"text": person(i.created_by)},
            {"text": i.get_status_display()},
            {"text": str(i.problem_count)},
        ]
        for i in imports
    ]
    return {"head": IMPORT_HEAD, "rows": rows, "id": "imports"}


def problems_table(problems: Iterable[ImportProblem]) -> dict:
    rows = [[{"text": str(cell)} for cell in row] for row in report_rows(problems)]
    return {"head": PROBLEM_HEAD, "rows": rows, "id": "problems"}


def history_table(references) -> dict:
    rows = [
        [{"text": r.kind.replace("_", " ")}, {"text": r.external_id}, {"text": r.history_reason}]
        for r in references
    ]
    return {"head": HISTORY_HEAD, "rows": rows, "id": "history"}


def counts_lines(history_import: HistoryImport) -> list[str]:
    return [
        f"{count} {kind.replace('_', ' ')}" for kind, count in sorted(history_import.counts.items())
    ]


def progress_text(history_import: HistoryImport, done: int) -> str:
    total = history_import.rows_total
    if not total:
        return "Counting the rows…"
    return f"{min(done, total)} of {total} rows read ({100 * min(done, total) // total}%)"


class ImportReportExport(Exporter):
    """The report of bad rows as CSV: file, row, column, value, reason."""

    columns = REPORT_HEADER

    def __init__(self, history_import: HistoryImport, problems) -> None:
        self.filename = f"import-{history_import.pk}-report.csv"
        self.problems = problems

    def rows(self):
        return report_rows(self.problems)


class ImportListExport(Exporter):
    filename = "imports.csv"
    columns = ["uploaded", "file", "from", "by", "status", "problems", "counts"]

    def __init__(self, imports: Iterable[HistoryImport]) -> None:
        self.imports = imports

    def rows(self):
        for i in self.imports:
            yield [
                i.created_at,
                i.file_name,
                i.source,
                person(i.created_by),
                i.get_status_display(),
                i.problem_count,
                "; ".join(counts_lines(i)),
            ]
