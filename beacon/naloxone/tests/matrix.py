"""Authorization matrix rows for the naloxone app (see beacon/core/tests/matrix.py).

Keyworkers (their team's clients), prescribers, nurses and managers open a client's
naloxone, supply, offer and report, and see the gaps, kits expiring and the service's
supplies list; they read the stock, which only managers change. Managers and
commissioners read the aggregated coverage figures. Pharmacists open only their
pharmacy's naloxone (its kits, the supplies made there, a supply at its counter); drivers
and volunteers open none of it.
"""

from beacon.core.tests.factories import SiteFactory
from beacon.core.tests.matrix import (
    CLIENT_READERS,
    MANAGERS,
    UNAUTHENTICATED,
    api_write_for,
    outcome_for,
)
from beacon.naloxone.tests.factories import receive, supply_to

STAFF = CLIENT_READERS
FIGURES = {"manager", "admin", "commissioner"}


def samples(base: dict) -> dict:
    site = SiteFactory(provider=base["provider"], name="Matrix naloxone site")
    batch = receive(base["users"]["manager"], site, batch="MATRIX1").batch
    supply = supply_to(base["users"]["keyworker"], base["client"], batch, site)
    return {"supply_id": supply.pk}


READ = outcome_for(STAFF)
AT_PHARMACY = outcome_for({"pharmacist"})

PAGES = {
    "naloxone/pharmacy/": ("GET", AT_PHARMACY),
    "naloxone/pharmacy.csv": ("GET", AT_PHARMACY),
    "naloxone/pharmacy/supply/": ("GET", AT_PHARMACY),
    "naloxone/clients/<str:client_number>/": ("GET", READ),
    "naloxone/clients/<str:client_number>/supply/": ("GET", READ),
    "naloxone/clients/<str:client_number>/offer/": ("GET", READ),
    "naloxone/supply/": ("GET", READ),
    "naloxone/supplies/<int:supply_id>/report/": ("GET", READ),
    "naloxone/supplies/<int:supply_id>/reverse/": ("GET", READ),
    # The service's supplies (to clients and to people linked to none): the staff who
    # supply; refused to drivers, volunteers, commissioners, pharmacists, probation.
    "naloxone/supplies/": ("GET", READ),
    "naloxone/supplies.csv": ("GET", READ),
    "naloxone/gaps/": ("GET", READ),
    "naloxone/gaps.csv": ("GET", READ),
    "naloxone/expiring/": ("GET", READ),
    "naloxone/expiring.csv": ("GET", READ),
    "naloxone/stock/": ("GET", READ),
    "naloxone/stock.csv": ("GET", READ),
    "naloxone/stock/receive/": ("GET", outcome_for(MANAGERS)),
    "naloxone/stock/transfer/": ("GET", outcome_for(MANAGERS)),
    "naloxone/stock/write-off/": ("GET", outcome_for(MANAGERS)),
    "naloxone/stock/count/": ("GET", outcome_for(MANAGERS)),
    "naloxone/coverage/": ("GET", outcome_for(FIGURES)),
    "naloxone/coverage.csv": ("GET", outcome_for(FIGURES)),
}
API = {
    # Writes without a body: refused before the body is read to a role that may never make
    # them; invalid (422) for one that may: stock for managers, offers and supplies for the
    # staff who open client records (which clients, test_api.py), a pharmacy's supply for
    # its pharmacist.
    "api/v1/naloxone/stock/receipts": ("POST", api_write_for(MANAGERS)),
    "api/v1/naloxone/clients/<str:client_number>/offers": ("POST", api_write_for(STAFF)),
    "api/v1/naloxone/supplies": ("POST", api_write_for(STAFF)),
    "api/v1/naloxone/supplies/<int:supply_id>/reports": ("POST", api_write_for(STAFF)),
    "api/v1/naloxone/coverage": ("GET", outcome_for(FIGURES, anonymous=UNAUTHENTICATED)),
    "api/v1/naloxone/pharmacy": ("GET", outcome_for({"pharmacist"}, anonymous=UNAUTHENTICATED)),
    "api/v1/naloxone/pharmacy/supplies": ("POST", api_write_for({"pharmacist"})),
}
