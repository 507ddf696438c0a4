"""Authorization matrix rows for the reporting app (see beacon/core/tests/matrix.py).

The KPIs (dashboard, its downloads, the API): managers and commissioners only. The NDTMS
return and its validation report name clients: managers only (H-240).
"""

from beacon.core.tests.matrix import MANAGERS, UNAUTHENTICATED, outcome_for

KPI_READERS = {*MANAGERS, "commissioner"}


def samples(base: dict) -> dict:
    return {"kpi_table": "figures", "kpi_format": "xlsx"}


PAGES: dict = {
    "reporting/ndtms/": ("GET", outcome_for(MANAGERS)),
    "reporting/ndtms/validation.csv": ("GET", outcome_for(MANAGERS)),
    "reporting/ndtms/return.csv": ("GET", outcome_for(MANAGERS)),
    "reporting/kpis/": ("GET", outcome_for(KPI_READERS)),
    "reporting/kpis/quarterly-report.pdf": ("GET", outcome_for(KPI_READERS)),
    "reporting/kpis/<str:kpi_table>.<str:kpi_format>": ("GET", outcome_for(KPI_READERS)),
}
API: dict = {
    "api/v1/kpis": ("GET", outcome_for(KPI_READERS, anonymous=UNAUTHENTICATED)),
}
