"""Every URL × every role has a declared outcome, built from the URL configuration.

The rows live beside each app (`<app>/tests/matrix.py`); a new URL without a row fails
`test_every_url_has_declared_expectations`, so nothing reaches a user without someone
deciding who may open it.
"""

import importlib

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from beacon.clients.tests.factories import ClientFactory
from beacon.core.api import write_operations
from beacon.core.services import api_token_issue
from beacon.core.tests.helpers import sign_in
from beacon.core.tests.matrix import (
    ALLOW,
    EVERYONE,
    REDIRECT,
    REFUSE,
    SIGN_IN,
    UNAUTHENTICATED,
)

MATRIX_MODULES = [
    importlib.import_module(f"beacon.{app}.tests.matrix")
    for app in (
        "core",
        "clients",
        "treatment",
        "prescribing",
        "delivery",
        "pharmacy",
        "naloxone",
        "contacts",
        "harmreduction",
        "voice",
        "volunteers",
        "justice",
        "reporting",
        "imports",
    )
]
PAGES = {route: row for module in MATRIX_MODULES for route, row in module.PAGES.items()}
API = {route: row for module in MATRIX_MODULES for route, row in module.API.items()}
# Writes on a route whose row above is another method's (a PATCH beside a GET).
API_WRITES = {
    route: row
    for module in MATRIX_MODULES
    for route, row in getattr(module, "API_WRITES", {}).items()
}


def all_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                route = prefix + str(pattern.pattern)
                if route == "admin/":
                    yield route  # the admin site is declared as one whole
                    continue
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_has_declared_expectations():
    undeclared = [route for route in all_routes() if route not in PAGES and route not in API]
    assert undeclared == [], f"Declare who may open these URLs: {undeclared}"


def test_every_declaration_names_every_role():
    for route, (_method, table) in {**PAGES, **API}.items():
        assert set(table) == {*EVERYONE, "anonymous"}, route
    for route, (_method, table) in API_WRITES.items():
        assert set(table) == {*EVERYONE, "anonymous"}, route


def test_every_api_write_has_a_row_of_its_own_method():
    """A write shares its URL with a read (or another write): the URL's row is not enough,
    each write's method has its row, so the matrix says who may make every write."""
    rows = [*API.items(), *API_WRITES.items()]
    declared = {(route, method) for route, (method, _table) in rows}
    for route, (method, _table) in API_WRITES.items():
        assert route in API and API[route][0] != method, f"Declare {route} in API: {method}"
    missing = [
        f"{method} {route}"
        for route, method, _operation in write_operations()
        if (route, method) not in declared
    ]
    assert missing == [], f"Declare who may make these writes: {missing}"


@pytest.fixture
def samples(users, team, provider):
    base = {
        "users": users,
        "team": team,
        "provider": provider,
        "client": ClientFactory(provider=provider, team=team, keyworker=users["keyworker"]),
    }
    values = {}
    for module in MATRIX_MODULES:
        made = module.samples(base)
        # Two apps naming different records alike would pass only while their ids happen to
        # coincide (as they do on a fresh SQLite database, and not on PostgreSQL).
        clashes = {name for name in made.keys() & values.keys() if made[name] != values[name]}
        assert not clashes, f"{module.__name__} reuses sample names {sorted(clashes)}"
        values.update(made)
    return values


def concrete(route: str, samples: dict) -> str:
    path = route
    for name, value in samples.items():
        for converter in ("str:", "int:", "path:", ""):
            path = path.replace(f"<{converter}{name}>", str(value))
    assert "<" not in path, f"No sample value for {route}"
    return "/" + path


def observed(response) -> str:
    if response.status_code in (200, 201):
        return ALLOW
    if response.status_code == 403:
        return REFUSE
    if response.status_code == 401:
        return UNAUTHENTICATED
    if response.status_code in (301, 302):
        return SIGN_IN if response.headers["Location"].startswith("/sign-in/?next=") else REDIRECT
    return f"status {response.status_code}"


@pytest.mark.parametrize("who", [*EVERYONE, "anonymous"])
def test_pages_follow_the_matrix(who, users, samples):
    http = HttpClient() if who == "anonymous" else sign_in(HttpClient(), users[who])
    mismatches = []
    for route, (method, table) in PAGES.items():
        path = concrete(route, samples)
        response = http.post(path) if method == "POST" else http.get(path)
        got = observed(response)
        if got != table[who]:
            mismatches.append(f"{method} {path}: expected {table[who]}, got {got}")
        if method == "POST" and route == "sign-out/" and who != "anonymous":
            http = sign_in(HttpClient(), users[who])
    assert mismatches == []


@pytest.mark.parametrize("who", [*EVERYONE, "anonymous"])
def test_api_follows_the_matrix(who, users, samples):
    headers = {}
    # The set-up superuser never has a token: the API answers it as it answers anyone.
    as_who = "anonymous" if who == "admin" else who
    if as_who != "anonymous":
        _token, raw = api_token_issue(user=users[who], name="matrix")
        headers["Authorization"] = f"Bearer {raw}"
    http = HttpClient()
    mismatches = []
    for route, (method, table) in [*API.items(), *API_WRITES.items()]:
        path = concrete(route, samples)
        response = http.generic(method, path, headers=headers)
        got = observed(response)
        if got != table[as_who]:
            mismatches.append(f"{method} {path}: expected {table[as_who]}, got {got}")
    assert mismatches == []


def test_a_driver_opens_no_client_record_prescription_or_other_drivers_round(
    users, samples, provider, team, make_user
):
    """Issue #4: every page naming a client or prescription refuses the driver, and a stop
    on another driver's round is not found, by page or by token."""
    from beacon.delivery.tests.factories import round_today

    http = sign_in(HttpClient(), users["driver"])
    clinical = [
        route
        for route, (method, _table) in PAGES.items()
        if method == "GET" and ("<str:client_number>" in route or "prescription" in route)
    ]
    assert len(clinical) > 10
    opened = [
        route
        for route in clinical
        if http.get(concrete(route, samples)).status_code not in (403, 404)
    ]
    assert opened == []
    other = make_user("driver", username="driver-elsewhere")
    theirs = round_today(users=users, provider=provider, team=team, driver=other)[0]
    assert http.get(f"/delivery/my-round/stops/{theirs.pk}/").status_code == 404
    _token, raw = api_token_issue(user=users["driver"], name="matrix")
    api = HttpClient()
    response = api.post(
        f"/api/v1/delivery/my-round/stops/{theirs.pk}/not-delivered",
        '{"reason": "not_in"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 404
    own = api.get("/api/v1/delivery/my-round", headers={"Authorization": f"Bearer {raw}"})
    assert theirs.pk not in [stop["id"] for stop in own.json()["stops"]]
