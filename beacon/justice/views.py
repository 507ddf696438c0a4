"""Pages of criminal-justice work: a client's justice page and its forms (status, review
hearing, prison release, consent to share, progress reports) for staff with a need to
know; the prison releases list; the probation officer's clients and what they may read of
each; and the manager's page of what was shared with whom. Thin: selectors read,
services write, rules.py decides who may. The URLs are in urls.py."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from beacon.clients import services as client_services
from beacon.clients.models import Client, SharingConsent
from beacon.clients.selectors import client_get
from beacon.core.audit import Action, AuditOrigin, audit_origin, audit_record, audit_request
from beacon.core.forms import filters_refused, form_page, form_saved, form_saved_by
from beacon.core.models import User
from beacon.core.pagination import paginate
from beacon.core.permissions import ensure_can, permission_required, user_can
from beacon.core.presenters import WORKLIST_ROWS, Worklist, date_uk
from beacon.justice import presenters, selectors, services
from beacon.justice.forms import (
    JusticeStatusForm,
    PrisonReleaseForm,
    ProgressReportForm,
    ReleaseFilterForm,
    ReviewHearingForm,
    SharingConsentForm,
    SharingLogFilterForm,
    StatusEndForm,
    StatusFilterForm,
    SupervisedSearchForm,
    SupervisionEndForm,
)
from beacon.justice.models import LICENCE_KINDS, ORDER_KINDS, Kind
from beacon.justice.rules import (
    CHANGE,
    SUPERVISE,
    VIEW,
    VIEW_RELEASES,
    VIEW_SHARING_LOG,
    VIEW_STATUSES,
)

# A client's justice page and its forms -------------------------------------------------------


@permission_required(VIEW)
def client(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=VIEW)
    today = timezone.localdate()
    reports = list(selectors.client_reports(client=record))
    links = {}
    can_change = user_can(request.user, CHANGE, record)
    for report in reports:
        links.setdefault(
            report.hearing_id,
            {
                "html": format_html(
                    '<a href="{}">{}</a>',
                    reverse("justice:report", args=[report.pk]),
                    "Sent" if report.is_sent else "Draft",
                )
            },
        )
    hearings = list(selectors.client_hearings(client=record))
    statuses = list(selectors.client_statuses(client=record).select_related("ended_by"))
    audit_request(request, action=Action.VIEW, client=record, detail="criminal justice page")
    return render(
        request,
        "justice/client.html",
        {
            "client": record,
            "can_change": can_change,
            "statuses": presenters.statuses_table(
                [s for s in statuses if s.ended_on is None], today=today, can_change=can_change
            ),
            "history": presenters.history_table([s for s in statuses if s.ended_on is not None]),
            "hearings": presenters.hearings_table(hearings, report_links=links),
            "hearings_without_report": [h for h in hearings if h.pk not in links and h.on >= today],
            "releases": presenters.releases_of_client_table(
                selectors.client_releases(client=record)
            ),
            "consents": presenters.consents_table(
                selectors.client_sharing_consents(client=record),
                today=today,
                csrf_input=csrf_input(request),
            ),
            "reports": presenters.reports_table(reports, today=today),
        },
    )


def _back(record) -> str:
    return reverse("justice:client", args=[record.client_number])


def _client_form_page(
    request: HttpRequest, *, form: BaseForm, client: Client, title: str, button: str, **extra
) -> HttpResponse:
    """The page of a form about the client's criminal justice work: captioned with the client,
    its back link to their justice page; `extra` may name an `intro`."""
    return form_page(
        request,
        form=form,
        title=title,
        button=button,
        client=client,
        back=_back(client),
        **extra,
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def status_new(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    form = JusticeStatusForm(
        request.POST or None, officers=selectors.probation_officers(provider=request.provider)
    )
    if form_saved_by(request, form, services.justice_status_record, client=record):
        messages.success(request, "Criminal justice status recorded.")
        return redirect(_back(record))
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record a criminal justice status",
        button="Save status",
        intro="A probation officer sees a client only when named here as responsible officer "
        "and when the client agrees to share with their service.",
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def status_end(request: HttpRequest, client_number: str, justice_status_id: int) -> HttpResponse:
    """Record how a status ended (H-269): it then shows as history."""
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    status = selectors.justice_status_get(
        user=request.user, client=record, status_id=justice_status_id
    )
    if status.ended_on is not None:
        messages.info(request, f"This status already ended on {date_uk(status.ended_on)}.")
        return redirect(_back(record))
    form = StatusEndForm(request.POST or None, status=status)
    if form_saved_by(request, form, services.justice_status_end, status=status):
        messages.success(request, f"{status.get_kind_display()}: how it ended is recorded.")
        return redirect(_back(record))
    length = presenters.status_length(status, mid_sentence=True)
    intro = f"{status.get_kind_display()} from {date_uk(status.start_date)}" + (
        f", {length}." if length else "."
    )
    if status.responsible_officer_id is not None:
        intro += (
            f" {presenters.officer_text(status)} reads nothing more of the client through it "
            "after the end date."
        )
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record how the status ended",
        button="Save how it ended",
        intro=intro,
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def status_end_date(
    request: HttpRequest, client_number: str, justice_status_id: int
) -> HttpResponse:
    """Record the end date of a licence or post-sentence supervision (H-280): one recorded
    before Beacon asked for it has none, and is flagged until this is done."""
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    status = selectors.justice_status_get(
        user=request.user, client=record, status_id=justice_status_id
    )
    if status.kind not in LICENCE_KINDS or status.ended_on is not None:
        messages.info(
            request, "Only a licence or post-sentence supervision not yet ended has an end date."
        )
        return redirect(_back(record))
    form = SupervisionEndForm(
        request.POST or None, status=status, initial={"supervision_end": status.supervision_end}
    )
    if form_saved_by(request, form, services.justice_status_record_end_date, status=status):
        messages.success(request, f"{status.get_kind_display()}: the end date is recorded.")
        return redirect(_back(record))
    intro = f"{status.get_kind_display()} from {date_uk(status.start_date)}. From the day after "
    intro += "the end date it is no longer current" + (
        f", and {presenters.officer_text(status)} reads nothing more of the client through it."
        if status.responsible_officer_id is not None
        else "."
    )
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record the licence end date"
        if status.kind == Kind.LICENCE
        else "Record when post-sentence supervision ends",
        button="Save the end date",
        intro=intro,
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def hearing_new(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    orders = selectors.client_statuses(client=record).filter(kind__in=ORDER_KINDS)
    form = ReviewHearingForm(request.POST or None, orders=orders)
    if form_saved_by(request, form, services.review_hearing_record, client=record):
        messages.success(request, "Review hearing recorded.")
        return redirect(_back(record))
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record a review hearing",
        button="Save hearing",
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def release_new(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    form = PrisonReleaseForm(request.POST or None)

    def save(data: dict):
        return services.prison_release_record(
            actor=request.user,
            client=record,
            data=form.service_data(),
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(
            request,
            "Prison release recorded. Offer naloxone at the first contact: release is the "
            "time of highest overdose risk.",
        )
        return redirect(_back(record))
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record a prison release referral",
        button="Save release",
        intro="What the prison sent. The first community prescription is due the next working "
        "day after release.",
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    form = SharingConsentForm(
        request.POST or None, partners=request.provider.partner_organisations.all()
    )

    def save(data: dict):
        return client_services.sharing_consent_record(
            actor=request.user,
            client=record,
            data=form.service_data(),
            origin=audit_origin(request),
        )

    if form_saved(request, form, save):
        messages.success(request, "Consent to share recorded.")
        return redirect(_back(record))
    return _client_form_page(
        request,
        form=form,
        client=record,
        title="Record a consent to share",
        button="Save consent",
        intro="Only what the client agrees to is shared, only with whom they name, and only "
        "until the date they give. They can withdraw it at any time.",
    )


@permission_required(CHANGE)
@require_POST
def consent_withdraw(request: HttpRequest, justice_consent_id: int) -> HttpResponse:
    consent = selectors.sharing_consent_get(user=request.user, consent_id=justice_consent_id)
    try:
        client_services.sharing_consent_withdraw(
            actor=request.user, consent=consent, origin=audit_origin(request)
        )
        messages.success(request, "Consent withdrawn: nothing more is shared from now.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_back(consent.client))


# Progress reports -----------------------------------------------------------------------------


@permission_required(CHANGE)
@require_POST
def report_new(request: HttpRequest, client_number: str) -> HttpResponse:
    record = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    hearing = (
        selectors.client_hearings(client=record).filter(pk=request.POST.get("hearing")).first()
    )
    if hearing is None:
        messages.error(request, "Choose the review hearing the report is for.")
        return redirect(_back(record))
    try:
        report = services.progress_report_generate(
            actor=request.user, hearing=hearing, origin=audit_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(record))
    return redirect("justice:report", justice_report_id=report.pk)


@permission_required(VIEW)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, justice_report_id: int) -> HttpResponse:
    record = selectors.progress_report_get(user=request.user, report_id=justice_report_id)
    form = ProgressReportForm(request.POST or None, initial={"body": record.body})
    if request.method == "POST":
        ensure_can(request.user, CHANGE, record.client)
        if form_saved_by(request, form, services.progress_report_send, report=record):
            messages.success(request, f"Report sent to {record.partner_organisation}.")
            return redirect(_back(record.client))
    else:
        audit_request(request, action=Action.VIEW, obj=record, client=record.client)
    return render(
        request,
        "justice/report.html",
        {
            "report": record,
            "client": record.client,
            "form": form,
            "can_send": not record.is_sent and user_can(request.user, CHANGE, record.client),
            "refused": selectors.report_refusal(record, today=timezone.localdate()),
            "drafted_under": ", ".join(
                SharingConsent.SHARES[share] for share in record.consent_shares
            ).lower(),
        },
        status=200,
    )


# The statuses of the clients a user may open ---------------------------------------------------


def _statuses(request: HttpRequest):
    form = StatusFilterForm(request.GET or None)
    data = form.filters()
    found = selectors.statuses_to_follow(
        user=request.user,
        today=timezone.localdate(),
        query=data.get("query") or "",
        past_expected_end_only=bool(data.get("past_expected_end_only")),
        without_end_date_only=bool(data.get("without_end_date_only")),
    )
    return form, found


@permission_required(VIEW_STATUSES)
def statuses(request: HttpRequest) -> HttpResponse:
    """Court orders, licences, cautions and releases not yet ended, of the clients the user
    may open: those past their expected end first, to record how they ended (H-269)."""
    form, found = _statuses(request)
    page = paginate(request, found)
    today = timezone.localdate()
    audit_request(
        request,
        action=Action.VIEW,
        detail=f"criminal justice statuses, {len(page.object_list)} shown",
    )
    for shown in page.object_list:
        audit_request(request, action=Action.VIEW, client=shown.client, detail="statuses row")
    return render(
        request,
        "justice/statuses.html",
        {
            "form": form,
            "page": page,
            "table": {
                "id": "justice-statuses-list",
                "responsive": True,
                "head": [
                    *({"text": h} for h in presenters.FOLLOW_HEAD),
                    {"text": "Action"},
                ],
                "rows": presenters.follow_rows(
                    page.object_list,
                    today=today,
                    may_end=lambda client: user_can(request.user, CHANGE, client),
                ),
            },
            "past": selectors.statuses_to_follow(
                user=request.user, today=today, past_expected_end_only=True
            ).count(),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_STATUSES)
def statuses_csv(request: HttpRequest) -> HttpResponse:
    form, found = _statuses(request)
    if filters_refused(form):
        return statuses(request)
    audit_request(
        request, action=Action.EXPORT, detail=f"criminal justice statuses, CSV of {len(found)}"
    )
    return presenters.StatusesExport(found, today=timezone.localdate()).csv_response()


def past_expected_end_worklist(*, user: User, today: datetime.date) -> Worklist | None:
    """The manager's worklist section (registered in apps.py): orders past their expected
    end whose ending nobody recorded; left out when there are none."""
    found = selectors.statuses_to_follow(user=user, today=today, past_expected_end_only=True)
    count = found.count()
    if not count:
        return None  # as the section of licences with no end date: no empty section
    return presenters.past_expected_end_worklist(list(found[:WORKLIST_ROWS]), count=count)


def without_end_date_worklist(*, user: User, today: datetime.date) -> Worklist | None:
    """The manager's worklist section (registered in apps.py): licences and
    supervisions with no end date recorded (H-280), to record it where the user may."""
    found = selectors.statuses_to_follow(user=user, today=today, without_end_date_only=True)
    count = found.count()
    if not count:
        return None  # only those recorded before end dates were asked: no empty section
    return presenters.without_end_date_worklist(
        list(found[:WORKLIST_ROWS]),
        count=count,
        may_record=lambda client: user_can(user, CHANGE, client),
    )


def caseload_columns(clients: list, *, user: User) -> dict:
    """The caseload's criminal justice column (registered in `beacon/treatment/hooks.py`):
    each client's status not ended, an order past its expected end and a licence with no end
    date tagged, in one query; the links to record them only where `user` may (CHANGE, as
    the pages behind them check)."""
    today = timezone.localdate()
    by_client: dict[int, list] = {}
    page = user.provider.clients.filter(pk__in=[c.pk for c in clients])
    for status in selectors.statuses_to_follow(user=user, today=today, clients=page):
        by_client.setdefault(status.client_id, []).append(status)
    return {
        "head": [{"text": "Criminal justice"}],
        "cells": {
            c.pk: [
                {
                    "html": presenters.caseload_cell_html(
                        by_client.get(c.pk, []), today, can_change=user_can(user, CHANGE, c)
                    )
                }
            ]
            for c in clients
        },
    }


# Prison releases --------------------------------------------------------------------------------


def _releases(request: HttpRequest):
    form = ReleaseFilterForm(request.GET or None)
    data = form.filters()
    found = selectors.releases(
        user=request.user,
        today=timezone.localdate(),
        query=data.get("query") or "",
        not_seen_only=bool(data.get("not_seen_only")),
    )
    return form, found


@permission_required(VIEW_RELEASES)
def releases(request: HttpRequest) -> HttpResponse:
    form, found = _releases(request)
    page = paginate(request, found)
    today = timezone.localdate()
    audit_request(
        request, action=Action.VIEW, detail=f"prison releases, {len(page.object_list)} shown"
    )
    return render(
        request,
        "justice/releases.html",
        {
            "form": form,
            "page": page,
            "table": {
                "id": "justice-releases",
                "responsive": True,
                "head": [{"text": h} for h in presenters.RELEASES_HEAD],
                "rows": presenters.releases_rows(page.object_list, today=today),
            },
            "days": selectors.release_seen_days(),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_RELEASES)
def releases_csv(request: HttpRequest) -> HttpResponse:
    form, found = _releases(request)
    if filters_refused(form):
        return releases(request)
    audit_request(request, action=Action.EXPORT, detail=f"prison releases, CSV of {len(found)}")
    return presenters.ReleasesExport(found, today=timezone.localdate()).csv_response()


def released_on_ost_worklist(*, user: User, today: datetime.date) -> Worklist:
    """The prescriber's worklist section (registered in apps.py)."""
    return presenters.awaiting_prescription_worklist(
        selectors.releases_awaiting_prescription(user=user, today=today)
    )


