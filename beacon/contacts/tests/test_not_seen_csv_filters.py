"""The CSV of OST clients not seen refuses a search that is not valid, as the caseload's
does: no file of every client as if nothing were searched (issue #11, H-135)."""

import pytest
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.prescribing.tests.factories import prescribe

pytestmark = pytest.mark.django_db


def test_a_not_seen_csv_of_a_search_too_long_gives_no_file(users, client_record, web_as):
    prescribe(client=client_record, prescriber=users["prescriber"])  # on OST, never seen
    response = web_as("keyworker").get(reverse("contacts:not_seen_csv"), {"q": "x" * 101})
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/csv")
    assert "There is a problem" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_not_seen_csv_of_a_valid_search_is_a_file(users, client_record, web_as):
    prescribe(client=client_record, prescriber=users["prescriber"])
    response = web_as("keyworker").get(
        reverse("contacts:not_seen_csv"), {"q": client_record.client_number}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert client_record.client_number in response.content.decode()
