"""What a pharmacist records goes through prescribing's one path: outcomes, the rules on
supervised doses, refusals and representatives, the suspension after three missed days,
and the alerts to keyworker and prescriber the same day."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.core.models import Alert
from beacon.pharmacy import selectors
from beacon.pharmacy.models import PharmacyMessage, Supply
from beacon.pharmacy.services import DO_NOT_SUPPLY, pharmacy_message_leave
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of, record
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.tests.factories import days_from_today, pharmacy_for


def _on(day: datetime.date):
    when = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(when, tick=False)


def refused(pharmacist, instalment, supply, **data) -> dict:
    with pytest.raises(ValidationError) as caught:
        record(pharmacist, instalment, supply, **data)
    return caught.value.message_dict


def test_pharmacist_sees_only_their_pharmacys_instalments_of_today_and_the_next_days(
    pharmacist, pharmacy, client_in_treatment, users, make_user
):
    ours = dispensed_at(pharmacy, client=client_in_treatment, prescriber=users["prescriber"])
    from beacon.clients.tests.factories import ClientFactory
    from beacon.treatment.tests.factories import TreatmentEpisodeFactory

    other_client = ClientFactory(provider=client_in_treatment.provider)
    TreatmentEpisodeFactory(client=other_client)
    dispensed_at(
        pharmacy_for(client_in_treatment.provider),
        client=other_client,
        prescriber=users["prescriber"],
    )
    today = timezone.localdate()
    due = selectors.instalments_due(user=pharmacist, today=today)
    assert {row.instalment.prescription_id for row in due} == {ours.pk}
    assert [row.instalment.date for row in due] == [
        today + datetime.timedelta(days=n) for n in range(selectors.DAYS_AHEAD + 1)
    ]


def test_supplied_supervised_is_the_instalment_collected_through_prescribing(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    done = record(pharmacist, instalment_of(prescription), Supply.SUPERVISED)
    instalment = Instalment.objects.get(pk=done.instalment_id)
    assert instalment.outcome == Instalment.Outcome.COLLECTED
    assert instalment.outcome_recorded_by == pharmacist
    assert "supervised" in instalment.outcome_notes


def test_a_supervised_dose_is_never_handed_over_to_take_away(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    errors = refused(pharmacist, instalment_of(prescription), Supply.TAKE_HOME)
    assert "consumed under supervision" in errors["supply"][0]
    errors = refused(
        pharmacist, instalment_of(prescription), Supply.REPRESENTATIVE, representative_name="A B"
    )
    assert "consumed under supervision" in errors["supply"][0]
    assert instalment_of(prescription).outcome == ""


def test_a_representative_is_named_and_a_refusal_has_its_reason(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy,
        client=client_in_treatment,
        prescriber=users["prescriber"],
        supervised_days="",
        reason="Stable for a year with take-home doses at the last service",
    )
    instalment = instalment_of(prescription)
    assert "representative_name" in refused(pharmacist, instalment, Supply.REPRESENTATIVE)
    assert "refusal_reason" in refused(pharmacist, instalment, Supply.REFUSED)
    assert "notes" in refused(pharmacist, instalment, Supply.REFUSED, refusal_reason="other")
    # The client has named nobody who may collect: a name alone is not enough (H-167).
    errors = refused(pharmacist, instalment, Supply.REPRESENTATIVE, representative_name="Sam Carer")
    assert "named nobody" in errors["representative_name"][0]
    assert instalment_of(prescription).outcome == ""


def test_a_dose_changed_after_the_page_was_read_is_refused_not_supplied(
    pharmacist, pharmacy, client_in_treatment, users
):
    from decimal import Decimal

    from beacon.prescribing.tests.factories import change_dose

    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    shown = instalment_of(prescription).quantity
    change_dose(prescription, users["prescriber"], Decimal(25), timezone.localdate())
    errors = refused(
        pharmacist, instalment_of(prescription), Supply.SUPERVISED, quantity_shown=shown
    )
    assert "The dose has changed" in errors["supply"][0] and "25" in errors["supply"][0]
    assert instalment_of(prescription).outcome == ""
    done = record(pharmacist, instalment_of(prescription), Supply.SUPERVISED, quantity_shown=25)
    assert done.instalment.outcome == Instalment.Outcome.COLLECTED


def test_a_missed_day_after_a_suspension_does_not_announce_it_again(
    pharmacist, pharmacy, client_in_treatment, users
):
    start = timezone.localdate()
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"], start=start
    )
    for n in range(4):
        day = start + datetime.timedelta(days=n)
        with _on(day):
            record(pharmacist, instalment_of(prescription, day), Supply.NOT_COLLECTED)
    pharmacy_alerts = Alert.objects.filter(kind=Alert.Kind.PHARMACY, recipient=users["prescriber"])
    suspended = [a for a in pharmacy_alerts if "Supply is now suspended" in a.message]
    assert pharmacy_alerts.count() == 4 and len(suspended) == 1
    assert (
        Alert.objects.filter(kind=Alert.Kind.MISSED_DOSES, recipient=users["prescriber"]).count()
        == 1
    )


def test_a_pharmacist_opens_no_instalment_beyond_the_due_list(
    pharmacist, pharmacy, client_in_treatment, users
):
    from django.http import Http404

    start = timezone.localdate() - datetime.timedelta(days=5)
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"], start=start
    )
    today = timezone.localdate()
    for day, shown in (
        (today, True),
        (today + datetime.timedelta(days=selectors.DAYS_AHEAD), True),
        (today + datetime.timedelta(days=selectors.DAYS_AHEAD + 1), False),
        (today - datetime.timedelta(days=3), False),  # a day gone: history
    ):
        instalment = instalment_of(prescription, day)
        if shown:
            assert selectors.pharmacy_instalment_get(user=pharmacist, instalment_id=instalment.pk)
        else:
            with pytest.raises(Http404):
                selectors.pharmacy_instalment_get(user=pharmacist, instalment_id=instalment.pk)


def test_a_prescription_ending_later_still_counts_its_pharmacy_to_phone(
    pharmacist, pharmacy, client_in_treatment, users, provider
):
    from beacon.prescribing.services import prescription_end

    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    today = timezone.localdate()
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": today + datetime.timedelta(days=2), "end_reason": "Moving away"},
    )
    not_recorded = selectors.pharmacies_not_recorded(provider=provider, today=today)
    assert [(row.pharmacy, row.instalments) for row in not_recorded] == [(pharmacy, 1)]


def test_an_instalment_recorded_cannot_be_recorded_again(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    record(pharmacist, instalment_of(prescription), Supply.SUPERVISED)
    errors = refused(pharmacist, instalment_of(prescription), Supply.NOT_COLLECTED)
    assert "just been recorded by someone else" in errors["supply"][0]


def test_a_future_instalment_waits_for_its_day(pharmacist, pharmacy, client_in_treatment, users):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    tomorrow = instalment_of(prescription, days_from_today(1))
    assert "not due yet" in refused(pharmacist, tomorrow, Supply.SUPERVISED)["supply"][0]


def test_another_pharmacys_pharmacist_cannot_record(
    pharmacy, client_in_treatment, users, make_user
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    elsewhere = make_user("pharmacist", username="pharmacist-elsewhere")
    with pytest.raises(ValidationError, match="not due at your pharmacy"):
        record(elsewhere, instalment_of(prescription), Supply.SUPERVISED)


def test_not_collected_alerts_keyworker_and_prescriber_the_same_day(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    record(pharmacist, instalment_of(prescription), Supply.NOT_COLLECTED)
    alerts = Alert.objects.filter(kind=Alert.Kind.PHARMACY, client=client_in_treatment)
    assert {a.recipient for a in alerts} == {users["keyworker"], users["prescriber"]}
    assert all(a.created_at.date() == datetime.date.today() for a in alerts)
    assert instalment_of(prescription).outcome == Instalment.Outcome.MISSED


def test_a_refusal_for_intoxication_is_an_urgent_alert(
    pharmacist, pharmacy, client_in_treatment, users
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    record(pharmacist, instalment_of(prescription), Supply.REFUSED, refusal_reason="intoxicated")
    titles = set(Alert.objects.filter(kind=Alert.Kind.PHARMACY).values_list("title", flat=True))
    assert titles and all(t.startswith("Urgent: ") and "intox" not in t for t in titles)
    assert "intoxicated" in Alert.objects.filter(kind=Alert.Kind.PHARMACY).first().message


def test_the_third_missed_day_suspends_the_next_supply_at_the_pharmacy(
    pharmacist, pharmacy, client_in_treatment, users
):
    start = timezone.localdate()
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"], start=start
    )
    for n in range(3):
        day = start + datetime.timedelta(days=n)
        with _on(day):
            record(pharmacist, instalment_of(prescription, day), Supply.NOT_COLLECTED)
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    assert Alert.objects.filter(kind=Alert.Kind.MISSED_DOSES, client=client_in_treatment).exists()
    fourth = start + datetime.timedelta(days=3)
    with _on(fourth):
        due = selectors.instalments_due(user=pharmacist, today=fourth)
        assert due[0].instalment.date == fourth and due[0].do_not_supply
        errors = refused(pharmacist, instalment_of(prescription, fourth), Supply.SUPERVISED)
        assert errors["supply"] == [DO_NOT_SUPPLY]


def test_the_remaining_days_of_a_missed_instalment_follow_the_approved_wording(
    pharmacist, pharmacy, client_in_treatment, users
):
    # Monday to Saturday: Saturday's instalment covers Sunday too.
    today = timezone.localdate()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
    prescription = dispensed_at(
        pharmacy,
        client=client_in_treatment,
        prescriber=users["prescriber"],
        start=saturday,
        pattern="mon_sat",
        supervised_days="",
        reason="Stable for a year with take-home doses at the last service",
    )
    instalment = instalment_of(prescription, saturday)
    assert instalment.covers_days == 2
    with _on(saturday + datetime.timedelta(days=1)):
        assert (
            "collection day was" in refused(pharmacist, instalment, Supply.TAKE_HOME)["supply"][0]
        )
        record(pharmacist, instalment, Supply.REMAINING_DAYS)
    instalment.refresh_from_db()
    assert (instalment.outcome, instalment.days_missed) == (Instalment.Outcome.COLLECTED, 1)


def test_a_message_reaches_the_prescriber(pharmacist, pharmacy, client_in_treatment, users):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    pharmacy_message_leave(
        actor=pharmacist,
        instalment=instalment_of(prescription),
        data={"text": "Client asks to move to a pharmacy nearer work"},
    )
    assert PharmacyMessage.objects.count() == 1
    alert = Alert.objects.get(kind=Alert.Kind.PHARMACY)
    assert alert.recipient == users["prescriber"]
    assert "nearer work" in alert.message
    with pytest.raises(ValidationError):
        pharmacy_message_leave(
            actor=pharmacist, instalment=instalment_of(prescription), data={"text": " "}
        )


def test_the_figures_per_pharmacy_and_the_pharmacies_to_phone(
    pharmacist, pharmacy, client_in_treatment, users, provider
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    today = timezone.localdate()
    not_recorded = selectors.pharmacies_not_recorded(provider=provider, today=today)
    assert [(row.pharmacy, row.instalments) for row in not_recorded] == [(pharmacy, 1)]
    record(pharmacist, instalment_of(prescription), Supply.SUPERVISED)
    assert selectors.pharmacies_not_recorded(provider=provider, today=today) == []
    figures = {f.pharmacy: f for f in selectors.pharmacy_figures(provider=provider, today=today)}
    ours = figures[pharmacy]
    assert (ours.clients, ours.supervised_due, ours.supervised_supplied, ours.missed) == (
        1,
        1,
        1,
        0,
    )
    assert ours.supervised_rate == 100


def test_a_dose_change_and_an_end_reach_the_pharmacys_list_at_once(
    pharmacist, pharmacy, client_in_treatment, users
):
    from decimal import Decimal

    from beacon.prescribing.services import prescription_end
    from beacon.prescribing.tests.factories import change_dose

    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    today = timezone.localdate()
    change_dose(prescription, users["prescriber"], Decimal(35), days_from_today(1))
    due = {
        row.instalment.date: row.instalment
        for row in selectors.instalments_due(user=pharmacist, today=today)
    }
    assert due[today].quantity == 30 and due[days_from_today(1)].quantity == 35
    prescription_end(
        actor=users["prescriber"],
        prescription=prescription,
        data={"ended_on": today, "end_reason": "Moving to another service"},
    )
    assert [
        row.instalment.date for row in selectors.instalments_due(user=pharmacist, today=today)
    ] == [today]


def test_a_representative_must_be_on_the_clients_list_when_there_is_one(
    pharmacist, pharmacy, client_in_treatment, users
):
    from beacon.delivery.models import ClientDeliveryDetails

    ClientDeliveryDetails.objects.create(
        client=client_in_treatment,
        address_line_1="1 Example Row",
        postcode="LS1 4AP",
        authorised_representatives="Sam Carer\nAlex Friend",
    )
    prescription = dispensed_at(
        pharmacy,
        client=client_in_treatment,
        prescriber=users["prescriber"],
        supervised_days="",
        reason="Stable for a year with take-home doses at the last service",
    )
    instalment = instalment_of(prescription)
    errors = refused(pharmacist, instalment, Supply.REPRESENTATIVE, representative_name="Jo Bloggs")
    assert "not on the client's list" in errors["representative_name"][0]
    assert instalment_of(prescription).outcome == ""
    done = record(pharmacist, instalment, Supply.REPRESENTATIVE, representative_name="sam  carer")
    assert done.representative_name == "sam  carer"
