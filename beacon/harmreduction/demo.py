"""Demo NSP transactions and blood-borne virus records (synthetic only): a season (the
last thirteen weeks) of visits at both sites by regulars known only by their attributor,
some by clients, and the same dates a year earlier so the figures compare; hepatitis C
and HIV tests and hepatitis B courses for some clients."""

import datetime

from django.utils import timezone

from beacon.core.audit import AuditOrigin
from beacon.harmreduction import services
from beacon.harmreduction.codes import HepatitisBOffer, HepatitisBSchedule, TestKind, TestOffer
from beacon.harmreduction.models import NspItem, NspTransaction
from beacon.pharmacy import selectors as pharmacy_selectors

SEASON_DAYS = 91
PACKS = [
    {NspItem.NEEDLE_ORANGE: 10, NspItem.SYRINGE_1ML: 10, NspItem.FILTER: 10, NspItem.SWAB: 10},
    {NspItem.SYRINGE_FIXED_1ML: 10, NspItem.CITRIC: 10, NspItem.WATER: 10, NspItem.SPOON: 5},
    {NspItem.NEEDLE_GREEN: 5, NspItem.NEEDLE_BLUE_25: 5, NspItem.SYRINGE_2ML: 10},
    {NspItem.FOIL: 20},
]


def _attributors(rng, count: int) -> list[tuple[str, datetime.date, str]]:
    letters = "ABCDEFGHJKLMNPRSTW"
    return [
        (
            rng.choice(letters) + rng.choice(letters),
            datetime.date(rng.randint(1968, 2001), rng.randint(1, 12), rng.randint(1, 28)),
            rng.choice("MMMF"),
        )
        for _ in range(count)
    ]


def seed_harm_reduction(rng, org) -> str:
    provider = org["provider"]
    if NspTransaction.objects.filter(provider=provider).exists():
        return "NSP already seeded"
    users, origin, today = org["users"], AuditOrigin(), timezone.localdate()
    # The service's own sites: a partner pharmacy's NSP is its pharmacist's (below).
    sites = list(provider.sites.filter(pharmacy_profile__isnull=True).order_by("name"))
    recorders = [users["keyworker"], users["nurse"], users["volunteer"]]
    people = _attributors(rng, 24)
    clients = list(provider.clients.filter(keyworker=users["keyworker"]).order_by("pk")[:6])
    made = 0
    for start, visits in ((today - datetime.timedelta(days=SEASON_DAYS), 160), (None, 120)):
        first = start or (today - datetime.timedelta(days=365 + SEASON_DAYS))
        for _ in range(visits):
            day = first + datetime.timedelta(days=rng.randrange(SEASON_DAYS))
            actor = rng.choice(recorders)
            pack = dict(rng.choice(PACKS))
            bins_out = rng.choice([0, 1, 1, 2])
            who: dict = {}
            if clients and actor.role != "volunteer" and rng.random() < 0.25:
                who["client"] = rng.choice(clients)
            else:
                initials, born, sex = rng.choice(people)
                who = {"initials": initials, "date_of_birth": born, "sex": sex}
            services.nsp_transaction_record(
                actor=actor,
                site=rng.choice(sites),
                date=day,
                items=pack,
                bins_out=bins_out,
                bins_returned=rng.choice([0, bins_out, bins_out, 1]),
                origin=origin,
                **who,
            )
            made += 1
    made += _seed_pharmacy(users.get("pharmacist"), people, today, origin)
    records = _seed_bbv(users["nurse"], clients, today, origin)
    return f"{made} NSP transactions, {records} blood-borne virus records"


def _seed_pharmacy(pharmacist, people, today: datetime.date, origin) -> int:
    """A few visits at the partner pharmacy this week, recorded by its pharmacist by
    attributor (the pharmacy's site is opened by the pharmacy demo)."""
    site = pharmacy_selectors.pharmacy_site(user=pharmacist) if pharmacist else None
    if site is None:
        return 0
    for days, (initials, born, sex) in enumerate(people[:3]):
        services.nsp_transaction_record(
            actor=pharmacist,
            site=site,
            date=today - datetime.timedelta(days=days),
            items=dict(PACKS[days % len(PACKS)]),
            bins_returned=1,
            initials=initials,
            date_of_birth=born,
            sex=sex,
            origin=origin,
        )
    return 3


def _seed_bbv(nurse, clients, today: datetime.date, origin) -> int:
    made = 0
    for index, client in enumerate(clients):
        offered = today - datetime.timedelta(days=40 + 5 * index)
        if index % 2 == 0:
            services.bbv_test_record(
                actor=nurse,
                client=client,
                virus="hepatitis_c",
                offered_on=offered,
                offer=TestOffer.ACCEPTED,
                kind=TestKind.HEPATITIS_C_ANTIBODY,
                tested_on=offered,
                result="negative" if index % 4 == 0 else "",
                result_on=offered + datetime.timedelta(days=10) if index % 4 == 0 else None,
                origin=origin,
            )
        services.bbv_test_record(
            actor=nurse,
            client=client,
            virus="hiv",
            offered_on=offered,
            offer=TestOffer.DECLINED if index % 3 else TestOffer.ACCEPTED,
            origin=origin,
        )
        course = services.hepatitis_b_course_record(
            actor=nurse,
            client=client,
            offered_on=offered,
            offer=HepatitisBOffer.ACCEPTED if index % 3 != 2 else HepatitisBOffer.DECLINED,
            schedule=HepatitisBSchedule.VERY_RAPID if index % 3 != 2 else "",
            origin=origin,
        )
        made += 3
        if course.offer == HepatitisBOffer.ACCEPTED:
            for days in (0, 7, 21)[: 1 + index % 3]:
                services.hepatitis_b_dose_record(
                    actor=nurse,
                    course=course,
                    given_on=offered + datetime.timedelta(days=days),
                    origin=origin,
                )
                made += 1
    return made
