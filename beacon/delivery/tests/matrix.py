"""Authorization matrix rows for the delivery app (see beacon/core/tests/matrix.py).

The controlled-drug register: only `delivery.keep_register` (managers for now) opens it.
Drivers never see the register; keyworkers, prescribers, nurses, volunteers and
commissioners are refused.
"""

from beacon.core.tests.matrix import MANAGERS, UNAUTHENTICATED, outcome_for, same_for_all
from beacon.delivery.tests.register_factories import METHADONE


def samples(base: dict) -> dict:
    return {"medicine": METHADONE, "kind": "received"}


KEEP = outcome_for(MANAGERS)
API_KEEP = outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)
# POST routes take a body: without one it is refused (422) before any role check, for
# every role alike. Who may write is pinned in test_register_api.py.
API_WRITE_ONLY = same_for_all("status 422", anonymous=UNAUTHENTICATED)

PAGES: dict = {
    "delivery/register/": ("GET", KEEP),
    "delivery/register/<str:medicine>/": ("GET", KEEP),
    "delivery/register/<str:medicine>/record/<str:kind>/": ("GET", KEEP),
    "delivery/register/<str:medicine>/correct/": ("GET", KEEP),
    "delivery/reconciliation/": ("GET", KEEP),
}
API: dict = {
    "api/v1/delivery/register/<str:medicine>/entries": ("GET", API_KEEP),
    "api/v1/delivery/register/<str:medicine>/balance": ("GET", API_KEEP),
    "api/v1/delivery/register/<str:medicine>/movements": ("POST", API_WRITE_ONLY),
    "api/v1/delivery/register/<str:medicine>/corrections": ("POST", API_WRITE_ONLY),
    "api/v1/delivery/reconciliation": ("GET", API_KEEP),
}
