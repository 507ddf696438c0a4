"""Test data of the volunteers tests (synthetic only), made through the services as in use:

volunteer = volunteer_for(users["volunteer"], trained=True)   # naloxone training in date
shift = shift_for(volunteer, site=site, duty_manager=users["manager"])   # today, now
contact = contact_with_referral(users["volunteer"], shift)    # anonymous, to the nurse
"""

import datetime

from django.utils import timezone

from beacon.core.roles import Role
from beacon.volunteers import services
from beacon.volunteers.models import Course, Volunteer, VolunteerKind


def _manager_of(provider):
    manager = provider.users.filter(role=Role.MANAGER).order_by("pk").first()
    assert manager is not None, "the volunteers factories need a manager of the provider"
    return manager


def volunteer_for(user, *, trained: bool = False, refresh_in: int = 300, **data) -> Volunteer:
    manager = _manager_of(user.provider)
    volunteer = services.volunteer_create(
        actor=manager,
        data={
            "user": user,
            "kind": VolunteerKind.RECOVERY_CHAMPION,
            "started_on": timezone.localdate() - datetime.timedelta(days=200),
            "dbs_level": "enhanced",
            "emergency_contact_name": "Sam Example",
            "emergency_contact_phone": "07700 900123",
            **data,
        },
    )
    if trained:
        train(volunteer, Course.NALOXONE_SUPPLY, refresh_in=refresh_in)
    return volunteer


def train(volunteer, course, *, completed: int = -60, refresh_in: int = 300):
    today = timezone.localdate()
    return services.training_record(
        actor=_manager_of(volunteer.provider),
        volunteer=volunteer,
        data={
            "course": course,
            "completed_on": today + datetime.timedelta(days=completed),
            "refresh_by": today + datetime.timedelta(days=refresh_in),
        },
    )


def shift_for(
    *volunteers,
    site,
    duty_manager,
    on: datetime.date | None = None,
    starts: datetime.time | None = None,
    ends: datetime.time | None = None,
    area: str = "City centre",
):
    """By default the half of today the test runs in (a shift is at most 12 hours)."""
    if starts is None and ends is None:
        morning = timezone.localtime().hour < 12
        starts = datetime.time(0, 0) if morning else datetime.time(12, 0)
        ends = datetime.time(12, 0) if morning else datetime.time(23, 59)
    return services.shift_create(
        actor=duty_manager,
        data={
            "on": on or timezone.localdate(),
            "area": area,
            "site": site,
            "starts_at": starts,
            "ends_at": ends,
            "duty_manager": duty_manager,
            "volunteers": list(volunteers),
        },
    )


def contact(user, shift, **data):
    return services.contact_record(actor=user, shift=shift, data={"concern": "none", **data})


def contact_with_referral(user, shift, to: str = "outreach_nurse"):
    return contact(
        user,
        shift,
        advice=["overdose"],
        water=True,
        referral_to=to,
        referral_notes="Under the bridge on Water Lane, mornings",
    )
