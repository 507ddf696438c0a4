"""Reads of the imports app: a provider's imports, one import, its report, and the history
a record was imported as."""

from django.db.models import QuerySet
from django.http import Http404

from beacon.core.models import Provider
from beacon.imports.models import ExternalReference, HistoryImport, ImportProblem
from beacon.imports.storage import progress_read


def history_imports(*, provider: Provider, status: str = "") -> QuerySet[HistoryImport]:
    found = HistoryImport.objects.filter(provider=provider).select_related(
        "created_by", "confirmed_by"
    )
    return found.filter(status=status) if status else found


def history_import_get(*, provider: Provider, history_import_id: int) -> HistoryImport:
    """One import of the provider; another provider's is not found."""
    found = history_imports(provider=provider).filter(pk=history_import_id).first()
    if found is None:
        raise Http404("No such import")
    return found


def history_import_problems(
    *, history_import: HistoryImport, file: str = ""
) -> QuerySet[ImportProblem]:
    problems = history_import.problems.all()
    return problems.filter(file=file) if file else problems


def history_import_rows_done(*, history_import: HistoryImport) -> int:
    """How far a running import has read (its progress file), or what it read in the end."""
    if history_import.status in (HistoryImport.Status.CHECKING, HistoryImport.Status.IMPORTING):
        return progress_read(history_import.stored_path) or 0
    return history_import.rows_done


def history_references(*, history_import: HistoryImport) -> QuerySet[ExternalReference]:
    """The records an import kept as history only, each with why."""
    return history_import.references.filter(imported_as_history=True).order_by("id")
