"""Outreach shifts and lone working: a volunteer checks in and out of their own shift; a
check-out not made by its due time alerts the shift's duty manager once (H-202)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import HttpResponse
from django.utils import timezone

from beacon.core.models import Alert
from beacon.volunteers import services
from beacon.volunteers.models import SHIFT_LONGEST, CheckIn, Shift
from beacon.volunteers.tests.factories import shift_for, volunteer_for


@pytest.fixture
def plan_shift(web_as, users, volunteer, base):
    """plan_shift("18:00", "21:00"): the manager's new-shift form posted for Holbeck today,
    from the base, with the volunteer on it and the manager on duty."""

    def post(starts_at: str, ends_at: str) -> HttpResponse:
        return web_as("manager").post(
            "/volunteers/shifts/new/",
            {
                "on": timezone.localdate().isoformat(),
                "area": "Holbeck",
                "site": base.pk,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "duty_manager": users["manager"].pk,
                "volunteers": [volunteer.pk],
            },
        )

    return post


def _today_at(time: datetime.time) -> datetime.datetime:
    """Today's date at `time`, in the service's time zone."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), time))


@pytest.fixture
def shift_planned_at(volunteer, base, users):
    """shift_planned_at(moment, starts=…, ends=…): the volunteer's shift from the base, the
    manager on duty, planned at `moment` (so on that moment's day)."""

    def plan(
        moment: datetime.datetime, *, starts: datetime.time, ends: datetime.time, **extra: str
    ) -> Shift:
        with time_machine.travel(moment, tick=False):
            return shift_for(
                volunteer,
                site=base,
                duty_manager=users["manager"],
                starts=starts,
                ends=ends,
                **extra,
            )

    return plan


def test_a_manager_plans_a_shift_through_the_page(web_as, plan_shift):
    page = plan_shift("18:00", "21:00")
    assert page.status_code == 302
    assert "Holbeck" in web_as("volunteer").get(page.headers["Location"]).content.decode()


def test_an_evening_shift_ending_the_next_morning_is_planned(web_as, plan_shift):
    page = plan_shift("20:00", "02:30")
    assert page.status_code == 302
    shift = Shift.objects.get()
    assert shift.ends_on == shift.on + datetime.timedelta(days=1)
    assert shift.length == datetime.timedelta(hours=6, minutes=30)
    html = web_as("manager").get(page.headers["Location"]).content.decode()
    assert "20:00 to 02:30 the next morning (6 hours 30 minutes)" in html
    csv = web_as("manager").get("/volunteers/shifts.csv").content.decode().splitlines()
    assert csv[0].startswith("Date,Area,Base,Starts,Ends,Ends on,Hours,")
    assert f",20:00:00,02:30:00,{shift.ends_on.isoformat()},6.5," in csv[1]


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("08:00", "21:00", "A shift is at most 12 hours"),
        ("18:00", "07:00", "A shift is at most 12 hours"),
        ("18:00", "18:00", "Enter an end time different from the start time"),
    ],
)
def test_a_shift_too_long_or_of_no_length_is_refused_beside_the_field(
    plan_shift, starts, ends, message
):
    page = plan_shift(starts, ends)
    html = page.content.decode()
    assert page.status_code == 200 and message in html
    assert 'value="Holbeck"' in html
    assert not Shift.objects.exists()


def test_a_twelve_hour_night_shift_is_the_longest_allowed(volunteer, base, users):
    shift = shift_for(
        volunteer,
        site=base,
        duty_manager=users["manager"],
        starts=datetime.time(19, 0),
        ends=datetime.time(7, 0),
    )
    assert shift.length == SHIFT_LONGEST


