"""Items filled from what Beacon holds: NDTMS consent (and only the consent items when the
client says no), previous treatment, hepatitis B and C from harm reduction, and the TOP."""

import datetime

import pytest
from django.urls import reverse

from beacon.harmreduction.models import BloodBorneVirusTest, HepatitisBCourse, HepatitisBDose
from beacon.reporting.datasets import DATASET_K
from beacon.reporting.selectors.ndtms import return_issues, return_rows
from beacon.reporting.tests.ndtms.conftest import OCTOBER
from beacon.treatment.codes import TopStage
from beacon.treatment.tests.factories import TopFactory, TreatmentEpisodeFactory


def _rows(provider) -> list[dict]:
    return [
        dict(zip(DATASET_K.columns, row, strict=True))
        for row in return_rows(
            provider=provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K
        )
    ]


def _issues(provider) -> dict:
    found = return_issues(provider=provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K)
    return {issue.item: issue for issue in found}


def test_consent_not_asked_is_an_error_fixed_on_the_client_record(journey):
    referral, _m, _t = journey
    referral.client.ndtms_consent = ""
    referral.client.save()
    issue = _issues(referral.provider)["CONSENT"]
    assert issue.is_error and issue.why.startswith("not asked")
    assert issue.fix_url == reverse("clients:edit", args=[referral.client.client_number])
    assert {row["CONSENT"] for row in _rows(referral.provider)} == {"NA"}  # never assumed Y


def test_a_client_who_does_not_agree_is_sent_as_agency_client_and_consent_only(journey):
    referral, _m, _t = journey
    referral.client.ndtms_consent = "refused"
    referral.client.date_of_birth = datetime.date(2010, 1, 1)  # would be an error if sent
    referral.client.save()
    (row,) = _rows(referral.provider)  # one row, not one per intervention
    sent = {name: value for name, value in row.items() if value}
    assert sent == {"AGNCY": "N0852", "CLIENTID": "TRS000042", "CONSENT": "N"}
    assert _issues(referral.provider) == {}


def test_previous_treatment_is_y_only_when_beacon_holds_an_earlier_one(journey):
    referral, _m, _t = journey
    assert {row["PREVTR"] for row in _rows(referral.provider)} == {"NA"}  # not a "no"
    TreatmentEpisodeFactory(
        client=referral.client, start_date=datetime.date(2024, 1, 10), discharged=True
    )
    assert {row["PREVTR"] for row in _rows(referral.provider)} == {"Y"}


@pytest.fixture
def bbv(journey, users):
    referral, _m, _t = journey
    client, nurse = referral.client, users["manager"]
    BloodBorneVirusTest.objects.create(
        provider=client.provider,
        client=client,
        virus="hepatitis_c",
        offered_on=datetime.date(2026, 9, 10),
        offer="accepted",
        kind="hcv_antibody",
        tested_on=datetime.date(2026, 9, 10),
        result="positive",
        result_on=datetime.date(2026, 9, 24),
        recorded_by=nurse,
    )
    course = HepatitisBCourse.objects.create(
        provider=client.provider,
        client=client,
        offered_on=datetime.date(2026, 9, 10),
        offer="accepted",
        schedule="very_rapid",
        recorded_by=nurse,
    )
    for number, day in ((1, 10), (2, 17)):
        HepatitisBDose.objects.create(
            course=course, number=number, given_on=datetime.date(2026, 9, day), recorded_by=nurse
        )
    HepatitisBDose.objects.create(  # after October: not in October's return
        course=course, number=3, given_on=datetime.date(2026, 11, 1), recorded_by=nurse
    )
    return referral


def test_hepatitis_b_and_c_come_from_harm_reduction_as_at_the_months_end(bbv):
    row = _rows(bbv.provider)[0]
    assert (row["HEPCSTAT"], row["HEPCTSTD"], row["HEPCPOS"]) == ("A", "2026-09-10", "Y")
    assert row["HEPCTD"] == "NA"  # offered: "not asked" (99) would be untrue
    assert (row["HEPBSTAT"], row["HEPBVAC"]) == ("A", "2")


def test_without_any_bbv_record_hepatitis_items_are_not_known_never_not_offered(journey):
    referral, _m, _t = journey
    row = _rows(referral.provider)[0]
    assert (row["HEPCSTAT"], row["HEPBSTAT"], row["HEPCPOS"]) == ("NA", "NA", "NA")
    assert row["HEPCTD"] == "99"


def test_the_latest_top_by_the_months_end_is_sent_and_its_stage_without_a_code_is_an_error(
    journey,
):
    referral, _m, _t = journey
    top = TopFactory(
        episode=referral.episode,
        stage=TopStage.START,
        completed_on=datetime.date(2026, 9, 16),
        alcohol_days=4,
        injecting_days=0,
        shared_equipment=None,
        not_disclosed=["shared_equipment"],
    )
    TopFactory(episode=referral.episode, completed_on=datetime.date(2026, 11, 2))  # later
    row = _rows(referral.provider)[0]
    assert (row["TOPDATE"], row["TOPID"], row["ALCUSE"]) == ("2026-09-16", str(top.pk), "4")
    assert (row["INJECT"], row["SHARING"], row["PSYHSTAT"]) == ("N", "NA", "10")
    assert row["TRSTAGE"] == "NA"
    issue = _issues(referral.provider)["TRSTAGE"]
    assert issue.is_error and "has no NDTMS code" in issue.why
    assert issue.fix_url == reverse("treatment:top_edit", args=[top.pk])


def test_the_client_page_shows_and_the_form_records_the_ndtms_consent(web_as, journey):
    referral, _m, _t = journey
    number = referral.client.client_number
    page = web_as("manager").get(f"/clients/{number}/").content.decode()
    assert "Record may go to NDTMS" in page and "Yes, agrees to their record" in page
    form = web_as("manager").get(f"/clients/{number}/edit/").content.decode()
    assert "Not asked yet" in form
