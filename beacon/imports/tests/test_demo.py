"""The demo shows a completed history import: its audit entry and a prescription kept as
history only."""

import random

import pytest

from beacon.core.demo import seed_organisations
from beacon.core.models import AuditEntry
from beacon.imports.demo import DEMO_SOURCE, seed_imports
from beacon.imports.models import ExternalReference, HistoryImport

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_completed_import_with_history_and_a_second_run_adds_none():
    org = seed_organisations(random.Random(1))
    summary = seed_imports(random.Random(2), org)
    assert "history import of" in summary
    record = HistoryImport.objects.get(source=DEMO_SOURCE)
    assert record.status == HistoryImport.Status.IMPORTED
    assert record.counts["client"] >= 1
    assert ExternalReference.objects.filter(kind="prescription", imported_as_history=True).exists()
    assert AuditEntry.objects.filter(detail__startswith="history import imported").exists()
    assert seed_imports(random.Random(3), org) == "history import already seeded"
