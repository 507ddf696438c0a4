"""A user of one provider never sees another provider's records, in pages or lists."""

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import TeamFactory
from beacon.core.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider_client(other_provider):
    return ClientFactory(
        provider=other_provider,
        team=TeamFactory(provider=other_provider),
        first_name="Hidden",
        last_name="Elsewhere",
    )


@pytest.mark.parametrize("role", ["keyworker", "prescriber", "nurse", "manager"])
def test_client_of_another_provider_is_not_found(role, web_as, outsider_client):
    response = web_as(role).get(reverse("clients:detail", args=[outsider_client.client_number]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["prescriber", "manager"])
def test_search_never_lists_another_providers_clients(role, web_as, outsider_client):
    response = web_as(role).get(reverse("clients:search"), {"q": "Elsewhere"})
    assert "ELSEWHERE" not in response.text
    assert "0 clients found" in response.text


def test_the_other_provider_sees_its_own_client(client, make_user, other_provider, outsider_client):
    insider = make_user("manager", provider=other_provider, username="other-manager")
    response = sign_in(client, insider).get(
        reverse("clients:detail", args=[outsider_client.client_number])
    )
    assert response.status_code == 200
    assert "Hidden Elsewhere" in response.text


def test_same_client_number_in_two_providers_opens_only_ones_own(web_as, team, other_provider):
    mine = ClientFactory(
        provider=team.provider, team=team, client_number="SAME000001", last_name="Mine"
    )
    ClientFactory(
        provider=other_provider,
        team=TeamFactory(provider=other_provider),
        client_number="SAME000001",
        last_name="Theirs",
    )
    response = web_as("manager").get(reverse("clients:detail", args=[mine.client_number]))
    assert "Mine" in response.text and "Theirs" not in response.text