def test_a_volunteer_checks_in_after_midnight_on_an_evening_shift_and_is_due_out_next_morning(
    shift_planned_at, users
):
    evening = _today_at(datetime.time(23, 30))
    shift = shift_planned_at(
        evening - datetime.timedelta(hours=4), starts=datetime.time(21, 0), ends=datetime.time(3, 0)
    )
    after_midnight = evening + datetime.timedelta(hours=1, minutes=15)
    with time_machine.travel(after_midnight, tick=False):
        record = services.check_in(actor=users["volunteer"], shift=shift)
        assert timezone.localdate() == shift.on + datetime.timedelta(days=1)
    due = timezone.make_aware(
        datetime.datetime.combine(shift.on + datetime.timedelta(days=1), datetime.time(3, 0))
    )
    assert record.check_out_due_at == due
    # The lone-working check: nothing at 02:59 the next morning; the duty manager at 03:01.
    assert services.check_outs_overdue_alert(now=due - datetime.timedelta(minutes=1)) == 0
    assert services.check_outs_overdue_alert(now=due + datetime.timedelta(minutes=1)) == 1
    assert Alert.objects.get().recipient == users["manager"]


def test_an_evening_shift_is_on_the_volunteers_day_after_midnight_to_check_out(
    web_as, shift_planned_at, users
):
    midnight = _today_at(datetime.time(0, 0))
    shift = shift_planned_at(
        midnight - datetime.timedelta(hours=3),
        starts=datetime.time(20, 0),
        ends=datetime.time(2, 0),
        area="Holbeck",
    )
    with time_machine.travel(midnight - datetime.timedelta(hours=3), tick=False):
        services.check_in(actor=users["volunteer"], shift=shift)
    with time_machine.travel(midnight + datetime.timedelta(hours=1), tick=False):
        html = web_as("volunteer").get("/volunteers/my-day/").content.decode()
        assert "Holbeck, 20:00 to 02:00 the next morning" in html
        services.check_out(actor=users["volunteer"], shift=shift)
    assert CheckIn.objects.get().checked_out_at is not None


def test_a_check_in_after_the_shift_ended_the_next_morning_is_refused(shift_planned_at, users):
    midnight = _today_at(datetime.time(0, 0))
    shift = shift_planned_at(
        midnight - datetime.timedelta(hours=3),
        starts=datetime.time(20, 0),
        ends=datetime.time(2, 0),
    )
    after_the_end = midnight + datetime.timedelta(hours=2, minutes=1)
    with (
        time_machine.travel(after_the_end, tick=False),
        pytest.raises(ValidationError, match="too late to check in"),
    ):
        services.check_in(actor=users["volunteer"], shift=shift)


def test_a_volunteer_checks_in_and_out_of_their_shift(web_as, shift, volunteer):
    http = web_as("volunteer")
    http.post(f"/volunteers/shifts/{shift.pk}/check-in/")
    record = CheckIn.objects.get(shift=shift, volunteer=volunteer)
    assert record.checked_out_at is None
    assert record.check_out_due_at == shift.end()
    http.post(f"/volunteers/shifts/{shift.pk}/check-out/")
    record.refresh_from_db()
    assert record.checked_out_at is not None


def test_a_second_check_in_keeps_the_first(shift, users):
    first = services.check_in(actor=users["volunteer"], shift=shift)
    assert services.check_in(actor=users["volunteer"], shift=shift).pk == first.pk
    assert CheckIn.objects.count() == 1


def test_a_volunteer_not_on_the_shift_cannot_open_or_check_in(web_as, shift, make_user):
    other = volunteer_for(make_user("volunteer", username="vol-other"))
    http = web_as(other.user)
    assert http.get(f"/volunteers/shifts/{shift.pk}/").status_code == 404
    assert http.post(f"/volunteers/shifts/{shift.pk}/check-in/").status_code == 404
    assert not CheckIn.objects.exists()


