"""Issue #8's inputs to a prescription on the page and in the API: the alcohol or sedatives
question at a methadone start, a cross-titration's last day, the test dose before a first
Buvidal injection, and the first week's extra 8 mg doses. Each refusal of the services is
shown next to its field on the page and is a 422 naming the field in the API.

The hazard log (docs/clinical-safety/hazard-log.md, H-33, H-37, H-38, H-40) names these.
"""

import datetime
import html
import re

import pytest

from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8,
    BUVIDAL_WEEKLY_16,
    TEST_DOSE_OBSERVATION,
    date_fields,
    days_from_today,
    prescribe,
    prescription_api_fields,
    prescription_page_fields,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/prescribing"
REASON = "Planned switch agreed with the client at review"
SEDATIVES_QUESTION = (
    "Does the client also use alcohol or sedatives (for example benzodiazepines or gabapentinoids)?"
)


def on_methadone(person, users):
    """Methadone 30 mg daily from 5 days ago to 8 days ahead."""
    return prescribe(client=person, prescriber=users["prescriber"])


def page_data(person, **overrides) -> dict:
    """A methadone start on the page, answered "no" to alcohol or sedatives."""
    data = prescription_page_fields(person, start=days_from_today(0), **overrides)
    return {key: value for key, value in data.items() if value is not None}


def buprenorphine_page(**overrides) -> dict:
    return {
        "medicine": BUPRENORPHINE_8,
        "dose": "8",
        "uses_alcohol_or_sedatives": None,
        **overrides,
    }


def buvidal_page(**overrides) -> dict:
    start = days_from_today(0)
    return {
        "medicine": BUVIDAL_WEEKLY_16,
        "dose": "16",
        "pattern": "weekly",
        **date_fields("end_date", start + datetime.timedelta(days=27)),
        "supervised_days": [],
        "uses_alcohol_or_sedatives": None,
        **date_fields("test_dose_given_at", start - datetime.timedelta(days=1)),
        "test_dose_time": "10:15",
        "test_dose_observation": TEST_DOSE_OBSERVATION,
        **overrides,
    }


def api_body(person, **overrides) -> dict:
    data = prescription_api_fields(person, start=days_from_today(0), **overrides)
    return {key: value for key, value in data.items() if value is not None}


def buvidal_api(**overrides) -> dict:
    start = days_from_today(0)
    return {
        "medicine": BUVIDAL_WEEKLY_16,
        "dose": "16",
        "pattern": "weekly",
        "end_date": (start + datetime.timedelta(days=27)).isoformat(),
        "supervised_days": [],
        "uses_alcohol_or_sedatives": None,
        "test_dose_given_at": f"{(start - datetime.timedelta(days=1)).isoformat()}T10:15:00+00:00",
        "test_dose_observation": TEST_DOSE_OBSERVATION,
        **overrides,
    }


def error_next_to(page: str, field: str) -> str:
    """The error message the NHS.UK component shows beside the field `field`."""
    found = re.search(rf'id="id_{field}-error"[^>]*>(.*?)</span>\s*(.*?)\s*</span>', page, re.S)
    assert found, f"no error message beside {field}"
    return html.unescape(re.sub(r"\s+", " ", found.group(2)))


def post_page(http, person, data):
    return http.post(f"/prescribing/clients/{person.client_number}/new/", data)


def post_api(http, person, data):
    return http.post(
        f"{API}/clients/{person.client_number}/prescriptions", data, content_type="application/json"
    )


# The form ---------------------------------------------------------------------------------


def test_the_form_asks_each_new_input_with_a_hint_saying_when_it_applies(person, web_as):
    page = web_as("prescriber").get(f"/prescribing/clients/{person.client_number}/new/")
    text = page.content.decode()
    assert SEDATIVES_QUESTION in text
    assert "Last day of the cross-titration" in text
    assert "Only before a first Buvidal injection for someone new to buprenorphine" in text
    assert "Only for weekly Buvidal 16 mg" in text
    # Shown without JavaScript; the script (Beacon's own, no inline code) only hides parts.
    assert 'src="/static/prescribing/prescription_form.js"' in text
    assert re.search(r'id="applies-first_week_extra_dates"[^>]*>', text)
    # The alcohol or sedatives answer is never pre-selected.
    radios = re.findall(r'<input[^>]*name="uses_alcohol_or_sedatives"[^>]*>', text)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)


# Each refusal beside its field, and as a 422 naming it ------------------------------------


