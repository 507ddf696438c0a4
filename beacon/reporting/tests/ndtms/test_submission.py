"""The file for submission is refused while the validation report lists errors (an unmapped
code among them), on the page and by the command; a draft, marked not for submission, is
not (H-241, H-242)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from beacon.core.models import AuditEntry
from beacon.core.tests.helpers import audit_entries
from beacon.reporting.datasets import DATASET_K
from beacon.reporting.services.ndtms import DRAFT_MARK
from beacon.treatment.codes import Substance


@pytest.fixture
def unmapped(journey):
    """Robin's second substance is ketamine, which has no NDTMS code."""
    referral, _m, _t = journey
    referral.assessment.secondary_substance = Substance.KETAMINE
    referral.assessment.save()
    return referral


def test_an_unmapped_code_is_an_error_and_the_page_offers_only_a_draft(web_as, unmapped):
    page = web_as("manager").get("/reporting/ndtms/", {"month": "2026-10"}).content.decode()
    assert "“Ketamine” has no NDTMS code in this dataset version" in page
    assert "1 error</strong>" in page
    assert "Download the NDTMS return (CSV)" not in page
    assert "Download a draft, not for submission (CSV)" in page


def test_the_download_for_submission_is_refused_with_the_reason(web_as, users, unmapped):
    response = web_as("manager").get("/reporting/ndtms/return.csv", {"month": "2026-10"})
    assert not response.get("Content-Disposition")
    text = response.content.decode()
    assert "The return cannot be made for submission: 1 error remains" in text
    assert not audit_entries(AuditEntry.Action.EXPORT, users["manager"])


def test_a_draft_downloads_marked_not_for_submission_and_is_audited_as_one(web_as, users, unmapped):
    response = web_as("manager").get(
        "/reporting/ndtms/return.csv", {"month": "2026-10", "draft": "1"}
    )
    assert "DRAFT-NOT-FOR-SUBMISSION-N0852-20261001" in response["Content-Disposition"]
    mark, header, *rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert mark == [DRAFT_MARK]
    assert header == list(DATASET_K.columns) and len(rows) == 2
    assert dict(zip(header, rows[0], strict=True))["DRUG2"] == "NA"
    (entry,) = audit_entries(AuditEntry.Action.EXPORT, users["manager"])
    assert "draft return (not for submission)" in entry.detail


def test_the_command_refuses_and_writes_nothing_while_errors_remain(unmapped, tmp_path):
    out = tmp_path / "return.csv"
    with pytest.raises(CommandError, match=r"1 error remains.*--draft"):
        call_command("ndtms_export", month="2026-10", out=out, no_progress=True)
    assert not out.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_command_writes_a_draft_marked_not_for_submission(unmapped, tmp_path):
    out = tmp_path / "return.csv"
    stdout = io.StringIO()
    call_command(
        "ndtms_export", month="2026-10", out=out, no_progress=True, draft=True, stdout=stdout
    )
    assert out.read_text().splitlines()[0] == f'"{DRAFT_MARK}"'
    assert "DRAFT, NOT FOR SUBMISSION" in stdout.getvalue() and "2 rows" in stdout.getvalue()
