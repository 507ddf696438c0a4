"""The validation report: each record with a missing or invalid item, which item, why, and
the page that fixes it; what no record can fix is listed apart."""

import datetime

from django.urls import reverse

from beacon.reporting.datasets import DATASET_H, DATASET_K
from beacon.reporting.selectors.ndtms import return_issues, version_gaps
from beacon.reporting.tests.ndtms.conftest import OCTOBER
from beacon.treatment.codes import Substance
from beacon.treatment.tests.factories import ReferralFactory


def _issues(provider):
    found = return_issues(provider=provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K)
    return {(i.client_number, i.item): i for i in found}


def test_a_complete_journey_has_no_issues(journey):
    referral, _m, _t = journey
    assert _issues(referral.provider) == {}


def test_a_referral_not_yet_triaged_or_assessed_names_each_missing_item_and_its_page(agency, team):
    referral = ReferralFactory(
        client__provider=agency, client__team=team, referral_date=datetime.date(2026, 10, 5)
    )
    issues = _issues(agency)
    number = referral.client.client_number
    assert set(issues) == {(number, "TRIAGED"), (number, "DRUG1"), (number, "CONSENT")}
    assert issues[(number, "TRIAGED")].why == "missing: NDTMS requires it"
    assert issues[(number, "TRIAGED")].fix_url == reverse("treatment:triage", args=[referral.pk])
    assert issues[(number, "DRUG1")].fix_url == reverse("treatment:assessment", args=[referral.pk])


def test_a_value_with_no_ndtms_code_is_invalid_and_fixed_at_the_assessment(journey):
    referral, _m, _t = journey
    referral.assessment.secondary_substance = Substance.KETAMINE
    referral.assessment.save()
    issue = _issues(referral.provider)[(referral.client.client_number, "DRUG2")]
    assert issue.why == "“Ketamine” has no NDTMS code in this dataset version"
    assert issue.fix_url == reverse("treatment:assessment_edit", args=[referral.pk])


def test_a_client_under_18_at_referral_is_refused_by_the_adult_dataset(journey):
    referral, _m, _t = journey
    referral.client.date_of_birth = datetime.date(2009, 1, 1)
    referral.client.save()
    issue = _issues(referral.provider)[(referral.client.client_number, "DOB")]
    assert "under 18" in issue.why
    assert issue.fix_url == reverse("clients:edit", args=[referral.client.client_number])


def test_a_triage_before_its_referral_is_invalid(journey):
    referral, _m, _t = journey
    referral.triage.triage_date = datetime.date(2026, 9, 1)
    referral.triage.save()
    issue = _issues(referral.provider)[(referral.client.client_number, "TRIAGED")]
    assert issue.why == "the triage date is before the referral date"


def test_an_item_shared_by_a_journeys_rows_is_reported_once(journey):
    referral, _m, _t = journey  # two interventions, so two rows
    referral.client.provider.ndtms_agency_code = ""
    referral.client.provider.save()
    agency_issues = [i for i in _issues(referral.provider).values() if i.item == "AGNCY"]
    assert len(agency_issues) == 1


def test_the_gaps_name_what_beacon_does_not_hold_and_every_unmapped_value():
    gaps = dict(version_gaps(DATASET_K))
    assert "CONSENT" not in gaps  # recorded on the client now
    assert {"DAT", "LA", "PREGNANT", "PREVTR", "TOPCC", "SUBMODDT", "HEPCTD"} <= set(gaps)
    assert "SUBMODDT" not in dict(version_gaps(DATASET_H))
    assert any(
        "Ketamine" in why for item, why in version_gaps(DATASET_K) if item.startswith("DRUG")
    )


def _loaded(referral):
    """The journey as the return reads it (its interventions prefetched), to change in
    memory what the database's own constraints would refuse to store (an import's data)."""
    from beacon.reporting.selectors.ndtms import _rows_queryset
    from beacon.treatment.models import Referral

    return _rows_queryset(Referral.objects.filter(pk=referral.pk), last=OCTOBER[1]).get()


def _whys(journey) -> dict:
    from beacon.reporting.selectors.ndtms import journey_issues

    return {(i.item, i.why): i for i in journey_issues(journey, DATASET_K)}


def test_a_discharge_date_without_a_reason_and_a_reason_without_a_date_are_errors(journey):
    referral, _m, _t = journey
    loaded = _loaded(referral)
    loaded.episode.discharge_reason = ""
    issue = _whys(loaded)[("DISRSN", "a discharge date with no discharge reason")]
    assert issue.is_error
    assert issue.fix_url == reverse("treatment:episode_edit", args=[referral.episode.pk])
    loaded = _loaded(referral)
    loaded.episode.discharge_date = None
    assert ("DISD", "a discharge reason with no discharge date") in _whys(loaded)


def test_an_intervention_starting_or_ending_after_the_discharge_is_an_error(journey):
    referral, methadone, talking = journey
    talking.start_date, talking.end_date = datetime.date(2026, 10, 29), datetime.date(2026, 10, 30)
    talking.save()
    methadone.end_date = datetime.date(2026, 10, 31)
    methadone.save()
    whys = _whys(_loaded(referral))
    assert ("MODST", "the intervention starts after the discharge (28/10/2026)") in whys
    ends = whys[("MODEND", "the intervention ends after the discharge (28/10/2026)")]
    assert ends.fix_url in {
        reverse("treatment:modality_edit", args=[m.pk]) for m in (methadone, talking)
    }


def test_an_open_intervention_in_a_discharged_journey_is_an_error(journey):
    referral, methadone, _t = journey
    methadone.end_date, methadone.exit_reason = None, ""
    methadone.save()
    whys = {item for item, _why in _whys(_loaded(referral))}
    assert "MODEND" in whys


def test_an_intervention_ending_before_it_starts_is_an_error(journey):
    referral, _m, _t = journey
    loaded = _loaded(referral)
    first = next(iter(loaded.episode.modalities.all()))
    first.end_date = first.start_date - datetime.timedelta(days=1)
    assert ("MODEND", "the intervention ends before it starts") in _whys(loaded)


def test_a_date_in_the_future_is_an_error(journey):
    from django.utils import timezone

    referral, methadone, _t = journey
    soon = timezone.localdate() + datetime.timedelta(days=3)
    loaded = _loaded(referral)
    loaded.episode.discharge_date = soon
    first = next(iter(loaded.episode.modalities.all()))
    first.start_date = soon
    whys = _whys(loaded)
    assert ("DISD", f"the date {soon:%d/%m/%Y} is in the future") in whys
    assert ("MODST", f"the date {soon:%d/%m/%Y} is in the future") in whys
    assert methadone.pk


def test_a_referral_dated_after_its_assessment_is_an_error(journey):
    referral, _m, _t = journey
    referral.assessment.assessment_date = datetime.date(2026, 9, 1)
    referral.assessment.save()
    issue = _whys(_loaded(referral))[
        ("REFLD", "the referral date is after the assessment (01/09/2026)")
    ]
    assert issue.fix_url == reverse("treatment:referral_edit", args=[referral.pk])
