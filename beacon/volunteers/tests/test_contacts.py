"""Contacts on a shift: anonymous or by attributor, what was given (NSP through harm
reduction's service), concerns; referrals that staff pick up and follow to an outcome, and
those not picked up after 2 working days (H-203)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beacon.core import working_days
from beacon.harmreduction.models import NspTransaction
from beacon.volunteers import selectors, services
from beacon.volunteers.models import OutreachContact, OutreachReferral
from beacon.volunteers.tests.factories import contact, contact_with_referral


def test_an_anonymous_contact_with_water_and_advice_is_saved_from_the_phone_form(web_as, shift):
    page = web_as("volunteer").post(
        f"/volunteers/shifts/{shift.pk}/contacts/new/",
        {"concern": "none", "water": "on", "advice": ["overdose", "wound_care"]},
    )
    assert page.status_code == 302
    saved = OutreachContact.objects.get()
    assert (
        saved.attributor == "Anonymous"
        and saved.water
        and saved.advice
        == [
            "overdose",
            "wound_care",
        ]
    )


def test_the_contact_form_starts_with_no_concern_chosen(web_as, shift):
    html = web_as("volunteer").get(f"/volunteers/shifts/{shift.pk}/contacts/new/").content
    assert b'name="concern" type="radio" value="none" checked' not in html
    assert b"checked" not in html


def test_a_concern_must_be_described(shift, users):
    with pytest.raises(ValidationError) as error:
        contact(users["volunteer"], shift, concern="welfare")
    assert "concern_notes" in error.value.message_dict


def test_nsp_items_are_recorded_by_harm_reductions_service_with_the_attributor(shift, users):
    made = contact(
        users["volunteer"],
        shift,
        initials="jd",
        date_of_birth=datetime.date(1985, 4, 2),
        sex="M",
        nsp_items={"filter": 5, "swab": 10},
    )
    nsp = NspTransaction.objects.get()
    assert made.nsp_transaction == nsp and nsp.initials == "JD" and nsp.site == shift.site
    assert {i.item: i.quantity for i in nsp.items.all()} == {"filter": 5, "swab": 10}


def test_nsp_items_without_an_attributor_are_refused_and_nothing_saved(shift, users):
    with pytest.raises(ValidationError) as error:
        contact(users["volunteer"], shift, nsp_items={"filter": 5})
    assert "initials" in error.value.message_dict
    assert not NspTransaction.objects.exists() and not OutreachContact.objects.exists()


def test_a_referral_is_picked_up_and_its_outcome_recorded_by_the_nurse(web_as, shift, users):
    referral = contact_with_referral(users["volunteer"], shift).referrals.get()
    nurse = web_as("nurse")
    assert "Outreach nurse" in nurse.get("/volunteers/referrals/").content.decode()
    nurse.post(f"/volunteers/referrals/{referral.pk}/pick-up/")
    page = nurse.post(f"/volunteers/referrals/{referral.pk}/", {"outcome": "seen"})
    assert page.status_code == 302
    referral.refresh_from_db()
    assert referral.picked_up_by == users["nurse"] and referral.outcome == "seen"


def test_a_volunteer_sees_only_their_own_contacts_and_referrals(web_as, shift, users, make_user):
    from beacon.volunteers.tests.factories import shift_for, volunteer_for

    other = volunteer_for(make_user("volunteer", username="vol-other"))
    theirs = shift_for(other, site=shift.site, duty_manager=users["manager"], area="Armley")
    contact_with_referral(other.user, theirs)
    mine = contact_with_referral(users["volunteer"], shift)
    html = web_as("volunteer").get("/volunteers/referrals/").content.decode()
    assert "Water Lane" in html and "Armley" not in html
    assert list(selectors.contacts_visible_to(users["volunteer"])) == [mine]
    assert web_as("volunteer").get(f"/volunteers/shifts/{theirs.pk}/").status_code == 404


def test_referrals_not_picked_up_after_two_working_days_are_listed(shift, users):
    referral = contact_with_referral(users["volunteer"], shift).referrals.get()
    monday = datetime.date(2026, 11, 30)
    made = timezone.make_aware(datetime.datetime(2026, 11, 26, 10, 0))  # a Thursday
    OutreachReferral.objects.filter(pk=referral.pk).update(made_at=made)
    assert working_days.working_days_before(monday, 2) == datetime.date(2026, 11, 26)
    late = selectors.referrals_not_picked_up(user=users["nurse"], today=monday)
    assert list(late) == [referral]
    friday = datetime.date(2026, 11, 27)
    assert not selectors.referrals_not_picked_up(user=users["nurse"], today=friday).exists()
    services.referral_pick_up(actor=users["nurse"], referral=referral)
    assert not selectors.referrals_not_picked_up(user=users["nurse"], today=monday).exists()


def test_the_referral_list_filters_and_downloads(web_as, shift, users):
    contact_with_referral(users["volunteer"], shift)
    nurse = web_as("nurse")
    assert "Water Lane" in nurse.get("/volunteers/referrals/?state=waiting").content.decode()
    assert "Water Lane" not in nurse.get("/volunteers/referrals/?state=done").content.decode()
    assert "Outreach nurse" in nurse.get("/volunteers/referrals.csv").content.decode()


def test_a_contact_form_sent_again_with_its_token_is_saved_once(web_as, shift):
    http = web_as("volunteer")
    form = {"concern": "none", "food": "on", "submission_token": "offline-retry-1"}
    first = http.post(f"/volunteers/shifts/{shift.pk}/contacts/new/", form)
    again = http.post(f"/volunteers/shifts/{shift.pk}/contacts/new/", form)
    assert first.status_code == again.status_code == 302
    assert OutreachContact.objects.count() == 1


def test_a_contact_sent_from_the_phones_outbox_keeps_the_time_it_was_recorded(web_as, shift):
    recorded = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=40)
    web_as("volunteer").post(
        f"/volunteers/shifts/{shift.pk}/contacts/new/",
        {"concern": "none", "water": "on", "offline_recorded_at": recorded.isoformat()},
    )
    assert OutreachContact.objects.get().at == recorded


def test_a_phone_clock_far_off_is_not_believed(web_as, shift):
    wrong = timezone.now() + datetime.timedelta(days=3)
    web_as("volunteer").post(
        f"/volunteers/shifts/{shift.pk}/contacts/new/",
        {"concern": "none", "water": "on", "offline_recorded_at": wrong.isoformat()},
    )
    assert OutreachContact.objects.get().at < wrong - datetime.timedelta(days=2)


def test_a_contact_on_a_shift_older_than_yesterday_is_refused(users, volunteer, base):
    """Else a volunteer whose naloxone training lapsed could supply on an old shift, dated
    back to when it was in date (H-200), or a late referral would escape the list (H-203)."""
    from beacon.volunteers.tests.factories import shift_for

    old = shift_for(
        volunteer,
        site=base,
        duty_manager=users["manager"],
        on=timezone.localdate() - datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="record a contact on the day of its shift"):
        contact(users["volunteer"], old)
    yesterday = shift_for(
        volunteer,
        site=base,
        duty_manager=users["manager"],
        on=timezone.localdate() - datetime.timedelta(days=1),
        area="Armley",
    )
    assert contact(users["volunteer"], yesterday).shift == yesterday  # sent the day after


def test_a_contact_dated_ahead_is_refused_by_the_service(shift, users):
    ahead = timezone.now() + datetime.timedelta(hours=2)
    with pytest.raises(ValidationError) as error:
        contact(users["volunteer"], shift, at=ahead)
    assert "at" in error.value.message_dict
    assert not OutreachContact.objects.exists()


def test_a_paused_volunteer_cannot_record_on_a_shift_they_were_put_on(shift, users, volunteer):
    from beacon.volunteers.models import VolunteerStatus

    volunteer.status = VolunteerStatus.PAUSED
    volunteer.save()
    with pytest.raises(ValidationError, match="paused"):
        contact(users["volunteer"], shift)
    with pytest.raises(ValidationError, match="paused"):
        services.check_in(actor=users["volunteer"], shift=shift)


def test_a_volunteer_learns_whether_their_referral_was_picked_up_never_its_outcome(
    web_as, api_as, shift, users
):
    referral = contact_with_referral(users["volunteer"], shift).referrals.get()
    services.referral_pick_up(actor=users["nurse"], referral=referral)
    services.referral_outcome_record(
        actor=users["nurse"], referral=referral, data={"outcome": "into_treatment"}
    )
    html = web_as("volunteer").get("/volunteers/referrals/").content.decode()
    assert "Picked up" in html and "Came into treatment" not in html
    [row] = api_as("volunteer").get("/api/v1/volunteers/referrals/").json()
    assert row["outcome"] == "" and row["picked_up_at"]
    assert "Came into treatment" in web_as("nurse").get("/volunteers/referrals/").content.decode()


def test_a_volunteers_referrals_csv_and_filter_say_picked_up_or_not_never_the_outcome(
    web_as, shift, users
):
    """H-201 in the download and the "Show" filter: a volunteer's CSV says whether each
    referral was picked up, and they cannot narrow the list by outcome; staff can."""
    followed = contact_with_referral(users["volunteer"], shift).referrals.get()
    services.referral_pick_up(actor=users["nurse"], referral=followed)
    services.referral_outcome_record(
        actor=users["nurse"], referral=followed, data={"outcome": "into_treatment"}
    )
    picked_up = contact_with_referral(users["volunteer"], shift).referrals.get()
    services.referral_pick_up(actor=users["nurse"], referral=picked_up)
    volunteer = web_as("volunteer")
    csv = volunteer.get("/volunteers/referrals.csv").content.decode().splitlines()
    assert csv[0].endswith(",Picked up yet")
    assert [line.rsplit(",", 1)[1] for line in csv[1:]] == ["Picked up", "Picked up"]
    assert "Came into treatment" not in "\n".join(csv)
    page = volunteer.get("/volunteers/referrals/").content.decode()
    assert "With an outcome" not in page and "no outcome yet" not in page
    assert 'value="picked_up"' in page
    # Asked by hand, the outcome filters are refused: the download gives no rows.
    for state in ("done", "open"):
        refused = volunteer.get(f"/volunteers/referrals.csv?state={state}").content.decode()
        assert refused.splitlines()[1:] == []
    assert len(volunteer.get("/volunteers/referrals.csv?state=picked_up").content.splitlines()) == 3
    with pytest.raises(PermissionDenied):
        selectors.referrals_search(user=users["volunteer"], state="done")
    # Staff still get the outcome, and narrow by it.
    nurse = web_as("nurse")
    staff_csv = nurse.get("/volunteers/referrals.csv").content.decode().splitlines()
    assert staff_csv[0].endswith(",Outcome")
    assert sorted(line.rsplit(",", 1)[1] for line in staff_csv[1:]) == ["", "Came into treatment"]
    done = nurse.get("/volunteers/referrals.csv?state=done").content.decode().splitlines()
    assert [line.rsplit(",", 1)[1] for line in done[1:]] == ["Came into treatment"]
    assert "With an outcome" in nurse.get("/volunteers/referrals/").content.decode()


def _evening_shift(volunteer, base, users, *, on: datetime.date):
    """An evening shift from 20:00 on `on` to 02:00 the next morning, planned that day."""
    from beacon.volunteers.tests.factories import shift_for

    planned = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12, 0)))
    with time_machine.travel(planned, tick=False):
        return shift_for(
            volunteer,
            site=base,
            duty_manager=users["manager"],
            on=on,
            starts=datetime.time(20, 0),
            ends=datetime.time(2, 0),
            area="Holbeck",
        )


def test_a_contact_after_midnight_on_an_evening_shift_is_recorded_and_dated_that_morning(
    volunteer, base, stocked, users
):
    today = timezone.localdate()
    shift = _evening_shift(volunteer, base, users, on=today)
    one_am = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(1, 0))
    )
    with time_machine.travel(one_am, tick=False):
        made = contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    assert made.at == one_am and made.shift == shift
    # The kit was handed over the next morning, and is dated so.
    assert made.naloxone_supply.supplied_on == today + datetime.timedelta(days=1)


def test_a_contact_of_an_evening_shift_may_be_sent_the_day_after_it_ended_not_later(
    volunteer, base, users
):
    """The phone kept it without a signal: the shift ended at 02:00 on the 2nd, so it is
    taken on the 3rd, and refused on the 4th (H-206)."""
    first = timezone.localdate() - datetime.timedelta(days=10)
    shift = _evening_shift(volunteer, base, users, on=first)
    at = timezone.make_aware(
        datetime.datetime.combine(first + datetime.timedelta(days=1), datetime.time(1, 30))
    )
    day_after_end = at + datetime.timedelta(days=1, hours=9)
    with time_machine.travel(day_after_end, tick=False):
        assert contact(users["volunteer"], shift, at=at, water=True).at == at
    two_days_after = day_after_end + datetime.timedelta(days=1)
    with (
        time_machine.travel(two_days_after, tick=False),
        pytest.raises(ValidationError, match="or the day after it ends"),
    ):
        contact(users["volunteer"], shift, at=at, food=True)
    assert OutreachContact.objects.count() == 1


def test_contacts_after_midnight_are_the_volunteers_contacts_of_the_night(
    web_as, volunteer, base, users
):
    today = timezone.localdate()
    shift = _evening_shift(volunteer, base, users, on=today)
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(today, datetime.time(22, 0))), tick=False
    ):
        contact(users["volunteer"], shift, water=True)
    with time_machine.travel(
        timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(1, 0))
        ),
        tick=False,
    ):
        contact(users["volunteer"], shift, food=True)
        html = web_as("volunteer").get("/volunteers/my-day/").content.decode()
    assert "Holbeck, 20:00 to 02:00 the next morning" in html
    assert "</span>water" in html and "</span>food" in html  # before and after midnight
