"""The caseload and client pages make as many queries for a service of 20 clients as for
one of 80 (the benchmark checks 100 against 100,000): no query per row."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from beacon.clients.models import Client
from beacon.core.tests.helpers import sign_in


def _queries(code: str, clients: int) -> dict[str, int]:
    call_command(
        "synth",
        clients=clients,
        years=2,
        seed=3,
        code=code,
        end=datetime.date(2026, 11, 30),
        no_progress=True,
        stdout=io.StringIO(),
    )
    # Client 1 is made alike at every size; their keyworker's caseload grows with the size.
    client = Client.objects.select_related("keyworker").get(client_number=f"{code}0000001")
    http = sign_in(HttpClient(), client.keyworker)
    counts = {}
    for page, url in (
        ("caseload", "/treatment/caseload/"),
        ("client", f"/clients/{client.client_number}/"),
    ):
        http.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        counts[page] = len(queries)
    return counts


@pytest.mark.django_db
def test_the_caseload_and_client_pages_make_as_many_queries_at_either_size():
    small, large = _queries("SQA", 20), _queries("SQB", 80)
    assert Client.objects.filter(keyworker__provider__code="SQB").count() == 80
    assert small == large
