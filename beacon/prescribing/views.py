"""Pages of OST prescribing: a client's prescriptions, writing one, dose changes, instalments.

Every record is loaded by its selector (beacon/prescribing/selectors.py) through the
user's provider (another provider's id is a 404), then the permission is checked against
the record's client (403). Writes go through beacon/prescribing/services.py; every page
that shows a prescription is audited as a read. The URLs are in urls.py.
"""

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from beacon.clients import selectors as client_selectors
from beacon.clients import services as client_services
from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client
from beacon.clients.presenters import ClientPresenter
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_request
from beacon.core.forms import (
    filters_refused,
    filters_text,
    form_saved,
    form_saved_by,
    service_errors_onto,
)
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required, user_can
from beacon.core.presenters import date_uk
from beacon.prescribing import hooks, presenters, safety, selectors, services
from beacon.prescribing.forms import (
    CONDITIONAL_FIELDS,
    ContinueForm,
    DoseChangeForm,
    OutcomeForm,
    PrescriptionEndForm,
    PrescriptionForm,
    ReviewForm,
)
from beacon.prescribing.medicines import weekday_names
from beacon.prescribing.models import Prescription
from beacon.prescribing.rules import ENDING_SOON, PRINT, REVIEW, VIEW, WRITE
from beacon.prescribing.wording import wording_lines
from beacon.treatment.forms.caseload import ListFilterForm


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    client_services.client_record_viewed(
        actor=request.user, client=client, origin=audit_origin(request), what=what
    )


def _to_prescription(prescription: Prescription) -> HttpResponse:
    return redirect("prescribing:detail", prescription_id=prescription.pk)


def _form_page(
    request: HttpRequest,
    *,
    form,
    prescription: Prescription | None = None,
    client: Client,
    title: str,
    button: str,
    template: str = "prescribing/form.html",
    **extra,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "client": client,
            "prescription": prescription,
            "prescription_summary": (
                presenters.prescription_summary(prescription) if prescription else ""
            ),
            "title": title,
            "button": button,
            **extra,
        },
    )


