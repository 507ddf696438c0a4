"""The NDTMS return's rows, written out by hand for a hand-built journey: each item in the
dataset's order, codes from treatment.codes, NA for what Beacon does not send."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from beacon.core.exporters import data_file_lines
from beacon.core.models import AuditEntry
from beacon.reporting.datasets import DATASET_H, DATASET_K
from beacon.reporting.selectors.ndtms import return_journeys, return_rows
from beacon.reporting.tests.ndtms.conftest import OCTOBER
from beacon.treatment.tests.factories import ReferralFactory, TreatmentEpisodeFactory


def _row(journey_id: int, modality: dict) -> dict:
    """Every item of Robin's row that is not NA."""
    return {
        "FINITIAL": "R",
        "SINITIAL": "F",
        "DOB": "1984-06-15",
        "SEX": "F",
        "ETHNIC": "A",
        "REFLD": "2026-09-02",
        "AGNCY": "N0852",
        "CLIENT": "TRS000042",
        "CLIENTID": "TRS000042",
        "EPISODID": str(journey_id),
        "CONSENT": "Y",
        "PC": "LS1 4AP",
        "ACCMNEED": "2",
        "PRNTSTAT": "14",
        "GPPTCE": "B86001",
        "DRUG1": "1011",
        "DRUG1AGE": "19",
        "ROUTE": "3",
        "DRUG2": "3201",
        "DRUG3": "9997",
        "RFLS": "3",
        "TRIAGED": "2026-09-04",
        "CPLANDT": "2026-09-16",
        "INJSTAT": "P",
        "ALCDDAYS": "4",
        "ALCUNITS": "6",
        "HEPCTD": "99",
        "DISD": "2026-10-28",
        "DISRSN": "1",
        "EMPSTAT": "12",
        **modality,
    }


def _expected(version, items: dict) -> list[str]:
    return [items.get(name, "NA") for name in version.columns]


def test_a_journey_gives_one_row_per_intervention_with_every_item_by_hand(journey):
    referral, methadone, talking = journey
    rows = list(
        return_rows(
            provider=referral.provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K
        )
    )
    assert rows == [
        _expected(
            DATASET_K,
            _row(
                referral.pk,
                {
                    "MODAL": "94",
                    "REFMODDT": "2026-09-12",
                    "MODSET": "6",
                    "MODID": str(methadone.pk),
                    "FAOMODDT": "2026-09-14",
                    "MODST": "2026-09-15",
                    "MODEND": "2026-10-20",
                    "MODEXIT": "A",
                },
            ),
        ),
        _expected(
            DATASET_K,
            _row(
                referral.pk,
                {
                    "MODAL": "95",
                    "REFMODDT": "2026-09-18",
                    "MODSET": "6",
                    "MODID": str(talking.pk),
                    "FAOMODDT": "2026-09-19",
                    "MODST": "2026-09-20",
                    "MODEND": "2026-10-25",
                    "MODEXIT": "A",
                },
            ),
        ),
    ]


def _first_row(provider) -> dict:
    row = next(return_rows(provider=provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K))
    return dict(zip(DATASET_K.columns, row, strict=True))


def test_pregnant_is_sent_y_when_flagged_and_not_known_never_n_when_not(journey):
    referral, _m, _t = journey
    assert _first_row(referral.provider)["PREGNANT"] == "NA"  # never asked is not "no"
    referral.client.pregnant = True
    referral.client.save()
    assert _first_row(referral.provider)["PREGNANT"] == "Y"


def test_no_second_substance_is_sent_only_when_an_assessment_says_so(agency, team):
    referral = ReferralFactory(
        client__provider=agency, client__team=team, referral_date=OCTOBER[0]
    )  # not yet assessed: DRUG2 and DRUG3 were never asked
    row = _first_row(agency)
    assert (row["DRUG1"], row["DRUG2"], row["DRUG3"]) == ("NA", "NA", "NA")
    assert row["TOPCC"] == "NA"  # no TOP care coordination is recorded: not a "no"
    assert referral.pk == int(row["EPISODID"])


