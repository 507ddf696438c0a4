"""Calls to the treatment API shared by its tests: paths, JSON posts and patches, 422 fields,
audit entries, TOP answers."""

from django.test import Client as HttpClient

from beacon.core.models import AuditEntry
from beacon.treatment.models.tops import DAY_FIELDS, FLAG_FIELDS, RATING_FIELDS
from beacon.treatment.tests.factories import days_ago

API = "/api/v1/treatment"


def url(client, rest: str) -> str:
    return f"{API}/clients/{client.client_number}/{rest}"


def post_json(http: HttpClient, path: str, data) -> object:
    return http.post(path, data, content_type="application/json")


def patch_json(http: HttpClient, path: str, data) -> object:
    return http.patch(path, data, content_type="application/json")


def error_fields(response) -> list[str | None]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Invalid input"
    return [error["field"] for error in body["errors"]]


def audit_entries(action: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, user=user))


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
