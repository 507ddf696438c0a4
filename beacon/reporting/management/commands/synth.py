"""`synth --clients N --years Y --seed S [--code SYN] [--end YYYY-MM-DD]`: a synthetic
service at scale for the benchmarks: one new provider with sites, teams and staff, and N
synthetic clients whose journeys over Y years touch every module — referrals, triage,
assessments, episodes, interventions and recovery plans; OST prescriptions and their
instalments (and the coming week's home-delivery rounds); naloxone kits; needle and
syringe transactions; satisfaction surveys; appointments.

Bulk inserts a chunk of clients at a time, with a progress bar. Only synthetic people:
names are drawn from short invented lists, and nothing is read from anywhere else. The
same seed and end date give the same data (ids aside). Records are written straight to
the tables, as an import would, not through the services: no audit entries, no alerts.
"""

import datetime
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from beacon.clients.codes import Ethnicity, GenderIdentity, Sex
from beacon.clients.models import Client
from beacon.contacts.models import Appointment
from beacon.core.models import PartnerOrganisation, Provider, Site, Team, User
from beacon.core.roles import Role
from beacon.delivery.models import (
    ClientDeliveryDetails,
    DeliveryRound,
    DeliveryStop,
    DriverShift,
    Vehicle,
)
from beacon.harmreduction.models import NspItemGiven, NspTransaction
from beacon.naloxone.models import KitBatch, KitReport, NaloxoneSupply
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import Instalment, Prescription
from beacon.treatment.codes import (
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    ModalityExit,
    ModalityType,
    OstMedicine,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
)
from beacon.treatment.models import (
    Assessment,
    Modality,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    Triage,
)
from beacon.voice.models import STANDARD_SATISFACTION, Answer, Question, Response, Survey

CHUNK = 2000
DAY = datetime.timedelta(days=1)
Status = Referral.Status

