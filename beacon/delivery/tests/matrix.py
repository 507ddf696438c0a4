"""Authorization matrix rows for the delivery app (see beacon/core/tests/matrix.py)."""


def samples(base: dict) -> dict:
    return {}


PAGES: dict = {}
API: dict = {}
