"""Shared test fixtures: a provider with one user per role, and browsers signed in as each."""

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

from beacon.core.models import PartnerOrganisation
from beacon.core.roles import Role
from beacon.core.services import api_token_issue
from beacon.core.tests.factories import (
    PartnerOrganisationFactory,
    ProviderFactory,
    TeamFactory,
    UserFactory,
)
from beacon.core.tests.helpers import ROLES, sign_in

# `fake_notify`: a local fake of GOV.UK Notify's API for tests of texts to clients.
pytest_plugins = ["beacon.core.tests.fake_notify"]


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    # Real hashing costs ~0.3 s a user; tests need the behaviour, not the cost. Once for
    # the session (each worker's), not again for every test.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def provider(db):
    return ProviderFactory(name="Test Recovery Service", code="TRS")


@pytest.fixture
def team(provider):
    return TeamFactory(provider=provider, name="Central team")


@pytest.fixture
def other_provider(db):
    return ProviderFactory(name="Other Recovery Service", code="ORS")


@pytest.fixture
def make_user(provider, team):
    """make_user(role, **fields): a user of the test provider (keyworkers join `team`)."""

    def make(role: str, **fields):
        fields.setdefault("provider", provider)
        if role == Role.KEYWORKER:
            fields.setdefault("team", team)
        if role == Role.DRIVER:
            fields.setdefault(
                "partner_organisation", PartnerOrganisationFactory(provider=fields["provider"])
            )
        if role == Role.PHARMACIST:
            fields.setdefault(
                "partner_organisation",
                PartnerOrganisationFactory(
                    provider=fields["provider"],
                    kind=PartnerOrganisation.Kind.PHARMACY,
                    name=f"Pharmacy of {fields.get('username', role)}",
                ),
            )
        if role == Role.PROBATION_OFFICER:
            fields.setdefault(
                "partner_organisation",
                PartnerOrganisationFactory(
                    provider=fields["provider"],
                    kind=PartnerOrganisation.Kind.PROBATION,
                    name=f"Probation of {fields.get('username', role)}",
                ),
            )
        fields.setdefault("username", f"{role}-{fields['provider'].code.lower()}")
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def northside(team, make_user):
    """A second team of the provider, the Northside team, with its own keyworker (kw-north):
    for the lists a manager narrows to a team or a keyworker."""
    north = TeamFactory(provider=team.provider, name="Northside team")
    return {"north": north, "colleague": make_user("keyworker", username="kw-north", team=north)}


@pytest.fixture
def users(make_user):
    """One user per role, plus the set-up superuser (`admin`, a manager too)."""
    people = {role: make_user(role) for role in ROLES}
    people["admin"] = make_user(
        Role.MANAGER, username="admin-trs", is_superuser=True, is_staff=True
    )
    return people


@pytest.fixture
def web_as(users):
    """web_as("keyworker"): a Django test client signed in as that role's user."""

    def make(role_or_user) -> HttpClient:
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        return sign_in(HttpClient(), user)

    return make


@pytest.fixture
def api_as(users):
    """api_as("nurse") or api_as(user): a test client sending that user's bearer token."""

    def make(role_or_user) -> HttpClient:
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        _token, raw = api_token_issue(user=user, name="test")
        return HttpClient(headers={"Authorization": f"Bearer {raw}"})

    return make