FIRST_NAMES = [
    "Ashby",
    "Brin",
    "Caelan",
    "Dace",
    "Ember",
    "Fenn",
    "Garron",
    "Hollis",
    "Ivo",
    "Jessamy",
    "Kestrel",
    "Lorcan",
    "Marlow",
    "Nell",
    "Orrin",
    "Peregrine",
    "Quill",
    "Rook",
    "Sable",
    "Tamsin",
    "Umber",
    "Vesper",
    "Wren",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Bram",
    "Corin",
    "Delphine",
    "Elowen",
    "Faro",
    "Gideon",
    "Hester",
    "Isolde",
    "Jory",
    "Kit",
    "Linnet",
    "Merrin",
    "Nyle",
    "Oriel",
]
LAST_NAMES = [
    "Ashgrove",
    "Brackenridge",
    "Coldharbour",
    "Dunmore",
    "Eversleigh",
    "Fallowfield",
    "Gorsewood",
    "Hartwell",
    "Ingleby",
    "Juniper",
    "Kettlewell",
    "Larkspur",
    "Mossford",
    "Netherby",
    "Oakhurst",
    "Pennywell",
    "Quarrington",
    "Rushmere",
    "Saltmarsh",
    "Thornbury",
    "Underhill",
    "Valeford",
    "Whitlock",
    "Yarnfield",
    "Ambleside",
    "Birchall",
]
POSTCODES = [
    "LS1 4AP",
    "LS2 7EW",
    "LS6 2AA",
    "LS7 3BB",
    "LS8 1DE",
    "LS9 6FG",
    "LS11 5HJ",
    "LS12 4LN",
    "LS13 2PQ",
    "LS14 6RS",
    "LS15 8TU",
    "LS16 5WX",
    "LS17 9XY",
    "LS18 4AB",
    "LS19 6BD",
]
ETHNICITIES = [
    (Ethnicity.WHITE_BRITISH, 78),
    (Ethnicity.WHITE_OTHER, 5),
    (Ethnicity.WHITE_IRISH, 2),
    (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, 2),
    (Ethnicity.ASIAN_PAKISTANI, 3),
    (Ethnicity.ASIAN_INDIAN, 2),
    (Ethnicity.BLACK_CARIBBEAN, 2),
    (Ethnicity.BLACK_AFRICAN, 2),
    (Ethnicity.OTHER, 1),
    (Ethnicity.NOT_STATED, 3),
]
# National treatment's mix, roughly: half opiate, a third alcohol only.
GROUPS = [("opiate", 50), ("alcohol", 30), ("non_opiate", 12), ("non_opiate_alcohol", 8)]
NON_OPIATES = (Substance.CANNABIS, Substance.COCAINE, Substance.CRACK, Substance.BENZODIAZEPINES)
SOURCES = [
    (ReferralSource.SELF, 40),
    (ReferralSource.GP, 20),
    (ReferralSource.PROBATION, 10),
    (ReferralSource.HOSPITAL, 8),
    (ReferralSource.PRISON, 5),
    (ReferralSource.FAMILY, 4),
    (ReferralSource.SOCIAL_SERVICES, 4),
    (ReferralSource.MENTAL_HEALTH, 4),
    (ReferralSource.OTHER, 5),
]
UNSUCCESSFUL = [
    (DischargeReason.DROPPED_OUT, 55),
    (DischargeReason.TRANSFERRED_COMMUNITY, 15),
    (DischargeReason.WITHDRAWN_BY_PROVIDER, 8),
    (DischargeReason.MOVED_AWAY, 7),
    (DischargeReason.RETAINED_IN_CUSTODY, 6),
    (DischargeReason.DECLINED, 6),
    (DischargeReason.DIED, 3),
]
COMPLETION = {
    "opiate": DischargeReason.COMPLETED_DRUG_FREE,
    "alcohol": DischargeReason.COMPLETED_ALCOHOL_FREE,
    "non_opiate": DischargeReason.COMPLETED_OCCASIONAL_USER,
    "non_opiate_alcohol": DischargeReason.COMPLETED_DRUG_FREE,
}
METHADONE = "methadone-1mg-ml-oral-solution-sf"
BUPRENORPHINE = "buprenorphine-8mg-sublingual-tablets"
NSP_ITEMS = ("needle_orange_25g_16mm", "syringe_1ml", "filter", "spoon", "citric", "swab")
# OST starts supervised every day for its first weeks, then collects weekly.
SUPERVISED_WEEKS = 4
PRESCRIPTION_DAYS = 14


def pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Organisation:
    provider: Provider
    teams: list[Team]
    keyworkers: list[User]
    prescribers: list[User]
    manager: User
    driver: User
    vehicle: Vehicle
    pharmacies: list[PartnerOrganisation]
    batches: list[KitBatch]
    survey: Survey
    questions: list[Question]


@dataclass
class Chunk:
    """The rows of one chunk of clients, model by model, inserted in dependency order."""

    rows: dict[type, list] = field(default_factory=dict)

    def add(self, obj: Any) -> Any:
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


