"""Every URL × every role has a declared outcome, built from the URL configuration.

A new URL without a row in PAGES or API fails `test_every_url_has_declared_expectations`,
so nothing reaches a user without someone deciding who may open it.
"""

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from beacon.clients.tests.factories import ClientFactory, ContactFactory
from beacon.core.tests.helpers import ROLES, sign_in
from beacon.core.tokens import api_token_issue

ALLOW = "allow"  # 200 (or 201)
REFUSE = "refuse"  # 403
SIGN_IN = "sign in"  # redirected to the sign-in page
REDIRECT = "redirect"  # sent on elsewhere (e.g. already signed in)
UNAUTHENTICATED = "unauthenticated"  # API without a token: 401
NOT_FOUND = "status 404"

EVERYONE = [*ROLES, "admin"]
CLIENT_READERS = {"keyworker", "prescriber", "nurse", "manager", "admin"}
CLIENT_WRITERS = {"keyworker", "manager", "admin"}
MANAGERS = {"manager", "admin"}


def outcome_for(allowed: set[str], *, anonymous: str = SIGN_IN) -> dict[str, str]:
    table = {role: ALLOW if role in allowed else REFUSE for role in EVERYONE}
    table["anonymous"] = anonymous
    return table


def same_for_all(outcome: str, *, anonymous: str) -> dict[str, str]:
    return {**dict.fromkeys(EVERYONE, outcome), "anonymous": anonymous}


# route → (method, {role: outcome}). Paths use the sample objects made in `samples`.
PAGES = {
    "": ("GET", outcome_for(set(EVERYONE))),
    "sign-in/": ("GET", same_for_all(REDIRECT, anonymous=ALLOW)),
    "sign-in/two-factor/": ("GET", same_for_all(REDIRECT, anonymous=SIGN_IN)),
    "sign-in/two-factor/set-up/": ("GET", same_for_all(REDIRECT, anonymous=SIGN_IN)),
    "sign-out/": ("POST", same_for_all(REDIRECT, anonymous=REDIRECT)),
    "audit/": ("GET", outcome_for(MANAGERS)),
    "api-tokens/": ("GET", outcome_for(MANAGERS)),
    "api-tokens/new/": ("GET", outcome_for(MANAGERS)),
    "api-tokens/<int:token_id>/revoke/": (
        "POST",
        {**outcome_for(MANAGERS), "manager": REDIRECT, "admin": REDIRECT},
    ),
    "clients/": ("GET", outcome_for(CLIENT_READERS)),
    "clients/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/": ("GET", outcome_for(CLIENT_READERS)),
    "clients/<str:client_number>/edit/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/consents/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/contacts/new/": ("GET", outcome_for(CLIENT_WRITERS)),
    "clients/<str:client_number>/contacts/<int:contact_id>/edit/": (
        "GET",
        outcome_for(CLIENT_WRITERS),
    ),
    # Static asset redirect for nhsuk-frontend's stylesheet: public, no data.
    "assets/<path:asset>": ("GET", same_for_all(REDIRECT, anonymous=REDIRECT)),
    # The set-up admin: the superuser only; everyone else is sent to its sign-in.
    "admin/": ("GET", {**same_for_all(REDIRECT, anonymous=SIGN_IN), "admin": ALLOW}),
}

API = {
    "api/v1/openapi.json": ("GET", same_for_all(ALLOW, anonymous=ALLOW)),
    "api/v1/docs": ("GET", same_for_all(ALLOW, anonymous=ALLOW)),
    "api/v1/clients/": ("GET", outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED)),
    "api/v1/clients/<str:client_number>": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/clients/<str:client_number>/consents": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/clients/<str:client_number>/contacts": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/clients/<str:client_number>/contacts/<int:contact_id>": (
        "GET",
        outcome_for(CLIENT_READERS, anonymous=UNAUTHENTICATED),
    ),
    # ninja's API root has no page of its own.
    "api/v1/": ("GET", same_for_all(NOT_FOUND, anonymous=NOT_FOUND)),
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


@pytest.fixture
def samples(users, team, provider):
    keyworker = users["keyworker"]
    client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    contact = ContactFactory(client=client)
    token, _raw = api_token_issue(user=keyworker, name="matrix")
    return {
        "client_number": client.client_number,
        "contact_id": contact.pk,
        "token_id": token.pk,
        "asset": "images/favicon.ico",
    }


def concrete(route: str, samples: dict) -> str:
    path = route
    for name, value in samples.items():
        for converter in ("str", "int", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
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
    if who != "anonymous":
        _token, raw = api_token_issue(user=users[who], name="matrix")
        headers["Authorization"] = f"Bearer {raw}"
    http = HttpClient()
    mismatches = []
    for route, (method, table) in API.items():
        path = concrete(route, samples)
        response = http.generic(method, path, headers=headers)
        got = observed(response)
        if got != table[who]:
            mismatches.append(f"{method} {path}: expected {table[who]}, got {got}")
    assert mismatches == []
