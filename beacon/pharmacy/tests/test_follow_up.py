"""The service's follow-up of its partner pharmacies (issue 14, review leftovers): missed
doses counted in days, the pharmacies to phone about unrecorded days (today's and earlier
working days not yet chased), the pharmacist's messages on the prescription page."""

import datetime

import pytest
from django.utils import timezone

from beacon.core import working_days
from beacon.core.tests.helpers import audit_entries
from beacon.pharmacy import presenters, selectors
from beacon.pharmacy.models import PharmacyChase, Supply
from beacon.pharmacy.services import pharmacy_message_leave
from beacon.pharmacy.tests.factories import dispensed_at, instalment_of, record
from beacon.prescribing.models import Instalment
from beacon.prescribing.services import instalments_record_missed
from beacon.prescribing.tests.factories import record_outcome

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def missed_over(prescription, day: datetime.date, *, covers: int, missed: int) -> None:
    """The instalment of `day` made to cover `covers` days, its first `missed` not supplied
    (the later days' own instalments removed): a weekend or weekly supply."""
    prescription.instalments.filter(date__gt=day, date__lt=day + days(covers)).delete()
    prescription.instalments.filter(date=day).update(
        covers_days=covers,
        days_missed=missed,
        outcome=Instalment.Outcome.MISSED if missed == covers else Instalment.Outcome.COLLECTED,
    )


def test_missed_doses_are_counted_in_days_within_the_period(
    pharmacy, client_in_treatment, users, provider
):
    today = timezone.localdate()
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    missed_over(prescription, today, covers=3, missed=3)  # a 3-day instalment not collected
    missed_over(prescription, today + days(5), covers=2, missed=1)  # collected a day late

    def missed(first, last) -> int:
        return selectors.missed_days_by_pharmacy(provider=provider, first=first, last=last).get(
            pharmacy.pk, 0
        )

    assert missed(today, today + days(13)) == 4
    assert missed(today + days(1), today + days(1)) == 1  # a day of the instalment of today
    assert missed(today - days(5), today) == 1  # the later days fall in the next period
    assert missed(today + days(6), today + days(13)) == 0  # its second day was supplied


def test_the_figures_count_missed_days_not_instalments(
    pharmacy, client_in_treatment, users, provider
):
    today = timezone.localdate()
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    missed_over(prescription, today, covers=3, missed=3)
    figures = {f.pharmacy: f for f in selectors.pharmacy_figures(provider=provider, today=today)}
    # Only the days of this month so far: today's, of the three the instalment covers.
    assert figures[pharmacy].missed == 1
    assert instalment_of(prescription).days_missed == 3
    export = presenters.PharmacyFiguresExport(
        list(figures.values()), first=today.replace(day=1), last=today
    )
    assert "Days of doses missed" in export.csv_text()


def test_the_pharmacies_to_phone_cover_earlier_working_days_until_phoned(
    pharmacy, client_in_treatment, users, provider, web_as, settings
):
    settings.BEACON_PHARMACY_CHASE_WORKING_DAYS = 2
    today = timezone.localdate()
    start = today - days(9)
    dispensed_at(pharmacy, client=client_in_treatment, prescriber=users["prescriber"], start=start)
    # The end-of-day command recorded the past days as missed; the pharmacy recorded none.
    instalments_record_missed(before=today)
    first = working_days.working_days_before(today, 2)
    assert selectors.chase_from(today) == first
    (row,) = selectors.pharmacies_not_recorded(provider=provider, today=today)
    expected = [first + days(n) for n in range((today - first).days + 1)]
    assert (row.pharmacy, row.days, row.instalments) == (pharmacy, expected, len(expected))
    page = web_as("prescriber")
    listing = page.get("/pharmacy/figures/").content.decode()
    assert "Phoned " + pharmacy.name in listing and "Today" in listing
    csv = page.get("/pharmacy/to-phone.csv").content.decode()
    assert pharmacy.name in csv and str(len(expected)) in csv
    response = page.post(f"/pharmacy/{pharmacy.pk}/phoned/")
    assert response.status_code == 302
    assert selectors.pharmacies_not_recorded(provider=provider, today=today) == []
    chases = PharmacyChase.objects.filter(pharmacy=pharmacy)
    assert sorted(chases.values_list("day", flat=True)) == expected
    phoned = [e for e in audit_entries("create", users["prescriber"]) if "phoned" in e.detail]
    assert len(phoned) == len(expected)
    again = page.post(f"/pharmacy/{pharmacy.pk}/phoned/", follow=True).content.decode()
    assert "has no instalments left to phone about" in again


def test_a_day_recorded_by_the_pharmacy_or_the_staff_is_not_to_phone_about(
    pharmacist, pharmacy, client_in_treatment, users, provider
):
    today = timezone.localdate()
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"], start=today - days(1)
    )
    record_outcome(prescription.instalments.get(date=today - days(1)), "missed", users["keyworker"])
    record(pharmacist, instalment_of(prescription), Supply.SUPERVISED)
    assert selectors.pharmacies_not_recorded(provider=provider, today=today) == []


def test_the_prescriber_reads_the_pharmacists_messages_on_the_prescription(
    pharmacist, pharmacy, client_in_treatment, users, web_as
):
    prescription = dispensed_at(
        pharmacy, client=client_in_treatment, prescriber=users["prescriber"]
    )
    path = f"/prescribing/{prescription.pk}/"
    before = web_as("prescriber").get(path).content.decode()
    assert "Messages from the pharmacy" in before and "has left no message" in before
    pharmacy_message_leave(
        actor=pharmacist,
        instalment=instalment_of(prescription),
        data={"text": "Client asks to move to a pharmacy nearer work"},
    )
    page = web_as("prescriber").get(path).content.decode()
    assert "Client asks to move to a pharmacy nearer work" in page
    assert pharmacist.display_name in page
    assert web_as(pharmacist).get(path).status_code == 403
