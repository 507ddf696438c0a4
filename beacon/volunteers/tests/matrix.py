"""Authorization matrix rows for the volunteers app (see beacon/core/tests/matrix.py).

Staff (managers, keyworkers, nurses) keep volunteers' records and plan shifts; the sample
volunteer (the `volunteer` user's record) is on the sample shift, so they open it, their
day and their referrals, and check in and out (sent back to the shift with the message);
nobody else of another role reaches them. Referrals are followed by staff; the report is
for managers and commissioners (aggregates only).
"""

from django.utils import timezone

from beacon.core.tests.factories import SiteFactory
from beacon.core.tests.matrix import REDIRECT, UNAUTHENTICATED, api_write_for, outcome_for
from beacon.volunteers.tests.factories import contact_with_referral, shift_for, volunteer_for

STAFF = {"manager", "admin", "keyworker", "nurse"}
VOLUNTEER = {"volunteer"}
STAFF_AND_VOLUNTEER = STAFF | VOLUNTEER
REPORT = {"manager", "admin", "commissioner"}
POST_STAFF = {**outcome_for(set()), **dict.fromkeys(STAFF, REDIRECT)}
POST_VOLUNTEER = {**outcome_for(set()), "volunteer": REDIRECT}


def samples(base: dict) -> dict:
    users = base["users"]
    volunteer = volunteer_for(users["volunteer"], trained=True)
    site = SiteFactory(provider=base["provider"], name="Outreach base")
    shift = shift_for(
        volunteer,
        site=site,
        duty_manager=users["manager"],
        on=timezone.localdate(),
    )
    contact = contact_with_referral(users["volunteer"], shift)
    return {
        "volunteer_id": volunteer.pk,
        "volunteer_shift_id": shift.pk,
        "volunteer_referral_id": contact.referrals.get().pk,
    }


PAGES = {
    "volunteers/": ("GET", outcome_for(STAFF)),
    "volunteers/volunteers.csv": ("GET", outcome_for(STAFF)),
    "volunteers/new/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/edit/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/training/new/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/supervision/new/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/hours/new/": ("GET", outcome_for(STAFF)),
    "volunteers/<int:volunteer_id>/representation/new/": ("GET", outcome_for(STAFF)),
    "volunteers/supervision-overdue/": ("GET", outcome_for(STAFF)),
    "volunteers/my-day/": ("GET", outcome_for(VOLUNTEER)),
    "volunteers/shifts/": ("GET", outcome_for(STAFF_AND_VOLUNTEER)),
    "volunteers/shifts.csv": ("GET", outcome_for(STAFF_AND_VOLUNTEER)),
    "volunteers/shifts/new/": ("GET", outcome_for(STAFF)),
    "volunteers/shifts/<int:volunteer_shift_id>/": ("GET", outcome_for(STAFF_AND_VOLUNTEER)),
    "volunteers/shifts/<int:volunteer_shift_id>/check-in/": ("POST", POST_VOLUNTEER),
    "volunteers/shifts/<int:volunteer_shift_id>/check-out/": ("POST", POST_VOLUNTEER),
    "volunteers/shifts/<int:volunteer_shift_id>/contacts/new/": ("GET", outcome_for(VOLUNTEER)),
    "volunteers/referrals/": ("GET", outcome_for(STAFF_AND_VOLUNTEER)),
    "volunteers/referrals.csv": ("GET", outcome_for(STAFF_AND_VOLUNTEER)),
    "volunteers/referrals/<int:volunteer_referral_id>/": ("GET", outcome_for(STAFF)),
    "volunteers/referrals/<int:volunteer_referral_id>/pick-up/": ("POST", POST_STAFF),
    "volunteers/report/": ("GET", outcome_for(REPORT)),
    "volunteers/report.csv": ("GET", outcome_for(REPORT)),
    "volunteers/report.xlsx": ("GET", outcome_for(REPORT)),
}

# Writes with a body, sent without one: refused before the body is read to a role that may
# never make them; invalid (422) for one that may (a volunteer records contacts on their
# own shifts; staff record referrals' outcomes).
API = {
    "api/v1/volunteers/me": ("GET", outcome_for(VOLUNTEER, anonymous=UNAUTHENTICATED)),
    "api/v1/volunteers/": ("GET", outcome_for(STAFF, anonymous=UNAUTHENTICATED)),
    "api/v1/volunteers/<int:volunteer_id>": (
        "GET",
        outcome_for(STAFF, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/shifts/": (
        "GET",
        outcome_for(STAFF_AND_VOLUNTEER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/shifts/<int:volunteer_shift_id>/check-in": (
        "POST",
        outcome_for(VOLUNTEER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/shifts/<int:volunteer_shift_id>/check-out": (
        "POST",
        outcome_for(VOLUNTEER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/shifts/<int:volunteer_shift_id>/contacts": (
        "POST",
        api_write_for(VOLUNTEER),
    ),
    "api/v1/volunteers/contacts/": (
        "GET",
        outcome_for(STAFF_AND_VOLUNTEER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/referrals/": (
        "GET",
        outcome_for(STAFF_AND_VOLUNTEER, anonymous=UNAUTHENTICATED),
    ),
    "api/v1/volunteers/referrals/<int:volunteer_referral_id>/outcome": (
        "POST",
        api_write_for(STAFF),
    ),
}
