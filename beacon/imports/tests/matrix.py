"""Authorization matrix rows for the imports app (see beacon/core/tests/matrix.py).

Managers only, pages and API alike: an import writes every kind of record and its report
names clients, so no other role may start one, confirm one or read its report.
"""

from beacon.core.tests.matrix import MANAGERS, REDIRECT, UNAUTHENTICATED, outcome_for


def samples(base: dict) -> dict:
    from beacon.imports.models import HistoryImport

    manager = base["users"]["manager"]
    record = HistoryImport.objects.create(
        provider=base["provider"],
        source="Matrix old system",
        file_name="matrix.xlsx",
        created_by=manager,
        status=HistoryImport.Status.REFUSED,
    )
    return {"history_import_id": record.pk}


# Confirming an import that is not checked clean says why and sends the manager back.
CONFIRMED = {**outcome_for(MANAGERS), "manager": REDIRECT, "admin": REDIRECT}

PAGES = {
    "imports/": ("GET", outcome_for(MANAGERS)),
    "imports/imports.csv": ("GET", outcome_for(MANAGERS)),
    "imports/new/": ("GET", outcome_for(MANAGERS)),
    "imports/<int:history_import_id>/": ("GET", outcome_for(MANAGERS)),
    "imports/<int:history_import_id>/report.csv": ("GET", outcome_for(MANAGERS)),
    "imports/<int:history_import_id>/confirm/": ("POST", CONFIRMED),
}
API = {
    "api/v1/imports/": ("GET", outcome_for(MANAGERS, anonymous=UNAUTHENTICATED)),
    "api/v1/imports/<int:history_import_id>": (
        "GET",
        outcome_for(MANAGERS, anonymous=UNAUTHENTICATED),
    ),
}
