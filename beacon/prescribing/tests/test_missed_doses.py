"""Missed doses and restarts (issue #8, reference §3 and §4): unrecorded past instalments,
late collection of a multi-day instalment, the dose decision after a gap, and the
service's own failures. The hazard log (H-50 to H-52) names these tests."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from beacon.core.models import Alert
from beacon.prescribing import safety
from beacon.prescribing.models import MissedDoseReview, Prescription
from beacon.prescribing.services import (
    instalment_mark_not_delivered_by_service,
    missed_dose_review_record,
)
from beacon.prescribing.tests.factories import (
    TAKE_HOME_REASON,
    change_dose,
    days_from_today,
    outcome_refused,
    prescribe,
    record_outcome,
)
from beacon.prescribing.wording import ApprovedWording

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


# Unrecorded past instalments (H-50) ---------------------------------------------------------


def test_unrecorded_past_instalments_count_as_not_supplied_at_the_next_supply(
    client_in_treatment, users
):
    # Started five days ago; nobody recorded anything since: five days not supplied.
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    assert safety.consecutive_missed_days(prescription) == 5
    today = prescription.instalments.get(date=days_from_today(0))
    refused = outcome_refused(today, "collected", users["prescriber"])
    assert "until a prescriber reviews" in refused["outcome"][0]
    assert today.outcome == ""


def test_two_unrecorded_days_do_not_block_the_next_supply(client_in_treatment, users):
    prescription = prescribe(
        client=client_in_treatment, prescriber=users["prescriber"], start_date=days_from_today(-2)
    )
    record_outcome(
        prescription.instalments.get(date=days_from_today(0)), "collected", users["prescriber"]
    )


def test_daily_command_records_unrecorded_days_as_missed_suspends_and_alerts(
    client_in_treatment, users, capsys
):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    call_command("instalments_record_missed")
    assert "5 instalments recorded as missed" in capsys.readouterr().out
    assert (
        list(
            prescription.instalments.filter(date__lt=days_from_today(0)).values_list(
                "outcome", flat=True
            )
        )
        == ["missed"] * 5
    )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    alert = Alert.objects.get(recipient=users["prescriber"])
    assert alert.kind == Alert.Kind.MISSED_DOSES
    assert "until a prescriber reviews" in alert.message
    # The same refusal as without the command.
    with pytest.raises(ValidationError):
        record_outcome(
            prescription.instalments.get(date=days_from_today(0)), "collected", users["prescriber"]
        )
    call_command("instalments_record_missed")  # nothing left: no second alert
    assert Alert.objects.filter(recipient=users["prescriber"]).count() == 1


def test_daily_command_leaves_the_services_failures_unrecorded(client_in_treatment, users):
    prescription = prescribe(
        client=client_in_treatment, prescriber=users["prescriber"], start_date=days_from_today(-1)
    )
    yesterday = prescription.instalments.get(date=days_from_today(-1))
    instalment_mark_not_delivered_by_service(
        actor=users["manager"], instalment=yesterday, reason="Driver off sick"
    )
    call_command("instalments_record_missed")
    yesterday.refresh_from_db()
    assert yesterday.outcome == ""
    assert safety.consecutive_missed_days(prescription) == 0


def test_daily_command_refuses_a_bad_day():
    with pytest.raises(Exception, match="not a date"):
        call_command("instalments_record_missed", before="yesterday")


# A missed collection day of a multi-day instalment (H-51) -----------------------------------


def _last_full_weekend() -> datetime.date:
    """The latest Saturday whose Monday is today or earlier."""
    today = days_from_today(0)
    saturday = today - datetime.timedelta(days=(today.weekday() - 5) % 7)
    return saturday if saturday + datetime.timedelta(days=2) <= today else saturday - WEEK


def _weekend_prescription(client, prescriber, *, wording: bool):
    saturday = _last_full_weekend()
    prescription = prescribe(
        client=client,
        prescriber=prescriber,
        pattern="mon_sat",
        supervised_days="",
        start_date=saturday - datetime.timedelta(days=2),
        # The approved wording that still supplies a missed instalment's remaining days.
        wording=[ApprovedWording.MISSED_COLLECTION] if wording else [],
        reason=TAKE_HOME_REASON,
    )
    thursday, friday, weekend = prescription.instalments.order_by("date")[:3]
    assert weekend.date == saturday and weekend.covers_days == 2
    return prescription, thursday, friday, weekend


def test_late_collection_with_the_wording_supplies_the_remaining_days(client_in_treatment, users):
    _, thursday, friday, weekend = _weekend_prescription(
        client_in_treatment, users["prescriber"], wording=True
    )
    record_outcome(thursday, "collected", users["prescriber"])
    record_outcome(friday, "collected", users["prescriber"])
    sunday = weekend.date + datetime.timedelta(days=1)
    record_outcome(weekend, "collected", users["prescriber"], collected_on=sunday)
    weekend.refresh_from_db()
    assert weekend.outcome == "collected"
    assert weekend.quantity == Decimal(30)  # Sunday's dose only, not Saturday's too
    assert weekend.days_missed == 1
    assert "1 remaining day(s) supplied, 1 missed" in weekend.outcome_notes


def test_without_the_wording_a_missed_collection_day_misses_the_whole_instalment(
    client_in_treatment, users
):
    _, thursday, friday, weekend = _weekend_prescription(
        client_in_treatment, users["prescriber"], wording=False
    )
    record_outcome(thursday, "collected", users["prescriber"])
    record_outcome(friday, "collected", users["prescriber"])
    sunday = weekend.date + datetime.timedelta(days=1)
    refused = outcome_refused(weekend, "collected", users["prescriber"], collected_on=sunday)
    assert "record the instalment as missed" in refused["collected_on"][0]
    assert weekend.outcome == "" and weekend.quantity == Decimal(60)


def test_uncollected_days_of_a_late_collection_count_toward_the_three_days(
    client_in_treatment, users
):
    _, thursday, friday, weekend = _weekend_prescription(
        client_in_treatment, users["prescriber"], wording=True
    )
    record_outcome(thursday, "missed", users["prescriber"])
    record_outcome(friday, "missed", users["prescriber"])
    # Thursday, Friday and Saturday not supplied: three days, so Sunday's dose is not either.
    with pytest.raises(ValidationError) as exc:
        record_outcome(
            weekend,
            "collected",
            users["prescriber"],
            collected_on=weekend.date + datetime.timedelta(days=1),
        )
    assert "until a prescriber reviews" in exc.value.message_dict["outcome"][0]


def test_missed_days_are_counted_in_days_not_instalments(client_in_treatment, users):
    prescription, thursday, friday, weekend = _weekend_prescription(
        client_in_treatment, users["prescriber"], wording=False
    )
    record_outcome(thursday, "collected", users["prescriber"])
    record_outcome(friday, "missed", users["prescriber"])
    record_outcome(weekend, "missed", users["prescriber"])  # Saturday and Sunday: two days
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    weekend.refresh_from_db()
    assert weekend.days_missed == 2


def test_a_late_collection_after_the_instalments_days_is_refused(client_in_treatment, users):
    *_, weekend = _weekend_prescription(client_in_treatment, users["prescriber"], wording=True)
    monday = weekend.date + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        record_outcome(weekend, "collected", users["prescriber"], collected_on=monday)
    assert "record it as missed" in exc.value.message_dict["collected_on"][0]


# Restarting after missed days: a recorded dose, compared with what was supplied (H-52) ------


def _suspended_at(client, prescriber, dose: int, *, start: int = -5):
    """Prescribed `dose` from `start` days ago, its first day collected, the next three
    missed: suspended for review."""
    prescription = prescribe(
        client=client,
        prescriber=prescriber,
        dose=Decimal(dose),
        start_date=days_from_today(start),
        reason="Transfer at a stable dose",
    )
    first, *missed = list(prescription.instalments.order_by("date"))[:4]
    record_outcome(first, "collected", prescriber)
    for instalment in missed:
        record_outcome(instalment, "missed", prescriber)
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    return prescription


def test_supply_resumes_only_with_a_recorded_dose(client_in_treatment, users):
    prescription = _suspended_at(client_in_treatment, users["prescriber"], 30)
    with pytest.raises(ValidationError) as exc:
        missed_dose_review_record(
            actor=users["prescriber"],
            prescription=prescription,
            data={"decision": "resume", "notes": "Seen in clinic"},
        )
    assert exc.value.message_dict == {"resume_dose": ["Enter the dose to resume at"]}
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    assert not MissedDoseReview.objects.exists()
    review = missed_dose_review_record(
        actor=users["prescriber"],
        prescription=prescription,
        data={"decision": "resume", "resume_dose": Decimal(30), "notes": "Seen in clinic"},
    )
    assert review.resume_dose == 30


def test_a_review_is_possible_before_anyone_records_the_missed_days(client_in_treatment, users):
    # Nothing recorded for five days: supply is refused, so the prescriber must be able to act.
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    missed_dose_review_record(
        actor=users["prescriber"],
        prescription=prescription,
        data={"decision": "resume", "resume_dose": Decimal(30), "notes": "Seen in clinic"},
    )
    record_outcome(
        prescription.instalments.get(date=days_from_today(0)), "collected", users["prescriber"]
    )


def test_after_a_gap_the_starting_dose_cap_applies_again(client_in_treatment, users):
    prescription = _suspended_at(client_in_treatment, users["prescriber"], 60)
    resume = {"decision": "resume", "resume_dose": Decimal(60), "notes": "Seen in clinic"}
    with pytest.raises(ValidationError) as exc:
        missed_dose_review_record(actor=users["prescriber"], prescription=prescription, data=resume)
    assert "Starting dose: a methadone start above 30 mg" in exc.value.message_dict["reason"][0]
    assert safety.is_restart(client_in_treatment, on=days_from_today(0))
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    missed_dose_review_record(
        actor=users["prescriber"],
        prescription=prescription,
        data={**resume, "resume_dose": Decimal(30)},
    )
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.ACTIVE
    assert prescription.dose == 30
    change = prescription.dose_changes.get()
    assert (change.from_dose, change.to_dose) == (60, 30)
    assert prescription.instalments.get(date=days_from_today(0)).quantity == 30


def test_a_new_dose_is_compared_with_the_dose_last_supplied(client_in_treatment, users):
    prescription = prescribe(client=client_in_treatment, prescriber=users["prescriber"])
    for instalment in prescription.instalments.filter(date__lte=days_from_today(-3)):
        record_outcome(instalment, "collected", users["prescriber"])  # 30 mg, three days
    # Raised to 40 mg two days ago, but the client has not collected since.
    change_dose(prescription, users["prescriber"], Decimal(40), days_from_today(-2))
    assert safety.last_supplied_dose(client_in_treatment, before=days_from_today(0)).dose == 30
    assert not safety.is_restart(client_in_treatment, on=days_from_today(0))
    with pytest.raises(ValidationError) as exc:
        change_dose(prescription, users["prescriber"], Decimal(50), days_from_today(0))
    # 20 mg above the 30 mg supplied, though only 10 mg above the 40 mg prescribed.
    assert "increase of 20 mg" in exc.value.message_dict["reason"][0]


def test_titration_limits_apply_again_after_a_restart(client_in_treatment, users, settings):
    settings.BEACON_OST_TITRATION_PERIOD_DAYS = 10  # so the first start's period has passed
    prescriber = users["prescriber"]
    prescription = _suspended_at(client_in_treatment, prescriber, 30, start=-12)
    missed_dose_review_record(
        actor=prescriber,
        prescription=prescription,
        data={"decision": "resume", "resume_dose": Decimal(30), "notes": "Seen in clinic"},
    )
    for instalment in prescription.instalments.filter(date__lt=days_from_today(0), outcome=""):
        record_outcome(instalment, "collected", prescriber)  # supplied again from eight days ago
    assert safety.restart_day(client_in_treatment, on=days_from_today(1)) == days_from_today(-8)
    change_dose(prescription, prescriber, Decimal(40), days_from_today(0))
    # Ten days after the first start, but within ten days of the restart: 30 mg a week.
    with pytest.raises(ValidationError) as exc:
        change_dose(prescription, prescriber, Decimal(65), days_from_today(1))
    assert "within 7 days" in exc.value.message_dict["reason"][0]
