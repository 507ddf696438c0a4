"""Calls to the treatment API shared by its tests: paths and TOP answers (JSON posts and
patches, 422 fields and audit entries are beacon/core/tests/helpers.py's)."""

from beacon.treatment.models.tops import DAY_FIELDS, FLAG_FIELDS, RATING_FIELDS
from beacon.treatment.tests.factories import days_ago

API = "/api/v1/treatment"


def url(client, rest: str) -> str:
    return f"{API}/clients/{client.client_number}/{rest}"


def iso(days: int) -> str:
    return days_ago(days).isoformat()


def top_values(**changes) -> dict:
    values = dict.fromkeys(DAY_FIELDS, 0)
    values.update(dict.fromkeys(RATING_FIELDS, 10))
    values.update(dict.fromkeys(FLAG_FIELDS, False))
    values.update(opiate_days=12, opiate_amount="0.5", opiate_amount_unit="grams", paid_work_days=4)
    values.update(changes)
    return values


def new_top(**changes) -> dict:
    return top_values(**{"stage": "review", "completed_on": iso(1), **changes})


def top_form_post(values: dict) -> dict:
    """TOP answers as the TOP form posts them: yes/no radios for flags, empty for None, and
    "on" for a "not disclosed" tick (`<name>_nd`) or a tick box."""
    data = {}
    for name, value in values.items():
        if name in FLAG_FIELDS:
            data[name] = "" if value is None else "yes" if value else "no"
        elif value is True:
            data[name] = "on"
        elif value is None or value is False:
            continue
        else:
            data[name] = str(value)
    return data
