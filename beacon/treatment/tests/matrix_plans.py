"""Authorization matrix rows for treatment: plans (see beacon/core/tests/matrix.py)."""


def samples(base: dict) -> dict:
    return {}


PAGES: dict = {}
API: dict = {}