REFUSALS = [
    pytest.param(
        {"uses_alcohol_or_sedatives": None},
        {"uses_alcohol_or_sedatives": None},
        "uses_alcohol_or_sedatives",
        "Say whether the client also uses alcohol or sedatives",
        False,
        id="sedatives-not-answered-at-a-methadone-start",
    ),
    pytest.param(
        buprenorphine_page(reason=REASON),
        {"medicine": BUPRENORPHINE_8, "dose": "8", "reason": REASON},
        "cross_titration_until",
        "A cross-titration is a plan: enter the last day of the overlap",
        True,
        id="overlap-with-no-last-day",
    ),
    pytest.param(
        buprenorphine_page(
            reason=REASON, **date_fields("cross_titration_until", days_from_today(20))
        ),
        {
            "medicine": BUPRENORPHINE_8,
            "dose": "8",
            "reason": REASON,
            "cross_titration_until": days_from_today(20).isoformat(),
        },
        "cross_titration_until",
        "The last day of the cross-titration must be from",
        True,
        id="last-day-after-the-overlap",
    ),
    pytest.param(
        date_fields("cross_titration_until", days_from_today(3)),
        {"cross_titration_until": days_from_today(3).isoformat()},
        "cross_titration_until",
        "There is no other OST medicine to overlap",
        False,
        id="last-day-with-nothing-to-overlap",
    ),
    pytest.param(
        buvidal_page(
            **{
                "test_dose_given_at[day]": "",
                "test_dose_given_at[month]": "",
                "test_dose_given_at[year]": "",
                "test_dose_time": "",
            }
        ),
        buvidal_api(test_dose_given_at=None),
        "test_dose_given_at",
        "is new to buprenorphine: enter when the sublingual test dose was given",
        False,
        id="no-test-dose-before-a-first-injection",
    ),
    pytest.param(
        buvidal_page(test_dose_observation="ok"),
        buvidal_api(test_dose_observation="ok"),
        "test_dose_observation",
        "Record what the hour's observation after the test dose found",
        False,
        id="test-dose-observation-not-in-words",
    ),
    pytest.param(
        buvidal_page(**date_fields("first_week_extra_dates", days_from_today(0))),
        buvidal_api(first_week_extra_dates=[days_from_today(0).isoformat()]),
        "first_week_extra_dates",
        "Extra 8 mg doses are given in the first week, from",
        False,
        id="extra-dose-on-the-injection-day",
    ),
    pytest.param(
        date_fields("first_week_extra_dates", days_from_today(2)),
        {"first_week_extra_dates": [days_from_today(2).isoformat()]},
        "first_week_extra_dates",
        "Extra first-week doses are only for weekly Buvidal 16 mg",
        False,
        id="extra-dose-on-methadone",
    ),
]


@pytest.mark.parametrize(
    ("page_overrides", "api_overrides", "field", "message", "methadone"), REFUSALS
)
def test_each_refusal_shows_beside_its_field_and_saves_nothing(
    person, users, web_as, page_overrides, api_overrides, field, message, methadone
):
    if methadone:
        on_methadone(person, users)
    before = Prescription.objects.count()
    response = post_page(web_as("prescriber"), person, page_data(person, **page_overrides))
    assert response.status_code == 200
    assert message in error_next_to(response.content.decode(), field)
    assert Prescription.objects.count() == before


@pytest.mark.parametrize(
    ("page_overrides", "api_overrides", "field", "message", "methadone"), REFUSALS
)
def test_each_refusal_is_a_422_naming_its_field_and_saves_nothing(
    person, users, api_as, page_overrides, api_overrides, field, message, methadone
):
    if methadone:
        on_methadone(person, users)
    before = Prescription.objects.count()
    response = post_api(api_as("prescriber"), person, api_body(person, **api_overrides))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert Prescription.objects.count() == before


def test_a_test_dose_time_without_its_day_or_a_bad_time_is_told_on_the_page(person, web_as):
    http = web_as("prescriber")
    response = post_page(http, person, page_data(person, **buvidal_page(test_dose_time="25:00")))
    assert "Enter the time as hours and minutes" in error_next_to(
        response.content.decode(), "test_dose_time"
    )
    no_time = buvidal_page(test_dose_time="")
    response = post_page(http, person, page_data(person, **no_time))
    assert "Enter the time of the test dose" in error_next_to(
        response.content.decode(), "test_dose_time"
    )
    assert not Prescription.objects.exists()


