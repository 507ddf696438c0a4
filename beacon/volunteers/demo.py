"""Demo data of peer volunteers and outreach, for `seed_demo`: Val Peerhelp's volunteer
record with training (naloxone supply in date, first aid expired), supervision, hours and
representation; last week's shift with contacts (a naloxone pack, NSP items, a referral to
the outreach nurse with its outcome, one to housing not picked up); and two shifts today
to check in to (the evening one runs past midnight). Synthetic only."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from beacon.core.audit import AuditOrigin
from beacon.volunteers import services
from beacon.volunteers.models import Course, Volunteer, VolunteerKind

OUTREACH_AREAS = ("City centre", "Holbeck")


def seed_volunteers(rng: random.Random, org: dict, *, stdout=None) -> str:
    """Idempotent: a volunteer user with a record already is left alone."""
    provider, users = org["provider"], org["users"]
    manager, user = users["manager"], users["volunteer"]
    if Volunteer.objects.filter(user=user).exists():
        return "volunteers already seeded"
    today, origin = timezone.localdate(), AuditOrigin()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    volunteer = services.volunteer_create(
        actor=manager,
        origin=origin,
        data={
            "user": user,
            "kind": VolunteerKind.RECOVERY_CHAMPION,
            "started_on": ago(240),
            "dbs_level": "enhanced",
            "dbs_checked_on": ago(250),
            "dbs_result": "clear",
            "emergency_contact_name": "Robin Peerhelp",
            "emergency_contact_phone": "07700 900321",
            "supervisor": users["nurse"],
            "languages": "English, Polish",
            "availability": "Tuesday and Thursday evenings",
        },
    )
    for course, completed, refresh in (
        (Course.NALOXONE_SUPPLY, 90, 275),
        (Course.HARM_REDUCTION, 200, 165),
        (Course.SAFEGUARDING, 200, 530),
        (Course.LONE_WORKING, 180, 185),
        (Course.CONFIDENTIALITY, 230, 135),
        (Course.FIRST_AID, 800, -70),  # expired: shows red on the record
    ):
        services.training_record(
            actor=manager,
            volunteer=volunteer,
            origin=origin,
            data={
                "course": course,
                "completed_on": ago(completed),
                "refresh_by": today + datetime.timedelta(days=refresh),
            },
        )
    services.supervision_record(
        actor=manager,
        volunteer=volunteer,
        origin=origin,
        data={
            "held_on": ago(20),
            "supervisor": users["nurse"],
            "wellbeing": "well",
            "notes": "Enjoying the evening shifts; wants to train as a naloxone trainer.",
            "next_due_on": today + datetime.timedelta(days=10),
        },
    )
    services.hours_record(
        actor=manager,
        volunteer=volunteer,
        origin=origin,
        data={"month": ago(35), "hours": Decimal(rng.choice(["14", "16.5", "18"]))},
    )
    services.representation_record(
        actor=manager,
        volunteer=volunteer,
        origin=origin,
        data={"on": ago(12), "forum": "Local drugs partnership"},
    )
    site = provider.sites.order_by("name").first()
    shift_data = {
        "site": site,
        "duty_manager": manager,
        "volunteers": [volunteer],
        "staff": [users["nurse"]],
    }
    past = services.shift_create(
        actor=manager,
        origin=origin,
        data={
            **shift_data,
            "on": ago(7),
            "area": OUTREACH_AREAS[0],
            "starts_at": datetime.time(18, 0),
            "ends_at": datetime.time(21, 0),
        },
    )
    # Today a day shift and an evening one past midnight (check-out due the next morning).
    for area, starts, ends in (
        (OUTREACH_AREAS[1], datetime.time(8, 0), datetime.time(18, 0)),
        (OUTREACH_AREAS[0], datetime.time(18, 0), datetime.time(1, 0)),
    ):
        services.shift_create(
            actor=manager,
            origin=origin,
            data={**shift_data, "on": today, "area": area, "starts_at": starts, "ends_at": ends},
        )
    at = timezone.make_aware(datetime.datetime.combine(past.on, datetime.time(19, 0)))
    contacts = [
        {"water": True, "advice": ["overdose", "naloxone"], "naloxone": True},
        {
            "initials": "JD",
            "date_of_birth": datetime.date(1984, 6, 3),
            "sex": "M",
            "advice": ["safer_injecting", "wound_care"],
            "nsp_items": {"syringe_1ml_fixed": 10, "swab": 10, "filter": 10},
            "referral_to": "outreach_nurse",
            "referral_notes": "Sleeps by the canal steps, mornings",
        },
        {
            "food": True,
            "leaflet": True,
            "concern": "welfare",
            "concern_notes": "Rough sleeping, cold; gave a blanket and the day-centre address.",
            "referral_to": "housing",
            "referral_notes": "At the bus station most evenings",
        },
    ]
    made = []
    for n, data in enumerate(contacts):
        if data.get("naloxone") and not _has_kit(provider, site, past.on):
            data = {k: v for k, v in data.items() if k != "naloxone"}
        made.append(
            services.contact_record(
                actor=user,
                shift=past,
                origin=origin,
                recorded_on=past.on,
                data={
                    "concern": "none",
                    "naloxone_trained": True,
                    **data,
                    "at": at + datetime.timedelta(minutes=25 * n),
                },
            )
        )
    services.referral_outcome_record(
        actor=users["nurse"],
        referral=made[1].referrals.get(),
        origin=origin,
        data={"outcome": "seen", "outcome_notes": "Wound dressed; hepatitis C test offered."},
    )
    return (
        f"volunteer {volunteer.name}: {len(made)} outreach contacts, a day and an evening "
        "shift today"
    )


def _has_kit(provider, site, on) -> bool:
    from beacon.naloxone.selectors import supply_batches

    return supply_batches(provider=provider, on=on).filter(site=site).exists()
