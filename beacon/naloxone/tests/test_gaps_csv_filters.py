"""The naloxone gaps CSV refuses filters that are not valid, as the caseload's does: no file
of every client as if nothing were chosen (issue #11, H-135)."""

import pytest
from django.urls import reverse

from beacon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_gaps_csv_of_a_reason_that_is_not_one_gives_no_file(opiate, web_as):
    response = web_as("keyworker").get(reverse("naloxone:gaps_csv"), {"reason": "no-such-reason"})
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/csv")
    assert "There is a problem" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_gaps_csv_of_valid_filters_is_a_file(opiate, web_as):
    response = web_as("keyworker").get(reverse("naloxone:gaps_csv"), {"reason": "never_supplied"})
    assert response["Content-Type"].startswith("text/csv")
