"""Authorization matrix rows for the treatment app, gathered from its three parts."""

from beacon.treatment.tests import matrix_api, matrix_journey, matrix_plans

PARTS = (matrix_journey, matrix_plans, matrix_api)
PAGES = {route: row for part in PARTS for route, row in part.PAGES.items()}
API = {route: row for part in PARTS for route, row in part.API.items()}


def samples(base: dict) -> dict:
    values: dict = {}
    for part in PARTS:
        values.update(part.samples({**base, **values}))
    return values
