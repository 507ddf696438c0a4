"""Authorization matrix rows for treatment: api (see beacon/core/tests/matrix.py)."""


def samples(base: dict) -> dict:
    return {}


PAGES: dict = {}
API: dict = {}
