"""The driver's run sheet: own round of today only, no clinical detail; delivered and not
delivered feed the register and the instalment; a missed delivery alerts the keyworker and
the prescriber; hand-over, returns and the end-of-day balance; what is refused."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from beacon.core.models import Alert
from beacon.core.tests.factories import UserFactory
from beacon.delivery.models import ClientDeliveryDetails, DeliveryStop, RegisterEntry
from beacon.delivery.selectors import register as register_selectors
from beacon.delivery.services import planning, runsheet
from beacon.delivery.tests.factories import METHADONE, main_site, record, round_today
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import PRESCRIPTION_STATES, Instalment, Prescription
from beacon.prescribing.services import (
    instalment_record_outcome,
    prescription_change_dose,
    prescription_end,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_morning")]

DELIVERED_TO_CLIENT = {
    "delivered-recipient": "client",
    "delivered-identity": "shown",
}


@pytest.fixture
def stops(users, provider, team):
    return round_today(users=users, provider=provider, team=team, clients=2, handed_over=True)


def balance(provider):
    return register_selectors.register_balance(
        site=main_site(provider), medicine=MEDICINES[METHADONE]
    )


def test_driver_sees_own_round_today_without_dose_or_medicine(web_as, stops):
    page = web_as("driver").get("/delivery/my-round/")
    text = page.content.decode()
    assert page.status_code == 200
    for stop in stops:
        assert stop.client.full_name in text
        assert stop.parcel_number in text
    assert "Example Row" in text and "LS1 4AP" in text
    assert "Between 09:00 and 12:00" in text
    assert "Ring twice, side door" in text
    stop_page = web_as("driver").get(f"/delivery/my-round/stops/{stops[0].pk}/").content.decode()
    assert "Ring twice, side door" in stop_page
    for clinical in ("Methadone", "methadone", " mg", " ml", "diagnos", "Substance"):
        assert clinical not in text and clinical not in stop_page, clinical


def test_driver_home_page_is_the_run_sheet(web_as, stops):
    response = web_as("driver").get("/")
    assert response.status_code == 302 and response["Location"] == "/delivery/my-round/"


def test_another_drivers_round_is_not_found(web_as, users, provider, team, make_user, stops):
    other = make_user("driver", username="driver-other")
    theirs = round_today(users=users, provider=provider, team=team, driver=other)[0]
    assert web_as("driver").get(f"/delivery/my-round/stops/{theirs.pk}/").status_code == 404
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{theirs.pk}/not-delivered/", {"missed-reason": "not_in"}
    )
    assert response.status_code == 404
    assert DeliveryStop.objects.get(pk=theirs.pk).status == "planned"
    run_sheet = web_as("driver").get("/delivery/my-round/").content.decode()
    assert theirs.client.full_name not in run_sheet


def test_another_providers_parcels_are_not_found(web_as, other_provider, stops):
    coordinator = UserFactory(provider=other_provider, role="manager", username="elsewhere")
    web = web_as(coordinator)
    for path in (
        f"/delivery/rounds/{stops[0].round_id}/hand-over/",
        f"/delivery/stops/{stops[0].pk}/returned/",
        f"/delivery/stops/{stops[0].pk}/hold-back/",
    ):
        assert web.post(path, {"reason": "x"}).status_code == 404, path
    assert DeliveryStop.objects.get(pk=stops[0].pk).status == "planned"


def test_yesterdays_stop_cannot_be_recorded(users, provider, team):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    stop = round_today(users=users, provider=provider, team=team, date=yesterday)[0]
    with pytest.raises(ValidationError, match="not for today"):
        runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})


def test_tomorrows_round_is_not_on_todays_run_sheet(web_as, users, provider, team):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    stop = round_today(users=users, provider=provider, team=team, date=tomorrow)[0]
    text = web_as("driver").get("/delivery/my-round/").content.decode()
    assert "You have no round today" in text
    assert stop.client.full_name not in text
    assert web_as("driver").get(f"/delivery/my-round/stops/{stop.pk}/").status_code == 404


def test_delivered_to_the_client_writes_register_and_instalment(web_as, users, provider, stops):
    stop = stops[0]
    before = balance(provider)
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/", DELIVERED_TO_CLIENT
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.status == "delivered"
    entry = stop.delivered_entry
    assert entry.kind == RegisterEntry.Kind.DELIVERED
    assert entry.client == stop.client and entry.driver == users["driver"]
    assert entry.recipient == "client"
    assert (entry.identity_requested, entry.identity_provided) == (True, True)
    assert entry.quantity == stop.handed_over_entry.quantity == 30
    assert Instalment.objects.get(pk=stop.instalment_id).outcome == "delivered"
    assert balance(provider) == before  # the parcel left the cabinet when handed over
    assert "1 of 2 stops recorded" in web_as("driver").get("/delivery/my-round/").content.decode()


def test_delivered_to_a_representative_needs_their_name_and_saves_nothing_without(
    web_as, provider, stops
):
    stop = stops[0]
    entries = RegisterEntry.objects.count()
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/",
        {"delivered-recipient": "representative", "delivered-identity": "not_shown"},
    )
    assert response.status_code == 200
    assert "Enter the name of the representative" in response.content.decode()
    stop.refresh_from_db()
    assert stop.status == "planned" and RegisterEntry.objects.count() == entries
    assert Instalment.objects.get(pk=stop.instalment_id).outcome == ""
    web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/",
        {
            "delivered-recipient": "representative",
            "delivered-representative_name": "Jo Example",
            "delivered-identity": "not_shown",
        },
    )
    entry = DeliveryStop.objects.get(pk=stop.pk).delivered_entry
    assert entry.representative_name == "Jo Example"
    assert (entry.identity_requested, entry.identity_provided) == (True, False)


def test_missing_answers_are_named(web_as, stops):
    response = web_as("driver").post(f"/delivery/my-round/stops/{stops[0].pk}/delivered/", {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Say who received the parcel" in text
    assert "Say whether proof of identity was asked for and shown" in text
    response = web_as("driver").post(f"/delivery/my-round/stops/{stops[0].pk}/not-delivered/", {})
    assert "Say why the parcel was not delivered" in response.content.decode()


def test_not_in_is_a_missed_dose_and_alerts_keyworker_and_prescriber(web_as, users, stops):
    stop = stops[1]
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/not-delivered/",
        {"missed-reason": "not_in", "missed-notes": "No answer at 10:05"},
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert (stop.status, stop.not_delivered_reason) == ("not_delivered", "not_in")
    instalment = Instalment.objects.get(pk=stop.instalment_id)
    assert instalment.outcome == "missed" and "not in" in instalment.outcome_notes
    alerts = Alert.objects.filter(client=stop.client, kind="missed_delivery")
    assert {a.recipient for a in alerts} == {users["keyworker"], users["prescriber"]}
    assert all(stop.parcel_number in a.message and "not in" in a.message for a in alerts)
    keyworker_alerts = web_as("keyworker").get("/alerts/").content.decode()
    assert f"Missed delivery: {stop.client.full_name}" in keyworker_alerts
    assert "Alerts (1 new)" in web_as("keyworker").get("/treatment/caseload/").content.decode()


def test_alert_email_holds_no_client_detail(
    settings, users, stops, django_capture_on_commit_callbacks
):
    settings.BEACON_ALERT_EMAILS = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for role in ("keyworker", "prescriber"):
        users[role].email = f"{role}@example.invalid"
        users[role].save(update_fields=["email"])
    stop = stops[0]
    with django_capture_on_commit_callbacks(execute=True):
        runsheet.stop_not_delivered(
            actor=users["driver"],
            stop=stop,
            data={"reason": "refused", "notes": "Said they did not want it today"},
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [users["keyworker"].email, users["prescriber"].email]
    )
    for message in mail.outbox:
        body = message.subject + message.body
        assert stop.client.full_name not in body
        assert stop.client.client_number not in body
        assert stop.parcel_number not in body
        assert "/alerts/" in body
    assert Alert.objects.filter(emailed_at__isnull=False).count() == 2


def test_no_email_when_not_configured(settings, users, stops, django_capture_on_commit_callbacks):
    settings.BEACON_ALERT_EMAILS = False
    with django_capture_on_commit_callbacks(execute=True):
        runsheet.stop_not_delivered(
            actor=users["driver"],
            stop=stops[0],
            data={"reason": "unsafe", "notes": "Fight in the stairwell"},
        )
    assert mail.outbox == []
    assert Alert.objects.count() == 2


def test_an_outcome_is_recorded_once(users, stops):
    runsheet.stop_delivered(
        actor=users["driver"], stop=stops[0], data={"recipient": "client", "identity": "shown"}
    )
    with pytest.raises(ValidationError, match="already recorded as delivered"):
        runsheet.stop_not_delivered(actor=users["driver"], stop=stops[0], data={"reason": "not_in"})


def test_a_parcel_not_handed_over_cannot_be_recorded(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    with pytest.raises(ValidationError, match="not been handed to you"):
        runsheet.stop_delivered(
            actor=users["driver"], stop=stop, data={"recipient": "client", "identity": "shown"}
        )
    assert RegisterEntry.objects.filter(kind="delivered").count() == 0


def test_a_suspended_prescription_is_held_back_at_hand_over(web_as, users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    held = stops[0].instalment.prescription
    Prescription.objects.filter(pk=held.pk).update(status=Prescription.Status.SUSPENDED)
    record(users["manager"], "received", 500)
    result = runsheet.round_hand_over(actor=users["manager"], delivery_round=stops[0].round)
    assert result == {
        "handed": [stops[1].parcel_number],
        "held_back": [
            {
                "parcel_number": stops[0].parcel_number,
                "reason": "the prescription is suspended for prescriber review",
            }
        ],
    }
    stop = DeliveryStop.objects.get(pk=stops[0].pk)
    assert stop.status == "held_back" and stop.handed_over_entry is None
    assert (
        Alert.objects.filter(client=stop.client, title__startswith="Delivery held back").count()
        == 2
    )
    # Never handed over: the driver does not see it at all.
    run_sheet = web_as("driver").get("/delivery/my-round/").content.decode()
    assert stop.client.full_name not in run_sheet
    assert web_as("driver").get(f"/delivery/my-round/stops/{stop.pk}/").status_code == 404


def test_supply_stopped_after_hand_over_tells_the_driver_only_not_to_deliver(web_as, users, stops):
    stop = stops[0]
    prescription = stop.instalment.prescription
    # Supply stops after the parcel left (as the missed-dose rule suspends it); ending the
    # prescription before today is refused while the parcel is out (its own test).
    PRESCRIPTION_STATES.move(prescription, Prescription.Status.SUSPENDED)
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/", DELIVERED_TO_CLIENT, follow=True
    )
    text = response.content.decode()
    assert "Do not deliver this parcel: bring it back to the base" in text
    for clinical in ("ended", "hospital", "prescription", "suspended"):
        assert clinical not in text.lower(), clinical
    stop.refresh_from_db()
    assert stop.status == "held_back" and "prescription is suspended" in stop.held_back_reason
    assert RegisterEntry.objects.filter(kind="delivered").count() == 0
    # The driver brings it back; the coordinator records it in the cabinet; the day balances.
    runsheet.stop_returned(actor=users["manager"], stop=stop)
    (row,) = [
        r
        for r in register_selectors.reconciliation(provider=stop.provider, date=stop.date)
        if r.driver == users["driver"]
    ]
    assert row.returned == 30 and row.handed == 60


def test_coordinator_holds_back_a_parcel_with_the_driver(web_as, users, stops):
    stop = stops[0]
    page = web_as("manager").get(f"/delivery/stops/{stop.pk}/hold-back/")
    assert "It is with the driver" in page.content.decode()
    missing = web_as("manager").post(f"/delivery/stops/{stop.pk}/hold-back/", {})
    assert missing.status_code == 200
    assert "Say why the parcel is held back" in missing.content.decode()
    web_as("manager").post(
        f"/delivery/stops/{stop.pk}/hold-back/", {"reason": "Driver off sick at 10:00"}
    )
    stop.refresh_from_db()
    assert stop.status == "held_back" and stop.held_back_reason == "Driver off sick at 10:00"
    assert (
        "bring it back to the base" in web_as("driver").get("/delivery/my-round/").content.decode()
    )
    with pytest.raises(ValidationError, match="Do not deliver"):
        runsheet.stop_delivered(
            actor=users["driver"], stop=stop, data={"recipient": "client", "identity": "shown"}
        )
    web_as("manager").post(f"/delivery/stops/{stop.pk}/returned/")
    stop.refresh_from_db()
    assert stop.returned_entry.quantity == stop.handed_over_entry.quantity


def test_a_dose_change_over_a_parcel_with_the_driver_is_refused(users, stops):
    prescription = stops[0].instalment.prescription
    with pytest.raises(ValidationError, match="already with a driver"):
        prescription_change_dose(
            actor=users["prescriber"],
            prescription=prescription,
            data={"dose": Decimal(35), "effective_date": stops[0].date, "reason": "Review"},
        )
    tomorrow = stops[0].date + datetime.timedelta(days=1)
    prescription_change_dose(
        actor=users["prescriber"],
        prescription=prescription,
        data={"dose": Decimal(35), "effective_date": tomorrow, "reason": "Review"},
    )


def test_ending_a_prescription_after_its_day_is_planned_removes_the_stop(users, provider, team):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    stop = round_today(users=users, provider=provider, team=team, date=tomorrow)[0]
    prescription_end(
        actor=users["prescriber"],
        prescription=stop.instalment.prescription,
        data={"ended_on": timezone.localdate(), "end_reason": "Moved away"},
    )
    assert not DeliveryStop.objects.filter(pk=stop.pk).exists()


def test_ending_a_prescription_is_refused_while_a_later_parcel_is_with_a_driver(users, stops):
    with pytest.raises(ValidationError, match="already with a driver"):
        prescription_end(
            actor=users["prescriber"],
            prescription=stops[0].instalment.prescription,
            data={
                "ended_on": stops[0].date - datetime.timedelta(days=1),
                "end_reason": "Moved away",
            },
        )
    assert DeliveryStop.objects.filter(pk=stops[0].pk).exists()


def test_a_missed_delivery_alerts_the_coordinator_when_the_keyworker_has_left(users, stops):
    users["keyworker"].is_active = False
    users["keyworker"].save(update_fields=["is_active"])
    runsheet.stop_not_delivered(actor=users["driver"], stop=stops[0], data={"reason": "not_in"})
    assert {a.recipient for a in Alert.objects.all()} == {users["manager"], users["prescriber"]}


def test_third_missed_delivery_suspends_supply_and_says_so(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    prescription = stop.instalment.prescription
    for instalment in prescription.instalments.filter(date__lt=stop.date).order_by("date")[:2]:
        instalment_record_outcome(
            actor=users["prescriber"], instalment=instalment, data={"outcome": "missed"}
        )
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    alert = Alert.objects.get(recipient=users["prescriber"])
    assert "suspended until a prescriber reviews" in alert.message


def test_hand_over_return_and_the_day_balances(web_as, users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    record(users["manager"], "received", 100)
    manager = web_as("manager")
    response = manager.post(
        f"/delivery/rounds/{stops[0].round_id}/hand-over/",
        {f"round-{stops[0].round_id}-parcels": [s.parcel_number for s in stops]},
    )
    assert response.status_code == 302
    assert balance(provider) == 40  # two parcels of 30 ml out
    # The driver checks and confirms the two parcels before recording any stop.
    with pytest.raises(ValidationError, match="confirm them on your round first"):
        runsheet.stop_delivered(
            actor=users["driver"], stop=stops[0], data={"recipient": "client", "identity": "shown"}
        )
    run_sheet = web_as("driver").get("/delivery/my-round/").content.decode()
    assert "I have these 2 parcels" in run_sheet
    stale = web_as("driver").post(
        "/delivery/my-round/confirm/", {"parcel": [stops[0].parcel_number]}, follow=True
    )
    refusal = stale.content.decode()
    assert "do not match the parcels handed to you: check them again" in refusal
    assert "You should have 2 parcels." in refusal
    # The refusal names no parcel number, so it cannot be passed without looking.
    assert not any(
        f"({s.parcel_number}" in refusal or f", {s.parcel_number})" in refusal for s in stops
    )
    stop_page = web_as("driver").get(f"/delivery/my-round/stops/{stops[0].pk}/").content.decode()
    assert "confirm them on" in stop_page and "Record delivered" not in stop_page
    web_as("driver").post(
        "/delivery/my-round/confirm/", {"parcel": [s.parcel_number for s in stops]}
    )
    assert "You confirmed 2 parcels" in web_as("driver").get("/delivery/my-round/").content.decode()
    assert (
        "all confirmed by the driver"
        in manager.get(f"/delivery/days/{stops[0].date.isoformat()}/").content.decode()
    )
    runsheet.stop_delivered(
        actor=users["driver"], stop=stops[0], data={"recipient": "client", "identity": "shown"}
    )
    runsheet.stop_not_delivered(actor=users["driver"], stop=stops[1], data={"reason": "not_in"})
    today = timezone.localdate()
    # The parcel not delivered is still out with the driver until the shift ends (18:00).
    (out,) = register_selectors.reconciliation(provider=provider, date=today)
    assert out.is_still_out and not out.is_discrepancy
    (missing,) = register_selectors.reconciliation_discrepancies(
        provider=provider, date=today, now=out.shift_ends_at
    )
    assert missing.difference == 30
    manager.post(f"/delivery/stops/{stops[1].pk}/returned/")
    assert balance(provider) == 70
    assert register_selectors.reconciliation_discrepancies(provider=provider, date=today) == []
    (row,) = register_selectors.reconciliation(provider=provider, date=today)
    assert (row.handed, row.delivered, row.returned) == (60, 30, 30)
    again = manager.post(f"/delivery/stops/{stops[1].pk}/returned/", follow=True)
    assert "already back in the cabinet" in again.content.decode()
    assert balance(provider) == 70


def test_hand_over_refused_without_stock_and_saves_nothing(web_as, users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    page = web_as("manager").post(
        f"/delivery/rounds/{stops[0].round_id}/hand-over/",
        {f"round-{stops[0].round_id}-parcels": [s.parcel_number for s in stops]},
        follow=True,
    )
    assert "This would leave −30 ml" in page.content.decode()
    assert RegisterEntry.objects.count() == 0
    assert not DeliveryStop.objects.filter(handed_over_entry__isnull=False).exists()


def test_hand_over_only_on_the_day(users, provider, team):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    stop = round_today(users=users, provider=provider, team=team, date=tomorrow)[0]
    with pytest.raises(ValidationError, match="on the day of the round"):
        runsheet.round_hand_over(actor=users["manager"], delivery_round=stop.round)


def test_replanning_and_moving_refused_once_parcels_are_out(
    users, provider, team, make_user, stops
):
    with pytest.raises(ValidationError, match="already handed to drivers"):
        planning.delivery_day_plan(actor=users["manager"], date=stops[0].date)
    assert DeliveryStop.objects.filter(pk=stops[0].pk).exists()
    other = make_user("driver", username="driver-spare")
    spare = round_today(users=users, provider=provider, team=team, driver=other)[0]
    with pytest.raises(ValidationError, match="cannot move"):
        planning.delivery_stop_move(actor=users["manager"], stop=stops[0], to_round=spare.round)
    assert DeliveryStop.objects.get(pk=stops[0].pk).round_id == stops[0].round_id


def test_alerts_are_private_and_can_be_marked_read(web_as, users, stops):
    runsheet.stop_not_delivered(
        actor=users["driver"], stop=stops[0], data={"reason": "wrong_address"}
    )
    title = f"Missed delivery: {stops[0].client.full_name}"
    assert title not in web_as("manager").get("/alerts/").content.decode()
    assert title not in web_as("nurse").get("/alerts/").content.decode()
    keyworker = web_as("keyworker")
    alert = Alert.objects.get(recipient=users["keyworker"])
    other = Alert.objects.get(recipient=users["prescriber"])
    web_as("manager").post("/alerts/read/", {"alert": [other.pk]})
    other.refresh_from_db()
    assert other.read_at is None  # nobody marks another person's alert
    keyworker.post("/alerts/read/", {"alert": [alert.pk]})
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert "Alerts (1 new)" not in keyworker.get("/alerts/").content.decode()


def test_not_in_cannot_be_recorded_before_the_clients_hours(users, stops):
    early = datetime.datetime.combine(
        stops[0].date, datetime.time(8, 30), tzinfo=timezone.get_current_timezone()
    )
    with (
        time_machine.travel(early, tick=False),
        pytest.raises(ValidationError, match="usually in from 09:00"),
    ):
        runsheet.stop_not_delivered(actor=users["driver"], stop=stops[0], data={"reason": "not_in"})
    assert DeliveryStop.objects.get(pk=stops[0].pk).status == "planned"
    assert Instalment.objects.get(pk=stops[0].instalment_id).outcome == ""


def test_refused_or_unsafe_needs_notes_and_the_alert_is_urgent(web_as, users, stops):
    response = web_as("driver").post(
        f"/delivery/my-round/stops/{stops[0].pk}/not-delivered/", {"missed-reason": "unsafe"}
    )
    assert response.status_code == 200
    assert "Say what made it unsafe to deliver" in response.content.decode()
    assert not Alert.objects.exists()
    web_as("driver").post(
        f"/delivery/my-round/stops/{stops[0].pk}/not-delivered/",
        {"missed-reason": "unsafe", "missed-notes": "Dog loose, owner not answering"},
    )
    titles = set(Alert.objects.values_list("title", flat=True))
    assert titles == {
        f"Urgent: missed delivery: {stops[0].client.full_name} ({stops[0].client.client_number})"
    }
    assert "Dog loose" in Alert.objects.first().message


def test_only_a_representative_the_client_agreed_may_take_the_parcel(web_as, users, stops):
    stop = stops[0]
    ClientDeliveryDetails.objects.filter(client=stop.client).update(
        authorised_representatives="Jo Example\nSam  Sample"
    )
    page = web_as("driver").get(f"/delivery/my-round/stops/{stop.pk}/").content.decode()
    assert "Jo Example, Sam Sample" in page
    refused = web_as("driver").post(
        f"/delivery/my-round/stops/{stop.pk}/delivered/",
        {
            "delivered-recipient": "representative",
            "delivered-representative_name": "Neighbour Next-Door",
            "delivered-identity": "shown",
        },
    )
    assert refused.status_code == 200
    assert "is not one of the people the client agreed" in refused.content.decode()
    assert RegisterEntry.objects.filter(kind="delivered").count() == 0
    runsheet.stop_delivered(
        actor=users["driver"],
        stop=stop,
        data={
            "recipient": "representative",
            "representative_name": "sam sample",
            "identity": "shown",
        },
    )
    assert DeliveryStop.objects.get(pk=stop.pk).delivered_entry.representative_name == "sam sample"


def test_a_parcel_returned_after_midnight_balances_its_rounds_day(users, provider, stops):
    runsheet.stop_delivered(
        actor=users["driver"], stop=stops[0], data={"recipient": "client", "identity": "shown"}
    )
    runsheet.stop_not_delivered(actor=users["driver"], stop=stops[1], data={"reason": "not_in"})
    day = stops[0].date
    after_midnight = datetime.datetime.combine(
        day + datetime.timedelta(days=1),
        datetime.time(0, 30),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(after_midnight, tick=False):
        runsheet.stop_returned(actor=users["manager"], stop=stops[1])
    assert register_selectors.reconciliation_discrepancies(provider=provider, date=day) == []
    (row,) = register_selectors.reconciliation(provider=provider, date=day)
    assert (row.handed, row.delivered, row.returned) == (60, 30, 30)
    assert (
        register_selectors.reconciliation(provider=provider, date=day + datetime.timedelta(days=1))
        == []
    )


def test_a_held_back_dose_counts_as_missed_and_can_suspend_supply(users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    prescription = stop.instalment.prescription
    for instalment in prescription.instalments.filter(date__lt=stop.date).order_by("date")[:2]:
        instalment_record_outcome(
            actor=users["prescriber"], instalment=instalment, data={"outcome": "missed"}
        )
    runsheet.stop_hold_back(
        actor=users["manager"],
        stop=stop,
        data={"reason": "Client in hospital", "missed_by_client": True},
    )
    assert Instalment.objects.get(pk=stop.instalment_id).outcome == "missed"
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.SUSPENDED
    alert = Alert.objects.get(recipient=users["prescriber"])
    assert "Client in hospital" in alert.message and "suspended" in alert.message


def test_planning_again_keeps_a_held_back_parcel_back(users, provider, team):
    stops = round_today(users=users, provider=provider, team=team, clients=2)
    runsheet.stop_hold_back(
        actor=users["manager"], stop=stops[0], data={"reason": "Client in hospital"}
    )
    planning.delivery_day_plan(
        actor=users["manager"], date=stops[0].date, seconds=0.2, iterations=50
    )
    held = DeliveryStop.objects.get(pk=stops[0].pk)
    assert held.status == "held_back" and held.round is None
    assert held.unassigned_reason == "Held back: Client in hospital"
    assert DeliveryStop.objects.filter(instalment=stops[0].instalment).count() == 1
    other = DeliveryStop.objects.get(instalment=stops[1].instalment)
    assert other.round is not None and other.status == "planned"


def test_a_later_days_parcel_is_not_held_back(users, provider, team):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    stop = round_today(users=users, provider=provider, team=team, date=tomorrow)[0]
    with pytest.raises(ValidationError, match="held back on its day"):
        runsheet.stop_hold_back(actor=users["manager"], stop=stop, data={"reason": "Holiday"})


def test_a_dose_change_today_tells_the_coordinator_to_make_the_parcel_up_again(
    users, provider, team
):
    stop = round_today(users=users, provider=provider, team=team)[0]  # still in the cabinet
    prescription_change_dose(
        actor=users["prescriber"],
        prescription=stop.instalment.prescription,
        data={"dose": Decimal(35), "effective_date": stop.date, "reason": "Review"},
    )
    alert = Alert.objects.get(kind="parcel_changed")
    assert alert.recipient == users["manager"]
    assert stop.parcel_number in alert.title and "35 mg" in alert.message
    tomorrow = stop.date + datetime.timedelta(days=1)
    prescription_change_dose(
        actor=users["prescriber"],
        prescription=stop.instalment.prescription,
        data={"dose": Decimal(40), "effective_date": tomorrow, "reason": "Review"},
    )
    assert Alert.objects.filter(kind="parcel_changed").count() == 1  # today's parcel unchanged


def test_a_day_handed_out_shows_why_it_cannot_be_planned_and_no_button(web_as, stops):
    http = web_as("manager")
    day_url = f"/delivery/days/{stops[0].date.isoformat()}/"
    page = http.get(day_url).content.decode()
    assert "Parcels of this day are already handed to drivers" in page
    assert "Plan this day" not in page

    # A plan sent anyway (an old tab) says the sentence, never a Python list.
    replanned = http.post(f"{day_url}plan/", follow=True).content.decode()
    assert "The day could not be planned. Parcels of this day are already handed" in replanned
    assert "[&#39;" not in replanned and "['" not in replanned


def test_a_day_not_yet_handed_out_can_be_planned(web_as, users, provider, team):
    stop = round_today(users=users, provider=provider, team=team)[0]
    page = web_as("manager").get(f"/delivery/days/{stop.date.isoformat()}/").content.decode()
    assert "Plan this day" in page and 'id="cannot-plan"' not in page


def test_the_drivers_forms_send_back_their_errors_with_200_as_every_form(web_as, stops):
    http = web_as("driver")
    missed = http.post(f"/delivery/my-round/stops/{stops[0].pk}/not-delivered/", {})
    delivered = http.post(f"/delivery/my-round/stops/{stops[0].pk}/delivered/", {})
    assert (missed.status_code, delivered.status_code) == (200, 200)
    assert "Say why the parcel was not delivered" in missed.content.decode()
    assert "<title>Error: " in missed.content.decode()
    assert DeliveryStop.objects.get(pk=stops[0].pk).status == "planned"
