"""An overdose or welfare concern recorded on the street with no referral alerts the
shift's duty manager the same day (H-205); one with a referral is followed through the
referrals list (H-203), and no concern alerts nobody."""

import pytest

from beacon.core.models import Alert
from beacon.volunteers.tests.factories import contact, shift_for


def test_an_overdose_concern_without_a_referral_alerts_the_duty_manager_the_same_day(
    web_as, shift, users
):
    page = web_as("volunteer").post(
        f"/volunteers/shifts/{shift.pk}/contacts/new/",
        {"concern": "overdose", "concern_notes": "Slumped by the bins, came round, walked off"},
    )
    assert page.status_code == 302
    alert = Alert.objects.get()
    assert alert.recipient == users["manager"] and alert.kind == "outreach_concern"
    assert alert.title.startswith("Urgent: overdose concern on outreach in City centre")
    assert "Slumped by the bins" in alert.message
    assert alert.link == f"/volunteers/shifts/{shift.pk}/"
    assert alert.created_at.date() == shift.on
    manager_alerts = web_as("manager").get("/alerts/").content.decode()
    assert "no referral made" in manager_alerts


def test_a_welfare_concern_without_a_referral_alerts_too(shift, users):
    contact(users["volunteer"], shift, concern="welfare", concern_notes="No coat, very cold")
    alert = Alert.objects.get(recipient=users["manager"])
    assert alert.title == "Welfare concern on outreach in City centre, no referral made"
    assert "a welfare concern" in alert.message


def test_a_concern_with_a_referral_goes_to_the_referrals_list_not_an_alert(shift, users):
    contact(
        users["volunteer"],
        shift,
        concern="overdose",
        concern_notes="Used alone earlier",
        referral_to="outreach_nurse",
    )
    assert not Alert.objects.exists()


def test_a_contact_with_no_concern_alerts_nobody(shift, users):
    contact(users["volunteer"], shift, water=True)
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_a_concern_reaches_the_managers_when_the_duty_manager_has_left(
    volunteer, base, users, make_user
):
    duty = make_user("manager", username="duty-gone")
    shift = shift_for(volunteer, site=base, duty_manager=duty)
    duty.is_active = False
    duty.save()
    contact(users["volunteer"], shift, concern="welfare", concern_notes="Sleeping out tonight")
    assert Alert.objects.filter(recipient=users["manager"], kind="outreach_concern").exists()
    assert not Alert.objects.filter(recipient=duty).exists()
