"""Authorization matrix rows for the pharmacy app (see beacon/core/tests/matrix.py).

A pharmacist opens their own pharmacy's due list and its instalments, no one else does;
the sample instalment (prescribing's, `instalment_id`) is dispensed at another pharmacy, so
the pharmacist finds it not (404), by page and by token: their own is allowed in
test_pages.py. Prescribers and managers
read the figures per pharmacy and the pharmacies to phone. Every other app's page and API
refuses the pharmacist (their rows name no pharmacist).
"""

from beacon.core.tests.matrix import (
    MANAGERS,
    NOT_FOUND,
    REDIRECT,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)

PHARMACIST = {"pharmacist"}
OTHER_PHARMACYS = {**outcome_for(set()), "pharmacist": NOT_FOUND}
FIGURES = {"prescriber", *MANAGERS}


def samples(base: dict) -> dict:
    # The instalment is prescribing's sample, at another pharmacy; the pharmacy phoned is
    # the pharmacist's (nothing to phone about: the service is told so, and sent back).
    return {"pharmacy_id": base["users"]["pharmacist"].partner_organisation_id}


# Writes without a body: only a pharmacist passes the role gate (`pharmacy.dispense`), to
# find the body missing (422); every other role is refused before it is read.
API_DISPENSE = api_write_for(PHARMACIST)

PAGES = {
    "pharmacy/due/": ("GET", outcome_for(PHARMACIST)),
    "pharmacy/due.csv": ("GET", outcome_for(PHARMACIST)),
    "pharmacy/instalments/<int:instalment_id>/": ("GET", OTHER_PHARMACYS),
    "pharmacy/instalments/<int:instalment_id>/message/": ("POST", OTHER_PHARMACYS),
    "pharmacy/figures/": ("GET", outcome_for(FIGURES)),
    "pharmacy/figures.csv": ("GET", outcome_for(FIGURES)),
    "pharmacy/to-phone.csv": ("GET", outcome_for(FIGURES)),
    "pharmacy/pharmacies/": ("GET", outcome_for(MANAGERS)),
    "pharmacy/pharmacies/new/": ("GET", outcome_for(MANAGERS)),
    "pharmacy/pharmacies/<int:pharmacy_id>/edit/": ("GET", outcome_for(MANAGERS)),
    "pharmacy/<int:pharmacy_id>/phoned/": (
        "POST",
        {**outcome_for(FIGURES), **dict.fromkeys(FIGURES, REDIRECT)},
    ),
}
API = {
    "api/v1/pharmacy/due": ("GET", outcome_for(PHARMACIST, anonymous=UNAUTHENTICATED)),
    # Which instalments (their own pharmacy's) is pinned in test_pharmacy_api.py.
    "api/v1/pharmacy/instalments/<int:instalment_id>/supply": ("POST", API_DISPENSE),
    "api/v1/pharmacy/instalments/<int:instalment_id>/messages": ("POST", API_DISPENSE),
}
