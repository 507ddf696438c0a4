"""The police notice of a day: a printable page listing each driver with a round, their
vehicle and the postcode districts they cover (never a client's name, address or dose), a
CSV download, and a form to record that the notice was sent, with the sendings so far.

All need `delivery.police_notice` (managers), checked before anything is loaded; records
load through request.provider. Viewing is audited; the CSV export is audited as an export;
each sending is audited by services/police.police_notice_sent_record.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.forms import service_errors_onto
from beacon.core.permissions import permission_required
from beacon.delivery.forms.police import PoliceNoticeSentForm
from beacon.delivery.presenters import police as presenters
from beacon.delivery.selectors import police as selectors
from beacon.delivery.services import police as services
from beacon.delivery.views.planning import parse_day

NOTICE = "delivery.police_notice"


def _notice_page(
    request: HttpRequest,
    day: datetime.date,
    form: PoliceNoticeSentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.police_notice_rows(provider=request.provider, date=day)
    sendings = selectors.police_notices_sent(provider=request.provider, date=day)
    audit_request(request, action=Action.VIEW, detail=f"police notice for {day:%Y-%m-%d}")
    return render(
        request,
        "delivery/police/notice.html",
        {
            "day": day,
            "notice_head": presenters.NOTICE_HEAD,
            "notice_rows": presenters.notice_rows(rows),
            "sendings_head": presenters.SENDINGS_HEAD,
            "sending_rows": presenters.sending_rows(sendings),
            "form": form or PoliceNoticeSentForm(),
            "provider": request.provider,
        },
        status=status,
    )


@permission_required(NOTICE)
@require_http_methods(["GET"])
def notice_view(request: HttpRequest, day: str) -> HttpResponse:
    return _notice_page(request, parse_day(day))


@permission_required(NOTICE)
@require_http_methods(["GET"])
def notice_csv(request: HttpRequest, day: str) -> HttpResponse:
    date = parse_day(day)
    rows = selectors.police_notice_rows(provider=request.provider, date=date)
    export = presenters.PoliceNoticeExport(date=date, rows=rows)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"police notice for {date:%Y-%m-%d} as CSV ({len(rows)} drivers)",
    )
    return export.csv_response()


@permission_required(NOTICE)
@require_http_methods(["POST"])
def notice_sent(request: HttpRequest, day: str) -> HttpResponse:
    date = parse_day(day)
    form = PoliceNoticeSentForm(request.POST)
    if form.is_valid():
        try:
            sending = services.police_notice_sent_record(
                actor=request.user,
                provider=request.provider,
                date=date,
                data=form.service_data(),
                origin=audit_origin(request),
            )
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, f"Recorded: the notice was sent to {sending.sent_to}.")
            return redirect("delivery:police_notice", day=date.isoformat())
    return _notice_page(request, date, form=form)
