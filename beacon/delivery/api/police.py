"""Police notice endpoints of the JSON API, under /api/v1/delivery/: a day's notice
(drivers, vehicles, shifts and postcode districts only: no client, address or dose) and
records of sending it."""

from django.http import HttpRequest
from ninja import Router, Status

from beacon.core.api import api_write, role_gate
from beacon.core.permissions import ensure_can
from beacon.core.schemas import INVALID, REFUSED, IsoDate
from beacon.delivery.api.register import viewed
from beacon.delivery.schemas.police import PoliceNoticeOut, PoliceNoticeSentIn, PoliceNoticeSentOut
from beacon.delivery.selectors import police as selectors
from beacon.delivery.services import police as services

router = Router(tags=["delivery"])

NOTICE = "delivery.police_notice"


@router.get(
    "/days/{day}/police-notice",
    response={200: PoliceNoticeOut, **REFUSED},
    summary="The police notice of a day: drivers, vehicles, shifts and postcode districts",
)
def police_notice_get(request: HttpRequest, day: IsoDate):
    ensure_can(request.user, NOTICE)
    rows = selectors.police_notice_rows(provider=request.provider, date=day)
    viewed(request, f"police notice for {day:%Y-%m-%d}")
    return {
        "date": day,
        "rows": rows,
        "sendings": list(selectors.police_notices_sent(provider=request.provider, date=day)),
    }


@router.post(
    "/days/{day}/police-notice/sent",
    response={201: PoliceNoticeSentOut, **INVALID},
    summary="Record that a day's police notice was sent (sent_at defaults to now)",
    auth=role_gate(NOTICE),
)
def police_notice_sent_post(request: HttpRequest, day: IsoDate, payload: PoliceNoticeSentIn):
    ensure_can(request.user, NOTICE)
    sending = api_write(
        request, services.police_notice_sent_record, payload, provider=request.provider, date=day
    )
    return Status(201, sending)