def test_an_overdue_check_out_alerts_the_duty_manager_once(shift, users):
    record = services.check_in(actor=users["volunteer"], shift=shift)
    later = record.check_out_due_at + datetime.timedelta(minutes=1)
    assert services.check_outs_overdue_alert(now=record.check_out_due_at) == 0
    assert services.check_outs_overdue_alert(now=later) == 1
    assert services.check_outs_overdue_alert(now=later) == 0
    alert = Alert.objects.get()
    assert alert.recipient == users["manager"] and "has not checked out" in alert.title
    assert "07700 900123" in alert.message  # the emergency contact, to act on at once


def test_a_checked_out_volunteer_raises_no_alert(shift, users):
    record = services.check_in(actor=users["volunteer"], shift=shift)
    services.check_out(actor=users["volunteer"], shift=shift)
    later = record.check_out_due_at + datetime.timedelta(hours=1)
    assert services.check_outs_overdue_alert(now=later) == 0
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_the_lone_working_command_alerts(volunteer, base, users):
    shift = shift_for(volunteer, site=base, duty_manager=users["manager"])
    record = services.check_in(actor=users["volunteer"], shift=shift)
    now = timezone.now()
    CheckIn.objects.filter(pk=record.pk).update(
        checked_in_at=now - datetime.timedelta(hours=3),
        check_out_due_at=now - datetime.timedelta(minutes=1),
    )
    out = StringIO()
    call_command("lone_working_check", stdout=out)
    assert "1 overdue check-outs alerted" in out.getvalue()
    assert Alert.objects.filter(recipient=users["manager"]).count() == 1


def test_the_shift_list_filters_and_downloads(web_as, shift):
    manager = web_as("manager")
    day = shift.on.isoformat()
    assert "City centre" in manager.get(f"/volunteers/shifts/?first={day}").content.decode()
    later = (shift.on + datetime.timedelta(days=1)).isoformat()
    assert "City centre" not in manager.get(f"/volunteers/shifts/?first={later}").content.decode()
    assert "City centre" in manager.get("/volunteers/shifts.csv").content.decode()


def test_the_volunteers_day_shows_their_shift(web_as, shift):
    html = web_as("volunteer").get("/volunteers/my-day/").content.decode()
    assert "City centre" in html and "Not checked in" in html


def test_the_volunteers_day_shows_their_own_training_and_supervision(web_as, volunteer, users):
    services.supervision_record(
        actor=users["nurse"],
        volunteer=volunteer,
        data={
            "held_on": timezone.localdate() - datetime.timedelta(days=3),
            "wellbeing": "some_concerns",
            "notes": "Private note of the supervisor",
            "next_due_on": timezone.localdate() + datetime.timedelta(days=25),
        },
    )
    html = web_as("volunteer").get("/volunteers/my-day/").content.decode()
    assert "Naloxone supply" in html and "My supervision" in html
    assert "Private note of the supervisor" not in html and "Some concerns" not in html


@pytest.mark.django_db
def test_an_overdue_check_out_reaches_the_managers_when_the_duty_manager_has_left(
    volunteer, base, users, make_user
):
    """The duty manager's account no longer active: the alert goes to the service's other
    managers rather than to nobody (H-202)."""
    duty = make_user("manager", username="duty-left")
    shift = shift_for(volunteer, site=base, duty_manager=duty)
    record = services.check_in(actor=users["volunteer"], shift=shift)
    duty.is_active = False
    duty.save()
    later = record.check_out_due_at + datetime.timedelta(minutes=5)
    assert services.check_outs_overdue_alert(now=later) == 1
    assert Alert.objects.filter(recipient=users["manager"], kind="lone_working").count() == 1
    assert not Alert.objects.filter(recipient=duty).exists()


def test_a_paused_volunteer_is_not_put_on_a_shift(volunteer, base, users):
    from beacon.volunteers.models import VolunteerStatus

    volunteer.status = VolunteerStatus.PAUSED
    volunteer.save()
    with pytest.raises(ValidationError) as error:
        shift_for(volunteer, site=base, duty_manager=users["manager"])
    assert "not an active volunteer" in error.value.message_dict["volunteers"][0]