def client_page_section(
    client, user: User, *, origin: AuditOrigin | None = None, today: datetime.date | None = None
):
    """The client page's criminal justice section (registered in clients' hooks)."""
    if not user_can(user, VIEW, client):
        return None
    statuses = list(selectors.client_statuses(client=client))
    releases = list(selectors.client_releases(client=client))
    if not statuses and not releases and not user_can(user, CHANGE, client):
        return None
    audit_record(
        actor=user,
        action=Action.VIEW,
        client=client,
        detail="criminal justice on the client page",
        origin=origin,
    )
    return {
        "id": "justice",
        "title": "Criminal justice",
        "rows": presenters.client_section_rows(
            statuses, releases, today=today or timezone.localdate()
        ),
        "links": [{"text": "Criminal justice page", "href": _back(client)}],
    }


# What a probation officer reads -------------------------------------------------------------------


def _supervised(request: HttpRequest):
    form = SupervisedSearchForm(request.GET or None)
    today = timezone.localdate()
    found = selectors.officer_clients(
        user=request.user, today=today, query=form.filters().get("query") or ""
    )
    return form, found


@permission_required(SUPERVISE)
def supervised(request: HttpRequest) -> HttpResponse:
    form, found = _supervised(request)
    page = paginate(request, found)
    origin = audit_origin(request)
    for shown in page.object_list:
        services.partner_read_record(
            actor=request.user, client=shown, what=presenters.LIST_SHOWN, origin=origin
        )
    return render(
        request,
        "justice/supervised.html",
        {
            "form": form,
            "page": page,
            "table": {
                "id": "justice-supervised",
                "responsive": True,
                "head": [{"text": h} for h in presenters.SUPERVISED_HEAD],
                "rows": presenters.supervised_rows(page.object_list),
            },
            "without_consent": selectors.officer_referrals_without_consent(
                user=request.user, today=timezone.localdate()
            ),
            "partner": request.user.partner_organisation,
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(SUPERVISE)
def supervised_csv(request: HttpRequest) -> HttpResponse:
    form, found = _supervised(request)
    if filters_refused(form):
        return supervised(request)
    rows = list(found)
    origin = audit_origin(request)
    for shown in rows:
        services.partner_read_record(
            actor=request.user,
            client=shown,
            what=presenters.LIST_CSV_SHOWN,
            origin=origin,
        )
    return presenters.SupervisedExport(rows).csv_response()


@permission_required(SUPERVISE)
def supervised_client(request: HttpRequest, client_number: str) -> HttpResponse:
    record = selectors.officer_client_get(user=request.user, client_number=client_number)
    summary = selectors.shared_summary(user=request.user, client=record, today=timezone.localdate())
    services.partner_read_record(
        actor=request.user,
        client=record,
        what=presenters.shown_on_page(summary),
        origin=audit_origin(request),
    )
    return render(
        request,
        "justice/supervised_client.html",
        {
            "client": record,
            "lines": presenters.shared_lines(summary),
            "attendance": presenters.attendance_table(summary),
            "hearings": presenters.officer_hearings_table(summary),
            "reports": presenters.officer_reports_table(summary.reports),
        },
    )


@permission_required(SUPERVISE)
def report_download(request: HttpRequest, justice_report_id: int) -> HttpResponse:
    record = selectors.officer_report_get(user=request.user, report_id=justice_report_id)
    services.partner_read_record(
        actor=request.user,
        client=record.client,
        what=presenters.report_shown(record),
        origin=audit_origin(request),
    )
    response = HttpResponse(record.body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="progress-report-{record.client.client_number}-'
        f'{record.hearing.on:%Y-%m-%d}.txt"'
    )
    return response


# What was shared with whom ------------------------------------------------------------------------


def _sharing_log(request: HttpRequest):
    form = SharingLogFilterForm(
        request.GET or None, partners=selectors.probation_services(provider=request.provider)
    )
    data = form.filters()
    return form, selectors.partner_reads(
        provider=request.provider, query=data.get("query") or "", partner=data.get("partner")
    )


@permission_required(VIEW_SHARING_LOG)
def sharing_log(request: HttpRequest) -> HttpResponse:
    form, found = _sharing_log(request)
    page = paginate(request, found)
    audit_request(request, action=Action.VIEW, detail="what was shared with partners")
    return render(
        request,
        "justice/sharing_log.html",
        {
            "form": form,
            "page": page,
            "table": presenters.sharing_table(page.object_list),
            "csv_query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_SHARING_LOG)
def sharing_log_csv(request: HttpRequest) -> HttpResponse:
    form, found = _sharing_log(request)
    if filters_refused(form):
        return sharing_log(request)
    audit_request(request, action=Action.EXPORT, detail="what was shared with partners, CSV")
    return presenters.SharingLogExport(found).csv_response()
