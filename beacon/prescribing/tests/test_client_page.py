"""Prescribing's section of the client page (registered in beacon/clients/hooks.py): days
from referral to the first prescription, and a current cross-titration as one plan."""

import re
from decimal import Decimal

import pytest

from beacon.core.models import AuditEntry
from beacon.core.presenters import date_uk
from beacon.core.tests.factories import TeamFactory
from beacon.prescribing import selectors
from beacon.prescribing.tests.factories import (
    BUPRENORPHINE_8_MG,
    change_dose,
    days_from_today,
    prescribe,
)
from beacon.prescribing.views import client_page_section

pytestmark = pytest.mark.django_db

REASON = "Switching to buprenorphine at the client's request, methadone reduced first"


def cross_titration(person, users):
    """Methadone 30 mg reduced to 20 mg from yesterday, ending in 3 days; buprenorphine 8 mg
    from today, the overlap to the methadone's last day."""
    methadone = prescribe(
        client=person, prescriber=users["prescriber"], start_date=days_from_today(-10)
    )
    change_dose(methadone, users["prescriber"], Decimal(20), days_from_today(-1))
    buprenorphine = prescribe(
        client=person,
        prescriber=users["prescriber"],
        **BUPRENORPHINE_8_MG,
        start_date=days_from_today(0),
        cross_titration_until=methadone.end_date,
        reason=REASON,
    )
    return methadone, buprenorphine


def section_of(page: str) -> str:
    found = re.search(r'<section id="opioid-substitution">(.*?)</section>', page, re.S)
    assert found, "no opioid substitution section"
    return found.group(1)


def test_the_client_page_shows_a_cross_titration_as_one_plan(person, users, web_as):
    methadone, buprenorphine = cross_titration(person, users)
    page = web_as("prescriber").get(f"/clients/{person.client_number}/").content.decode()
    plan = re.findall(r'id="cross-titration".*?</dl>', section_of(page), re.S)
    assert len(plan) == 1
    rows = re.findall(r"nhsuk-summary-list__row", plan[0])
    assert len(rows) == 1  # one item: both medicines in it
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", plan[0]))
    assert "Cross-titration" in text
    assert f"From {methadone.medicine_name} , 20 mg a day" in text
    assert f"to {buprenorphine.medicine_name} , 8 mg a day" in text
    assert (
        f"Both prescribed from {date_uk(buprenorphine.start_date)} to "
        f"{date_uk(methadone.end_date)}." in text
    )
    assert "Reason: Switching to buprenorphine" in text.replace("&#x27;", "'")
    assert AuditEntry.objects.filter(
        action="view", client=person, detail="OST summary on the client page"
    ).exists()


def test_a_cross_titration_whose_overlap_has_passed_is_not_shown_as_current(person, users, web_as):
    cross_titration(person, users)
    later = days_from_today(10)
    assert re.search(
        "Cross-titration",
        str(client_page_section(person, users["prescriber"])),
    )

    assert selectors.client_cross_titrations(client=person, today=later) == []


def test_the_section_speaks_of_the_client_pages_day(person, users):
    """The client page passes its day (the summary's, H-150) and the section uses it, not
    a clock of its own: tomorrow's plan shows the methadone dose changed for tomorrow."""
    methadone, _ = cross_titration(person, users)
    change_dose(methadone, users["prescriber"], Decimal(15), days_from_today(1), "Switching")
    today = str(client_page_section(person, users["prescriber"], today=days_from_today(0)))
    tomorrow = str(client_page_section(person, users["prescriber"], today=days_from_today(1)))
    assert "20 mg a day" in today and "15 mg" not in today
    assert "15 mg a day" in tomorrow


def test_the_section_is_only_for_those_who_may_read_prescriptions(
    person, users, web_as, make_user, provider
):
    cross_titration(person, users)
    other_team = make_user("keyworker", username="south", team=TeamFactory(provider=provider))
    for refused in (users["driver"], other_team):
        assert client_page_section(person, refused) is None
        assert web_as(refused).get(f"/clients/{person.client_number}/").status_code == 403
    assert not AuditEntry.objects.filter(detail="OST summary on the client page").exists()
    page = web_as("keyworker").get(f"/clients/{person.client_number}/").content.decode()
    assert 'id="cross-titration"' in section_of(page)


def test_no_cross_titration_no_plan_shown(person, users, web_as):
    prescribe(client=person, prescriber=users["prescriber"])
    page = web_as("nurse").get(f"/clients/{person.client_number}/").content.decode()
    section = section_of(page)
    assert "Days from referral to first OST prescription" in section
    assert 'id="cross-titration"' not in section
