"""A service's real history, entered through the API on the days it happened: a client
on methadone for seven months in 14-day instalment prescriptions, each continued from the
last, tapered off, and discharged as completed drug free ten days after the last ended."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from beacon.prescribing.tests.factories import METHADONE, pharmacy_for

pytestmark = pytest.mark.django_db
PRESCRIPTIONS = 15
DAYS = 14
TAPER = {10: 25, 11: 20, 12: 15, 13: 10, 14: 5}  # the dose from the n-th prescription (0-based)


def on(day: datetime.date):
    """The clock at noon on `day` (Europe/London): what was entered that day."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(noon, tick=False)


def post(http, path: str, data: dict):
    response = http.post(path, data, content_type="application/json")
    assert response.status_code in (200, 201), (path, response.content)
    return response.json()


def test_seven_months_of_methadone_then_completed_drug_free_is_accepted(api_as, users, provider):
    keyworker, prescriber = api_as("keyworker"), api_as("prescriber")
    # The last prescription's last day is ten days ago; its chain began 210 days before.
    start = timezone.localdate() - datetime.timedelta(days=10 + PRESCRIPTIONS * DAYS - 1)
    first_day = start - datetime.timedelta(days=3)
    with on(first_day):
        today = first_day.isoformat()
        client = post(
            keyworker,
            "/api/v1/clients/",
            {
                "first_name": "Jordan",
                "last_name": "Historytest",
                "date_of_birth": "1984-06-02",
                "sex": "F",
                "ethnicity": "WB",
                "address_line_1": "7 Sample Lane",
                "town": "Demo City",
                "postcode": "LS6 1AA",
            },
        )
        number = client["client_number"]
        referral = post(
            keyworker,
            f"/api/v1/treatment/clients/{number}/referrals",
            {"referral_date": today, "source": "self"},
        )
        post(
            keyworker,
            f"/api/v1/treatment/referrals/{referral['id']}/triage",
            {"triage_date": today, "outcome": "accepted"},
        )
    with on(first_day + datetime.timedelta(days=1)):
        post(
            keyworker,
            f"/api/v1/treatment/referrals/{referral['id']}/assessment",
            {
                "assessment_date": timezone.localdate().isoformat(),
                "primary_substance": "heroin",
                "primary_age_first_use": 19,
                "primary_route": "smoke",
                "injecting_status": "never",
                "housing_need": "no_problem",
                "employment_status": "unemployed",
                "parental_status": "not_a_parent",
            },
        )
    with on(start):
        episode = post(
            keyworker,
            f"/api/v1/treatment/referrals/{referral['id']}/episode",
            {"start_date": start.isoformat()},
        )
        post(
            keyworker,
            f"/api/v1/treatment/clients/{number}/plans",
            {
                "agreed_on": start.isoformat(),
                "next_review_date": (start + datetime.timedelta(days=90)).isoformat(),
                "written_with_client": True,
                "goals": [
                    {"text": "Get stable on a script, then come off it", "in_clients_words": True}
                ],
                "actions": [],
            },
        )
        modality = post(
            keyworker,
            f"/api/v1/treatment/episodes/{episode['id']}/modalities",
            {
                "modality_type": "pharmacological",
                "setting": "community",
                "ost_medicine": "methadone",
                "referred_date": start.isoformat(),
                "start_date": start.isoformat(),
            },
        )
        prescription = post(
            prescriber,
            f"/api/v1/prescribing/clients/{number}/prescriptions",
            {
                "medicine": METHADONE,
                "dose": "30",
                "start_date": start.isoformat(),
                "end_date": (start + datetime.timedelta(days=DAYS - 1)).isoformat(),
                "pattern": "daily",
                "supervised_days": [0, 1, 2, 3, 4, 5, 6],
                "pharmacy_id": pharmacy_for(provider).pk,
                "uses_alcohol_or_sedatives": False,
            },
        )
    chain = [prescription]
    for n in range(PRESCRIPTIONS):
        current = chain[-1]
        first = datetime.date.fromisoformat(current["start_date"])
        if n in TAPER:  # a planned reduction from the first day
            with on(first):
                post(
                    prescriber,
                    f"/api/v1/prescribing/prescriptions/{current['id']}/dose-changes",
                    {"dose": str(TAPER[n]), "effective_date": first.isoformat()},
                )
        instalments = prescriber.get(
            f"/api/v1/prescribing/prescriptions/{current['id']}/instalments"
        ).json()
        for instalment in instalments:  # the pharmacy's record, each on its day
            with on(datetime.date.fromisoformat(instalment["date"])):
                post(
                    prescriber,
                    f"/api/v1/prescribing/instalments/{instalment['id']}/outcome",
                    {"outcome": "collected"},
                )
        last = datetime.date.fromisoformat(current["end_date"])
        if n + 1 < PRESCRIPTIONS:  # continued two days before it ends
            with on(last - datetime.timedelta(days=2)):
                chain.append(
                    post(
                        prescriber,
                        f"/api/v1/prescribing/prescriptions/{current['id']}/continue",
                        {},
                    )
                )
    assert len(chain) == PRESCRIPTIONS
    assert [p["status"] for p in chain] == ["active"] * PRESCRIPTIONS  # nobody ended any by hand
    last_day = datetime.date.fromisoformat(chain[-1]["end_date"])
    assert (last_day - start).days + 1 == PRESCRIPTIONS * DAYS  # 210 days: seven months
    with on(last_day):  # the pharmacological intervention ends with the last dose
        ended = keyworker.patch(
            f"/api/v1/treatment/modalities/{modality['id']}",
            {"end_date": last_day.isoformat(), "exit_reason": "planned"},
            content_type="application/json",
        )
        assert ended.status_code == 200, ended.content
    discharge_day = last_day + datetime.timedelta(days=10)
    assert discharge_day == timezone.localdate()
    read = prescriber.get(f"/api/v1/prescribing/prescriptions/{chain[-1]['id']}").json()
    assert read["state"] == "ended" and read["status"] == "active"
    discharged = post(
        keyworker,
        f"/api/v1/treatment/episodes/{episode['id']}/discharge",
        {"discharge_date": discharge_day.isoformat(), "discharge_reason": "completed_drug_free"},
    )
    assert discharged["successful_completion"] is True