class Synthesiser:
    def __init__(self, *, clients: int, years: int, seed: int, code: str, end: datetime.date):
        self.clients, self.years, self.code, self.end = clients, years, code, end
        self.start = end - datetime.timedelta(days=365 * years)
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        # The staff's names from their own stream: the clients' data do not depend on how
        # many staff a size has.
        self.staff_rng = random.Random(f"{seed}-staff")  # noqa: S311
        self.counts: dict[str, int] = {}
        self.parcels = 0

    # The organisation ---------------------------------------------------------------
    @transaction.atomic
    def organisation(self) -> Organisation:
        code = self.code
        provider = Provider.objects.create(
            name=f"Synthetic Recovery Service {code}", code=code, ndtms_agency_code="X9999"
        )
        sites = [
            Site.objects.create(provider=provider, name=f"{name} hub")
            for name in ("North", "South", "East")
        ]
        teams = [
            Team.objects.create(provider=provider, site=site, name=f"{site.name} team {n}")
            for site in sites
            for n in (1, 2)
        ]

        def staff(role: str, count: int) -> list[User]:
            users = [
                User(
                    username=f"synth-{code.lower()}-{role}-{n}",
                    provider=provider,
                    role=role,
                    first_name=self.staff_rng.choice(FIRST_NAMES),
                    last_name=self.staff_rng.choice(LAST_NAMES),
                    team=teams[n % len(teams)],
                    email=f"synth-{code.lower()}-{role}-{n}@synthetic.invalid",
                    password="!synthetic",  # unusable: nobody signs in as these
                )
                for n in range(count)
            ]
            return User.objects.bulk_create(users)

        keyworkers = staff(Role.KEYWORKER, max(2, self.clients // 40))
        prescribers = staff(Role.PRESCRIBER, max(1, self.clients // 400))
        (manager,) = staff(Role.MANAGER, 1)
        council = PartnerOrganisation.objects.create(
            provider=provider, name="Synthetic Council", kind=PartnerOrganisation.Kind.COUNCIL
        )
        driver = User.objects.create(
            username=f"synth-{code.lower()}-driver",
            provider=provider,
            role=Role.DRIVER,
            partner_organisation=council,
            password="!synthetic",
        )
        vehicle = Vehicle.objects.create(
            provider=provider, partner_organisation=council, registration="SY26 NTH"
        )
        pharmacies = PartnerOrganisation.objects.bulk_create(
            PartnerOrganisation(
                provider=provider,
                name=f"Synthetic Pharmacy {n}",
                kind=PartnerOrganisation.Kind.PHARMACY,
            )
            for n in range(max(2, self.clients // 500))
        )
        batches = [
            KitBatch.objects.create(
                provider=provider,
                kit_type="prenoxad" if year % 2 else "nyxoid",
                batch_number=f"SYN{year}",
                expires_on=datetime.date(year + 3, 1, 1),
            )
            for year in range(self.start.year, self.end.year + 1)
        ]
        survey = Survey.objects.get(provider=None, key=STANDARD_SATISFACTION, version=1)
        questions = list(survey.questions.order_by("order"))
        return Organisation(
            provider,
            teams,
            keyworkers,
            prescribers,
            manager,
            driver,
            vehicle,
            pharmacies,
            batches,
            survey,
            questions,
        )

    # One client and their journeys --------------------------------------------------
    def client(self, org: Organisation, number: int, chunk: Chunk) -> None:
        rng = self.rng
        sex = Sex.MALE if rng.random() < 0.66 else Sex.FEMALE
        born = datetime.date(rng.randint(1956, 2004), rng.randint(1, 12), rng.randint(1, 28))
        team = rng.choice(org.teams)
        client = chunk.add(
            Client(
                provider=org.provider,
                client_number=f"{self.code}{number:07d}",
                team=team,
                keyworker=org.keyworkers[number % len(org.keyworkers)],
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=born,
                sex=sex,
                gender_identity=GenderIdentity.MAN if sex == Sex.MALE else GenderIdentity.WOMAN,
                ethnicity=pick(rng, ETHNICITIES),
                postcode=rng.choice(POSTCODES),
                address_line_1=f"{rng.randint(1, 200)} Synthetic Street",
                town="Synthtown",
                ndtms_consent="refused" if number % 20 == 0 else "given",  # 1 in 20 says no
            )
        )
        client.pk_hint = number  # type: ignore[attr-defined]
        span = (self.end - self.start).days
        referred = self.start + datetime.timedelta(days=rng.randint(0, span - 7))
        group = pick(rng, GROUPS)
        while referred <= self.end - 7 * DAY:
            discharged = self.journey(org, client, team, referred, group, chunk)
            if discharged is None or rng.random() > 0.2:
                break
            referred = discharged + datetime.timedelta(days=rng.randint(30, 400))

    def journey(self, org, client, team, referred, group, chunk: Chunk) -> datetime.date | None:
        """One referral and what follows it; the discharge date, or None while it is open."""
        rng = self.rng
        referral = Referral(
            provider=org.provider,
            client=client,
            referral_date=referred,
            source=pick(rng, SOURCES),
            status=Status.RECEIVED,
            created_by=client.keyworker,
        )
        chunk.add(referral)
        triaged = referred + datetime.timedelta(days=rng.randint(0, 10))
        if triaged > self.end:
            return None
        outcome = pick(
            rng,
            [
                (Triage.Outcome.ACCEPTED, 92),
                (Triage.Outcome.NOT_ATTENDED, 5),
                (Triage.Outcome.SIGNPOSTED, 3),
            ],
        )
        chunk.add(
            Triage(provider=org.provider, referral=referral, triage_date=triaged, outcome=outcome)
        )
        if outcome != Triage.Outcome.ACCEPTED:
            referral.status = Status.CLOSED
            return triaged
        referral.status = Status.TRIAGED
        assessed = triaged + datetime.timedelta(days=rng.randint(1, 14))
        if assessed > self.end:
            return None
        substances = self.substances(group)
        injecting = (
            pick(
                rng,
                [
                    (InjectingStatus.CURRENT, 30),
                    (InjectingStatus.PREVIOUS, 30),
                    (InjectingStatus.NEVER, 40),
                ],
            )
            if group == "opiate"
            else InjectingStatus.NEVER
        )
        drinks = "alcohol" in group
        chunk.add(
            Assessment(
                provider=org.provider,
                referral=referral,
                assessment_date=assessed,
                primary_substance=substances[0],
                primary_age_first_use=rng.randint(14, 35),
                primary_route=Route.INJECT
                if injecting == InjectingStatus.CURRENT
                else (Route.ORAL if substances[0] == Substance.ALCOHOL else Route.SMOKE),
                secondary_substance=substances[1] if len(substances) > 1 else "",
                injecting_status=injecting,
                alcohol_units_typical_day=rng.randint(8, 40) if drinks else None,
                drinking_days=rng.randint(10, 28) if drinks else None,
                housing_need=pick(
                    rng,
                    [(HousingNeed.NONE, 75), (HousingNeed.PROBLEM, 18), (HousingNeed.URGENT, 7)],
                ),
                employment_status=pick(
                    rng,
                    [
                        (EmploymentStatus.UNEMPLOYED, 45),
                        (EmploymentStatus.EMPLOYED, 25),
                        (EmploymentStatus.SICK_DISABLED, 20),
                        (EmploymentStatus.RETIRED, 5),
                        (EmploymentStatus.STUDENT, 5),
                    ],
                ),
                parental_status=pick(
                    rng,
                    [
                        (ParentalStatus.NOT_A_PARENT, 55),
                        (ParentalStatus.NO_CHILDREN_WITH_CLIENT, 25),
                        (ParentalStatus.ALL_CHILDREN_WITH_CLIENT, 15),
                        (ParentalStatus.SOME_CHILDREN_WITH_CLIENT, 5),
                    ],
                ),
                assessed_by=client.keyworker,
            )
        )
        referral.status = Status.ASSESSED
        started = assessed + datetime.timedelta(days=rng.randint(0, 7))
        if started > self.end:
            return None
        median = 400 if group == "opiate" else 150
        length = max(28, int(rng.lognormvariate(0, 0.6) * median))
        discharged = started + datetime.timedelta(days=length)
        successful = rng.random() < 0.45
        closed = discharged <= self.end
        reason = (COMPLETION[group] if successful else pick(rng, UNSUCCESSFUL)) if closed else ""
        episode = chunk.add(
            TreatmentEpisode(
                provider=org.provider,
                client=client,
                referral=referral,
                start_date=started,
                keyworker=client.keyworker,
                discharge_date=discharged if closed else None,
                discharge_reason=reason,
                discharged_by=client.keyworker if closed else None,
            )
        )
        referral.status = Status.DISCHARGED if closed else Status.IN_TREATMENT
        agreed = min(started + datetime.timedelta(days=rng.randint(0, 14)), self.end)
        chunk.add(
            RecoveryPlan(
                provider=org.provider,
                client=client,
                episode=episode,
                agreed_on=agreed,
                written_with_client=True,
                next_review_date=agreed + datetime.timedelta(days=90),
                created_by=client.keyworker,
            )
        )
        last_day = discharged if closed else None
        exit_reason = ModalityExit.PLANNED if successful else ModalityExit.UNPLANNED
        if group == "opiate" and rng.random() < 0.8:
            # A successful completion is drug free: substitution ends two weeks before.
            ost_end = last_day - 14 * DAY if last_day and successful else last_day
            ost_end = max(ost_end, started + 7 * DAY) if ost_end else None
            self.ost(org, client, episode, started, ost_end, exit_reason if closed else "", chunk)
        chunk.add(
            Modality(
                provider=org.provider,
                episode=episode,
                modality_type=ModalityType.PSYCHOSOCIAL,
                referred_date=started,
                first_appointment_offered=started,
                start_date=started,
                end_date=last_day,
                exit_reason=exit_reason if closed else "",
            )
        )
        self.contacts(org, client, started, last_day, chunk)
        if group == "opiate":
            self.naloxone(org, client, team, started, chunk)
            if injecting == InjectingStatus.CURRENT:
                self.nsp(org, client, team, started, last_day or self.end, chunk)
        if rng.random() < 0.25:
            answered = started + datetime.timedelta(days=rng.randint(20, 120))
            if answered <= (last_day or self.end):
                self.survey(org, team, answered, chunk)
        return discharged if closed else None

    def substances(self, group: str) -> list[str]:
        rng = self.rng
        if group == "opiate":
            second = rng.choice([Substance.CRACK, Substance.CRACK, Substance.BENZODIAZEPINES, ""])
            return [Substance.HEROIN, *([second] if second else [])]
        if group == "alcohol":
            return [Substance.ALCOHOL]
        if group == "non_opiate":
            return rng.sample(NON_OPIATES, rng.randint(1, 2))
        return [Substance.ALCOHOL, rng.choice(NON_OPIATES)]

    # Prescribing and delivery ---------------------------------------------------------
    def ost(self, org, client, episode, started, ended, exit_reason, chunk: Chunk) -> None:
        rng = self.rng
        methadone = rng.random() < 0.7
        medicine = METHADONE if methadone else BUPRENORPHINE
        dose = Decimal(rng.randrange(30, 100, 5) if methadone else rng.choice((8, 12, 16, 24)))
        first = started + datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 7)))
        if ended and ended < first:
            ended = first
        chunk.add(
            Modality(
                provider=org.provider,
                episode=episode,
                modality_type=ModalityType.PHARMACOLOGICAL,
                ost_medicine=OstMedicine.METHADONE if methadone else OstMedicine.BUPRENORPHINE,
                referred_date=started,
                first_appointment_offered=started,
                start_date=first,
                end_date=ended,
                exit_reason=exit_reason,
            )
        )
        home = rng.random() < 0.05
        # Staff and pharmacies by the client's number, so client n is alike at every size.
        pharmacy = None if home else org.pharmacies[client.pk_hint % len(org.pharmacies)]
        prescriber = org.prescribers[client.pk_hint % len(org.prescribers)]
        if home and not getattr(client, "delivery_details_made", False):
            client.delivery_details_made = True
            chunk.add(
                ClientDeliveryDetails(
                    client=client,
                    address_line_1=client.address_line_1,
                    town=client.town,
                    postcode=client.postcode,
                    access_notes="Ring the bell twice",
                )
            )
        last = ended or self.end + 13 * DAY
        day = first
        while day <= last:
            end_date = min(day + (PRESCRIPTION_DAYS - 1) * DAY, last)
            supervised = (day - first).days < SUPERVISED_WEEKS * 7
            over = end_date < self.end
            prescription = chunk.add(
                Prescription(
                    provider=org.provider,
                    client=client,
                    episode=episode,
                    medicine=medicine,
                    substance=MEDICINES[medicine].substance,
                    dose=dose,
                    dose_unit="mg",
                    start_date=day,
                    end_date=end_date,
                    pattern=Prescription.Pattern.DAILY
                    if supervised
                    else Prescription.Pattern.WEEKLY,
                    supervised_days="012345" if supervised else "",
                    pharmacy=pharmacy,
                    home_delivery=home,
                    prescriber=prescriber,
                    status=Prescription.Status.ENDED if over else Prescription.Status.ACTIVE,
                    ended_on=end_date if over else None,
                    created_by=prescriber,
                )
            )
            step = 1 if supervised else 7
            supply = day
            while supply <= end_date:
                covers = min(step, (end_date - supply).days + 1)
                self.instalment(org, client, prescription, supply, covers, supervised, home, chunk)
                supply += step * DAY
            day = end_date + DAY

    def instalment(self, org, client, prescription, day, covers, supervised, home, chunk: Chunk):
        rng = self.rng
        past = day <= self.end
        missed = past and rng.random() < 0.06
        outcome = ""
        if past:
            outcome = (
                Instalment.Outcome.MISSED
                if missed
                else (Instalment.Outcome.DELIVERED if home else Instalment.Outcome.COLLECTED)
            )
        instalment = chunk.add(
            Instalment(
                provider=org.provider,
                prescription=prescription,
                date=day,
                covers_days=covers,
                quantity=prescription.dose * covers,
                quantity_unit="mg",
                supervised=supervised and day.weekday() < 6,
                outcome=outcome,
                days_missed=covers if missed else 0,
            )
        )
        if home and self.end < day <= self.end + 7 * DAY:
            self.parcels += 1
            chunk.add(
                DeliveryStop(
                    provider=org.provider,
                    date=day,
                    round=self.round(org, day),
                    instalment=instalment,
                    client=client,
                    position=self.parcels % 200,
                    parcel_number=f"P{self.parcels:07d}",
                )
            )

    def round(self, org: Organisation, day: datetime.date) -> DeliveryRound:
        """The coming week's rounds, one a day (created when first needed)."""
        rounds = self.__dict__.setdefault("_rounds", {})
        if day not in rounds:
            shift = DriverShift.objects.create(
                provider=org.provider,
                driver=org.driver,
                vehicle=org.vehicle,
                date=day,
                start_time=datetime.time(9),
                end_time=datetime.time(15),
            )
            rounds[day] = DeliveryRound.objects.create(
                provider=org.provider,
                date=day,
                shift=shift,
                planned_at=timezone.now(),
                planned_by=org.manager,
            )
        return rounds[day]

    # Contacts, naloxone, NSP, surveys ---------------------------------------------------
    def contacts(self, org, client, first, last, chunk: Chunk) -> None:
        """An appointment with the keyworker every four weeks while in treatment (the next
        one booked while still open)."""
        rng = self.rng
        day = first
        while day <= (last or self.end + 28 * DAY):
            past = day <= self.end
            starts_at = datetime.datetime.combine(day, datetime.time(10), datetime.UTC)
            chunk.add(
                Appointment(
                    provider=org.provider,
                    client=client,
                    staff=client.keyworker,
                    starts_at=starts_at,
                    minutes=45,
                    kind="one_to_one",
                    booked=True,
                    outcome=pick(rng, [("attended", 80), ("dna", 15), ("cancelled_by_client", 5)])
                    if past
                    else "",
                    outcome_recorded_at=starts_at + datetime.timedelta(hours=1) if past else None,
                    outcome_recorded_by=client.keyworker if past else None,
                )
            )
            day += 28 * DAY

    def naloxone(self, org, client, team, started, chunk: Chunk) -> None:
        rng = self.rng
        if rng.random() > 0.6:
            return
        day = started + datetime.timedelta(days=rng.randint(0, 30))
        if day > self.end:
            return
        batch = org.batches[min(day.year - self.start.year, len(org.batches) - 1)]
        for recipient in ["client", *(["family"] if rng.random() < 0.2 else [])]:
            supply = chunk.add(
                NaloxoneSupply(
                    provider=org.provider,
                    client=client,
                    recipient=recipient,
                    recipient_name=""
                    if recipient == "client"
                    else f"{rng.choice(FIRST_NAMES)} (family)",
                    batch=batch,
                    site=team.site,
                    supplied_on=day,
                    supplied_by=client.keyworker,
                    trained_by=client.keyworker,
                )
            )
            if rng.random() < 0.05 and day + 30 * DAY <= self.end:
                chunk.add(
                    KitReport(
                        provider=org.provider,
                        supply=supply,
                        kind="used",
                        on=day + 30 * DAY,
                        used_on="someone_else",
                        outcome="survived",
                        ambulance_called=True,
                        recorded_by=client.keyworker,
                    )
                )

    def nsp(self, org, client, team, first, last, chunk: Chunk) -> None:
        """A needle and syringe transaction every two weeks while injecting."""
        rng = self.rng
        day = first
        initials = f"{client.first_name[:1]}{client.last_name[:1]}"
        while day <= last:
            transaction_ = chunk.add(
                NspTransaction(
                    provider=org.provider,
                    site=team.site,
                    date=day,
                    initials=initials,
                    date_of_birth=client.date_of_birth,
                    sex=client.sex,
                    client=client,
                    bins_out=1,
                    bins_returned=1 if rng.random() < 0.6 else 0,
                    recorded_by=client.keyworker,
                )
            )
            for item in rng.sample(NSP_ITEMS, 3):
                chunk.add(
                    NspItemGiven(
                        transaction=transaction_, item=item, quantity=rng.choice((5, 10, 20))
                    )
                )
            day += 14 * DAY

    def survey(self, org, team, day, chunk: Chunk) -> None:
        """An anonymous kiosk response to the standard satisfaction survey."""
        rng = self.rng
        response = chunk.add(
            Response(
                provider=org.provider, survey=org.survey, mode="kiosk", date=day, site=team.site
            )
        )
        score = pick(rng, [(10, 70), (9, 15), (8, 10), (6, 3), (3, 2)])
        scale, recommend, *_ = org.questions
        chunk.add(Answer(response=response, question=scale, number=score))
        chunk.add(
            Answer(response=response, question=recommend, chosen=["yes" if score >= 6 else "no"])
        )

    # Writing -------------------------------------------------------------------------
    INSERT_ORDER = (
        Client,
        ClientDeliveryDetails,
        Referral,
        Triage,
        Assessment,
        TreatmentEpisode,
        RecoveryPlan,
        Modality,
        Prescription,
        Instalment,
        DeliveryStop,
        Appointment,
        NaloxoneSupply,
        KitReport,
        NspTransaction,
        NspItemGiven,
        Response,
        Answer,
    )

    @transaction.atomic
    def write(self, chunk: Chunk) -> None:
        for model in self.INSERT_ORDER:
            rows = chunk.rows.get(model, [])
            if rows:
                self.writer.insert(model, rows)
                self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)

    def run(self, progress) -> Organisation:
        org = self.organisation()
        self.writer = TableWriter()
        with progress(total=self.clients) as bar:
            for first in range(0, self.clients, CHUNK):
                chunk = Chunk()
                for number in range(first, min(first + CHUNK, self.clients)):
                    self.client(org, number + 1, chunk)
                self.write(chunk)
                bar.update(min(CHUNK, self.clients - first))
        Provider.objects.filter(pk=org.provider.pk).update(last_client_number=self.clients)
        self.writer.reset_sequences(self.INSERT_ORDER)
        return org


class TableWriter:
    """Rows straight into their tables with executemany, several times faster than
    bulk_create for millions of rows: ids are given here (parents before children, so each
    foreign key reads its parent's id), values adapted once per field kind; PostgreSQL's
    sequences are moved past the ids given at the end."""

    BATCH = 5000

    def __init__(self) -> None:
        self.next_id: dict[type, int] = {}
        self.plans: dict[type, tuple[str, list]] = {}

    def _plan(self, model: type) -> tuple[str, list]:
        if model not in self.plans:
            ops, quote = connection.ops, connection.ops.quote_name
            fields = list(model._meta.concrete_fields)
            columns = ", ".join(quote(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            # Table and column names from the model, quoted: no outside text reaches the SQL.
            table = quote(model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            self.plans[model] = (sql, [(f, _adapter(f, ops)) for f in fields])
        return self.plans[model]

    def _id(self, model: type) -> int:
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def insert(self, model: type, objects: list) -> None:
        sql, plan = self._plan(model)
        pk = model._meta.pk
        counted = isinstance(pk, models.AutoField | models.BigAutoField)
        now = timezone.now()
        rows = []
        for obj in objects:
            if counted and obj.pk is None:
                obj.pk = self._id(model)
            row = []
            for column, adapt in plan:
                if column.is_relation:
                    parent = column.get_cached_value(obj, default=None)
                    value = parent.pk if parent is not None else getattr(obj, column.attname)
                else:
                    value = getattr(obj, column.attname)
                    if value is None and (
                        getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
                    ):
                        value = now
                row.append(None if value is None else adapt(value))
            rows.append(row)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.BATCH):
                cursor.executemany(sql, rows[start : start + self.BATCH])

    def reset_sequences(self, models_written) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_written))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _adapter(field, ops):
    """How a field's Python value becomes the database's, decided once per field."""
    if field.is_relation:
        return _adapter(field.target_field, ops)
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "BooleanField", "SlugField"):
        return _same
    if kind in (
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "AutoField",
        "BigAutoField",
        "SmallIntegerField",
    ):
        return _same
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return lambda value: field.get_db_prep_save(value, connection)


def _same(value):
    return value


class Command(BaseCommand):
    help = "Make a synthetic service of N clients over Y years in every module (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, required=True, help="How many clients.")
        parser.add_argument("--years", type=int, default=3, help="Years of history (default 3).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--code", default="SYN", help="The new provider's code, 2-6 capitals (default SYN)."
        )
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=None,
            help="The last day of the history, YYYY-MM-DD (default today).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, clients, years, seed, code, end, no_progress, **options) -> None:
        if clients < 1 or years < 1:
            raise CommandError("--clients and --years must be 1 or more")
        if not (code.isalpha() and code.isupper() and 2 <= len(code) <= 6):
            raise CommandError("--code: use 2 to 6 capital letters, for example SYN")
        if Provider.objects.filter(code=code).exists():
            raise CommandError(f"--code: a provider {code} exists already; choose another code")
        if not Survey.objects.filter(provider=None, key=STANDARD_SATISFACTION).exists():
            raise CommandError("The standard satisfaction survey is missing: run migrate")
        synth = Synthesiser(
            clients=clients, years=years, seed=seed, code=code, end=end or timezone.localdate()
        )

        def progress(total: int):
            return tqdm(total=total, unit="client", file=sys.stderr, disable=no_progress)

        org = synth.run(progress)
        if connection.vendor == "postgresql":
            # Statistics for the planner, as after any bulk load: until autovacuum came
            # round, the KPI dashboard's plans were those of empty tables (twice as slow).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Synthetic provider {org.provider.code} ({org.provider.pk}):")
        for label, count in synth.counts.items():
            self.stdout.write(f"  {label}: {count}")
