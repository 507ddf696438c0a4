"""The NDTMS return page: the validation report (paged, as CSV) above the download, for
managers; the download streams the return and is audited."""

import csv
import io

from beacon.core.models import AuditEntry
from beacon.core.tests.helpers import audit_entries
from beacon.reporting.datasets import DATASET_K
from beacon.treatment.tests.factories import ReferralFactory


def test_the_page_names_the_dataset_version_and_lists_each_issue_with_a_link(
    web_as, users, agency, team
):
    referral = ReferralFactory(client__provider=agency, client__team=team)
    month = f"{referral.referral_date:%Y-%m}"
    page = web_as("manager").get("/reporting/ndtms/", {"month": month})
    assert page.status_code == 200
    text = page.content.decode()
    assert DATASET_K.title in text
    assert f"/treatment/referrals/{referral.pk}/triage/" in text
    assert "3 missing or invalid items" in text  # triage, main substance, NDTMS consent
    assert audit_entries(AuditEntry.Action.VIEW, users["manager"])


def test_the_validation_report_downloads_as_csv_with_absolute_links(web_as, agency, team):
    referral = ReferralFactory(client__provider=agency, client__team=team)
    response = web_as("manager").get(
        "/reporting/ndtms/validation.csv", {"month": f"{referral.referral_date:%Y-%m}"}
    )
    body = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert response.streaming
    assert header[3:5] == ["Item", "Why"] and header[6] == "Error or warning"
    assert {row[3] for row in rows} == {"TRIAGED", "DRUG1", "CONSENT"}
    assert all(row[5].startswith("http://testserver/") for row in rows)


def test_the_return_downloads_streamed_and_the_export_is_audited(web_as, users, journey):
    response = web_as("manager").get("/reporting/ndtms/return.csv", {"month": "2026-10"})
    assert response.streaming
    assert "N0852-20261001-20261031-TREAT-IN-K.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert header == list(DATASET_K.columns) and len(rows) == 2
    (entry,) = audit_entries(AuditEntry.Action.EXPORT, users["manager"])
    assert "NDTMS return 2026-10" in entry.detail


def test_a_month_that_is_not_offered_is_refused_beside_the_field(web_as, agency):
    response = web_as("manager").get("/reporting/ndtms/return.csv", {"month": "1999-01"})
    assert response.status_code == 200  # the page again, not a file
    assert "Select one of the choices for month" in response.content.decode()
    assert not response.get("Content-Disposition")


def test_a_keyworker_cannot_open_or_take_the_return(web_as, agency):
    assert web_as("keyworker").get("/reporting/ndtms/").status_code == 403
    assert web_as("commissioner").get("/reporting/ndtms/return.csv").status_code == 403


def test_the_validation_report_is_paged_and_a_page_past_the_last_shows_the_last(
    web_as, agency, team, settings
):
    settings.BEACON_PAGE_SIZE = 2
    for _ in range(2):  # each not triaged, not assessed, not asked for consent: 3 issues
        referral = ReferralFactory(client__provider=agency, client__team=team)
    month = {"month": f"{referral.referral_date:%Y-%m}"}
    second = web_as("manager").get("/reporting/ndtms/", {**month, "page": "2"}).content.decode()
    assert "Showing 3 to 4 of 6 missing or invalid items" in second
    assert "6 errors</strong>" in second
    last = web_as("manager").get("/reporting/ndtms/", {**month, "page": "9"}).content.decode()
    assert "Showing 5 to 6 of 6 missing or invalid items" in last
    assert last.count("nhsuk-tag--red") == 2
