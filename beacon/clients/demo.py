"""Demo clients for `seed_demo`: synthetic people only.

NHS numbers come from the 999 range and phone numbers from Ofcom's drama ranges,
neither of which is ever issued to a real person.
"""

import datetime
import random

import nhs_number

from beacon.clients.codes import Ethnicity, GenderIdentity, Sex
from beacon.clients.models import Client
from beacon.clients.services import client_create, contact_create

FIRST_NAMES = {
    Sex.MALE: [
        "Alfie",
        "Bram",
        "Cody",
        "Dale",
        "Ezra",
        "Finn",
        "Gus",
        "Hal",
        "Idris",
        "Jory",
        "Kenan",
        "Lorcan",
        "Milo",
        "Nico",
        "Otis",
        "Rafe",
        "Soren",
        "Tobin",
        "Vaughn",
        "Wes",
    ],
    Sex.FEMALE: [
        "Aria",
        "Bex",
        "Cleo",
        "Demi",
        "Esme",
        "Fern",
        "Gail",
        "Hollis",
        "Ione",
        "Jessa",
        "Kerys",
        "Lark",
        "Maren",
        "Nell",
        "Orla",
        "Pia",
        "Remi",
        "Sian",
        "Tamsin",
        "Wren",
    ],
}
LAST_NAMES = [
    "Ashdown",
    "Brackley",
    "Coldharbour",
    "Dunmore",
    "Eastcott",
    "Fernleigh",
    "Gorsedale",
    "Hollinby",
    "Ivesworth",
    "Jarrowby",
    "Kestleton",
    "Larkhill",
    "Moorcroft",
    "Netherby",
    "Oakhurst",
    "Pellworth",
    "Quarrington",
    "Redmire",
    "Stonebeck",
    "Thornaby",
    "Underwood",
    "Varley",
    "Whitmoor",
    "Yarrowby",
]
STREETS = [
    "Harbour Street",
    "Mill Lane",
    "Canal Walk",
    "Foundry Row",
    "Chapel Yard",
    "Kiln Road",
    "Wharf Terrace",
    "Bobbin Close",
    "Weaver Court",
    "Lantern Way",
]
DISTRICTS = ["LS1", "LS2", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
RELATIONSHIPS = ["partner", "parent", "sibling", "friend", "carer"]
ETHNICITY_WEIGHTS = [
    (Ethnicity.WHITE_BRITISH, 70),
    (Ethnicity.WHITE_IRISH, 3),
    (Ethnicity.WHITE_OTHER, 6),
    (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, 3),
    (Ethnicity.ASIAN_PAKISTANI, 5),
    (Ethnicity.ASIAN_INDIAN, 3),
    (Ethnicity.BLACK_AFRICAN, 3),
    (Ethnicity.BLACK_CARIBBEAN, 2),
    (Ethnicity.WHITE_GYPSY_TRAVELLER, 1),
    (Ethnicity.NOT_STATED, 4),
]


def synthetic_nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """Valid NHS numbers from the 999 range, which is never issued to real people."""
    numbers: set[str] = set()
    while len(numbers) < count:
        candidate = f"999{rng.randrange(10**7):07d}"
        if nhs_number.is_valid(candidate):
            numbers.add(candidate)
    return sorted(numbers)


def demo_client_data(rng: random.Random, nhs: str | None) -> dict:
    sex = rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE])
    no_fixed_abode = rng.random() < 0.06
    today = datetime.date(2026, 11, 1)
    data = {
        "first_name": rng.choice(FIRST_NAMES[sex]),
        "last_name": rng.choice(LAST_NAMES),
        "date_of_birth": today - datetime.timedelta(days=rng.randint(19 * 365, 68 * 365)),
        "sex": sex,
        "gender_identity": GenderIdentity.MAN if sex == Sex.MALE else GenderIdentity.WOMAN,
        "ethnicity": rng.choices(
            [e for e, _ in ETHNICITY_WEIGHTS], [w for _, w in ETHNICITY_WEIGHTS]
        )[0],
        "nhs_number": nhs or "",
        "no_fixed_abode": no_fixed_abode,
        "phone": f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.85 else "",
        "gp_practice_code": f"Z99{rng.randrange(1, 40):03d}",
        "consent_share_with_gp": rng.random() < 0.8,
        "consent_share_with_probation": rng.random() < 0.2,
        "consent_contact_by_text": rng.random() < 0.7,
        "children_in_household": rng.random() < 0.2,
        "domestic_abuse": rng.random() < 0.1,
        "risk_to_staff": rng.random() < 0.05,
        "self_harm_risk": rng.random() < 0.08,
        "pregnant": sex == Sex.FEMALE and rng.random() < 0.05,
    }
    # Most agree to NDTMS; a few decline, a few are not asked yet (the return lists them).
    # Drawn apart from `rng`, so the rest of the demo is the one it was before the question.
    consent_rng = random.Random(f"{data['first_name']}/{data['date_of_birth']}/{nhs}")  # noqa: S311 (demo data)
    data["ndtms_consent"] = consent_rng.choices(["given", "refused", ""], weights=[90, 5, 5])[0]
    if rng.random() < 0.15 and len(data["first_name"]) > 3:
        data["preferred_name"] = data["first_name"][:3]
    if not no_fixed_abode:
        data.update(
            {
                "address_line_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                "town": "Demo City",
                "postcode": f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}"
                + "".join(rng.choices(INWARD_LETTERS, k=2)),
            }
        )
    return data


def seed_clients(rng: random.Random, org: dict, *, count: int = 200, stdout=None) -> int:
    provider = org["provider"]
    if provider.clients.exists():
        return 0
    users = org["users"]
    keyworkers = [users["keyworker"], users["keyworker2"], users["keyworker3"]]
    numbers = synthetic_nhs_numbers(rng, count + 10)
    admin = users["admin"]
    created = 0
    for index in range(count):
        keyworker = keyworkers[index % len(keyworkers)]
        data = demo_client_data(rng, numbers[index] if rng.random() < 0.9 else None)
        data["team"] = keyworker.team
        data["keyworker"] = keyworker
        data["confirm_not_duplicate"] = True  # made up one by one: never the same person
        client = client_create(actor=admin, data=data)
        if rng.random() < 0.4:
            contact_create(
                actor=admin,
                client=client,
                data={
                    "name": f"{rng.choice(FIRST_NAMES[Sex.FEMALE])} {client.last_name}",
                    "relationship": rng.choice(RELATIONSHIPS),
                    "phone": f"07700 900{rng.randrange(1000):03d}",
                    "is_emergency_contact": True,
                    "client_agrees_to_contact": True,
                },
            )
        created += 1
        if stdout and created % 50 == 0:
            stdout.write(f"  {created}/{count} clients")
    # A few clients of another provider, to show that providers never see each other's records.
    other = org["other_provider"]
    if not other.clients.exists():
        for index in range(5):
            data = demo_client_data(rng, numbers[count + index])
            data["team"] = org["other_team"]
            data["keyworker"] = users["other_keyworker"]
            data["confirm_not_duplicate"] = True
            client_create(actor=users["other_keyworker"], data=data)
    return created


def demo_client_count(provider) -> int:
    return Client.objects.filter(provider=provider).count()
