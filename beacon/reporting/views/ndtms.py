"""The NDTMS monthly return: its validation report (each record with a missing or invalid
item, and the page that fixes it) above the download, and the download itself, streamed.
The report is paged and its CSV streamed, never held whole (ADR 0009); the file for
submission is refused while it lists errors, a draft marked not for submission is not."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.exporters import streamed_csv_response
from beacon.core.forms import filters_refused
from beacon.core.permissions import permission_required, user_can
from beacon.reporting.datasets import DatasetVersion, dataset_version
from beacon.reporting.forms.ndtms import NdtmsReturnForm
from beacon.reporting.presenters.ndtms import ValidationExport, gaps_table, issues_table
from beacon.reporting.selectors.ndtms import (
    IssuePages,
    return_issues,
    return_journeys,
    version_gaps,
)
from beacon.reporting.services.ndtms import (
    ReturnNotReady,
    draft_filename,
    ndtms_return_lines,
    ndtms_validation_viewed,
)

VALIDATE = "reporting.view_ndtms_validation"
EXPORT = "reporting.export_ndtms"


def _chosen(request: HttpRequest) -> tuple[NdtmsReturnForm, DatasetVersion, tuple]:
    form = NdtmsReturnForm(request.GET or None)
    _month, letter = form.chosen()
    return form, dataset_version(letter), form.period()


def _page_number(request: HttpRequest) -> int:
    number = request.GET.get("page", "")
    return int(number) if number.isdigit() and int(number) > 0 else 1


@permission_required(VALIDATE)
def ndtms_return_page(request: HttpRequest, *, refused: str = "") -> HttpResponse:
    form, version, (first, last) = _chosen(request)
    provider = request.provider  # type: ignore[attr-defined]
    per_page = settings.BEACON_PAGE_SIZE
    issues = IssuePages(
        provider=provider,
        first=first,
        last=last,
        version=version,
        per_page=per_page,
        page=_page_number(request),
    )
    page = Paginator(issues, per_page).get_page(request.GET.get("page"))
    page.param = "page"  # type: ignore[attr-defined]  # read by the pagination macro
    ndtms_validation_viewed(
        actor=request.user,  # type: ignore[arg-type]
        first=first,
        version=version,
        issues=issues.count(),
        origin=audit_origin(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("draft", None)
    if "month" not in query:
        query["month"] = f"{first:%Y-%m}"
    filename = version.filename(agency=provider.ndtms_agency_code, first=first, last=last)
    return render(
        request,
        "reporting/ndtms/return.html",
        {
            "form": form,
            "version": version,
            "first": first,
            "last": last,
            "journeys": return_journeys(provider=provider, first=first, last=last).count(),
            "page": page,
            "counts": issues.counts,
            "issues_table": issues_table(list(page.object_list)),
            "gaps_table": gaps_table(version_gaps(version)),
            "filename": filename,
            "draft_filename": draft_filename(filename),
            "query": query.urlencode(),
            "may_export": user_can(request.user, EXPORT),
            "refused": refused,
        },
    )


@permission_required(VALIDATE)
def ndtms_validation_csv(request: HttpRequest) -> HttpResponse:
    """The validation report as a file (its filters not valid: the page, with the errors)."""
    form, version, (first, last) = _chosen(request)
    if filters_refused(form):
        return ndtms_return_page(request)
    issues = return_issues(provider=request.provider, first=first, last=last, version=version)  # type: ignore[attr-defined]
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"NDTMS validation report {first:%Y-%m} as CSV, {version.name}",
    )
    return ValidationExport(
        issues,
        filename=f"ndtms-validation-{first:%Y-%m}-{version.letter}.csv",
        base_url=request.build_absolute_uri("/").rstrip("/"),
    ).csv_streaming_response()


@permission_required(EXPORT)
def ndtms_return_csv(request: HttpRequest) -> HttpResponse:
    """The return itself, streamed a line at a time; the export is audited. Refused (the page
    again, saying why) while the validation report has errors, unless a draft is asked for
    (`?draft=1`): named and headed as not for submission."""
    form, version, (first, last) = _chosen(request)
    if filters_refused(form):
        return ndtms_return_page(request)
    provider = request.provider  # type: ignore[attr-defined]
    draft = request.GET.get("draft") == "1"
    try:
        lines = ndtms_return_lines(
            actor=request.user,  # type: ignore[arg-type]
            provider=provider,
            first=first,
            last=last,
            version=version,
            journeys=return_journeys(provider=provider, first=first, last=last).count(),
            origin=audit_origin(request),
            draft=draft,
        )
    except ReturnNotReady as refusal:
        return ndtms_return_page(request, refused=str(refusal))
    filename = version.filename(agency=provider.ndtms_agency_code, first=first, last=last)
    return streamed_csv_response(lines, filename=draft_filename(filename) if draft else filename)
