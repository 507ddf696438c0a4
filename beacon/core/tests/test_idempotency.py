"""A create sent twice makes one record: forms by their one-time token, the API by its
Idempotency-Key header."""

import datetime
import json
import re
import threading

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from beacon.clients.models import Client
from beacon.clients.tests.test_api import new_client
from beacon.clients.tests.test_client_pages import VALID
from beacon.core.models import Submission
from beacon.core.tests.helpers import sign_in

CLIENTS = "/api/v1/clients/"
TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')


def form_token(http, path: str) -> str:
    return TOKEN.search(http.get(path).content.decode()).group(1)


@pytest.mark.django_db
def test_every_form_carries_a_fresh_one_time_token(web_as):
    http = web_as("keyworker")
    first, second = (form_token(http, reverse("clients:create")) for _ in range(2))
    assert first and second and first != second


@pytest.mark.django_db
def test_a_form_sent_twice_saves_once_and_answers_the_same(web_as, team):
    http = web_as("keyworker")
    data = {**VALID, "team": team.pk, "submission_token": form_token(http, "/clients/new/")}
    first = http.post(reverse("clients:create"), data)
    again = http.post(reverse("clients:create"), data)
    assert Client.objects.count() == 1
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]


@pytest.mark.django_db
def test_a_form_resent_from_the_outbox_days_later_still_saves_once(web_as, team):
    # A phone's outbox may send an evening shift's form again after a weekend (H-204).
    http = web_as("keyworker")
    data = {**VALID, "team": team.pk, "submission_token": form_token(http, "/clients/new/")}
    http.post(reverse("clients:create"), data)
    Submission.objects.update(created_at=timezone.now() - datetime.timedelta(days=13))
    http.post(reverse("clients:create"), data)
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_a_form_refused_for_its_errors_can_be_sent_again_with_its_token(web_as, team):
    http = web_as("keyworker")
    token = form_token(http, reverse("clients:create"))
    refused = http.post(
        reverse("clients:create"), {**VALID, "first_name": "", "submission_token": token}
    )
    assert refused.status_code == 200 and not Client.objects.exists()
    http.post(reverse("clients:create"), {**VALID, "team": team.pk, "submission_token": token})
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_an_api_create_repeated_with_its_key_returns_the_first_answer(api_as, team):
    http = api_as("keyworker")
    body = json.dumps(new_client())
    headers = {"Idempotency-Key": "3f1c2a9e-retry"}
    first = http.post(CLIENTS, body, content_type="application/json", headers=headers)
    again = http.post(CLIENTS, body, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotency-Replayed"] == "true"
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_a_key_used_again_for_another_request_is_refused(api_as, team):
    http = api_as("keyworker")
    headers = {"Idempotency-Key": "same-key"}
    http.post(CLIENTS, json.dumps(new_client()), content_type="application/json", headers=headers)
    other = http.post(
        CLIENTS,
        json.dumps(new_client(first_name="Kit", nhs_number=None)),
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 422
    assert "already used for a different request" in other.json()["detail"]
    # The API's one 422 shape, naming the header, as the schema documents it.
    assert [error["field"] for error in other.json()["errors"]] == ["Idempotency-Key"]


@pytest.mark.django_db
def test_keys_belong_to_the_token_that_sent_them(api_as, users, team):
    headers = {"Idempotency-Key": "shared-by-chance"}
    api_as("keyworker").post(
        CLIENTS, json.dumps(new_client()), content_type="application/json", headers=headers
    )
    other = api_as("manager").post(
        CLIENTS,
        json.dumps(
            new_client(
                first_name="Kit",
                last_name="Moorcroft",
                date_of_birth="1990-05-01",
                nhs_number=None,
                team_id=team.pk,
            )
        ),
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 201 and "Idempotency-Replayed" not in other
    assert Client.objects.count() == 2


@pytest.mark.django_db
def test_the_api_schema_documents_the_idempotency_key_on_every_write(client):
    schema = client.get("/api/v1/openapi.json").json()
    writes = [
        operation
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes
    for operation in writes:
        assert "Idempotency-Key" in [p["name"] for p in operation.get("parameters", [])]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL")
def test_ten_identical_concurrent_form_posts_make_one_client(users, team):
    http = sign_in(HttpClient(), users["keyworker"])
    data = {**VALID, "team": team.pk, "submission_token": form_token(http, "/clients/new/")}
    answers = []

    def send():
        try:
            answers.append(sign_in(HttpClient(), users["keyworker"]).post("/clients/new/", data))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Client.objects.count() == 1
    assert Submission.objects.count() == 1
    assert {answer.status_code for answer in answers} <= {302, 409}
