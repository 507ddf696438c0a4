"""Authorization matrix rows for harm reduction (see beacon/core/tests/matrix.py).

NSP: staff, peer volunteers and pharmacists record and list transactions (a volunteer
only their own, the sample was recorded by the volunteer; a pharmacist only their
pharmacy's). The figures: managers and commissioners.
Blood-borne viruses: whoever may open the client reads them; nurses and the client's
team's keyworkers record them. Drivers reach none of it.
"""

from beacon.core.tests.matrix import (
    CLIENT_READERS,
    MANAGERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.harmreduction.tests.factories import (
    hepatitis_b_course,
    hepatitis_c_awaiting,
    nsp_visit,
    site_of,
)

NSP = {"keyworker", "prescriber", "nurse", "manager", "admin", "volunteer"}
# A pharmacist records and lists NSP at their own pharmacy; the sample transaction was
# recorded at the service's hub, so theirs to open is pinned in test_pharmacy_nsp.py.
NSP_WITH_PHARMACY = {*NSP, "pharmacist"}
FIGURES = {*MANAGERS, "commissioner"}
BBV_RECORDERS = {"keyworker", "nurse"}


def samples(base: dict) -> dict:
    users, client = base["users"], base["client"]
    transaction = nsp_visit(users["volunteer"], site_of(base["provider"]))
    return {
        "transaction_id": transaction.pk,
        "test_id": hepatitis_c_awaiting(users["nurse"], client).pk,
        "course_id": hepatitis_b_course(users["nurse"], client).pk,
    }


# Writes without a body: refused before the body is read to a role that may never record
# (403); invalid (422) for one that may. NSP: staff, volunteers and pharmacists; BBV:
# nurses and keyworkers (which clients, test_bbv_api.py).
API_RECORD_NSP = api_write_for(NSP_WITH_PHARMACY)
API_RECORD_BBV = api_write_for(BBV_RECORDERS)

PAGES = {
    "harm-reduction/nsp/": ("GET", outcome_for(NSP_WITH_PHARMACY)),
    "harm-reduction/nsp.csv": ("GET", outcome_for(NSP_WITH_PHARMACY)),
    "harm-reduction/nsp/new/": ("GET", outcome_for(NSP_WITH_PHARMACY)),
    "harm-reduction/nsp/<int:transaction_id>/": ("GET", outcome_for(NSP)),
    "harm-reduction/nsp/figures/": ("GET", outcome_for(FIGURES)),
    "harm-reduction/nsp/figures.csv": ("GET", outcome_for(FIGURES)),
    "harm-reduction/clients/<str:client_number>/bbv/": ("GET", outcome_for(CLIENT_READERS)),
    "harm-reduction/clients/<str:client_number>/bbv/tests/new/": (
        "GET",
        outcome_for(BBV_RECORDERS),
    ),
    "harm-reduction/clients/<str:client_number>/bbv/hepatitis-b/new/": (
        "GET",
        outcome_for(BBV_RECORDERS),
    ),
    "harm-reduction/bbv/tests/<int:test_id>/result/": ("GET", outcome_for(BBV_RECORDERS)),
    "harm-reduction/bbv/hepatitis-b/<int:course_id>/doses/new/": (
        "GET",
        outcome_for(BBV_RECORDERS),
    ),
}
API = {
    "api/v1/harm-reduction/transactions": ("POST", API_RECORD_NSP),
    "api/v1/harm-reduction/transactions/<int:transaction_id>": (
        "GET",
        outcome_for(NSP, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/harm-reduction/figures": ("GET", outcome_for(FIGURES, anonymous=UNAUTHENTICATED)),
    "api/v1/harm-reduction/clients/<str:client_number>/bbv": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/harm-reduction/clients/<str:client_number>/bbv/tests": ("POST", API_RECORD_BBV),
    "api/v1/harm-reduction/bbv/tests/<int:test_id>/result": ("POST", API_RECORD_BBV),
    "api/v1/harm-reduction/clients/<str:client_number>/bbv/hepatitis-b": ("POST", API_RECORD_BBV),
    "api/v1/harm-reduction/bbv/hepatitis-b/<int:course_id>/doses": ("POST", API_RECORD_BBV),
}
