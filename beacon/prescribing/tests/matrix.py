"""Authorization matrix rows for the prescribing app (see beacon/core/tests/matrix.py).

Keyworkers (their team's clients), nurses, prescribers and managers read prescriptions;
prescribers and managers write them; only a prescriber records the review after missed
doses. Drivers, volunteers and commissioners open none of it.
"""

from beacon.core.tests.matrix import (
    CLIENT_READERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.prescribing.tests.factories import prescribe

WRITERS = {"prescriber", "manager", "admin"}


def samples(base: dict) -> dict:
    prescription = prescribe(client=base["client"], prescriber=base["users"]["prescriber"])
    return {
        "client_number": base["client"].client_number,
        "prescription_id": prescription.pk,
        "instalment_id": prescription.instalments.order_by("date").first().pk,
    }


READ = outcome_for(CLIENT_READERS)
WRITE = outcome_for(WRITERS)
API_READ = outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED)
# Writes without a body: `prescribing.write_prescription` (prescribers and managers) and the
# missed-dose review (`prescribing.review_missed_doses`, prescribers only); other roles are
# refused before the body is read. Which client's prescription is pinned in test_api.py.
API_WRITE = api_write_for(WRITERS)
API_REVIEW = api_write_for({"prescriber"})

PAGES = {
    "prescribing/clients/<str:client_number>/": ("GET", READ),
    "prescribing/clients/<str:client_number>/new/": ("GET", WRITE),
    "prescribing/<int:prescription_id>/": ("GET", READ),
    "prescribing/<int:prescription_id>/dose/": ("GET", WRITE),
    "prescribing/<int:prescription_id>/end/": ("GET", WRITE),
    "prescribing/<int:prescription_id>/review/": ("GET", outcome_for({"prescriber"})),
    "prescribing/instalments/<int:instalment_id>/outcome/": ("GET", WRITE),
    "prescribing/<int:prescription_id>/continue/": ("GET", WRITE),
    "prescribing/prescriptions/<int:prescription_id>/print/": ("GET", WRITE),
    "prescribing/ending-soon/": ("GET", WRITE),
    "prescribing/ending-soon.csv": ("GET", WRITE),
    "prescribing/missed-doses-to-review/": ("GET", WRITE),
    "prescribing/missed-doses-to-review.csv": ("GET", WRITE),
    "prescribing/late-injections/": ("GET", WRITE),
    "prescribing/late-injections.csv": ("GET", WRITE),
}
API = {
    "api/v1/prescribing/clients/<str:client_number>/prescriptions": ("GET", API_READ),
    "api/v1/prescribing/prescriptions/<int:prescription_id>": ("GET", API_READ),
    "api/v1/prescribing/prescriptions/<int:prescription_id>/instalments": ("GET", API_READ),
    "api/v1/prescribing/prescriptions/<int:prescription_id>/dose-changes": ("POST", API_WRITE),
    "api/v1/prescribing/prescriptions/<int:prescription_id>/end": ("POST", API_WRITE),
    "api/v1/prescribing/prescriptions/<int:prescription_id>/reviews": ("POST", API_REVIEW),
    "api/v1/prescribing/instalments/<int:instalment_id>/outcome": ("POST", API_WRITE),
    "api/v1/prescribing/prescriptions/<int:prescription_id>/continue": ("POST", API_WRITE),
    "api/v1/prescribing/prescriptions/ending-soon": (
        "GET",
        outcome_for(WRITERS, anonymous=UNAUTHENTICATED),
    ),
}
API_WRITES = {
    "api/v1/prescribing/clients/<str:client_number>/prescriptions": ("POST", API_WRITE),
}