@permission_required(VIEW)
def prescription_list(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=VIEW
    )
    _viewed(request, client, "OST prescriptions")
    prescriptions = selectors.client_prescriptions(client=client)
    return render(
        request,
        "prescribing/prescription_list.html",
        {
            "client": client,
            "head": presenters.PRESCRIPTION_HEAD,
            "prescription_rows": presenters.prescription_rows(
                prescriptions, today=timezone.localdate()
            ),
            "time_to_first": selectors.referral_to_first_prescription(client=client),
        },
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_create(request: HttpRequest, client_number: str) -> HttpResponse:
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=WRITE
    )
    form = PrescriptionForm(
        request.POST or None,
        provider=request.provider,
        user=request.user,
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            prescription = services.prescription_create(
                actor=request.user,
                client=client,
                data=form.service_data(),
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Prescription written: {prescription}.")
            return _to_prescription(prescription)
    _viewed(request, client, "new OST prescription form")
    return _form_page(
        request,
        form=form,
        client=client,
        title="Write an OST prescription",
        button="Save prescription",
        template="prescribing/prescription_form.html",
        conditional={name: " ".join(codes) for name, codes in CONDITIONAL_FIELDS.items()},
    )


@permission_required(VIEW)
def prescription_detail(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=VIEW
    )
    client = prescription.client
    _viewed(request, client, f"OST prescription {prescription.pk}")
    may_write = user_can(request.user, WRITE, client)
    instalments = selectors.prescription_instalments(prescription=prescription)
    return render(
        request,
        "prescribing/prescription_detail.html",
        {
            "client": client,
            "prescription": prescription,
            "may_write": may_write,
            "dates": presenters.dates_text(prescription),
            "status": presenters.status_text(prescription, timezone.localdate()),
            "state": prescription.state_on(timezone.localdate()),
            "instalment_head": presenters.INSTALMENT_HEAD,
            "instalment_rows": presenters.instalment_rows(
                instalments,
                prescription=prescription,
                may_write=may_write,
                today=timezone.localdate(),
            ),
            "dose_changes": [
                presenters.dose_change_text(change) for change in prescription.dose_changes.all()
            ],
            "reviews": [
                presenters.review_text(review)
                for review in selectors.prescription_reviews(prescription=prescription)
            ],
            "supervised": weekday_names(prescription.supervised_days),
            "missed_days": safety.consecutive_missed_days(prescription),
            "wording_html": presenters.wording_html(prescription),
            "may_print": user_can(request.user, PRINT, client),
            "may_continue": may_write
            and prescription.ended_on is None
            and prescription.state_on(timezone.localdate()) != Prescription.State.ENDED,
            "plan_rows": presenters.plan_rows(prescription, instalments),
            "sections": [
                section
                for build in hooks.prescription_page_sections
                if (section := build(user=request.user, prescription=prescription))
            ],
        },
    )


def _prescription_form(
    request: HttpRequest,
    prescription: Prescription,
    form,
    service,
    *,
    done: str,
    viewed: str,
    title: str,
    button: str,
    acts_on: dict | None = None,
    **extra,
) -> HttpResponse:
    """A page with one form about a prescription: a valid POST calls `service` on the
    prescription (or on `acts_on`, such as one of its instalments) and goes back to the
    prescription with the message `done`; otherwise the form, whose showing is a read of
    the client's record (`viewed`). `extra` goes to the template."""
    if form_saved_by(request, form, service, **(acts_on or {"prescription": prescription})):
        messages.success(request, done)
        return _to_prescription(prescription)
    _viewed(request, prescription.client, viewed)
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=title,
        button=button,
        **extra,
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def dose_change(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    return _prescription_form(
        request,
        prescription,
        DoseChangeForm(request.POST or None, initial={"effective_date": timezone.localdate()}),
        services.prescription_change_dose,
        done="Dose changed.",
        viewed=f"dose change form, prescription {prescription.pk}",
        title=f"Change the dose: {prescription.medicine_name}",
        button="Change dose",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_end(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    return _prescription_form(
        request,
        prescription,
        PrescriptionEndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        services.prescription_end,
        done="Prescription ended.",
        viewed=f"end form, prescription {prescription.pk}",
        title=f"End the prescription: {prescription.medicine_name}",
        button="End prescription",
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def instalment_outcome(request: HttpRequest, instalment_id: int) -> HttpResponse:
    instalment = selectors.instalment_get(
        user=request.user, instalment_id=instalment_id, permission=WRITE
    )
    return _prescription_form(
        request,
        instalment.prescription,
        OutcomeForm(request.POST or None),
        services.instalment_record_outcome,
        acts_on={"instalment": instalment},
        done=f"Instalment of {date_uk(instalment.date)} recorded.",
        viewed=f"instalment {instalment.pk}",
        title=f"Instalment of {date_uk(instalment.date)}",
        button="Record outcome",
        instalment_summary=presenters.instalment_summary(instalment),
    )


@permission_required(REVIEW)
@require_http_methods(["GET", "POST"])
def missed_dose_review(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=REVIEW
    )
    return _prescription_form(
        request,
        prescription,
        ReviewForm(request.POST or None),
        services.missed_dose_review_record,
        done="Review recorded.",
        viewed=f"missed-dose review, prescription {prescription.pk}",
        title="Review after missed doses",
        button="Record review",
        missed_days=safety.consecutive_missed_days(prescription),
    )


@permission_required(WRITE)
@require_http_methods(["GET", "POST"])
def prescription_continue(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=WRITE
    )
    length = (prescription.end_date - prescription.start_date).days + 1
    form = ContinueForm(request.POST or None, initial={"days": length})
    continued: list[Prescription] = []

    def save(data: dict) -> None:
        continued.append(
            services.prescription_continue(
                actor=request.user,
                prescription=prescription,
                origin=audit_origin(request),
                reason=data.get("reason") or "",
                days=data["days"],
            )
        )

    if form_saved(request, form, save):
        messages.success(request, f"Prescription continued: {continued[0]}.")
        return _to_prescription(continued[0])
    _viewed(request, prescription.client, f"continue form, prescription {prescription.pk}")
    return _form_page(
        request,
        form=form,
        prescription=prescription,
        client=prescription.client,
        title=f"Continue the prescription: {prescription.medicine_name}",
        button="Continue prescription",
        continue_from=prescription.end_date + datetime.timedelta(days=1),
    )


@permission_required(PRINT)
def prescription_print(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = selectors.prescription_get(
        user=request.user, prescription_id=prescription_id, permission=PRINT
    )
    client = prescription.client
    _viewed(request, client, f"printable OST prescription {prescription.pk}")
    total = selectors.prescription_total_quantity(prescription=prescription)
    return render(
        request,
        "prescribing/prescription_print.html",
        {
            "client": client,
            "prescription": prescription,
            "rows": presenters.printable_rows(
                prescription,
                client_address=ClientPresenter(client).address,
                total_mg=total,
                today=timezone.localdate(),
            ),
            "wording": wording_lines(prescription.instalment_wording),
            "instalment_head": presenters.PRINT_INSTALMENT_HEAD,
            "instalment_rows": presenters.print_instalment_rows(
                selectors.prescription_instalments(prescription=prescription),
                prescription=prescription,
            ),
        },
    )


def _list_filter_form(request: HttpRequest) -> ListFilterForm:
    """The filters of a prescriber's list (a client, a team, a keyworker), from the query."""
    return ListFilterForm(
        request.GET or None,
        teams=client_selectors.client_teams(provider=request.provider),
        keyworkers=client_selectors.client_keyworkers(provider=request.provider),
    )


def _list_page(
    request: HttpRequest, found: Callable[..., Iterable], what: str
) -> tuple[ListFilterForm, dict, Page, str]:
    """A prescriber's list (`found(user=, today=, query=, team=, keyworker=)`) narrowed by
    the filters the query asks (a client, a team, a keyworker) and paged, its read audited
    with the number shown (`what`): the filter form, its filters, the page, and the query of
    the list's CSV link (the filters without the page)."""
    form = _list_filter_form(request)
    filters = form.filters()
    page = paginate(request, found(user=request.user, today=timezone.localdate(), **filters))
    query = request.GET.copy()
    query.pop("page", None)
    audit_request(request, action=Action.VIEW, detail=f"{what}, {len(page.object_list)} shown")
    return form, filters, page, query.urlencode()


def _list_exported(
    request: HttpRequest, found: Callable[..., Collection], what: str, *, today: datetime.date
) -> Collection | None:
    """What a prescriber's list keeps for its CSV, the export audited with its filters; None
    when filters were sent but are not valid: no file of every row, the page shows them."""
    form = _list_filter_form(request)
    if filters_refused(form):
        return None
    filters = form.filters()
    rows = found(user=request.user, today=today, **filters)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"{what}, CSV of {len(rows)}" + filters_text(filters),
    )
    return rows


ENDING_SOON_WHAT = "OST prescriptions ending soon"


@permission_required(ENDING_SOON)
def ending_soon(request: HttpRequest) -> HttpResponse:
    form, filters, page, csv_query = _list_page(
        request, selectors.prescriptions_ending_soon, ENDING_SOON_WHAT
    )
    return render(
        request,
        "prescribing/ending_soon.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "csv_query": csv_query,
            "days": safety.threshold("BEACON_OST_ENDING_SOON_DAYS"),
            "head": presenters.ENDING_SOON_HEAD,
            "rows": presenters.ending_soon_rows(page.object_list),
            "may_continue": user_can(request.user, WRITE),
        },
    )


@permission_required(ENDING_SOON)
def ending_soon_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    prescriptions = _list_exported(
        request, selectors.prescriptions_ending_soon, ENDING_SOON_WHAT, today=today
    )
    if prescriptions is None:
        return ending_soon(request)  # the page, with the errors; no file of every row
    return presenters.EndingSoonExport(prescriptions, day=today).csv_response()


@dataclass(frozen=True)
class FullList:
    """One of the prescriber's full lists behind a worklist section: its selector
    (`found(user=, today=, query=, team=, keyworker=)`), its rows and CSV."""

    what: str  # the page's title, and what the audit log says was read
    intro: str
    empty: str
    head: list[str]
    found: Callable[..., Iterable]
    rows: Callable[..., list[list[dict]]]
    exporter: Callable[..., Any]
    url_name: str
    table_id: str


REVIEWS_DUE = FullList(
    what="Missed doses to review",
    intro="Supply stopped after missed doses: each waits for a prescriber's review before "
    "the next dose can be supplied. The clients you prescribe for come first.",
    empty="No supply is stopped for a review after missed doses",
    head=presenters.REVIEW_HEAD,
    found=selectors.prescriptions_awaiting_review,
    rows=presenters.awaiting_review_rows,
    exporter=presenters.AwaitingReviewExport,
    url_name="prescribing:reviews_due",
    table_id="missed-dose-reviews",
)
LATE_INJECTIONS = FullList(
    what="Late injections: give late or skip",
    intro="Prolonged-release buprenorphine injections due before today with nothing recorded: "
    "decide whether each is given late or skipped. The clients you prescribe for come first.",
    empty="No injection is waiting for a decision",
    head=presenters.INJECTIONS_HEAD,
    found=lambda **kwargs: list(selectors.injections_awaiting_decision(**kwargs)),
    rows=presenters.injections_rows,
    exporter=presenters.LateInjectionsExport,
    url_name="prescribing:late_injections",
    table_id="late-injections",
)


def _work_list_page(request: HttpRequest, work: FullList) -> HttpResponse:
    """A full list, filtered and paged, its read audited with the number shown."""
    form, filters, page, csv_query = _list_page(request, work.found, work.what)
    rows = work.rows(page.object_list, user=request.user)
    return render(
        request,
        "prescribing/work_list.html",
        {
            "work": work,
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "csv_query": csv_query,
            "csv_url": reverse(work.url_name + "_csv"),
            "table": {
                "id": work.table_id,
                "responsive": True,
                "head": [*({"text": text} for text in work.head), {"visuallyHiddenText": "Action"}],
                "rows": rows,
            }
            if rows
            else None,
        },
    )


def _work_list_csv(request: HttpRequest, work: FullList) -> HttpResponse:
    """The filtered full list as a file, audited as an export with its filters. Filters sent
    but not valid download nothing: the page shows their errors."""
    today = timezone.localdate()
    found = _list_exported(request, work.found, work.what, today=today)
    if found is None:
        return _work_list_page(request, work)
    return work.exporter(found, user=request.user, day=today).csv_response()


@permission_required(ENDING_SOON)
def reviews_due(request: HttpRequest) -> HttpResponse:
    return _work_list_page(request, REVIEWS_DUE)


@permission_required(ENDING_SOON)
def reviews_due_csv(request: HttpRequest) -> HttpResponse:
    return _work_list_csv(request, REVIEWS_DUE)


@permission_required(ENDING_SOON)
def late_injections(request: HttpRequest) -> HttpResponse:
    return _work_list_page(request, LATE_INJECTIONS)


@permission_required(ENDING_SOON)
def late_injections_csv(request: HttpRequest) -> HttpResponse:
    return _work_list_csv(request, LATE_INJECTIONS)


def client_page_section(
    client: Client,
    user: User,
    *,
    origin: AuditOrigin | None = None,
    today: datetime.date | None = None,
):
    """Prescribing's part of the client page (registered in `beacon/clients/hooks.py`):
    days from referral to the first OST prescription, each current cross-titration as one
    plan, and the way to the prescriptions. Only for a user who may read the client's
    prescriptions; the read is audited like the prescriptions page."""
    if not user_can(user, VIEW, client):
        return None
    client_services.client_record_viewed(
        actor=user, client=client, origin=origin, what="OST summary on the client page"
    )
    today = today or timezone.localdate()  # the client page's day (H-150)
    return {
        "id": "opioid-substitution",
        "title": "Opioid substitution",
        "template": "prescribing/client_section.html",
        "context": {
            "time_to_first": presenters.time_to_first_text(
                selectors.referral_to_first_prescription(client=client)
            ),
            "cross_titration_rows": [
                presenters.cross_titration_row(plan, today=today)
                for plan in selectors.client_cross_titrations(client=client, today=today)
            ],
            "list_url": reverse("prescribing:list", args=[client.client_number]),
        },
    }


def client_summary_rows(
    client: Client, user: User, *, today: datetime.date, now: datetime.datetime
) -> list[SummaryRow]:
    """The client page's summary lines for the current prescription and today's dose
    (registered in `beacon/clients/hooks.py`), for a user who may read prescriptions."""
    if not user_can(user, VIEW, client):
        return []
    return presenters.client_summary_rows(
        selectors.client_prescriptions_today(client=client, today=today), today=today
    )


# Prescribing's sections of the prescriber's worklist (registered in apps.py) -------------


def ending_soon_worklist(*, user: User, today: datetime.date) -> presenters.Worklist:
    return presenters.ending_soon_worklist(
        selectors.prescriptions_ending_soon(user=user, today=today),
        days=safety.threshold("BEACON_OST_ENDING_SOON_DAYS"),
        user=user,
    )


def awaiting_review_worklist(*, user: User, today: datetime.date) -> presenters.Worklist:
    return presenters.awaiting_review_worklist(
        selectors.prescriptions_awaiting_review(user=user, today=today), user=user
    )


def injections_worklist(*, user: User, today: datetime.date) -> presenters.Worklist:
    return presenters.injections_worklist(
        list(selectors.injections_awaiting_decision(user=user, today=today)), user=user
    )
