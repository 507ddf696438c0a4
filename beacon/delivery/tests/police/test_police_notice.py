"""The police notice of a day: drivers with a round, their vehicle and postcode districts
(never a client's name, address or dose), the CSV, recording sendings, who may see it."""

import csv
import io

import pytest
from django.test import Client as HttpClient

from beacon.core.models import AuditEntry
from beacon.delivery.models import ClientDeliveryDetails, PoliceNoticeSent
from beacon.delivery.tests.planning.test_planning import (  # noqa: F401 (fixtures)
    NOT_MANAGERS,
    TODAY,
    home_client,
    plan,
    shifts,
    vehicles,
)

pytestmark = pytest.mark.django_db

DAY = TODAY.isoformat()
PAGE = f"/delivery/days/{DAY}/police-notice/"
CSV = f"/delivery/days/{DAY}/police-notice.csv"
SENT = f"/delivery/days/{DAY}/police-notice/sent/"
API = f"/api/v1/delivery/days/{DAY}/police-notice"


@pytest.fixture
def planned(users, provider, team, shifts):  # noqa: F811
    first = home_client(provider, team, users)
    second = home_client(provider, team, users)
    ClientDeliveryDetails.objects.filter(client=second).update(postcode="M14 5RX")
    plan(users)
    return [first, second]


def notice_section(page: str) -> str:
    return page.split('class="beacon-police-notice"')[1].split("</section>")[0]


def test_notice_lists_drivers_with_rounds_and_their_areas_not_clients(web_as, users, planned):
    page = web_as("manager").get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    notice = notice_section(text)
    assert users["driver"].display_name in notice
    assert "AB12 CDE" in notice
    assert "M1" in notice and "M14" in notice
    for client in planned:
        assert client.full_name not in text
        assert client.client_number not in text
    for hidden in ("1AA", "5RX", "High Street", "methadone", "dose"):
        assert hidden.lower() not in notice.lower()
    assert "Print" in text


def test_a_driver_without_stops_is_not_listed(web_as, users, planned, shifts):  # noqa: F811
    notice = notice_section(web_as("manager").get(PAGE).content.decode())
    on_a_round = [s for s in shifts if s.rounds.exists()]
    idle = [s for s in shifts if not s.rounds.exists()]
    assert len(on_a_round) == 1 and len(idle) == 1
    assert idle[0].driver.display_name not in notice
    assert idle[0].vehicle.registration not in notice


def test_csv_has_the_header_and_a_row_per_driver_and_is_audited(web_as, users, planned):
    response = web_as("manager").get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "date",
        "driver",
        "organisation",
        "registration",
        "make",
        "colour",
        "shift start",
        "shift end",
        "areas",
    ]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == DAY and row[1] == users["driver"].display_name and row[3] == "AB12 CDE"
    assert row[6] == "08:00" and row[7] == "18:00" and row[8] == "M1 M14"
    for client in planned:
        assert client.full_name not in body
    assert "1AA" not in body and "5RX" not in body
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_recording_a_sending_saves_lists_and_audits_it(web_as, users, planned):
    web = web_as("manager")
    response = web.post(
        SENT, {"sent_to": "GMP Longsight station", "method": "email", "notes": "duty sergeant"}
    )
    assert response.status_code == 302
    sending = PoliceNoticeSent.objects.get()
    assert sending.date == TODAY and sending.sent_by == users["manager"]
    assert sending.method == "email" and sending.sent_at is not None
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE, object_id=str(sending.pk)
    ).exists()
    assert "GMP Longsight station" in web.get(PAGE).content.decode()


def test_an_empty_sent_to_is_refused_and_nothing_saved(web_as, planned):
    response = web_as("manager").post(SENT, {"sent_to": "  ", "method": "phone"})
    assert response.status_code == 200
    assert "Enter who the notice was sent to" in response.content.decode()
    assert not PoliceNoticeSent.objects.exists()


def test_api_returns_rows_and_records_a_sending(api_as, users, planned):
    api = api_as("manager")
    data = api.get(API).json()
    assert [r["registration"] for r in data["rows"]] == ["AB12 CDE"]
    assert data["rows"][0]["areas"] == ["M1", "M14"]
    text = str(data)
    for client in planned:
        assert client.full_name not in text
    response = api.post(
        f"{API}/sent",
        data={"sent_to": "GMP", "method": "portal"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert PoliceNoticeSent.objects.get().sent_to == "GMP"
    refused = api.post(
        f"{API}/sent",
        data={"sent_to": "", "method": "portal"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and PoliceNoticeSent.objects.count() == 1


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_everyone_but_managers_is_refused(api_as, web_as, users, who):
    web = web_as(who)
    assert web.get(PAGE).status_code == 403
    assert web.get(CSV).status_code == 403
    assert web.post(SENT, {"sent_to": "GMP", "method": "email"}).status_code == 403
    api = api_as(who)
    assert api.get(API).status_code == 403
    response = api.post(
        f"{API}/sent",
        data={"sent_to": "GMP", "method": "email"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not PoliceNoticeSent.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    for response in (client.get(PAGE), client.get(CSV), client.post(SENT, {"sent_to": "x"})):
        assert response.status_code == 302 and "sign" in response["Location"]
    assert HttpClient().get(API).status_code == 401
