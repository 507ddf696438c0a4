"""The summary at the top of the client page: where the client is today (issue #11).

Each line is tested present and absent; the clinical lines against the roles that must
not see them; the page's query count against a longer history.
"""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import rules
import time_machine
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.tests.factories import book, booked_in_the_past, contact_at
from beacon.core.models import Alert
from beacon.core.services import alert_raise
from beacon.core.tests.factories import TeamFactory, UserFactory
from beacon.delivery.presenters import runsheet as delivery_presenters
from beacon.delivery.services import runsheet
from beacon.delivery.tests.factories import round_today
from beacon.prescribing import safety
from beacon.prescribing.models import Prescription
from beacon.prescribing.rules import VIEW as VIEW_PRESCRIPTION
from beacon.prescribing.selectors import client_prescriptions_today
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8_MG,
    BUVIDAL_MONTHLY_64,
    TAKE_HOME_REASON,
    change_dose,
    collected_until_today,
    days_from_today,
    prescribe,
    record_outcome,
)
from beacon.treatment.tests.factories import ModalityFactory, TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db

READERS = ("keyworker", "prescriber", "nurse", "manager")
REFUSED = ("driver", "volunteer", "commissioner", "pharmacist")
# Fixed days of the week for the tests whose wording depends on the weekday.
LONDON = ZoneInfo("Europe/London")
WEDNESDAY = datetime.date(2026, 12, 2)
SATURDAY = datetime.date(2026, 12, 5)
SUNDAY = datetime.date(2026, 12, 6)
MONTHLY_BUVIDAL = {"medicine": BUVIDAL_MONTHLY_64, "dose": Decimal(64), "pattern": "monthly"}


