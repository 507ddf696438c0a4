"""Authorization matrix rows for the delivery app (see beacon/core/tests/matrix.py).

The controlled-drug register: only `delivery.keep_register` (managers for now) opens it.
Drivers never see the register; keyworkers, prescribers, nurses, volunteers and
commissioners are refused.
"""

from decimal import Decimal

from django.utils import timezone

from beacon.core.tests.factories import PartnerOrganisationFactory
from beacon.core.tests.matrix import (
    CLIENT_WRITERS,
    MANAGERS,
    REDIRECT,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.delivery.models import Vehicle
from beacon.delivery.services.register import patient_return_record
from beacon.delivery.tests.factories import METHADONE, main_site, round_today


def samples(base: dict) -> dict:
    partner = PartnerOrganisationFactory(provider=base["provider"])
    vehicle = Vehicle.objects.create(
        provider=base["provider"], partner_organisation=partner, registration="AB12 CDE"
    )
    site = main_site(base["provider"])
    returned = patient_return_record(
        actor=base["users"]["manager"],
        provider=base["provider"],
        site=site,
        medicine=METHADONE,
        data={
            "client": base["client"],
            "quantity": Decimal(20),
            "returned_by": "The client",
            "occurred_at": timezone.now(),
        },
    )
    return {
        "medicine": METHADONE,
        "kind": "received",
        "vehicle_id": vehicle.pk,
        "site_id": site.pk,
        "return_id": returned.pk,
    }


KEEP = outcome_for(MANAGERS)
API_KEEP = outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)
# Register writes without a body: refused before the body is read to every role but the
# register's keepers, whose request is invalid (422).
API_KEEP_WRITE = api_write_for(MANAGERS)

SITE_PAGE = "delivery/register/<int:site_id>/<str:medicine>/"
SITE_API = "api/v1/delivery/register/<int:site_id>/<str:medicine>"
# Recording a destruction of a patient return without a body re-shows its form (200).
PAGES: dict = {
    "delivery/register/": ("GET", KEEP),
    "delivery/register/stock-site/": ("GET", KEEP),
    SITE_PAGE: ("GET", KEEP),
    f"{SITE_PAGE}entries.csv": ("GET", KEEP),
    f"{SITE_PAGE}record/<str:kind>/": ("GET", KEEP),
    f"{SITE_PAGE}correct/": ("GET", KEEP),
    "delivery/reconciliation/": ("GET", KEEP),
    "delivery/register/<int:site_id>/returns/": ("GET", KEEP),
    "delivery/register/<int:site_id>/returns.csv": ("GET", KEEP),
    "delivery/register/<int:site_id>/returns/new/": ("GET", KEEP),
    "delivery/register/<int:site_id>/returns/<int:return_id>/destroy/": ("POST", KEEP),
}
API: dict = {
    f"{SITE_API}/entries": ("GET", API_KEEP),
    f"{SITE_API}/balance": ("GET", API_KEEP),
    f"{SITE_API}/movements": ("POST", API_KEEP_WRITE),
    f"{SITE_API}/corrections": ("POST", API_KEEP_WRITE),
    "api/v1/delivery/reconciliation": ("GET", API_KEEP),
    "api/v1/delivery/register/<int:site_id>/returns": ("GET", API_KEEP),
    "api/v1/delivery/register/<int:site_id>/returns/<int:return_id>/destruction": (
        "POST",
        API_KEEP_WRITE,
    ),
}
API_WRITES: dict = {"api/v1/delivery/register/<int:site_id>/returns": ("POST", API_KEEP_WRITE)}

# Delivery set-up: managers keep vehicles and shifts; delivery details are kept by managers
# and keyworkers (the sample client is on the keyworker's caseload). Drivers, volunteers,
# commissioners, prescribers and nurses are refused: their POST and PUT without a body
# are refused before it is read (403), and invalid (422) for those who may. Which client a
# keyworker may keep is pinned in setup/test_setup.py.
SETUP = outcome_for(MANAGERS)
DETAILS = outcome_for(CLIENT_WRITERS)
PAGES.update(
    {
        "delivery/vehicles/": ("GET", SETUP),
        "delivery/vehicles/new/": ("GET", SETUP),
        "delivery/vehicles/<int:vehicle_id>/edit/": ("GET", SETUP),
        "delivery/shifts/": ("GET", SETUP),
        "delivery/shifts/new/": ("GET", SETUP),
        "delivery/clients/<str:client_number>/details/": ("GET", DETAILS),
        "delivery/clients/<str:client_number>/details/edit/": ("GET", DETAILS),
    }
)
API.update(
    {
        "api/v1/delivery/vehicles": ("GET", outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)),
        "api/v1/delivery/shifts": ("GET", outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)),
        # No details recorded for the sample client: a 404 for those allowed to ask.
        "api/v1/delivery/clients/<str:client_number>/delivery-details": (
            "GET",
            {
                **outcome_for(CLIENT_WRITERS, anonymous=UNAUTHENTICATED),
                **dict.fromkeys(CLIENT_WRITERS, "status 404"),
            },
        ),
    }
)
API_WRITES.update(
    {
        "api/v1/delivery/vehicles": ("POST", api_write_for(MANAGERS)),
        "api/v1/delivery/shifts": ("POST", api_write_for(MANAGERS)),
        "api/v1/delivery/clients/<str:client_number>/delivery-details": (
            "PUT",
            api_write_for(CLIENT_WRITERS),
        ),
    }
)

