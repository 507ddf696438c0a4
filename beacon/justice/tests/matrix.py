"""Authorization matrix rows for the justice app (see beacon/core/tests/matrix.py).

Staff with a need to know (who may open the client's record) read a client's criminal
justice page, its reports and the prison releases; the client's keyworker and managers
record. The sample client is on a DRR whose responsible officer is the matrix's probation
officer and agreed to share with their service, so that officer reads their page, their
report and the API; no one else does. Managers read what was shared with whom. Every other
app's page and API refuses the probation officer (their rows name no probation officer).
"""

import datetime

from django.utils import timezone

from beacon.clients.services import sharing_consent_record
from beacon.core.tests.matrix import (
    CLIENT_READERS,
    CLIENT_WRITERS,
    MANAGERS,
    REDIRECT,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.justice import services
from beacon.justice.models import Kind

OFFICER = {"probation_officer"}
STAFF = {"keyworker", "prescriber", "nurse", *MANAGERS}
WRITERS_REDIRECT = {
    **outcome_for(set()),
    **dict.fromkeys(CLIENT_WRITERS, REDIRECT),
}


def samples(base: dict) -> dict:
    client, keyworker = base["client"], base["users"]["keyworker"]
    officer = base["users"]["probation_officer"]
    today = timezone.localdate()
    order = services.justice_status_record(
        actor=keyworker,
        client=client,
        data={
            "kind": Kind.DRR,
            "start_date": today - datetime.timedelta(days=30),
            "length_months": 6,
            "responsible_officer": officer,
        },
    )
    hearing = services.review_hearing_record(
        actor=keyworker,
        client=client,
        data={"status": order, "on": today + datetime.timedelta(days=7), "court": "Matrix Court"},
    )
    consent = sharing_consent_record(
        actor=keyworker,
        client=client,
        data={
            "partner_organisation": officer.partner_organisation,
            "share_attendance": True,
            "given_on": today - datetime.timedelta(days=30),
            "until": today + datetime.timedelta(days=90),
        },
    )
    report = services.progress_report_generate(actor=keyworker, hearing=hearing)
    services.progress_report_send(
        actor=keyworker, report=report, data={"body": report.body, "checked": True}
    )
    return {
        "client_number": client.client_number,
        "justice_consent_id": consent.pk,
        "justice_report_id": report.pk,
        "justice_status_id": order.pk,
    }


CLIENT_PAGE = "justice/clients/<str:client_number>/"

PAGES = {
    CLIENT_PAGE: ("GET", outcome_for(CLIENT_READERS)),
    CLIENT_PAGE + "status/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    # Recording how a status ended: who may record a status; the probation officer never.
    CLIENT_PAGE + "statuses/<int:justice_status_id>/end/": ("GET", outcome_for(CLIENT_WRITERS)),
    # Recording a licence's end date: the same (the sample is an order, so a writer is sent
    # back to the justice page with a message).
    CLIENT_PAGE + "statuses/<int:justice_status_id>/end-date/": ("GET", WRITERS_REDIRECT),
    CLIENT_PAGE + "hearings/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    CLIENT_PAGE + "release/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    CLIENT_PAGE + "consent/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    # Without a hearing chosen the writer is sent back with a message.
    CLIENT_PAGE + "reports/new/": ("POST", WRITERS_REDIRECT),
    "justice/consents/<int:justice_consent_id>/withdraw/": ("POST", WRITERS_REDIRECT),
    "justice/reports/<int:justice_report_id>/": ("GET", outcome_for(CLIENT_READERS)),
    "justice/reports/<int:justice_report_id>/download/": ("GET", outcome_for(OFFICER)),
    "justice/statuses/": ("GET", outcome_for(STAFF)),
    "justice/statuses.csv": ("GET", outcome_for(STAFF)),
    "justice/releases/": ("GET", outcome_for(STAFF)),
    "justice/releases.csv": ("GET", outcome_for(STAFF)),
    "justice/supervised/": ("GET", outcome_for(OFFICER)),
    "justice/supervised.csv": ("GET", outcome_for(OFFICER)),
    "justice/supervised/<str:client_number>/": ("GET", outcome_for(OFFICER)),
    "justice/shared/": ("GET", outcome_for(MANAGERS)),
    "justice/shared.csv": ("GET", outcome_for(MANAGERS)),
}
API = {
    "api/v1/justice/supervised": ("GET", outcome_for(OFFICER, anonymous=UNAUTHENTICATED)),
    "api/v1/justice/supervised/<client_number>": (
        "GET",
        outcome_for(OFFICER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/justice/clients/<client_number>/statuses": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    # Without a body: refused before it is read to all but keyworkers and managers
    # (`justice.change_status`), for whom it is invalid (422); whose client's status, in
    # test_endings.py.
    "api/v1/justice/clients/<client_number>/statuses/<int:justice_status_id>/end": (
        "POST",
        api_write_for(CLIENT_WRITERS),
    ),
    # As above; whose client's licence, in test_statuses.py.
    "api/v1/justice/clients/<client_number>/statuses/<int:justice_status_id>/end-date": (
        "POST",
        api_write_for(CLIENT_WRITERS),
    ),
}