@pytest.fixture
def mid_morning():
    """10:00 today in London, inside the delivery clients' usual hours (9 to 12)."""
    when = datetime.datetime.combine(
        timezone.localdate(), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(when, tick=True):
        yield


@pytest.fixture
def client_record(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


@pytest.fixture
def on_methadone(client_record, users):
    """Methadone 30 mg a day from five days ago for 14 days, supervised Monday to Saturday
    at the test pharmacy; every day before today collected."""
    prescription = prescribe(
        client=client_record,
        prescriber=users["prescriber"],
        supervised_days="012345",
        reason=TAKE_HOME_REASON,
    )
    collected_until_today(prescription, users["prescriber"])
    return prescription


def weekly(client, users, *, start_date: datetime.date, supervised_days: str = "") -> Prescription:
    """A weekly prescription from `start_date`, taken home unless `supervised_days` says."""
    return prescribe(
        client=client,
        prescriber=users["prescriber"],
        pattern="weekly",
        supervised_days=supervised_days,
        reason=TAKE_HOME_REASON,
        start_date=start_date,
    )


def summary_of(response) -> dict[str, str]:
    """The summary's lines as a person reads them: label → text (lines of one label joined)."""
    found = re.search(
        r'<dl class="nhsuk-summary-list"[^>]*id="client-summary".*?</dl>', page_html(response), re.S
    )
    assert found, "the page has no summary"
    lines: dict[str, str] = {}
    for key, value in re.findall(
        r'nhsuk-summary-list__key"\s*>(.*?)</dt>\s*'
        r'<dd class="nhsuk-summary-list__value"\s*>(.*?)</dd>',
        found.group(0),
        re.S,
    ):
        key, text = visible_text(key), visible_text(value)
        lines[key] = f"{lines[key]} | {text}" if key in lines else text
    return lines


def page_html(response) -> str:
    return response.content.decode()


def visible_text(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def page(web_as, role, client) -> dict[str, str]:
    response = web_as(role).get(reverse("clients:detail", args=[client.client_number]))
    assert response.status_code == 200
    return summary_of(response)


# The prescription --------------------------------------------------------------------------


def test_summary_shows_medicine_dose_supply_supervised_days_and_days_left(
    web_as, client_record, on_methadone
):
    lines = page(web_as, "keyworker", client_record)
    prescription = lines["Current prescription"]
    assert "Methadone" in prescription and "30 mg a day" in prescription
    assert "Supplied by: Test Pharmacy" in prescription
    assert "Supervised: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday" in prescription
    last = on_methadone.end_date
    assert f"Last day of supply: {last.day} {last:%B %Y} (9 days left, counting today)" in (
        prescription
    )


def test_home_delivery_and_take_home_are_said(web_as, client_record, users):
    prescribe(
        client=client_record,
        prescriber=users["prescriber"],
        pharmacy=None,
        home_delivery=True,
        supervised_days="",
        start_date=days_from_today(0),
        reason=TAKE_HOME_REASON,
    )
    prescription = page(web_as, "prescriber", client_record)["Current prescription"]
    assert "Supplied by: Home delivery" in prescription
    assert "Not supervised: every dose is taken home" in prescription


def test_summary_dose_is_todays_not_a_change_still_to_come(
    web_as, client_record, on_methadone, users
):
    change_dose(on_methadone, users["prescriber"], Decimal(35), days_from_today(1), "Cravings")
    lines = page(web_as, "nurse", client_record)
    assert "30 mg a day" in lines["Current prescription"]
    assert "35 mg" not in lines["Current prescription"]
    assert "30 mg" in lines["Today's dose"]


def test_a_dose_change_from_today_shows_the_new_dose(web_as, client_record, on_methadone, users):
    change_dose(on_methadone, users["prescriber"], Decimal(35), days_from_today(0), "Cravings")
    lines = page(web_as, "nurse", client_record)
    assert "35 mg a day" in lines["Current prescription"]
    assert "35 mg" in lines["Today's dose"]


def test_no_prescription_says_so_and_shows_no_dose(web_as, client_record):
    lines = page(web_as, "prescriber", client_record)
    assert lines["Current prescription"] == "No current OST prescription"
    assert "Today's dose" not in lines


def test_a_prescription_yet_to_start_is_the_next_one_not_the_current(web_as, client_record, users):
    prescribe(client=client_record, prescriber=users["prescriber"], start_date=days_from_today(3))
    lines = page(web_as, "prescriber", client_record)
    assert lines["Current prescription"] == "No current OST prescription"
    assert "Starts on" in lines["Next prescription"]
    assert "Today's dose" not in lines


def test_a_cross_titration_shows_both_prescriptions_and_each_ones_dose_today(
    web_as, client_record, users
):
    """Methadone reduced to 20 mg from yesterday, buprenorphine 8 mg from today beside it."""
    methadone = prescribe(
        client=client_record, prescriber=users["prescriber"], start_date=days_from_today(-10)
    )
    change_dose(methadone, users["prescriber"], Decimal(20), days_from_today(-1))
    collected_until_today(methadone, users["prescriber"])
    buprenorphine = prescribe(
        client=client_record,
        prescriber=users["prescriber"],
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(0),
        cross_titration_until=methadone.end_date,
        reason="Switching to buprenorphine at the client's request, methadone reduced first",
    )
    lines = page(web_as, "prescriber", client_record)
    assert "20 mg a day" in lines["Current prescription"]
    assert "8 mg a day" in lines["Current prescription"]
    assert f"{methadone.medicine_name}: Due today 20 mg" in lines["Today's dose"]
    assert f"{buprenorphine.medicine_name}: Due today 8 mg" in lines["Today's dose"]


# Today's dose ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "how"),
    [(WEDNESDAY, "supervised"), (SUNDAY, "to take home")],
    ids=["wednesday-supervised", "sunday-taken-home"],
)
def test_dose_due_today_says_how_and_that_nothing_is_recorded_yet(
    web_as, client_record, users, day, how
):
    """Daily, supervised Monday to Saturday: a weekday's dose is supervised, Sunday's
    taken home (the date is fixed, so each case is checked every run)."""
    with on_day(day):
        prescription = prescribe(
            client=client_record,
            prescriber=users["prescriber"],
            supervised_days="012345",
            reason=TAKE_HOME_REASON,
        )
        collected_until_today(prescription, users["prescriber"])
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose == f"Due today 30 mg at Test Pharmacy, {how}: not yet recorded."


def test_dose_collected_today_says_so_and_when(web_as, client_record, on_methadone, users):
    record_outcome(
        on_methadone.instalments.get(date=days_from_today(0)), "collected", users["prescriber"]
    )
    dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith("Collected 30 mg collected at ")
    assert "Due today" not in dose


def test_dose_missed_today_says_it_is_never_supplied_later(
    web_as, client_record, on_methadone, users
):
    record_outcome(
        on_methadone.instalments.get(date=days_from_today(0)), "missed", users["prescriber"]
    )
    dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith("Missed 30 mg missed today")
    assert "never supplied later" in dose


def test_suspended_prescription_says_do_not_supply(web_as, client_record, on_methadone):
    Prescription.objects.filter(pk=on_methadone.pk).update(status=Prescription.Status.SUSPENDED)
    lines = page(web_as, "prescriber", client_record)
    assert lines["Current prescription"].startswith("Suspended for prescriber review")
    assert lines["Today's dose"].startswith("Do not supply")
    assert "Due today" not in lines["Today's dose"]


def test_three_unrecorded_days_say_do_not_supply_before_anyone_records_them(
    web_as, client_record, users
):
    """Nobody has recorded the last three days: supply is refused all the same (H-50), so
    the dose is never shown as due."""
    prescribe(client=client_record, prescriber=users["prescriber"], start_date=days_from_today(-3))
    dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith("Do not supply 3 days missed in a row")


def test_a_day_covered_by_saturdays_collected_instalment_says_so(web_as, client_record, users):
    """Monday to Saturday: on a Sunday the dose is Saturday's second day, collected."""
    with on_day(SUNDAY):
        prescription = mon_sat_from_monday(client_record, users)
        collected_until_today(prescription, users["prescriber"])
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith(
        "Covered Today's 30 mg was in the instalment of 5 December 2026, collected. "
        "60 mg instalment covering 2 days (30 mg a day): Saturday's supervised, "
        "Sunday's taken home."
    )


# Today's dose of a multi-day instalment (review 1 to 4) -----------------------------------


def test_saturdays_instalment_shows_the_days_dose_then_the_instalment(web_as, client_record, users):
    """Monday to Saturday at 30 mg: Saturday is due 30 mg, supervised, in a 60 mg
    instalment whose Sunday is taken home, never "Due today 60 mg … supervised"."""
    with on_day(SATURDAY):
        prescription = mon_sat_from_monday(client_record, users)
        collected_until_today(prescription, users["prescriber"])
        lines = page(web_as, "keyworker", client_record)
    assert lines["Today's dose"] == (
        "Due today 30 mg at Test Pharmacy, supervised: not yet recorded. 60 mg instalment "
        "covering 2 days (30 mg a day): Saturday's supervised, Sunday's taken home."
    )


def test_a_weekly_take_home_shows_the_days_dose_not_the_weeks(web_as, client_record, users):
    with on_day(SATURDAY):
        weekly(client_record, users, start_date=SATURDAY)
        lines = page(web_as, "keyworker", client_record)
    assert lines["Today's dose"] == (
        "Due today 30 mg at Test Pharmacy, to take home: not yet recorded. 210 mg instalment "
        "covering 7 days (30 mg a day): every day's taken home."
    )
    assert "Not supervised: every dose is taken home" in lines["Current prescription"]


def test_supervision_is_said_from_the_schedule_not_the_stored_weekdays(
    web_as, client_record, users
):
    """Monday to Saturday with every weekday ticked: Sunday is still taken home (Saturday's
    instalment), so never "every day"."""
    with on_day(SATURDAY):
        prescription = mon_sat_from_monday(client_record, users)
        collected_until_today(prescription, users["prescriber"])
        line = page(web_as, "keyworker", client_record)["Current prescription"]
    assert (
        "Supervised: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday. "
        "Taken home: Sunday" in line
    )
    assert "every day" not in line


def test_a_weekly_supervised_collection_names_only_its_day(web_as, client_record, users):
    """Weekly from a Saturday with every weekday ticked: only Saturday has an instalment."""
    with on_day(SATURDAY):
        weekly(client_record, users, start_date=SATURDAY, supervised_days="0123456")
        line = page(web_as, "keyworker", client_record)["Current prescription"]
    assert (
        "Supervised: Saturday. Taken home: Monday, Tuesday, Wednesday, Thursday, Friday, Sunday"
        in line
    )


def test_a_weekly_instalment_not_collected_three_days_ago_says_do_not_supply(
    web_as, client_record, users
):
    """Nothing recorded since Wednesday's weekly collection: three days not supplied."""
    with on_day(SATURDAY):
        weekly(client_record, users, start_date=SATURDAY - datetime.timedelta(days=3))
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith("Do not supply 3 days missed in a row")
    assert "Covered" not in dose


def test_a_weekly_instalment_not_collected_yesterday_gives_no_dose_today(
    web_as, client_record, users
):
    with on_day(SATURDAY):
        weekly(client_record, users, start_date=SATURDAY - datetime.timedelta(days=1))
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith(
        "Missed No dose for today: the instalment of 4 December 2026 was not collected on "
        "its day (not yet recorded)."
    )


def test_sunday_after_a_missed_saturday_says_no_dose_for_today(web_as, client_record, users):
    with on_day(SUNDAY):
        prescription = mon_sat_from_monday(client_record, users)
        for instalment in prescription.instalments.filter(date__lt=SATURDAY).order_by("date"):
            record_outcome(instalment, "collected", users["prescriber"])
        record_outcome(prescription.instalments.get(date=SATURDAY), "missed", users["prescriber"])
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith(
        "Missed No dose for today: the instalment of 5 December 2026 was missed."
    )
    assert "Do not supply" not in dose


def test_sunday_after_thursday_friday_and_saturday_missed_says_do_not_supply(
    web_as, client_record, users
):
    """The three-day rule is checked on a covered day too: Thursday and Friday missed,
    Saturday's instalment not collected (not yet recorded, so nothing is suspended yet)."""
    with on_day(SUNDAY):
        prescription = mon_sat_from_monday(client_record, users)
        for instalment in prescription.instalments.filter(date__lt=SATURDAY).order_by("date"):
            missed = instalment.date >= datetime.date(2026, 12, 3)
            record_outcome(instalment, "missed" if missed else "collected", users["prescriber"])
        prescription.refresh_from_db()
        assert prescription.status == Prescription.Status.ACTIVE
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose.startswith("Do not supply 3 days missed in a row")


def test_a_monthly_injection_not_given_is_late_for_a_prescriber_to_decide(
    web_as, client_record, users
):
    with on_day(SATURDAY):
        prescribe(
            client=client_record,
            prescriber=users["prescriber"],
            **MONTHLY_BUVIDAL,
            start_date=SATURDAY - datetime.timedelta(days=3),
        )
        dose = page(web_as, "keyworker", client_record)["Today's dose"]
    assert dose == (
        "Late injection The 64 mg injection due on 2 December 2026 is not recorded as given: "
        "a prescriber decides whether it is given late or skipped."
    )


def test_the_next_prescription_counts_its_days_from_its_start(web_as, client_record, users):
    with on_day(SATURDAY):
        prescribe(
            client=client_record,
            prescriber=users["prescriber"],
            start_date=SATURDAY + datetime.timedelta(days=3),
        )
        line = page(web_as, "keyworker", client_record)["Next prescription"]
    assert "Starts 8 December 2026, last day of supply 21 December 2026 (14 days)" in line
    assert "days left" not in line


def test_today_is_the_services_day_in_london_just_after_midnight(web_as, client_record, users):
    """00:30 in London in summer is 23:30 the day before in UTC: the summary speaks of the
    London day (the instalment of the 15th), never the UTC one (H-150)."""
    london = timezone.get_current_timezone()
    after_midnight = datetime.datetime(2026, 7, 15, 0, 30, tzinfo=london)
    with time_machine.travel(after_midnight, tick=False):
        prescription = prescribe(
            client=client_record,
            prescriber=users["prescriber"],
            start_date=datetime.date(2026, 7, 13),
        )
        for day in (13, 14):
            record_outcome(
                prescription.instalments.get(date=datetime.date(2026, 7, day)),
                "collected",
                users["prescriber"],
            )
        response = web_as("keyworker").get(
            reverse("clients:detail", args=[client_record.client_number])
        )
    lines = summary_of(response)
    assert lines["Today's dose"].startswith("Due today")
    assert "As at 15 July 2026, 00:30" in response.content.decode()


# A missed delivery today ------------------------------------------------------------------


@pytest.fixture
def missed_delivery(users, provider, team, mid_morning):
    """Robin's parcel, handed to the driver this morning, not delivered: not in."""
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    for instalment in stop.instalment.prescription.instalments.filter(date__lt=stop.date):
        record_outcome(instalment, "delivered", users["manager"])
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    return stop


def test_a_missed_delivery_today_shows_in_the_dose_and_the_delivery(web_as, missed_delivery, users):
    lines = page(web_as, "keyworker", missed_delivery.client)
    assert lines["Today's dose"].startswith("Missed 30 mg missed today")
    assert "Home delivery not delivered (not in)" in lines["Today's dose"]
    delivery = lines["Today's delivery"]
    assert delivery.startswith(f"Missed delivery Parcel {missed_delivery.parcel_number}")
    assert "not in" in delivery


def test_a_parcel_still_out_says_with_which_driver(web_as, users, provider, team, mid_morning):
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    delivery = page(web_as, "prescriber", stop.client)["Today's delivery"]
    assert delivery.startswith(f"To deliver Parcel {stop.parcel_number} with")
    assert users["driver"].display_name in delivery


def test_a_third_missed_day_today_shows_the_miss_then_the_suspension(
    web_as, users, provider, team, mid_morning
):
    """Two days missed, then today's delivery not in: today's miss suspends the
    prescription; the dose line still says what happened today, then the block."""
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    for instalment in stop.instalment.prescription.instalments.filter(date__lt=stop.date):
        record_outcome(instalment, "missed", users["manager"])
    runsheet.stop_not_delivered(actor=users["driver"], stop=stop, data={"reason": "not_in"})
    stop.instalment.prescription.refresh_from_db()
    assert stop.instalment.prescription.status == Prescription.Status.SUSPENDED
    dose = page(web_as, "keyworker", stop.client)["Today's dose"]
    assert dose.startswith("Missed 30 mg missed today at ")
    assert "not in" in dose
    assert dose.index("Missed") < dose.index("Do not supply Supply is suspended")


def test_a_parcel_out_when_supply_is_blocked_says_do_not_deliver(
    web_as, users, provider, team, mid_morning, settings
):
    """The days before today unrecorded reach the threshold (two here): the dose line says
    do not supply and the parcel with the driver says do not deliver, never "To deliver"."""
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    settings.BEACON_OST_MISSED_DAYS_FOR_REVIEW = 2
    lines = page(web_as, "keyworker", stop.client)
    assert lines["Today's dose"].startswith("Do not supply 2 days missed in a row")
    assert lines["Today's delivery"] == (
        f"Do not deliver Parcel {stop.parcel_number} (with {users['driver'].display_name}): "
        "supply blocked; ask the coordinator to hold it back."
    )


def test_a_parcel_planned_before_a_suspension_says_do_not_deliver(
    web_as, users, provider, team, mid_morning
):
    stop = round_today(users=users, provider=provider, team=team)[0]
    for instalment in stop.instalment.prescription.instalments.filter(date__lt=stop.date):
        record_outcome(instalment, "delivered", users["manager"])
    Prescription.objects.filter(pk=stop.instalment.prescription_id).update(
        status=Prescription.Status.SUSPENDED
    )
    lines = page(web_as, "keyworker", stop.client)
    assert lines["Today's dose"].startswith("Do not supply")
    assert lines["Today's delivery"].startswith(f"Do not deliver Parcel {stop.parcel_number}:")


def test_each_parcel_names_its_medicine_when_there_are_two(users, provider, team, mid_morning):
    """A cross-titration delivered home: two parcels a day, each says which medicine."""
    stop = round_today(users=users, provider=provider, team=team)[0]
    row = delivery_presenters.todays_delivery_row(stop, name_medicine=True)
    assert f"Parcel {stop.parcel_number} ({stop.instalment.prescription.medicine_name})" in (
        visible_text(row.html)
    )
    assert (
        "("
        not in visible_text(delivery_presenters.todays_delivery_row(stop).html).split(" to go out")[
            0
        ]
    )


def test_no_delivery_line_for_a_client_collecting_from_a_pharmacy(
    web_as, client_record, on_methadone
):
    assert "Today's delivery" not in page(web_as, "keyworker", client_record)


# Episode, keyworker, alerts, flags, next appointment --------------------------------------


def test_open_episode_and_keyworker_are_shown(web_as, client_record, users):
    TreatmentEpisodeFactory(client=client_record, start_date=days_from_today(-45))
    lines = page(web_as, "nurse", client_record)
    assert lines["Treatment episode"].startswith(
        f"Since {date_text(days_from_today(-45))} (45 days)"
    )
    assert lines["Keyworker"] == f"{users['keyworker'].display_name}, {client_record.team.name}"


def test_no_open_episode_and_no_keyworker_say_so(web_as, client_record):
    TreatmentEpisodeFactory(client=client_record, discharged=True, start_date=days_from_today(-90))
    client_record.keyworker = None
    client_record.save()
    lines = page(web_as, "manager", client_record)
    assert lines["Treatment episode"] == "No open episode"
    assert lines["Keyworker"] == "Not allocated"


def test_own_unread_alerts_about_the_client_are_shown(web_as, client_record, users, provider):
    raise_alert(provider, users["keyworker"], client_record)
    lines = page(web_as, "keyworker", client_record)
    assert lines["Open alerts"].startswith("New Missed delivery (today, ")


def test_alerts_of_others_read_ones_and_other_clients_are_not_shown(
    web_as, client_record, users, provider, team
):
    raise_alert(provider, users["prescriber"], client_record)
    read = raise_alert(provider, users["keyworker"], client_record)
    Alert.objects.filter(pk=read.pk).update(read_at=timezone.now())
    raise_alert(provider, users["keyworker"], ClientFactory(provider=provider, team=team))
    assert page(web_as, "keyworker", client_record)["Open alerts"] == "None for you"


def test_risk_and_safeguarding_flags_and_notes_are_shown(web_as, client_record):
    client_record.children_in_household = True
    client_record.self_harm_risk = True
    client_record.safeguarding_notes = "Child protection plan in place for the youngest"
    client_record.save()
    flags = page(web_as, "keyworker", client_record)["Risk and safeguarding"]
    assert flags == (
        "Children in household Suicide or self-harm risk "
        "Child protection plan in place for the youngest"
    )


def test_no_flags_say_none_recorded(web_as, client_record):
    assert page(web_as, "keyworker", client_record)["Risk and safeguarding"] == "None recorded"


def test_next_appointment_is_the_next_one_still_to_come(web_as, client_record, users):
    keyworker = users["keyworker"]
    booked_in_the_past(client_record, keyworker, days=2)
    contact_at(client_record, keyworker, days=1)
    later = book(client_record, keyworker, starts_at=at_local(days_from_today(9), 14))
    book(client_record, keyworker, starts_at=at_local(days_from_today(2), 11))
    line = page(web_as, "prescriber", client_record)["Next appointment"]
    assert line.startswith(f"{date_text(days_from_today(2))}, 11:00: One-to-one")
    assert keyworker.display_name in line
    assert date_text(later.starts_at.date()) not in line


def test_no_appointment_says_none_booked_with_a_way_to_book_for_those_who_may(
    web_as, client_record
):
    url = reverse("contacts:book", args=[client_record.client_number])
    response = web_as("keyworker").get(
        reverse("clients:detail", args=[client_record.client_number])
    )
    assert summary_of(response)["Next appointment"] == "None booked"
    assert f'href="{url}"' in response.content.decode()


def test_naloxone_says_whether_the_client_needs_the_offer_after_the_flags(web_as, client_record):
    """The naloxone app fills its line (beacon/naloxone/tests/test_pages.py tests what it
    says of an opiate client); it comes after the flags and before the appointment."""
    lines = page(web_as, "keyworker", client_record)
    assert lines["Naloxone"] == "Not a current opiate client"
    order = list(lines)
    assert order.index("Risk and safeguarding") < order.index("Naloxone")
    assert order.index("Naloxone") < order.index("Next appointment")


def test_summary_lines_come_in_the_order_a_keyworker_reads_them(
    web_as, missed_delivery, provider, users
):
    raise_alert(provider, users["keyworker"], missed_delivery.client)
    assert list(page(web_as, "keyworker", missed_delivery.client)) == [
        "Treatment episode",
        "Keyworker",
        "Current prescription",
        "Today's dose",
        "Today's delivery",
        "Open alerts",
        "Risk and safeguarding",
        "Naloxone",
        "Next appointment",
    ]


# Who sees it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED)
def test_roles_without_client_records_cannot_open_the_page_or_its_dose(
    web_as, role, client_record, on_methadone
):
    response = web_as(role).get(reverse("clients:detail", args=[client_record.client_number]))
    assert response.status_code == 403
    assert "30 mg" not in response.content.decode()
    assert "Methadone" not in response.content.decode()


def test_a_keyworker_of_another_team_cannot_open_the_page(
    web_as, client_record, on_methadone, provider
):
    stranger = UserFactory(
        provider=provider, role="keyworker", team=TeamFactory(provider=provider), username="kw2"
    )
    response = web_as(stranger).get(reverse("clients:detail", args=[client_record.client_number]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_every_role_that_opens_the_page_sees_the_clinical_lines(
    web_as, role, client_record, on_methadone
):
    lines = page(web_as, role, client_record)
    assert {"Current prescription", "Today's dose", "Treatment episode"} <= set(lines)


def test_a_line_whose_permission_refuses_is_left_out(
    web_as, users, provider, team, mid_morning, monkeypatch
):
    """Each app checks the prescribing permission for itself: refuse it and the
    prescription, dose and delivery lines all go, the rest stay."""
    stop = round_today(users=users, provider=provider, team=team, handed_over=True)[0]
    assert "Today's delivery" in page(web_as, "keyworker", stop.client)
    monkeypatch.setitem(rules.permissions.permissions, VIEW_PRESCRIPTION, rules.always_deny)
    lines = page(web_as, "keyworker", stop.client)
    assert "Current prescription" not in lines and "Today's dose" not in lines
    assert "Today's delivery" not in lines
    assert "Keyworker" in lines


# Queries -----------------------------------------------------------------------------------


# The page's queries, pinned: the same for a client with one of each thing and for one with
# more of everything the hooks load. Raise it only knowing which new read it is.
# 3 for the blood-borne virus section, 9 for naloxone's, 3 for criminal justice's (its
# statuses, its releases, its audit entry).
PAGE_QUERIES = 51


def test_the_page_query_count_does_not_grow_with_the_history(
    web_as, users, provider, team, mid_morning, django_assert_num_queries
):
    """One of each thing for one client; for the other four contacts, appointments and
    alerts, two dose changes, past instalments recorded, three interventions and a
    cross-titration (a second prescription beside the delivered one). The template runs no
    query: every line comes ready from a presenter."""
    keyworker, prescriber = users["keyworker"], users["prescriber"]
    short, long = round_today(users=users, provider=provider, team=team, clients=2)
    for n, (stop, times) in enumerate(((short, 1), (long, 4))):
        for days in range(2, 2 + times):
            contact_at(stop.client, keyworker, days=days, hour=10 + n)
            book(stop.client, keyworker, starts_at=at_local(days_from_today(days), 15 + n))
            raise_alert(provider, keyworker, stop.client)
    long.client.self_harm_risk = True
    long.client.save()
    methadone = long.instalment.prescription
    for instalment in methadone.instalments.filter(date__lt=long.date):
        record_outcome(instalment, "delivered", users["manager"])
    change_dose(methadone, prescriber, Decimal(25), days_from_today(1), "Reducing to switch")
    change_dose(methadone, prescriber, Decimal(20), days_from_today(2), "Reducing to switch")
    prescribe(
        client=long.client,
        prescriber=prescriber,
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(0),
        cross_titration_until=methadone.end_date,
        reason="Switching to buprenorphine at the client's request, methadone reduced first",
    )
    for _ in range(3):
        ModalityFactory(episode=methadone.episode)
    assert "Cross-titration" in page_html(
        web_as("keyworker").get(reverse("clients:detail", args=[long.client.client_number]))
    )
    for client in (short.client, long.client):
        http = web_as("keyworker")
        url = reverse("clients:detail", args=[client.client_number])
        http.get(url)  # warm: the session, the menu's first reads
        with django_assert_num_queries(PAGE_QUERIES):
            assert http.get(url).status_code == 200


def test_missed_days_from_prefetched_data_agree_and_run_no_query(
    client_record, users, django_assert_num_queries
):
    with on_day(SUNDAY):
        prescription = mon_sat_from_monday(client_record, users)
        for instalment in prescription.instalments.filter(date__lt=SATURDAY).order_by("date"):
            missed = instalment.date >= datetime.date(2026, 12, 3)
            record_outcome(instalment, "missed" if missed else "collected", users["prescriber"])
        [loaded] = client_prescriptions_today(client=client_record, today=SUNDAY)
        expected = safety.consecutive_missed_days(prescription, on=SUNDAY)
        with django_assert_num_queries(0):
            assert safety.consecutive_missed_days(loaded, on=SUNDAY, prefetched=True) == expected
    assert expected == 3


def test_an_intervention_yet_to_start_is_waiting_not_running(web_as, client_record):
    """Running or waiting as of today's date, not the stored start alone."""
    episode = TreatmentEpisodeFactory(client=client_record, start_date=days_from_today(-45))
    ModalityFactory(episode=episode, start_date=days_from_today(3))
    line = page(web_as, "keyworker", client_record)["Treatment episode"]
    assert "Waiting to start: Psychosocial" in line
    assert "In: " not in line


# Helpers ---------------------------------------------------------------------------------


@contextmanager
def on_day(day: datetime.date, hour: int = 12):
    """Time stands still at `hour` o'clock on `day` in London."""
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), LONDON), tick=False
    ):
        yield


def mon_sat_from_monday(client, users) -> Prescription:
    """Methadone 30 mg a day, Monday to Saturday from Monday 30 November 2026, every
    weekday ticked as supervised."""
    return prescribe(
        client=client,
        prescriber=users["prescriber"],
        pattern="mon_sat",
        reason=TAKE_HOME_REASON,
        start_date=datetime.date(2026, 11, 30),
    )


def raise_alert(provider, recipient, client) -> Alert:
    return alert_raise(
        provider=provider,
        recipients=[recipient],
        kind=Alert.Kind.MISSED_DELIVERY,
        title=f"Missed delivery: {client.full_name}",
        message="Parcel not delivered: not in.",
        client=client,
    )[0]


def at_local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def date_text(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
