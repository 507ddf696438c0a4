"""Demo organisations and one user per role, for `seed_demo`. Synthetic only."""

import random

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.models import PartnerOrganisation, Provider, Site, Team, User
from beacon.core.roles import Role
from beacon.core.selectors import DEMO_DEVICE_NAME

DEMO_PASSWORD = "beacon-demo-2026"
DEMO_PROVIDER = {"name": "Beacon Demo Recovery Service", "code": "BCN"}
OTHER_PROVIDER = {"name": "Northside Recovery Partnership", "code": "NRP"}

DEMO_USERS = [
    # username, role, first, last, team
    ("keyworker", Role.KEYWORKER, "Kai", "Worker", "Central team"),
    ("prescriber", Role.PRESCRIBER, "Priya", "Scriber", None),
    ("nurse", Role.NURSE, "Nia", "Nurseling", None),
    ("driver", Role.DRIVER, "Dev", "Driverson", None),
    ("volunteer", Role.VOLUNTEER, "Val", "Peerhelp", None),
    ("manager", Role.MANAGER, "Morgan", "Lead", None),
    ("commissioner", Role.COMMISSIONER, "Cas", "Commons", None),
    ("pharmacist", Role.PHARMACIST, "Phil", "Dispenser", None),
    ("probation_officer", Role.PROBATION_OFFICER, "Pat", "Bation", None),
]
EXTRA_KEYWORKERS = [
    ("keyworker2", "Kit", "Caseworth", "Central team"),
    ("keyworker3", "Kim", "Southgate", "South team"),
]
# More drivers lent by the council, so the delivery demo has several rounds a day.
EXTRA_DRIVERS = [
    ("driver2", "Dot", "Wheeler"),
    ("driver3", "Drew", "Roundsby"),
]


OTHER_KEYWORKER = ("northside.keyworker", "Noor", "Side", "Northside team")


def demo_sign_ins() -> list[tuple[str, str]]:
    """Every account `seed_organisations` makes, as `make run` lists them: (username, who)."""
    return [
        *((username, role.label) for username, role, *_ in DEMO_USERS),
        *(
            (username, f"{Role.KEYWORKER.label}, {team}")
            for username, _, _, team in EXTRA_KEYWORKERS
        ),
        *((username, Role.DRIVER.label) for username, *_ in EXTRA_DRIVERS),
        ("admin", "set-up superuser; /admin/"),
        (
            OTHER_KEYWORKER[0],
            f"{Role.KEYWORKER.label} at {OTHER_PROVIDER['name']}, another provider",
        ),
    ]


def _demo_device(user: User, rng: random.Random) -> None:
    if not TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).exists():
        key = "".join(rng.choice("0123456789abcdef") for _ in range(40))
        TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)


def _user(username, *, provider, role, first, last, team=None, partner=None, superuser=False):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "provider": provider,
            "role": role,
            "first_name": first,
            "last_name": last,
            "team": team,
            "partner_organisation": partner,
            "email": f"{username}@demo.invalid",
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_organisations(rng: random.Random) -> dict:
    provider, _ = Provider.objects.get_or_create(
        code=DEMO_PROVIDER["code"],
        defaults={"name": DEMO_PROVIDER["name"], "ndtms_agency_code": "X0000"},
    )
    hub, _ = Site.objects.get_or_create(
        provider=provider,
        name="Harbour Street hub",
        defaults={"address": "1 Harbour Street, Leeds", "postcode": "LS1 4AP"},
    )
    south, _ = Site.objects.get_or_create(
        provider=provider,
        name="Southbank clinic",
        defaults={"address": "22 Southbank Road, Leeds", "postcode": "LS11 5AB"},
    )
    teams = {
        "Central team": Team.objects.get_or_create(
            provider=provider, name="Central team", defaults={"site": hub}
        )[0],
        "South team": Team.objects.get_or_create(
            provider=provider, name="South team", defaults={"site": south}
        )[0],
    }
    council, _ = PartnerOrganisation.objects.get_or_create(
        provider=provider,
        name="Demo City Council transport",
        defaults={"kind": PartnerOrganisation.Kind.COUNCIL},
    )
    pharmacy, _ = PartnerOrganisation.objects.get_or_create(
        provider=provider,
        name="Harbour Pharmacy",
        defaults={"kind": PartnerOrganisation.Kind.PHARMACY, "ods_code": "FZZ01"},
    )
    probation, _ = PartnerOrganisation.objects.get_or_create(
        provider=provider,
        name="Demo Probation Delivery Unit",
        defaults={"kind": PartnerOrganisation.Kind.PROBATION},
    )
    users = {}
    everyone = [
        *DEMO_USERS,
        *(
            (name, Role.KEYWORKER, first, last, team)
            for name, first, last, team in EXTRA_KEYWORKERS
        ),
        *((name, Role.DRIVER, first, last, None) for name, first, last in EXTRA_DRIVERS),
    ]
    for username, role, first, last, team in everyone:
        users[username] = _user(
            username,
            provider=provider,
            role=role,
            first=first,
            last=last,
            team=teams.get(team),
            partner={
                Role.DRIVER: council,
                Role.PHARMACIST: pharmacy,
                Role.PROBATION_OFFICER: probation,
            }.get(role),
        )
    users["admin"] = _user(
        "admin", provider=provider, role=Role.MANAGER, first="Ada", last="Setup", superuser=True
    )
    for user in users.values():
        if user.needs_two_factor:
            _demo_device(user, rng)

    other, _ = Provider.objects.get_or_create(
        code=OTHER_PROVIDER["code"], defaults={"name": OTHER_PROVIDER["name"]}
    )
    username, first, last, team_name = OTHER_KEYWORKER
    other_team, _ = Team.objects.get_or_create(provider=other, name=team_name)
    users["other_keyworker"] = _user(
        username, provider=other, role=Role.KEYWORKER, first=first, last=last, team=other_team
    )
    _demo_device(users["other_keyworker"], rng)
    return {
        "provider": provider,
        "teams": teams,
        "users": users,
        "other_provider": other,
        "other_team": other_team,
    }


# The service's phone number in texts: Ofcom's drama range for Leeds, never a real line.
DEMO_TEXT_PHONE = "0113 496 0000"


def seed_text_wordings(rng: random.Random, org: dict, *, clients: int, stdout) -> str:
    """The demo provider's wording of each kind of text (the defaults, with its phone)."""
    from beacon.core.models import TextPurpose, TextWording
    from beacon.core.services import text_wording_save
    from beacon.core.texts import DEFAULT_WORDING

    provider = org["provider"]
    made = 0
    for purpose in TextPurpose:
        if TextWording.objects.filter(provider=provider, purpose=purpose).exists():
            continue
        text_wording_save(
            provider=provider,
            purpose=purpose,
            body=DEFAULT_WORDING[purpose],
            service_phone=DEMO_TEXT_PHONE,
            actor=org["users"]["manager"],
        )
        made += 1
    return f"{made} text wordings"
