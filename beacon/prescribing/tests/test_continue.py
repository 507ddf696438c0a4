"""Continuing an OST chain in one action, and the list of prescriptions ending soon with
nothing to follow them (page, CSV, API)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.prescribing.models import Prescription
from beacon.prescribing.selectors import prescriptions_ending_soon
from beacon.prescribing.services import (
    prescription_continue,
    prescription_end,
)
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8_MG,
    change_dose,
    collected_until_today,
    days_from_today,
    prescribe,
)
from beacon.prescribing.wording import ApprovedWording

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)
API = "/api/v1/prescribing"


@pytest.fixture
def client(provider, team, users):
    return ClientFactory(provider=provider, team=team, keyworker=users["keyworker"])


def ending_in(days: int, **overrides) -> dict:
    """Data for a 14-day prescription whose last day is `days` from today."""
    return {"start_date": days_from_today(days - 13), **overrides}


def test_continue_writes_the_next_prescription_the_same_from_the_day_after(client, users):
    first = prescribe(
        client=client,
        prescriber=users["prescriber"],
        wording=[ApprovedWording.CONSULT_AFTER_3_DAYS, ApprovedWording.SUPERVISE_ON_COLLECTION],
        **ending_in(2),
    )
    collected_until_today(first, users["prescriber"])
    change_dose(first, users["prescriber"], Decimal(35), days_from_today(0))
    first.refresh_from_db()
    after = prescription_continue(actor=users["prescriber"], prescription=first)
    assert after.start_date == first.end_date + ONE_DAY
    assert after.end_date == after.start_date + datetime.timedelta(days=13)
    same = ("medicine", "pattern", "supervised_days", "pharmacy_id", "home_delivery")
    assert [getattr(after, f) for f in same] == [getattr(first, f) for f in same]
    assert after.dose == Decimal(35)  # the dose as it stands on the last day
    assert after.instalment_wording == first.instalment_wording
    assert "Supervise consumption on collection days." in after.instalment_wording
    assert after.prescriber == users["prescriber"]
    assert after.instalments.count() == 14
    assert AuditEntry.objects.filter(detail=f"continued by prescription {after.pk}").exists()


def test_continue_runs_every_safety_rule_again(client, users, settings):
    first = prescribe(client=client, prescriber=users["prescriber"], **ending_in(1))
    settings.BEACON_OST_MAX_INSTALMENT_DAYS = 7  # the service's limit is now shorter
    with pytest.raises(ValidationError) as exc:
        prescription_continue(actor=users["prescriber"], prescription=first)
    assert "days" in exc.value.message_dict
    assert client.ost_prescriptions.count() == 1
    after = prescription_continue(actor=users["prescriber"], prescription=first, days=7)
    assert (after.end_date - after.start_date).days + 1 == 7


def test_continue_is_refused_when_something_already_follows(client, users):
    first = prescribe(client=client, prescriber=users["prescriber"], **ending_in(2))
    prescription_continue(actor=users["prescriber"], prescription=first)
    with pytest.raises(ValidationError) as exc:
        prescription_continue(actor=users["prescriber"], prescription=first)
    assert "A prescription already follows this one" in exc.value.messages[0]
    assert client.ost_prescriptions.count() == 2


def test_continue_is_refused_after_a_planned_end_or_once_it_ran_out(client, users):
    ended = prescribe(client=client, prescriber=users["prescriber"], **ending_in(2))
    prescription_end(
        actor=users["prescriber"],
        prescription=ended,
        data={"ended_on": days_from_today(1), "end_reason": "Detox"},
    )
    with pytest.raises(ValidationError, match="write a new one"):
        prescription_continue(actor=users["prescriber"], prescription=ended)
    other = ClientFactory(provider=client.provider, team=client.team)
    lapsed = prescribe(client=other, prescriber=users["prescriber"], **ending_in(-2))
    with pytest.raises(ValidationError, match="ran out"):
        prescription_continue(actor=users["prescriber"], prescription=lapsed)


def test_ending_soon_lists_only_those_with_nothing_to_follow(client, users, provider, team):
    today = days_from_today(0)
    soon = prescribe(client=client, prescriber=users["prescriber"], **ending_in(3))
    followed_client = ClientFactory(provider=provider, team=team)
    followed = prescribe(client=followed_client, prescriber=users["prescriber"], **ending_in(1))
    collected_until_today(followed, users["prescriber"])
    prescription_continue(actor=users["prescriber"], prescription=followed)
    later_client = ClientFactory(provider=provider, team=team)
    prescribe(client=later_client, prescriber=users["prescriber"], **ending_in(4))
    stopped_client = ClientFactory(provider=provider, team=team)
    stopped = prescribe(client=stopped_client, prescriber=users["prescriber"], **ending_in(2))
    prescription_end(
        actor=users["prescriber"],
        prescription=stopped,
        data={"ended_on": days_from_today(1), "end_reason": "Planned detox end"},
    )
    other_substance = ClientFactory(provider=provider, team=team)
    methadone = prescribe(client=other_substance, prescriber=users["prescriber"], **ending_in(0))
    prescribe(
        client=other_substance,
        prescriber=users["prescriber"],
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(1),
        reason="Switching to buprenorphine once methadone has stopped",
    )
    listed = prescriptions_ending_soon(user=users["prescriber"], today=today)
    assert listed == [methadone, soon]  # soonest first; buprenorphine does not follow methadone
    with override_settings(BEACON_OST_ENDING_SOON_DAYS=5):
        wider = prescriptions_ending_soon(user=users["prescriber"], today=today)
    assert len(wider) == 3


def test_ending_soon_page_continues_and_downloads(client, users, web_as):
    first = prescribe(client=client, prescriber=users["prescriber"], **ending_in(2))
    web = web_as("prescriber")
    page = web.get("/prescribing/ending-soon/")
    text = page.content.decode()
    assert page.status_code == 200 and client.full_name in text
    assert f"/prescribing/{first.pk}/continue/" in text
    assert AuditEntry.objects.filter(detail="OST prescriptions ending soon, 1 shown").exists()
    csv = web.get("/prescribing/ending-soon.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert client.client_number in csv.content.decode()
    response = web.post(f"/prescribing/{first.pk}/continue/", {"days": "14"})
    after = client.ost_prescriptions.order_by("-start_date").first()
    assert response.status_code == 302 and response["Location"] == f"/prescribing/{after.pk}/"
    assert after.start_date == first.end_date + ONE_DAY
    assert client.full_name not in web.get("/prescribing/ending-soon/").content.decode()
    again = web.post(f"/prescribing/{first.pk}/continue/", {"days": "14"})
    assert "A prescription already follows this one" in again.content.decode()


def test_ending_soon_search_narrows_the_list(client, users, web_as, provider, team):
    prescribe(client=client, prescriber=users["prescriber"], **ending_in(1))
    other = ClientFactory(provider=provider, team=team, last_name="Zedwick")
    prescribe(client=other, prescriber=users["prescriber"], **ending_in(1))
    text = web_as("prescriber").get("/prescribing/ending-soon/?q=Zedwick").content.decode()
    assert other.full_name in text and client.full_name not in text


def test_api_continues_and_lists_ending_soon(client, users, api_as):
    first = prescribe(client=client, prescriber=users["prescriber"], **ending_in(2))
    http = api_as("prescriber")
    listed = http.get(f"{API}/prescriptions/ending-soon").json()
    assert [p["id"] for p in listed] == [first.pk]
    response = http.post(
        f"{API}/prescriptions/{first.pk}/continue", {}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["start_date"] == (first.end_date + ONE_DAY).isoformat()
    assert response.json()["state"] == Prescription.State.NOT_STARTED
    refused = http.post(
        f"{API}/prescriptions/{first.pk}/continue", {}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert http.get(f"{API}/prescriptions/ending-soon").json() == []
    assert api_as("keyworker").get(f"{API}/prescriptions/ending-soon").status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [({"days": 607328506}, "days"), ({"reason": "\udae9"}, "reason")],
    ids=["days past any calendar", "an unpaired surrogate"],
)
def test_api_continue_refuses_input_no_prescription_can_hold(client, users, api_as, body, field):
    first = prescribe(client=client, prescriber=users["prescriber"], **ending_in(2))
    response = api_as("prescriber").post(
        f"{API}/prescriptions/{first.pk}/continue", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert Prescription.objects.filter(client=client).count() == 1
