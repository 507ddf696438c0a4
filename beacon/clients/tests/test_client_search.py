"""Searching for clients: by name, date of birth, NHS number or client number, paged, scoped."""

import datetime

import pytest
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_keyworker_finds_client_by_surname(web_as, users, team):
    ClientFactory(provider=team.provider, team=team, first_name="Robin", last_name="Fellwood")
    ClientFactory(provider=team.provider, team=team, first_name="Ash", last_name="Marram")
    response = web_as("keyworker").get(reverse("clients:search"), {"q": "fellw"})
    assert response.status_code == 200
    assert "Fellwood" in response.text.upper() or "FELLWOOD" in response.text
    assert "MARRAM" not in response.text
