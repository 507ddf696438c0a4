"""Creates of one person at once make one record (issue #9: ten at once made six): the
duplicate checks run in `client_create` under the provider's row lock."""

import json
import threading

import pytest
from django.db import connection

from beacon.clients.models import Client
from beacon.clients.tests.test_api import new_client
from beacon.core.tests.concurrency import POSTGRESQL_ONLY

CLIENTS = "/api/v1/clients/"


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_ten_creates_of_one_person_at_once_make_one_record(api_as, team):
    # No NHS number: only the name and date of birth tell it is the same person.
    body = json.dumps(new_client(nhs_number=None))
    senders = [api_as("keyworker") for _ in range(10)]
    barrier = threading.Barrier(len(senders))
    answers = []

    def send(http):
        try:
            barrier.wait(timeout=10)
            answers.append(http.post(CLIENTS, body, content_type="application/json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(http,)) for http in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Client.objects.count() == 1
    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 9
    created = Client.objects.get().client_number
    refused = [answer.json() for answer in answers if answer.status_code == 409]
    assert all(answer["possible_duplicates"] == [created] for answer in refused)
