"""Issue #8's prescribing rules: named warnings, worded reasons, ceilings, buprenorphine,
cross-titration, Buvidal's first week and test dose, take-home doses and safe storage.

The hazard log (docs/clinical-safety/hazard-log.md, H-30 to H-44) names these tests.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.delivery.models import ClientDeliveryDetails
from beacon.prescribing import safety
from beacon.prescribing.models import Prescription
from beacon.prescribing.services import (
    instalment_record_outcome,
)
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8,
    BUPRENORPHINE_8_MG,
    TAKE_HOME_REASON,
    WEEKLY_BUVIDAL,
    change_dose,
    days_from_today,
)
from beacon.prescribing.tests.factories import (
    create_prescription as create,
)

pytestmark = pytest.mark.django_db

REASON = "Titrated on the ward under observation before transfer"


def refusal(exc) -> dict:
    return exc.value.message_dict


# Reasons and ceilings ---------------------------------------------------------------------


def test_a_reason_of_one_character_is_refused(person, users):
    with pytest.raises(ValidationError, match="at least 2 words and 10 letters") as exc:
        create(person, users["prescriber"], dose=Decimal(60), reason="x")
    assert set(refusal(exc)) == {"reason"}
    assert not Prescription.objects.exists()
    assert create(person, users["prescriber"], dose=Decimal(60), reason=REASON).dose == 60


def test_methadone_above_the_ceiling_is_refused_whatever_the_reason(person, users, settings):
    with pytest.raises(ValidationError, match="Dose ceiling: 400 mg") as exc:
        create(person, users["prescriber"], dose=Decimal(400), reason=REASON)
    assert set(refusal(exc)) == {"dose"}
    settings.BEACON_OST_METHADONE_CEILING_MG = 500
    assert create(person, users["prescriber"], dose=Decimal(400), reason=REASON).dose == 400


def test_warnings_name_their_rule_and_a_change_is_not_a_starting_dose(person, users):
    # In treatment: 30 mg supplied these three days, then a change from today.
    prescription = create(
        person, users["prescriber"], dose=Decimal(30), start_date=days_from_today(-3)
    )
    for instalment in prescription.instalments.filter(date__lt=days_from_today(0)):
        instalment_record_outcome(
            actor=users["prescriber"], instalment=instalment, data={"outcome": "collected"}
        )
    today = days_from_today(0)
    with pytest.raises(ValidationError) as exc:
        change_dose(prescription, users["prescriber"], Decimal(90), today)
    message = " ".join(refusal(exc)["reason"])
    assert message.startswith("Titration step: an increase of 60 mg")
    assert "Starting dose" not in message
    change = change_dose(prescription, users["prescriber"], Decimal(90), today, reason=REASON)
    assert change.overridden_warnings.startswith("Titration step:")


def test_a_start_above_the_usual_range_names_the_starting_dose_rule(person, users):
    with pytest.raises(ValidationError, match=r"^.*Starting dose: a methadone start above 30 mg"):
        create(person, users["prescriber"], dose=Decimal(40))


def test_methadone_start_with_alcohol_or_sedatives_is_capped_lower(person, users, settings):
    with pytest.raises(ValidationError, match="Starting dose with alcohol or sedatives") as exc:
        create(person, users["prescriber"], dose=Decimal(30), uses_alcohol_or_sedatives=True)
    assert set(refusal(exc)) == {"reason"}
    settings.BEACON_OST_METHADONE_MAX_START_WITH_SEDATIVES_MG = 30
    prescription = create(
        person, users["prescriber"], dose=Decimal(30), uses_alcohol_or_sedatives=True
    )
    assert prescription.uses_alcohol_or_sedatives


# Buprenorphine ----------------------------------------------------------------------------


def test_sublingual_buprenorphine_above_32_mg_needs_a_reason(person, users):
    with pytest.raises(ValidationError, match="Buprenorphine maximum: 40 mg a day") as exc:
        create(person, users["prescriber"], medicine=BUPRENORPHINE_8, dose=Decimal(40))
    assert set(refusal(exc)) == {"reason"}
    assert (
        create(person, users["prescriber"], medicine=BUPRENORPHINE_8, dose=Decimal(32)).dose == 32
    )


def test_buprenorphine_above_its_ceiling_is_refused(person, users):
    with pytest.raises(ValidationError, match="Dose ceiling") as exc:
        create(
            person, users["prescriber"], medicine=BUPRENORPHINE_8, dose=Decimal(80), reason=REASON
        )
    assert set(refusal(exc)) == {"dose"}


def test_buprenorphine_start_within_24_hours_of_methadone_or_above_30_mg_warns(person, users):
    methadone = create(
        person, users["prescriber"], dose=Decimal(30), start_date=days_from_today(-10)
    )
    methadone.dose_changes.create(
        provider=methadone.provider,
        from_dose=30,
        to_dose=40,
        effective_date=days_from_today(-8),
        changed_by=users["prescriber"],
        reason=REASON,
    )
    methadone.ended_on = days_from_today(-1)
    methadone.status = Prescription.Status.ENDED
    methadone.save()
    with pytest.raises(ValidationError) as exc:
        create(
            person,
            users["prescriber"],
            **BUPRENORPHINE_8_MG,
            start_date=days_from_today(0),
        )
    message = " ".join(refusal(exc)["reason"])
    assert "Buprenorphine start after methadone" in message
    assert "Buprenorphine start on methadone above 30 mg: methadone is 40 mg" in message
    later = create(
        person,
        users["prescriber"],
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(1),
    )
    assert later.overridden_warnings == ""


# Cross-titration --------------------------------------------------------------------------


def test_a_second_ost_medicine_needs_an_overlap_end_date_and_a_reason(person, users):
    create(person, users["prescriber"], dose=Decimal(30))
    bup = {"medicine": BUPRENORPHINE_8, "dose": Decimal(8), "start_date": days_from_today(0)}
    with pytest.raises(ValidationError) as exc:
        create(person, users["prescriber"], **bup)
    assert set(refusal(exc)) == {"cross_titration_until"}
    with pytest.raises(ValidationError, match="Cross-titration") as exc:
        create(person, users["prescriber"], cross_titration_until=days_from_today(3), **bup)
    assert set(refusal(exc)) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        create(
            person,
            users["prescriber"],
            cross_titration_until=days_from_today(30),
            reason=REASON,
            **bup,
        )
    assert set(refusal(exc)) == {"cross_titration_until"}
    second = create(
        person, users["prescriber"], cross_titration_until=days_from_today(3), reason=REASON, **bup
    )
    assert second.cross_titration_until == days_from_today(3)
    assert "Cross-titration" in second.overridden_warnings


def test_same_substance_overlap_is_still_refused_with_an_end_date(person, users):
    create(person, users["prescriber"], dose=Decimal(30))
    with pytest.raises(ValidationError) as exc:
        create(
            person,
            users["prescriber"],
            start_date=days_from_today(0),
            cross_titration_until=days_from_today(2),
            reason=REASON,
        )
    assert set(refusal(exc)) == {"start_date"}


# Prolonged-release buprenorphine ----------------------------------------------------------


def test_first_buvidal_injection_needs_a_test_dose_for_someone_new_to_buprenorphine(person, users):
    with pytest.raises(ValidationError) as exc:
        create(person, users["prescriber"], test_dose_given_at=None, **WEEKLY_BUVIDAL)
    assert set(refusal(exc)) == {"test_dose_given_at"}
    with pytest.raises(ValidationError) as exc:
        create(person, users["prescriber"], test_dose_observation="ok", **WEEKLY_BUVIDAL)
    assert set(refusal(exc)) == {"test_dose_observation"}
    prescription = create(person, users["prescriber"], **WEEKLY_BUVIDAL)
    assert prescription.test_dose_given_at is not None


def test_buvidal_first_week_gives_16_mg_and_up_to_two_8_mg_doses_a_day_apart(person, users):
    start = days_from_today(0)
    buvidal = {
        **WEEKLY_BUVIDAL,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=6),
    }
    with pytest.raises(ValidationError) as exc:
        create(person, users["prescriber"], first_week_extra_dates=[start], **buvidal)
    assert set(refusal(exc)) == {"first_week_extra_dates"}
    days = [start + datetime.timedelta(days=n) for n in (1, 2, 3)]
    with pytest.raises(ValidationError, match="At most two"):
        create(person, users["prescriber"], first_week_extra_dates=days, **buvidal)
    prescription = create(person, users["prescriber"], first_week_extra_dates=days[:2], **buvidal)
    doses = [(i.date, i.quantity, i.supervised) for i in prescription.instalments.all()]
    assert doses == [(start, 16, True), (days[0], 8, True), (days[1], 8, True)]


def test_a_late_injection_is_a_prescribers_decision_not_a_missed_dose(person, users):
    prescription = create(
        person, users["prescriber"], start_date=days_from_today(-3), **WEEKLY_BUVIDAL
    )
    first = prescription.instalments.first()
    today = timezone.localdate()
    assert safety.late_injection_needs_decision(first, today=today)
    oral = create(
        person,
        users["prescriber"],
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(20),
    )
    assert not safety.late_injection_needs_decision(
        oral.instalments.first(), today=days_from_today(30)
    )
    with pytest.raises(ValidationError) as exc:
        safety.check_late_injection(first, "collected", actor=users["nurse"], notes=REASON)
    assert set(refusal(exc)) == {"outcome"}
    with pytest.raises(ValidationError) as exc:
        safety.check_late_injection(first, "collected", actor=users["prescriber"], notes="")
    assert set(refusal(exc)) == {"outcome_notes"}
    safety.check_late_injection(first, "collected", actor=users["prescriber"], notes=REASON)


# Take-home doses --------------------------------------------------------------------------


def test_take_home_doses_in_the_first_90_days_need_a_reason(person, users, settings):
    with pytest.raises(ValidationError, match="Supervised consumption in the first 90 days") as exc:
        create(person, users["prescriber"], supervised_days="01234")
    assert set(refusal(exc)) == {"reason"}
    assert create(person, users["prescriber"], supervised_days="01234", reason=TAKE_HOME_REASON)


def test_the_first_90_days_run_from_the_start_of_unbroken_treatment(person, users):
    first = create(person, users["prescriber"], start_date=days_from_today(-100))
    assert safety.ost_run_start(person, days_from_today(-86)) == first.start_date
    assert safety.ost_run_start(person, days_from_today(-80)) == days_from_today(-80)
    for offset in range(-86, -2, 14):  # unbroken 14-day prescriptions since day -100
        create(person, users["prescriber"], start_date=days_from_today(offset))
    take_home = create(
        person, users["prescriber"], start_date=days_from_today(-2), supervised_days=""
    )
    assert take_home.overridden_warnings == ""


def test_children_at_home_need_a_lockable_box_for_any_take_home_dose(person, users):
    person.children_in_household = True
    person.save()
    with pytest.raises(ValidationError, match="lockable box") as exc:
        create(person, users["prescriber"], supervised_days="01234", reason=TAKE_HOME_REASON)
    assert set(refusal(exc)) == {"supervised_days"}
    assert create(person, users["prescriber"], start_date=days_from_today(-30))  # all supervised
    ClientDeliveryDetails.objects.create(
        client=person,
        address_line_1="1 Demo Street",
        postcode="LS1 1AA",
        lockable_box_recorded_on=days_from_today(-1),
    )
    assert create(person, users["prescriber"], supervised_days="01234", reason=TAKE_HOME_REASON)


def test_a_late_injection_is_recorded_by_a_prescribers_decision_not_refused_as_missed(
    person, users
):
    prescription = create(
        person, users["prescriber"], start_date=days_from_today(-3), **WEEKLY_BUVIDAL
    )
    late = prescription.instalments.order_by("date").first()
    with pytest.raises(ValidationError) as exc:
        instalment_record_outcome(
            actor=users["manager"], instalment=late, data={"outcome": "collected"}
        )
    assert "a prescriber records whether it is given late" in str(exc.value)
    given = instalment_record_outcome(
        actor=users["prescriber"],
        instalment=late,
        data={"outcome": "collected", "outcome_notes": "Given three days late after review"},
    )
    assert given.outcome == "collected"
    assert safety.consecutive_missed_days(prescription) == 0
