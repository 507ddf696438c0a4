"""Each clinical safety rule of beacon/prescribing/safety.py, proved through the services.

The hazard log (docs/clinical-safety/hazard-log.md) names these tests as its controls.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beacon.clients.tests.factories import ClientFactory
from beacon.prescribing import safety
from beacon.prescribing.models import DoseChange, Instalment, MissedDoseReview, Prescription
from beacon.prescribing.services import (
    missed_dose_review_record,
    prescription_change_dose,
    prescription_create,
)
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8,
    BUPRENORPHINE_8_MG,
    BUVIDAL_MONTHLY_64,
    BUVIDAL_WEEKLY_16,
    TAKE_HOME_REASON,
    WEEKLY_BUVIDAL,
    change_dose,
    days_from_today,
    outcome_refused,
    prescribe,
    prescription_data,
    record_outcome,
)
from beacon.prescribing.tests.factories import (
    create_prescription as create,
)

pytestmark = pytest.mark.django_db


def refused_field(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def refusal(client, prescriber, **overrides) -> dict[str, list[str]]:
    """What prescription_create answers `overrides` with, field by field; nothing is saved."""
    with pytest.raises(ValidationError) as exc:
        create(client, prescriber, **overrides)
    assert not Prescription.objects.exists()
    return exc.value.message_dict


# Prescriptions as written ----------------------------------------------------------------


def test_zero_or_negative_dose_is_refused_and_nothing_saved(client_in_treatment, users):
    for dose in (Decimal(0), Decimal(-5)):
        with pytest.raises(ValidationError) as exc:
            create(client_in_treatment, users["prescriber"], dose=dose)
        assert refused_field(exc) == {"dose"}
    assert not Prescription.objects.exists()
    assert not Instalment.objects.exists()


def test_tablet_dose_in_part_tablets_is_refused(client_in_treatment, users):
    with pytest.raises(ValidationError, match="whole tablets") as exc:
        create(client_in_treatment, users["prescriber"], medicine=BUPRENORPHINE_8, dose=Decimal(12))
    assert refused_field(exc) == {"dose"}
    assert not Prescription.objects.exists()
    prescription = create(
        client_in_treatment, users["prescriber"], medicine=BUPRENORPHINE_8, dose=Decimal(16)
    )
    assert prescription.dose == 16


def test_unknown_medicine_is_refused(client_in_treatment, users):
    refused = refusal(client_in_treatment, users["prescriber"], medicine="diamorphine-100mg")
    assert set(refused) == {"medicine"}


def test_end_before_start_is_refused(client_in_treatment, users):
    start = days_from_today(-2)
    refused = refusal(
        client_in_treatment,
        users["prescriber"],
        start_date=start,
        end_date=start - datetime.timedelta(days=1),
    )
    assert set(refused) == {"end_date"}


def test_instalment_prescription_over_14_days_is_refused(client_in_treatment, users):
    start = days_from_today(-2)
    refused = refusal(
        client_in_treatment,
        users["prescriber"],
        start_date=start,
        end_date=start + datetime.timedelta(days=14),
    )
    assert "at most 14 days" in refused["end_date"][0]


def test_14_day_limit_follows_the_setting(client_in_treatment, users, settings):
    settings.BEACON_OST_MAX_INSTALMENT_DAYS = 7
    start = days_from_today(-2)
    with pytest.raises(ValidationError):
        create(
            client_in_treatment,
            users["prescriber"],
            start_date=start,
            end_date=start + datetime.timedelta(days=7),
        )


def test_instalment_amount_and_interval_are_stated(client_in_treatment, users):
    prescription = create(
        client_in_treatment, users["prescriber"], pattern="weekly", reason=TAKE_HOME_REASON
    )
    instalments = list(prescription.instalments.all())
    assert [i.covers_days for i in instalments] == [7, 7]
    assert all(i.quantity == Decimal(30) * 7 for i in instalments)


def test_instalment_pattern_is_required(client_in_treatment, users):
    with pytest.raises(ValidationError) as exc:
        create(client_in_treatment, users["prescriber"], pattern="")
    assert refused_field(exc) == {"pattern"}


def test_saturday_instalment_covers_sunday(client_in_treatment, users):
    monday = days_from_today(-20)
    monday -= datetime.timedelta(days=monday.weekday())
    prescription = create(
        client_in_treatment,
        users["prescriber"],
        pattern="mon_sat",
        start_date=monday,
        end_date=monday + datetime.timedelta(days=6),
        reason=TAKE_HOME_REASON,
    )
    days = {i.date.weekday(): i for i in prescription.instalments.all()}
    assert sorted(days) == [0, 1, 2, 3, 4, 5]
    assert days[5].covers_days == 2 and days[5].quantity == Decimal(60)


def test_buvidal_is_never_delivered_home(client_in_treatment, users):
    refused = refusal(
        client_in_treatment,
        users["prescriber"],
        pharmacy=None,
        home_delivery=True,
        supervised_days="",
        **WEEKLY_BUVIDAL,
    )
    assert set(refused) == {"home_delivery"}


def test_buvidal_every_injection_is_supervised_never_taken_home(client_in_treatment, users):
    prescription = create(
        client_in_treatment,
        users["prescriber"],
        medicine=BUVIDAL_MONTHLY_64,
        dose=Decimal(64),
        pattern="monthly",
        supervised_days="",
        end_date=days_from_today(60),
    )
    instalments = list(prescription.instalments.all())
    assert len(instalments) == 3
    assert all(i.supervised and i.quantity == Decimal(64) for i in instalments)


def test_buvidal_dose_is_one_syringe_and_interval_matches(client_in_treatment, users):
    with pytest.raises(ValidationError) as exc:
        create(
            client_in_treatment,
            users["prescriber"],
            medicine=BUVIDAL_WEEKLY_16,
            dose=Decimal(24),
            pattern="weekly",
        )
    assert refused_field(exc) == {"dose"}
    with pytest.raises(ValidationError) as exc:
        create(
            client_in_treatment,
            users["prescriber"],
            medicine=BUVIDAL_WEEKLY_16,
            dose=Decimal(16),
            pattern="daily",
        )
    assert refused_field(exc) == {"pattern"}


def test_overlapping_prescription_of_the_same_medicine_is_refused(client_in_treatment, users):
    first = create(client_in_treatment, users["prescriber"])
    with pytest.raises(ValidationError) as exc:
        create(
            client_in_treatment,
            users["prescriber"],
            start_date=first.end_date,
            end_date=first.end_date + datetime.timedelta(days=3),
        )
    assert refused_field(exc) == {"start_date"}
    assert Prescription.objects.count() == 1


def test_overlap_counts_other_products_of_the_same_substance(client_in_treatment, users):
    create(client_in_treatment, users["prescriber"], **BUPRENORPHINE_8_MG)
    with pytest.raises(ValidationError):
        create(
            client_in_treatment,
            users["prescriber"],
            medicine=BUVIDAL_WEEKLY_16,
            dose=Decimal(16),
            pattern="weekly",
        )


def test_following_prescription_after_the_last_day_is_allowed(client_in_treatment, users):
    first = create(client_in_treatment, users["prescriber"])
    second = create(
        client_in_treatment,
        users["prescriber"],
        start_date=first.end_date + datetime.timedelta(days=1),
    )
    assert second.pk


def test_prescription_needs_an_open_episode(provider, team, users):
    client = ClientFactory(provider=provider, team=team)
    with pytest.raises(ValidationError):
        create(client, users["prescriber"])
    assert not Prescription.objects.exists()


def test_prescriber_must_have_the_prescriber_role(client_in_treatment, users):
    with pytest.raises(ValidationError) as exc:
        prescription_create(
            actor=users["manager"],
            client=client_in_treatment,
            data=prescription_data(client_in_treatment, prescriber=users["nurse"]),
        )
    assert refused_field(exc) == {"prescriber"}


# Dose increases --------------------------------------------------------------------------


def test_starting_methadone_above_30_mg_needs_a_reason(client_in_treatment, users):
    with pytest.raises(ValidationError) as exc:
        create(client_in_treatment, users["prescriber"], dose=Decimal(40))
    assert refused_field(exc) == {"reason"}
    assert "above 30 mg" in exc.value.message_dict["reason"][0]
    prescription = create(
        client_in_treatment, users["prescriber"], dose=Decimal(40), reason="Transfer from prison"
    )
    assert "above 30 mg" in prescription.overridden_warnings


def test_increase_above_the_step_warns_and_needs_a_reason(client_in_treatment, users):
    # Started today: five days with nothing supplied would be a restart (H-52).
    prescription = prescribe(
        client=client_in_treatment, prescriber=users["prescriber"], start_date=days_from_today(0)
    )
    data = {"dose": Decimal(45), "effective_date": days_from_today(1)}
    with pytest.raises(ValidationError) as exc:
        prescription_change_dose(actor=users["prescriber"], prescription=prescription, data=data)
    assert refused_field(exc) == {"reason"}
    assert "more than 10 mg at a time" in exc.value.message_dict["reason"][0]
    assert not DoseChange.objects.exists()
    change = prescription_change_dose(
        actor=users["prescriber"],
        prescription=prescription,
        data={**data, "reason": "Still using on top; reviewed in clinic"},
    )
    assert change.from_dose == 30 and change.to_dose == 45
    assert "10 mg" in change.overridden_warnings


def test_increase_within_the_step_needs_no_reason(client_in_treatment, users):
    # Started today: five days with nothing supplied would be a restart (H-52).
    prescription = prescribe(
        client=client_in_treatment, prescriber=users["prescriber"], start_date=days_from_today(0)
    )
    change = change_dose(prescription, users["prescriber"], Decimal(40), days_from_today(1))
    assert change.overridden_warnings == ""
    prescription.refresh_from_db()
    assert prescription.dose == 40
    future = prescription.instalments.get(date=days_from_today(1))
    assert future.quantity == 40


def test_more_than_30_mg_in_a_week_in_the_first_two_weeks_needs_a_reason(
    client_in_treatment, users
):
    prescription = prescribe(
        client=client_in_treatment, prescriber=users["prescriber"], start_date=days_from_today(-1)
    )
    for day, dose in ((1, 40), (3, 50)):
        change_dose(prescription, users["prescriber"], Decimal(dose), days_from_today(day))
    with pytest.raises(ValidationError) as exc:
        change_dose(prescription, users["prescriber"], Decimal(65), days_from_today(5))
    assert "within 7 days" in exc.value.message_dict["reason"][0]


def test_step_follows_the_setting(client_in_treatment, users, settings):
    settings.BEACON_OST_MAX_INCREASE_STEP_MG = 5
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    warnings = safety.dose_warnings(
        client=client_in_treatment,
        medicine=prescription.medicine_info,
        dose=Decimal(40),
        on=days_from_today(1),
        prescription=prescription,
    )
    assert len(warnings) == 1


def test_continuation_prescription_at_a_higher_dose_is_an_increase(client_in_treatment, users):
    first = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    with pytest.raises(ValidationError) as exc:
        create(
            client_in_treatment,
            users["prescriber"],
            dose=Decimal(50),
            start_date=first.end_date + datetime.timedelta(days=1),
        )
    assert refused_field(exc) == {"reason"}


def test_buprenorphine_has_no_titration_figures_to_check(client_in_treatment, users):
    # Reference §2a: no UK figures found; the hazard log records this gap.
    assert (
        safety.dose_warnings(
            client=client_in_treatment,
            medicine=safety.check_medicine(BUPRENORPHINE_8),
            dose=Decimal(32),
            on=days_from_today(0),
        )
        == []
    )


# Missed doses ----------------------------------------------------------------------------


def test_three_consecutive_missed_doses_block_the_next_instalment(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    instalments = list(prescription.instalments.order_by("date"))
    for instalment in instalments[:3]:
        record_outcome(instalment, "missed", users["prescriber"])
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    with pytest.raises(ValidationError) as exc:
        record_outcome(instalments[3], "collected", users["prescriber"])
    assert "until a prescriber reviews" in exc.value.message_dict["outcome"][0]
    instalments[3].refresh_from_db()
    assert instalments[3].outcome == ""


def test_two_missed_doses_do_not_block(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    instalments = list(prescription.instalments.order_by("date"))
    record_outcome(instalments[0], "missed", users["prescriber"])
    record_outcome(instalments[1], "missed", users["prescriber"])
    record_outcome(instalments[2], "collected", users["prescriber"])
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACTIVE


def test_missed_days_threshold_follows_the_setting(client_in_treatment, users, settings):
    settings.BEACON_OST_MISSED_DAYS_FOR_REVIEW = 2
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    instalments = list(prescription.instalments.order_by("date"))
    record_outcome(instalments[0], "missed", users["prescriber"])
    record_outcome(instalments[1], "missed", users["prescriber"])
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED


def test_prescriber_review_lifts_the_block(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    instalments = list(prescription.instalments.order_by("date"))
    for instalment in instalments[:3]:
        record_outcome(instalment, "missed", users["prescriber"])
    with pytest.raises(ValidationError):
        missed_dose_review_record(
            actor=users["manager"],
            prescription=prescription,
            data={"decision": "resume", "notes": "Seen"},
        )
    missed_dose_review_record(
        actor=users["prescriber"],
        prescription=prescription,
        data={
            "decision": "resume",
            "resume_dose": Decimal(30),
            "notes": "Seen in clinic; was in hospital",
        },
    )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACTIVE
    assert MissedDoseReview.objects.count() == 1
    record_outcome(instalments[3], "collected", users["prescriber"])


def test_review_may_end_the_prescription(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    for instalment in list(prescription.instalments.order_by("date"))[:3]:
        record_outcome(instalment, "missed", users["prescriber"])
    missed_dose_review_record(
        actor=users["prescriber"],
        prescription=prescription,
        data={"decision": "end", "notes": "Not engaging; re-titrate if returns"},
    )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ENDED


def test_missed_dose_is_never_supplied_later(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    instalment = prescription.instalments.order_by("date").first()
    record_outcome(instalment, "missed", users["prescriber"])
    refused = outcome_refused(instalment, "collected", users["prescriber"])
    assert "never supplied later" in refused["outcome"][0]
    assert instalment.outcome == "missed"


def test_passed_day_is_not_supplied_after_a_later_instalment(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    first, second = list(prescription.instalments.order_by("date"))[:2]
    record_outcome(second, "collected", users["prescriber"])
    with pytest.raises(ValidationError):
        record_outcome(first, "collected", users["prescriber"])


def test_outcome_cannot_be_recorded_before_the_day(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    future = prescription.instalments.get(date=days_from_today(2))
    with pytest.raises(ValidationError):
        record_outcome(future, "collected", users["prescriber"])
