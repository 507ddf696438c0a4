"""Justice endpoints of the JSON API, with the pages' rules: a probation officer's token
reads only the attendance summary of the clients they supervise who consented (each read
recorded with the officer's organisation); staff with a need to know read a client's
statuses, and the client's keyworker and managers record how one ended and a licence's or
supervision's end date."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from beacon.clients.selectors import client_get
from beacon.core.api import api_write, role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.schemas import INVALID, REFUSED
from beacon.justice import presenters, selectors, services
from beacon.justice.models import JusticeStatus
from beacon.justice.rules import CHANGE, VIEW
from beacon.justice.schemas import (
    JusticeAttendanceOut,
    JusticeStatusEndDateIn,
    JusticeStatusEndIn,
    JusticeStatusOut,
    JusticeSupervisedOut,
)

router = Router(tags=["justice"])


def _supervised_out(request: HttpRequest, client) -> JusticeSupervisedOut:
    summary = selectors.shared_summary(user=request.user, client=client, today=timezone.localdate())
    services.partner_read_record(
        actor=request.user,
        client=client,
        what=presenters.shown_in_api(summary),
        origin=audit_origin(request),
    )
    seen = summary.attendance
    return JusticeSupervisedOut(
        client_number=client.client_number,
        name=client.full_name,
        date_of_birth=client.date_of_birth,
        shared_until=summary.consent.until,
        attendance=JusticeAttendanceOut(since=seen.since, kept=seen.kept, missed=seen.missed)
        if seen is not None
        else None,
        engaging=summary.engaging,
        review_hearings=[h.on for h in summary.hearings] if summary.hearings is not None else None,
    )


@router.get(
    "/supervised",
    response={200: list[JusticeSupervisedOut], **REFUSED},
    summary="A probation officer's consenting clients and what each agreed to share",
)
def supervised(request: HttpRequest):
    clients = selectors.officer_clients(user=request.user, today=timezone.localdate())
    return [_supervised_out(request, client) for client in clients]


@router.get(
    "/supervised/{client_number}",
    response={200: JusticeSupervisedOut, **REFUSED},
    summary="One consenting client's attendance summary, for their probation officer",
)
def supervised_client(request: HttpRequest, client_number: str):
    client = selectors.officer_client_get(user=request.user, client_number=client_number)
    return _supervised_out(request, client)


@router.get(
    "/clients/{client_number}/statuses",
    response={200: list[JusticeStatusOut], **REFUSED},
    summary="A client's criminal-justice statuses, for staff with a need to know",
)
def statuses(request: HttpRequest, client_number: str):
    client = client_get(user=request.user, client_number=client_number, permission=VIEW)
    rows = list(selectors.client_statuses(client=client).select_related("ended_by"))
    audit_request(request, action=Action.VIEW, client=client, detail="criminal justice statuses")
    today = timezone.localdate()
    return [_status_out(status, today) for status in rows]


def _status_out(status: JusticeStatus, today: datetime.date) -> JusticeStatusOut:
    return JusticeStatusOut(
        id=status.pk,
        status=status.kind,
        status_label=status.get_kind_display(),
        start_date=status.start_date,
        length_months=status.length_months,
        supervision_end=status.supervision_end,
        ends_on=status.ends_on,
        expected_end=status.expected_end,
        current=status.is_current_on(today),
        past_expected_end=status.is_past_expected_end_on(today),
        needs_end_date=status.needs_end_date,
        responsible_officer=status.responsible_officer.display_name
        if status.responsible_officer
        else None,
        prison=status.prison,
        ended_on=status.ended_on,
        end_reason=status.end_reason,
        how_it_ended=status.how_it_ended,
        ended_by=status.ended_by.display_name if status.ended_by else None,
    )


@router.post(
    "/clients/{client_number}/statuses/{int:justice_status_id}/end",
    response={200: JusticeStatusOut, **INVALID},
    summary="Record how a criminal-justice status ended (it is then history, not current)",
    auth=role_gate(CHANGE),
)
def status_end(
    request: HttpRequest, client_number: str, justice_status_id: int, payload: JusticeStatusEndIn
):
    client = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    status = selectors.justice_status_get(
        user=request.user, client=client, status_id=justice_status_id
    )
    ended = api_write(request, services.justice_status_end, payload, status=status)
    return _status_out(ended, timezone.localdate())


@router.post(
    "/clients/{client_number}/statuses/{int:justice_status_id}/end-date",
    response={200: JusticeStatusOut, **INVALID},
    summary="Record the end date of a licence or post-sentence supervision",
    auth=role_gate(CHANGE),
)
def status_end_date(
    request: HttpRequest,
    client_number: str,
    justice_status_id: int,
    payload: JusticeStatusEndDateIn,
):
    client = client_get(user=request.user, client_number=client_number, permission=CHANGE)
    status = selectors.justice_status_get(
        user=request.user, client=client, status_id=justice_status_id
    )
    recorded = api_write(request, services.justice_status_record_end_date, payload, status=status)
    return _status_out(recorded, timezone.localdate())
