"""Bad input is a clear 4xx, never a 500, and nothing of a failed request is kept."""

import json

import pytest
from django.db import IntegrityError

from beacon.clients.models import Client
from beacon.clients.tests.test_api import new_client
from beacon.core.models import AuditEntry

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def post(http, path, body) -> object:
    return http.post(path, json.dumps(body), content_type="application/json")


def test_a_nul_in_an_api_body_is_a_422_naming_the_field_and_nothing_is_saved(api_as, team):
    response = post(api_as("keyworker"), CLIENTS, new_client(last_name="Riv\x00ers"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "last_name", "message": "Remove the NUL character (\\0): text cannot contain it"}
    ]
    assert not Client.objects.exists()


def test_an_unpaired_surrogate_in_an_api_body_is_a_422_and_a_paired_one_is_kept(api_as, team):
    http = api_as("keyworker")
    response = post(http, CLIENTS, new_client(last_name="Rivers\udae9"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "last_name"
    assert "unpaired surrogate" in response.json()["errors"][0]["message"]
    assert not Client.objects.exists()
    kept = post(http, CLIENTS, new_client(preferred_name="Sam \U0001f600"))
    assert kept.status_code == 201, kept.content
    assert Client.objects.get().preferred_name == "Sam \U0001f600"


def test_a_nul_in_a_search_is_refused_with_a_message(web_as, api_as):
    page = web_as("keyworker").get("/clients/", {"q": "Sam\x00"})
    assert page.status_code == 400
    assert "text cannot contain it" in page.content.decode()
    answer = api_as("keyworker").get(CLIENTS, {"q": "Sam\x00"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "q"


def test_a_nul_in_the_address_is_refused(web_as):
    assert web_as("keyworker").get("/clients/BCN%00/").status_code == 400


def test_a_body_over_the_size_limit_is_a_413(api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(api_as("keyworker"), CLIENTS, new_client(address_line_2="x" * 2000))
    assert response.status_code == 413
    assert response.json() == {"detail": "What was sent is larger than Beacon accepts"}


def test_a_save_that_lost_a_race_is_a_409_not_a_500(api_as, web_as, team, monkeypatch):
    def raced(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("beacon.clients.services.client_create", raced)
    response = post(api_as("keyworker"), CLIENTS, new_client())
    assert response.status_code == 409
    assert "saved by someone else at the same moment" in response.json()["detail"]


def test_an_api_error_answers_without_a_traceback_and_keeps_nothing(
    api_as, team, settings, monkeypatch
):
    settings.DEBUG = True
    real_create = __import__("beacon.clients.services", fromlist=["x"]).client_create

    def breaks_after_saving(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("something broke after the save")

    monkeypatch.setattr("beacon.clients.services.client_create", breaks_after_saving)
    response = post(api_as("keyworker"), CLIENTS, new_client())
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong in Beacon: nothing was saved"}
    assert "Traceback" not in response.content.decode()
    assert not Client.objects.exists()  # the request was one transaction


def test_refused_attempts_are_audited(web_as, api_as, users):
    web_as("driver").get("/clients/")
    api_as("nurse").get("/api/v1/clients/NOPE000001")
    refused = AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED)
    assert {(entry.username, entry.detail) for entry in refused} == {
        (users["driver"].username, "403 GET /clients/"),
        (users["nurse"].username, "404 GET /api/v1/clients/NOPE000001"),
    }