def test_dataset_h_leaves_out_the_setting_and_writes_the_rest_in_its_order(journey):
    referral, methadone, _talking = journey
    first = next(
        return_rows(
            provider=referral.provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_H
        )
    )
    assert "MODSET" not in DATASET_H.columns
    assert dict(zip(DATASET_H.columns, first, strict=True))["MODID"] == str(methadone.pk)
    assert len(first) == len(DATASET_H.columns) == 112


def test_the_return_holds_journeys_live_in_the_month_only(journey, agency, team):
    referral, _m, _t = journey
    client = referral.client
    ReferralFactory(client__provider=agency, client__team=team, referral_date=OCTOBER[1])
    TreatmentEpisodeFactory(
        client__provider=agency,
        client__team=team,
        start_date=OCTOBER[0].replace(month=6),
        discharged=True,
    )  # discharged in August: not in October's return
    november = ReferralFactory(client__provider=agency, client__team=team)
    november.referral_date = OCTOBER[1].replace(month=11, day=1)
    november.save()
    found = set(return_journeys(provider=agency, first=OCTOBER[0], last=OCTOBER[1]))
    assert referral in found and november not in found
    assert len(found) == 2
    assert client.provider == agency


def test_another_providers_journeys_are_not_in_the_return(journey, other_provider):
    assert not return_journeys(provider=other_provider, first=OCTOBER[0], last=OCTOBER[1]).exists()


def test_the_file_quotes_every_value_and_ends_lines_with_a_newline():
    lines = list(data_file_lines(["A", "B"], [['say "hi"', "1"]]))
    assert lines == ['"A","B"\n', '"say ""hi""","1"\n']


@pytest.mark.django_db
def test_the_command_writes_the_rows_and_audits_the_export(journey, tmp_path):
    referral, _m, _t = journey
    out = tmp_path / "return.csv"
    stdout = io.StringIO()
    call_command("ndtms_export", month="2026-10", out=out, no_progress=True, stdout=stdout)
    with out.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == list(DATASET_K.columns)
    assert rows == list(
        return_rows(
            provider=referral.provider, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K
        )
    )
    assert "N0852-20261001-20261031-TREAT-IN-K.csv" in stdout.getvalue()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert "NDTMS return 2026-10" in entry.detail and entry.username == "system"


def test_the_command_refuses_a_month_that_is_not_one(journey, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("ndtms_export", month="Oct 2026", out=tmp_path / "x.csv")


def test_a_referral_closed_at_a_triage_in_the_month_but_referred_earlier_is_in_it(agency, team):
    import datetime

    from beacon.reporting.selectors.ndtms import return_issues
    from beacon.treatment.models import Referral, Triage
    from beacon.treatment.tests.factories import TriageFactory

    def closed(referred, triaged):
        referral = ReferralFactory(
            client__provider=agency,
            client__team=team,
            referral_date=referred,
            status=Referral.Status.CLOSED,
        )
        TriageFactory(referral=referral, triage_date=triaged, outcome=Triage.Outcome.SIGNPOSTED)
        return referral

    in_october = closed(datetime.date(2026, 9, 20), datetime.date(2026, 10, 5))
    in_september = closed(datetime.date(2026, 9, 1), datetime.date(2026, 9, 3))
    found = set(return_journeys(provider=agency, first=OCTOBER[0], last=OCTOBER[1]))
    assert in_october in found and in_september not in found
    november = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert in_october not in set(
        return_journeys(provider=agency, first=november[0], last=november[1])
    )
    (warning,) = [
        i
        for i in return_issues(
            provider=agency, first=OCTOBER[0], last=OCTOBER[1], version=DATASET_K
        )
        if i.item == "DISD"
    ]
    assert not warning.is_error
    assert warning.why.startswith("closed at triage on 05/10/2026 (signposted elsewhere)")