# Delivery planning: only `delivery.plan_rounds` (managers). The sample day has no shifts
# and no instalments, so planning it is quick. Without a body, "Plan this day" replans the
# empty day and redirects to it; the move form re-shows the page with errors.
_plain_samples = samples


def samples(base: dict) -> dict:
    return {**_plain_samples(base), "day": "2026-03-16"}


PLAN = outcome_for(MANAGERS)
PAGES.update(
    {
        "delivery/days/": ("GET", PLAN),
        "delivery/days/<str:day>/": ("GET", PLAN),
        "delivery/days/<str:day>/plan/": ("POST", {**PLAN, **dict.fromkeys(MANAGERS, REDIRECT)}),
        "delivery/days/<str:day>/move/": ("POST", PLAN),
    }
)
API.update(
    {
        "api/v1/delivery/days/<day>": ("GET", outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)),
        "api/v1/delivery/days/<day>/plan": (
            "POST",
            outcome_for(MANAGERS, anonymous=UNAUTHENTICATED),
        ),
    }
)

# The police notice: only `delivery.police_notice` (managers). Without a body, recording a
# sending re-shows the page with errors; through the API it is refused to other roles
# before the body is read, and invalid (422) for managers.
NOTICE = outcome_for(MANAGERS)
PAGES.update(
    {
        "delivery/days/<str:day>/police-notice/": ("GET", NOTICE),
        "delivery/days/<str:day>/police-notice.csv": ("GET", NOTICE),
        "delivery/days/<str:day>/police-notice/sent/": ("POST", NOTICE),
    }
)
API.update(
    {
        "api/v1/delivery/days/<day>/police-notice": (
            "GET",
            outcome_for(MANAGERS, anonymous=UNAUTHENTICATED),
        ),
        "api/v1/delivery/days/<day>/police-notice/sent": ("POST", api_write_for(MANAGERS)),
    }
)

# The driver's run sheet: only drivers, and only their own round of today (the sample stop
# is on the sample driver's round, handed over). Without a body, recording a stop re-shows
# it with errors (200, as every form). Handing a round over and taking a parcel back are register
# movements: managers, sent back to the day page.
_before_runsheet = samples


def samples(base: dict) -> dict:
    stop = round_today(
        users=base["users"], provider=base["provider"], team=base["team"], handed_over=True
    )[0]
    return {**_before_runsheet(base), "stop_id": stop.pk, "round_id": stop.round_id}


DRIVERS = {"driver"}
PAGES.update(
    {
        "delivery/my-round/": ("GET", outcome_for(DRIVERS)),
        "delivery/my-round/stops/<int:stop_id>/": ("GET", outcome_for(DRIVERS)),
        # Already confirmed in the sample: the driver is sent back with the message.
        "delivery/my-round/confirm/": ("POST", {**outcome_for(DRIVERS), "driver": REDIRECT}),
        "delivery/my-round/stops/<int:stop_id>/delivered/": ("POST", outcome_for(DRIVERS)),
        "delivery/my-round/stops/<int:stop_id>/not-delivered/": ("POST", outcome_for(DRIVERS)),
        "delivery/rounds/<int:round_id>/hand-over/": (
            "POST",
            {**KEEP, **dict.fromkeys(MANAGERS, REDIRECT)},
        ),
        "delivery/stops/<int:stop_id>/returned/": (
            "POST",
            {**KEEP, **dict.fromkeys(MANAGERS, REDIRECT)},
        ),
        # Without a reason, holding back re-shows the form with its error.
        "delivery/stops/<int:stop_id>/hold-back/": ("POST", KEEP),
    }
)
API.update(
    {
        "api/v1/delivery/my-round": ("GET", outcome_for(DRIVERS, anonymous=UNAUTHENTICATED)),
        # Recording a stop: drivers only (their own round, test_runsheet_api.py).
        "api/v1/delivery/my-round/confirm": ("POST", api_write_for(DRIVERS)),
        "api/v1/delivery/my-round/stops/<int:stop_id>/delivered": (
            "POST",
            api_write_for(DRIVERS),
        ),
        "api/v1/delivery/my-round/stops/<int:stop_id>/not-delivered": (
            "POST",
            api_write_for(DRIVERS),
        ),
        # The parcels handed over must be named: the register's keepers without a body get
        # 422; every other role is refused before the body is read.
        "api/v1/delivery/rounds/<int:round_id>/hand-over": ("POST", API_KEEP_WRITE),
        "api/v1/delivery/stops/<int:stop_id>/hold-back": ("POST", API_KEEP_WRITE),
        "api/v1/delivery/stops/<int:stop_id>/returned": (
            "POST",
            {
                **outcome_for(MANAGERS, anonymous=UNAUTHENTICATED),
                **dict.fromkeys(MANAGERS, "status 422"),
            },
        ),
    }
)
