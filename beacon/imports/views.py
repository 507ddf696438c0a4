"""Pages of the imports app, for managers: the imports and their upload, one import's
report and progress (checked in the background), its confirmation, and its CSV report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import filters_refused, form_page, form_saved
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required
from beacon.imports import presenters, selectors, services
from beacon.imports.forms import ImportFilterForm, ProblemFilterForm, UploadForm
from beacon.imports.models import HistoryImport
from beacon.imports.rules import IMPORT_HISTORY

RUNNING = (
    HistoryImport.Status.WAITING,
    HistoryImport.Status.CHECKING,
    HistoryImport.Status.IMPORTING,
)


@permission_required(IMPORT_HISTORY)
def history_import_list(request: HttpRequest) -> HttpResponse:
    form = ImportFilterForm(request.GET or None)
    imports = selectors.history_imports(provider=request.provider, **form.filters())
    page = paginate(request, imports)
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "page": page,
            "table": presenters.imports_table(page),
        },
    )


@permission_required(IMPORT_HISTORY)
def history_import_list_csv(request: HttpRequest) -> HttpResponse:
    form = ImportFilterForm(request.GET or None)
    if filters_refused(form):
        return history_import_list(request)
    imports = selectors.history_imports(provider=request.provider, **form.filters())
    audit_request(request, action=Action.EXPORT, detail="list of history imports")
    return presenters.ImportListExport(imports).csv_response()


@permission_required(IMPORT_HISTORY)
@require_http_methods(["GET", "POST"])
def history_import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    made: list[HistoryImport] = []

    def save(data: dict) -> None:
        made.append(
            services.history_import_upload(
                actor=request.user, data=data, origin=audit_origin(request)
            )
        )

    if form_saved(request, form, save):
        messages.success(request, "Uploaded: the files are being checked. Nothing is saved yet.")
        return redirect("imports:detail", history_import_id=made[0].pk)
    return form_page(
        request,
        form=form,
        title="Import history from another system",
        button="Upload and check",
        template="imports/upload.html",
        back=reverse("imports:list"),
    )


@permission_required(IMPORT_HISTORY)
def history_import_detail(request: HttpRequest, history_import_id: int) -> HttpResponse:
    record = selectors.history_import_get(
        provider=request.provider, history_import_id=history_import_id
    )
    form = ProblemFilterForm(request.GET or None)
    problems = selectors.history_import_problems(history_import=record, **form.filters())
    page = paginate(request, problems)
    audit_request(request, action=Action.VIEW, obj=record, detail="history import report")
    done = selectors.history_import_rows_done(history_import=record)
    return render(
        request,
        "imports/detail.html",
        {
            "record": record,
            "running": record.status in RUNNING,
            "progress": presenters.progress_text(record, done),
            "counts": presenters.counts_lines(record),
            "form": form,
            "page": page,
            "problems": presenters.problems_table(page),
            "history": presenters.history_table(
                selectors.history_references(history_import=record)
            ),
            "may_confirm": record.status == HistoryImport.Status.CHECKED
            and not record.problem_count,
        },
    )


@permission_required(IMPORT_HISTORY)
def history_import_report_csv(request: HttpRequest, history_import_id: int) -> HttpResponse:
    record = selectors.history_import_get(
        provider=request.provider, history_import_id=history_import_id
    )
    form = ProblemFilterForm(request.GET or None)
    if filters_refused(form):
        return history_import_detail(request, history_import_id)
    problems = selectors.history_import_problems(history_import=record, **form.filters())
    audit_request(request, action=Action.EXPORT, obj=record, detail="history import report")
    return presenters.ImportReportExport(record, problems).csv_response()


@permission_required(IMPORT_HISTORY)
@require_POST
def history_import_confirm(request: HttpRequest, history_import_id: int) -> HttpResponse:
    record = selectors.history_import_get(
        provider=request.provider, history_import_id=history_import_id
    )
    try:
        services.history_import_confirm(
            actor=request.user, history_import=record, origin=audit_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Importing: everything is saved at once, or nothing.")
    return redirect("imports:detail", history_import_id=record.pk)
