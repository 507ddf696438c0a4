"""Prison release referrals: the prescriber sees the prison's last dose; the first community
prescription is due the next working day and the client is on the prescriber's worklist
for it; a client not seen within BEACON_JUSTICE_RELEASE_SEEN_DAYS is listed and alerted,
once; naloxone's offer is raised at release."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.contacts.tests.factories import contact_at
from beacon.core.models import Alert
from beacon.justice import selectors, services
from beacon.justice.models import JusticeStatus, Kind, PrisonRelease
from beacon.justice.tests.factories import days, released
from beacon.naloxone.models import OfferDue
from beacon.naloxone.tests.factories import opiate_client
from beacon.prescribing.tests.factories import prescribe
from beacon.treatment.codes import ReferralSource
from beacon.treatment.tests.factories import date_input

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("released_on", "due"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)),  # Tuesday → Wednesday
        (datetime.date(2026, 12, 4), datetime.date(2026, 12, 7)),  # Friday → Monday
        (datetime.date(2026, 12, 5), datetime.date(2026, 12, 7)),  # Saturday → Monday
    ],
)
def test_the_first_community_prescription_is_due_the_next_working_day(released_on, due):
    assert selectors.first_prescription_due(released_on) == due


def test_a_release_records_the_status_and_a_referral_from_prison(provider, team, keyworker):
    client = ClientFactory(provider=provider, team=team, keyworker=keyworker)
    release = released(client, keyworker)
    assert release.status.kind == Kind.RELEASED_FROM_PRISON
    assert release.status.prison == "HMP Testshire"
    assert client.referrals.filter(source=ReferralSource.PRISON).exists()


def test_ost_on_release_needs_its_dose_and_last_dose(client_record, keyworker):
    with pytest.raises(ValidationError) as caught:
        released(client_record, keyworker, dose="0", last_dose_at=None)
    assert {"dose_mg", "last_dose_at"} <= set(caught.value.message_dict)
    assert not JusticeStatus.objects.exists()


def test_released_on_methadone_puts_the_client_on_the_prescribers_worklist(
    web_as, client_record, keyworker
):
    released(client_record, keyworker, days_ago=0)
    response = web_as("prescriber").get("/")
    page = response.content.decode()
    assert "Released from prison on OST" in page
    assert client_record.full_name in page
    assert "08:15" in page  # the prison's last dose, for the prescriber
    due = PrisonRelease.objects.get().first_prescription_due
    assert due > timezone.localdate() and due.weekday() < 5


def test_a_prescription_from_release_takes_the_client_off_the_list(client_record, keyworker, users):
    released(client_record, keyworker, days_ago=0)
    prescriber = users["prescriber"]
    assert selectors.releases_awaiting_prescription(user=prescriber, today=days(0))
    prescribe(client=client_record, prescriber=prescriber, start_date=days(0))
    assert selectors.releases_awaiting_prescription(user=prescriber, today=days(0)) == []


def test_no_medicine_on_release_is_not_on_the_prescribers_list(client_record, keyworker, users):
    released(client_record, keyworker, medicine="")
    assert selectors.releases_awaiting_prescription(user=users["prescriber"], today=days(0)) == []


@override_settings(BEACON_JUSTICE_RELEASE_SEEN_DAYS=3)
def test_not_seen_within_the_days_is_listed_and_alerted_once(client_record, keyworker, provider):
    released(client_record, keyworker, days_ago=4)
    assert list(selectors.releases_not_seen(provider=provider, today=days(0)))
    assert services.release_not_seen_alerts(provider=provider, today=days(0)) == 1
    assert services.release_not_seen_alerts(provider=provider, today=days(0)) == 0
    alert = Alert.objects.get(kind=Alert.Kind.PRISON_RELEASE)
    assert alert.recipient == keyworker and alert.client == client_record


@override_settings(BEACON_JUSTICE_RELEASE_SEEN_DAYS=3)
def test_the_alert_says_the_release_day_as_pages_write_dates(client_record, keyworker, provider):
    on_the_day = datetime.datetime(2026, 6, 20, 10, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    with time_machine.travel(on_the_day, tick=False):
        released(client_record, keyworker, days_ago=4)
        services.release_not_seen_alerts(provider=provider, today=days(0))
    alert = Alert.objects.get(kind=Alert.Kind.PRISON_RELEASE)
    assert alert.message == (
        "Released from HMP Testshire on 16 June 2026 and not seen since. Release is the time "
        "of highest overdose risk: contact them today."
    )


@override_settings(BEACON_JUSTICE_RELEASE_SEEN_DAYS=3)
def test_seen_since_release_or_within_the_days_is_not_alerted(client_record, keyworker, provider):
    released(client_record, keyworker, days_ago=2)
    assert services.release_not_seen_alerts(provider=provider, today=days(0)) == 0
    other = released(client_record, keyworker, days_ago=5, medicine="")
    contact_at(client_record, keyworker, days=4)
    assert other not in selectors.releases_not_seen(provider=provider, today=days(0))
    assert services.release_not_seen_alerts(provider=provider, today=days(0)) == 0


@override_settings(BEACON_JUSTICE_RELEASE_SEEN_DAYS=3)
def test_the_releases_list_filters_and_downloads(web_as, client_record, keyworker):
    released(client_record, keyworker, days_ago=5)
    page = web_as("nurse").get("/justice/releases/", {"not_seen_only": "on"})
    assert "Overdue: Not seen" in page.content.decode()
    assert (
        client_record.full_name
        not in web_as("nurse")
        .get("/justice/releases/", {"query": "nobody-of-that-name"})
        .content.decode()
    )
    csv = web_as("manager").get("/justice/releases.csv").content.decode()
    assert client_record.client_number in csv and "overdue" in csv


def test_release_raises_naloxones_offer_for_an_opiate_client(team, keyworker):
    client = opiate_client(team, keyworker)
    assert not OfferDue.objects.filter(client=client, moment="leaving_prison").exists()
    released(client, keyworker)
    assert OfferDue.objects.filter(client=client, moment="leaving_prison").exists()


def test_the_release_form_starts_with_no_naloxone_answer(web_as, client_record):
    page = web_as("keyworker").get(f"/justice/clients/{client_record.client_number}/release/new/")
    assert "checked" not in page.content.decode().split("naloxone_on_release")[1][:400]


def test_a_release_without_its_dose_says_so_and_keeps_what_was_typed(web_as, client_record):
    response = web_as("keyworker").post(
        f"/justice/clients/{client_record.client_number}/release/new/",
        {
            **date_input("release_date", days(0)),
            "prison": "HMP Kept Typing",
            "ost_medicine": "methadone",
            "naloxone_on_release": "not_known",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the daily dose on release in mg" in page
    assert "HMP Kept Typing" in page
    assert not PrisonRelease.objects.exists()


def test_the_releases_list_shows_only_clients_the_user_may_open(
    web_as, client_record, keyworker, northside
):
    """A keyworker of another team learns nothing of who left prison on what (H-262)."""
    released(client_record, keyworker, days_ago=5)
    assert client_record.client_number in web_as(keyworker).get("/justice/releases/").text
    other = web_as(northside["colleague"])
    assert client_record.client_number not in other.get("/justice/releases/").text
    assert client_record.client_number not in other.get("/justice/releases.csv").content.decode()
    assert client_record.client_number in web_as("manager").get("/justice/releases/").text
