"""The volunteers API keeps the pages' rules: a volunteer's token reaches only their own
records; a contact sent twice with one Idempotency-Key is saved once."""

import json

from beacon.volunteers.models import OutreachContact
from beacon.volunteers.tests.factories import contact_with_referral, shift_for, volunteer_for


def test_a_volunteers_token_reaches_only_their_own_shifts_and_referrals(
    api_as, shift, users, make_user
):
    other = volunteer_for(make_user("volunteer", username="vol-other"))
    theirs = shift_for(other, site=shift.site, duty_manager=users["manager"], area="Armley")
    contact_with_referral(other.user, theirs)
    mine = contact_with_referral(users["volunteer"], shift)
    api = api_as("volunteer")
    assert [s["id"] for s in api.get("/api/v1/volunteers/shifts/").json()] == [shift.pk]
    assert [c["id"] for c in api.get("/api/v1/volunteers/contacts/").json()] == [mine.pk]
    referrals = api.get("/api/v1/volunteers/referrals/").json()
    assert [r["contact_id"] for r in referrals] == [mine.pk]
    assert api.post(f"/api/v1/volunteers/shifts/{theirs.pk}/check-in").status_code == 404
    assert api.get(f"/api/v1/volunteers/{other.pk}").status_code == 403
    assert api.get("/api/v1/volunteers/me").json()["name"] == users["volunteer"].get_full_name()


def test_a_contact_sent_twice_with_one_key_is_saved_once(api_as, shift):
    api = api_as("volunteer")
    body = json.dumps({"concern": "none", "water": True, "advice": ["overdose"]})
    headers = {"Idempotency-Key": "contact-1"}
    first = api.post(
        f"/api/v1/volunteers/shifts/{shift.pk}/contacts",
        body,
        content_type="application/json",
        headers=headers,
    )
    again = api.post(
        f"/api/v1/volunteers/shifts/{shift.pk}/contacts",
        body,
        content_type="application/json",
        headers=headers,
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert OutreachContact.objects.count() == 1


def test_a_contact_with_a_concern_not_described_is_refused_naming_the_field(api_as, shift):
    response = api_as("volunteer").post(
        f"/api/v1/volunteers/shifts/{shift.pk}/contacts",
        json.dumps({"concern": "overdose"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["concern_notes"]


def test_the_nurse_records_a_referrals_outcome_by_api(api_as, shift, users):
    referral = contact_with_referral(users["volunteer"], shift).referrals.get()
    response = api_as("nurse").post(
        f"/api/v1/volunteers/referrals/{referral.pk}/outcome",
        json.dumps({"outcome": "appointment"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == "appointment"