# Saved and shown --------------------------------------------------------------------------


def test_a_yes_to_alcohol_or_sedatives_lowers_the_start_and_is_shown(person, web_as):
    http = web_as("prescriber")
    yes = page_data(person, uses_alcohol_or_sedatives="yes")
    response = post_page(http, person, yes)
    assert "Starting dose with alcohol or sedatives" in response.content.decode()
    assert not Prescription.objects.exists()
    response = post_page(http, person, {**yes, "reason": "Alcohol use is light and stable now"})
    prescription = Prescription.objects.get()
    assert response.status_code == 302 and prescription.uses_alcohol_or_sedatives is True
    page = http.get(f"/prescribing/{prescription.pk}/").content.decode()
    assert re.search(r"Also uses alcohol or sedatives\s*</dt>\s*<dd[^>]*>\s*Yes", page)


def test_a_cross_titration_is_written_on_the_page_and_shown_with_its_last_day(
    person, users, web_as
):
    on_methadone(person, users)
    until = days_from_today(3)
    data = page_data(
        person, **buprenorphine_page(reason=REASON, **date_fields("cross_titration_until", until))
    )
    response = post_page(web_as("prescriber"), person, data)
    assert response.status_code == 302
    written = Prescription.objects.get(medicine=BUPRENORPHINE_8)
    assert written.cross_titration_until == until and written.uses_alcohol_or_sedatives is None
    page = web_as("prescriber").get(response["Location"]).content.decode()
    assert "Overlaps the client&#39;s other OST medicine until" in page
    assert f"{until.day} {until:%B %Y}" in page


def test_a_buvidal_first_week_with_its_test_dose_is_written_and_shown(person, web_as):
    extras = [days_from_today(1), days_from_today(3)]
    data = page_data(
        person,
        **buvidal_page(
            **date_fields("first_week_extra_dates", extras[0]),
            **date_fields("first_week_extra_second", extras[1]),
        ),
    )
    response = post_page(web_as("prescriber"), person, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    prescription = Prescription.objects.get()
    assert prescription.test_dose_observation == TEST_DOSE_OBSERVATION
    assert prescription.test_dose_given_at.hour in (9, 10)  # 10:15 London, stored in UTC
    assert (
        sorted(prescription.instalments.filter(quantity=8).values_list("date", flat=True)) == extras
    )
    page = web_as("nurse").get(response["Location"]).content.decode()
    assert "Sublingual test dose" in page and TEST_DOSE_OBSERVATION in page
    for day in extras:
        assert f"8 mg on {day.day} {day:%B %Y}" in page


def test_the_api_writes_and_reads_back_every_new_input(person, users, api_as):
    http = api_as("prescriber")
    extras = [days_from_today(2).isoformat(), days_from_today(4).isoformat()]
    response = post_api(
        http, person, api_body(person, **buvidal_api(first_week_extra_dates=extras))
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["first_week_extra_dates"] == extras
    assert created["test_dose_observation"] == TEST_DOSE_OBSERVATION
    assert created["test_dose_given_at"].startswith((days_from_today(-1)).isoformat())
    assert created["uses_alcohol_or_sedatives"] is None
    assert created["cross_titration_until"] is None
    read = http.get(f"{API}/prescriptions/{created['id']}").json()
    assert read["first_week_extra_dates"] == extras


def test_the_api_writes_a_cross_titration(person, users, api_as):
    on_methadone(person, users)
    until = days_from_today(3).isoformat()
    response = post_api(
        api_as("prescriber"),
        person,
        api_body(
            person,
            medicine=BUPRENORPHINE_8,
            dose="8",
            uses_alcohol_or_sedatives=None,
            cross_titration_until=until,
            reason=REASON,
        ),
    )
    assert response.status_code == 201, response.content
    assert response.json()["cross_titration_until"] == until
    assert "Cross-titration:" in response.json()["overridden_warnings"]


@pytest.mark.parametrize("role", ["keyworker", "nurse", "driver"])
def test_roles_that_may_not_write_are_refused_with_the_new_inputs(person, web_as, api_as, role):
    data = page_data(person, **buvidal_page())
    assert post_page(web_as(role), person, data).status_code == 403
    response = post_api(api_as(role), person, api_body(person, **buvidal_api()))
    assert response.status_code == 403
    assert not Prescription.objects.exists() and not Instalment.objects.exists()
