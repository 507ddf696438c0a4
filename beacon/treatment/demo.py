"""Demo treatment journeys for `seed_demo`: every stage and substance group, via the services."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from beacon.core.dates import a_year_after
from beacon.treatment.codes import (
    TOP_REVIEW_INTERVAL_DAYS,
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    InterventionSetting,
    ModalityExit,
    ModalityType,
    OstMedicine,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
    TopStage,
)
from beacon.treatment.models import PlanAction, Triage
from beacon.treatment.services import journey, plans, tops

# Substance profiles by group: (primary, secondary, tertiary, primary route).
PROFILES = {
    "opiate": [
        (Substance.HEROIN, Substance.CRACK, "", Route.INJECT),
        (Substance.HEROIN, "", "", Route.SMOKE),
        (Substance.HEROIN, Substance.CRACK, Substance.BENZODIAZEPINES, Route.INJECT),
        (Substance.OTHER_OPIATES, Substance.GABAPENTINOIDS, "", Route.ORAL),
    ],
    "non_opiate": [
        (Substance.CRACK, Substance.CANNABIS, "", Route.SMOKE),
        (Substance.COCAINE, "", "", Route.SNIFF),
        (Substance.CANNABIS, "", "", Route.SMOKE),
        (Substance.KETAMINE, Substance.COCAINE, "", Route.SNIFF),
    ],
    "non_opiate_alcohol": [
        (Substance.ALCOHOL, Substance.COCAINE, "", Route.ORAL),
        (Substance.COCAINE, Substance.ALCOHOL, "", Route.SNIFF),
    ],
    "alcohol": [(Substance.ALCOHOL, "", "", Route.ORAL)],
}
GROUP_CYCLE = ["opiate", "opiate", "opiate", "alcohol", "non_opiate", "non_opiate_alcohol"]

# Stage by position in each block of 20 clients.
STAGES = (
    ["referred"] * 2
    + ["triaged"] * 2
    + ["assessed"] * 2
    + ["in_treatment"] * 9
    + ["completed"] * 2
    + ["dropped_out", "signposted", "represented"]
)


# How long ago the referral came in, by stage: new ones recent, finished ones older.
START_DAYS_AGO = {
    "referred": (1, 14),
    "triaged": (8, 20),
    "assessed": (15, 30),
    "signposted": (8, 60),
    "in_treatment": (25, 700),
}


@dataclass
class DemoJourney:
    client: object
    keyworker: object
    group: str
    stage: str
    #: the client's place in the demo (1, 2, …): what varies the journey, never the
    #: database id, which PostgreSQL's sequences leave different from run to run
    number: int


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _assessment_data(rng: random.Random, group: str, on: datetime.date) -> dict:
    primary, secondary, tertiary, route = rng.choice(PROFILES[group])
    drinks = Substance.ALCOHOL in (primary, secondary, tertiary)
    return {
        "assessment_date": on,
        "primary_substance": primary,
        "primary_age_first_use": rng.randint(13, 30),
        "primary_route": route,
        "secondary_substance": secondary,
        "secondary_age_first_use": rng.randint(14, 35) if secondary else None,
        "secondary_route": Route.SMOKE if secondary else "",
        "tertiary_substance": tertiary,
        "tertiary_age_first_use": rng.randint(15, 40) if tertiary else None,
        "tertiary_route": Route.ORAL if tertiary else "",
        "injecting_status": InjectingStatus.CURRENT
        if route == Route.INJECT
        else rng.choice([InjectingStatus.NEVER, InjectingStatus.PREVIOUS]),
        "alcohol_units_typical_day": rng.randint(12, 40) if drinks else None,
        "drinking_days": rng.randint(15, 28) if drinks else 0,
        "housing_need": rng.choice(list(HousingNeed)),
        "employment_status": rng.choice(
            [EmploymentStatus.UNEMPLOYED, EmploymentStatus.SICK_DISABLED, EmploymentStatus.EMPLOYED]
        ),
        "parental_status": rng.choice(list(ParentalStatus)),
    }


GOALS_IN_CLIENTS_WORDS = [
    "I want to be able to pick my kids up from school again.",
    "Get my own flat and keep it.",
    "Stop using on top of my script.",
    "Be off everything by my birthday.",
    "Go back to college and finish my course.",
    "Feel well enough to go to the gym twice a week.",
]
ACTIONS = [
    ("Go to the Tuesday mutual aid meeting", PlanAction.Owner.CLIENT),
    ("Referral to the housing options team", PlanAction.Owner.KEYWORKER),
    ("Book a blood-borne virus test", PlanAction.Owner.KEYWORKER),
    ("Talk to Mum about childcare on group days", PlanAction.Owner.CLIENT),
    ("Review the dose at the next clinic", PlanAction.Owner.PRESCRIBER),
]


def _top_data(rng: random.Random, stage: str, on: datetime.date, improving: float) -> dict:
    """TOP answers: fewer using days and better ratings the further `improving` (0 to 1) is."""

    def days(high: int) -> int:
        return max(0, round(rng.randint(0, high) * (1 - improving)))

    data = {
        "stage": stage,
        "completed_on": on,
        "alcohol_days": days(20),
        "opiate_days": days(28),
        "crack_days": days(15),
        "cocaine_days": days(8),
        "amphetamine_days": 0,
        "cannabis_days": days(10),
        "other_drug_days": 0,
        "injecting_days": days(12),
        "shared_equipment": improving < 0.3 and rng.random() < 0.2,
        "shop_theft_days": days(4),
        "drug_selling_days": days(2),
        "other_theft_days": 0,
        "assault_days": 0,
        "psychological_health": min(20, 6 + round(12 * improving) + rng.randint(0, 2)),
        "physical_health": min(20, 7 + round(10 * improving) + rng.randint(0, 2)),
        "quality_of_life": min(20, 5 + round(12 * improving) + rng.randint(0, 2)),
        "acute_housing_problem": improving < 0.3 and rng.random() < 0.2,
        "at_risk_of_eviction": improving < 0.5 and rng.random() < 0.1,
        "paid_work_days": round(rng.randint(0, 10) * improving),
        "education_days": 0,
        "tobacco_days": days(28),
    }
    # The average amount on a using day for each substance used (H-80).
    if data["alcohol_days"]:
        data["alcohol_units"] = rng.randint(4, 20)
    for name, unit, high in [
        ("opiate", "grams", 1),
        ("crack", "pounds", 60),
        ("cocaine", "grams", 2),
        ("cannabis", "grams", 3),
    ]:
        if data[f"{name}_days"]:
            data[f"{name}_amount"] = Decimal(f"{rng.uniform(0.1, high):.2f}")
            data[f"{name}_amount_unit"] = unit
    # Some clients do not say (H-79): shown as "Not disclosed", never as 0.
    if rng.random() < 0.15:
        data["drug_selling_days"] = None
        data["not_disclosed"] = ["drug_selling_days"]
    return data


def _plans_and_outcomes(
    rng: random.Random, demo: DemoJourney, episode, episode_day: int, last_day: int
) -> None:
    """A recovery plan, TOPs every 6 months and, for anyone on OST, an exit plan.

    `last_day` is the last day (in days ago) the episode runs to: today, or its discharge.
    Some reviews are left overdue and some TOPs missing, so the due lists have work in them.
    """
    actor, index = demo.keyworker, demo.number
    agreed_day = max(episode_day - rng.randint(3, 10), last_day)
    overdue = index % 4 == 0 and agreed_day > 2
    if overdue:
        next_review = _days_ago(rng.randint(1, min(20, agreed_day - 1)))
    else:
        next_review = timezone.localdate() + datetime.timedelta(days=rng.randint(0, 40))
    next_review, review_later = _within_a_year(rng, _days_ago(agreed_day), next_review)
    plan = plans.recovery_plan_create(
        actor=actor,
        episode=episode,
        data={
            "agreed_on": _days_ago(agreed_day),
            "next_review_date": next_review,
            "written_with_client": True,
        },
        goals=[{"text": rng.choice(GOALS_IN_CLIENTS_WORDS), "in_clients_words": True}],
        actions=[
            {"text": text, "owner": owner, "due_date": _days_ago(agreed_day - rng.randint(5, 40))}
            for text, owner in rng.sample(ACTIONS, 2)
        ],
    )
    if review_later:
        plans.plan_review_record(actor=actor, plan=plan, data=review_later)
    # Most agreed actions that fell due before the episode's last day were done on time.
    for action in plan.actions.all():
        due_days_ago = (timezone.localdate() - action.due_date).days
        if due_days_ago > max(last_day, 0) and rng.random() < 0.85:
            plans.plan_action_done(actor=actor, action=action, done_on=action.due_date)
    if index % 5 != 0:  # every fifth client still needs a start TOP
        top_day = agreed_day
        tops.top_record(
            actor=actor,
            episode=episode,
            data=_top_data(rng, TopStage.START, _days_ago(top_day), improving=0.0),
        )
        # A review every 6 months; the last one may be overdue.
        step = 0
        while top_day - TOP_REVIEW_INTERVAL_DAYS > last_day + (25 if index % 3 == 0 else 0):
            top_day -= TOP_REVIEW_INTERVAL_DAYS
            step += 1
            tops.top_record(
                actor=actor,
                episode=episode,
                data=_top_data(rng, TopStage.REVIEW, _days_ago(top_day), min(0.9, 0.3 * step)),
            )
    if journey_on_ost(episode) and index % 3 != 0:  # a third of OST clients have no exit plan
        exit_agreed = agreed_day
        review = _days_ago(rng.randint(1, min(30, exit_agreed - 1))) if overdue else None
        review, exit_review_later = _within_a_year(
            rng,
            _days_ago(exit_agreed),
            review or timezone.localdate() + datetime.timedelta(days=rng.randint(3, 60)),
        )
        exit_plan = plans.exit_plan_create(
            actor=actor,
            episode=episode,
            data={
                "agreed_on": _days_ago(exit_agreed),
                "intended_duration_weeks": rng.choice([26, 39, 52, 78]),
                "client_view": "Come down slowly; I don't want to rush it and end up back "
                "on the gear.",
                "next_review_date": review,
            },
            steps=[
                {
                    "planned_from": _days_ago(exit_agreed) + datetime.timedelta(weeks=weeks),
                    "description": description,
                }
                for weeks, description in [
                    (12, "Reduce by 5 mg every fortnight if settled"),
                    (26, "Move to weekly pick-up, then review"),
                ]
            ],
        )
        if exit_review_later:
            plans.exit_plan_review_record(actor=actor, exit_plan=exit_plan, data=exit_review_later)


def _within_a_year(
    rng: random.Random, agreed_on: datetime.date, next_review: datetime.date
) -> tuple[datetime.date, dict | None]:
    """A plan is reviewed within a year (H-95). For a plan agreed over a year before the
    review the demo wants, the plan's first review date is a year on, and a review since
    (given back, to record once the plan exists) sets the wanted date."""
    first = a_year_after(agreed_on)
    if next_review <= first:
        return next_review, None
    reviewed_on = min(
        next_review - datetime.timedelta(days=rng.randint(60, 120)),
        timezone.localdate(),
    )
    return first, {
        "reviewed_on": max(reviewed_on, agreed_on + datetime.timedelta(days=1)),
        "notes": "Reviewed with the client; the plan still fits.",
        "next_review_date": next_review,
    }


def journey_on_ost(episode) -> bool:
    return (
        episode.modalities.filter(end_date__isnull=True, start_date__isnull=False)
        .exclude(ost_medicine="")
        .exists()
    )


def _walk(rng: random.Random, demo: DemoJourney, start_days_ago: int) -> None:
    """Take one client as far along the journey as their stage says, via the services."""
    actor, client = demo.keyworker, demo.client
    referral = journey.referral_create(
        actor=actor,
        client=client,
        data={
            "referral_date": _days_ago(start_days_ago),
            "source": rng.choice(list(ReferralSource)),
            "reason": "Wants help to cut down and get back to work.",
        },
    )
    if demo.stage == "referred":
        return
    triage_day = start_days_ago - rng.randint(1, 6)
    outcome = Triage.Outcome.SIGNPOSTED if demo.stage == "signposted" else Triage.Outcome.ACCEPTED
    journey.triage_record(
        actor=actor,
        referral=referral,
        data={"triage_date": _days_ago(triage_day), "outcome": outcome},
    )
    if demo.stage in {"triaged", "signposted"}:
        return
    assessment_day = triage_day - rng.randint(1, 7)
    journey.assessment_record(
        actor=actor,
        referral=referral,
        data=_assessment_data(rng, demo.group, _days_ago(assessment_day)),
    )
    if demo.stage == "assessed":
        return
    episode_day = assessment_day - rng.randint(0, 5)
    episode = journey.episode_start(
        actor=actor, referral=referral, data={"start_date": _days_ago(episode_day)}
    )
    on_ost = demo.group == "opiate" and demo.stage in {"in_treatment", "dropped_out"}
    if demo.group == "opiate":
        journey.modality_add(
            actor=actor,
            episode=episode,
            data={
                "modality_type": ModalityType.PHARMACOLOGICAL,
                "setting": InterventionSetting.COMMUNITY,
                "ost_medicine": rng.choice([OstMedicine.METHADONE, OstMedicine.BUPRENORPHINE])
                if on_ost
                else "",
                "referred_date": _days_ago(episode_day),
                "first_appointment_offered": _days_ago(max(episode_day - 2, 0)),
                "start_date": _days_ago(max(episode_day - 3, 0)),
            },
        )
    journey.modality_add(
        actor=actor,
        episode=episode,
        data={
            "modality_type": ModalityType.PSYCHOSOCIAL,
            "setting": InterventionSetting.COMMUNITY,
            "referred_date": _days_ago(episode_day),
            "first_appointment_offered": _days_ago(max(episode_day - 5, 0)),
            "start_date": _days_ago(max(episode_day - 7, 0)),
        },
    )
    if demo.group == "alcohol" and demo.stage == "completed":
        # A medically managed withdrawal: a pharmacological intervention in an inpatient unit.
        journey.modality_add(
            actor=actor,
            episode=episode,
            data={
                "modality_type": ModalityType.PHARMACOLOGICAL,
                "setting": InterventionSetting.INPATIENT,
                "referred_date": _days_ago(episode_day),
                "first_appointment_offered": _days_ago(episode_day - 10),
                "start_date": _days_ago(episode_day - 14),
                "end_date": _days_ago(episode_day - 24),
                "exit_reason": ModalityExit.PLANNED,
            },
        )
    if demo.stage == "in_treatment":
        _plans_and_outcomes(rng, demo, episode, episode_day, last_day=0)
        return
    discharge_day = max(episode_day - rng.randint(60, 120), 1)
    if demo.stage == "represented":
        discharge_day = max(episode_day - 60, 40)
    _plans_and_outcomes(rng, demo, episode, episode_day, last_day=discharge_day + 1)
    if demo.stage != "dropped_out":
        tops.top_record(
            actor=actor,
            episode=episode,
            data=_top_data(rng, TopStage.EXIT, _days_ago(discharge_day), improving=1.0),
        )
    reason = {
        "completed": DischargeReason.COMPLETED_DRUG_FREE
        if demo.group != "alcohol"
        else DischargeReason.COMPLETED_ALCOHOL_FREE,
        "represented": DischargeReason.COMPLETED_DRUG_FREE,
        "dropped_out": DischargeReason.DROPPED_OUT,
    }[demo.stage]
    if demo.stage == "dropped_out" and on_ost:
        # An unplanned exit: the substitute prescription stops with it.
        modality = episode.modalities.exclude(ost_medicine="").first()
        journey.modality_update(
            actor=actor,
            modality=modality,
            data={"end_date": _days_ago(discharge_day), "exit_reason": ModalityExit.UNPLANNED},
        )
    journey.episode_discharge(
        actor=actor,
        episode=episode,
        data={"discharge_date": _days_ago(discharge_day), "discharge_reason": reason},
    )
    if demo.stage == "represented":
        # Triaged again within 6 months of a successful completion: a re-presentation.
        again = journey.referral_create(
            actor=actor,
            client=client,
            data={
                "referral_date": _days_ago(discharge_day - 30),
                "source": ReferralSource.SELF,
                "reason": "Started using again after a bereavement.",
            },
        )
        journey.triage_record(
            actor=actor,
            referral=again,
            data={"triage_date": _days_ago(discharge_day - 32), "outcome": Triage.Outcome.ACCEPTED},
        )


def seed_journeys(rng: random.Random, org: dict, *, stdout=None) -> list[DemoJourney]:
    """Spread the provider's clients over every stage and substance group."""
    provider = org["provider"]
    if provider.referrals.exists():
        return []
    journeys = []
    clients = provider.clients.select_related("keyworker").order_by("client_number")
    for index, client in enumerate(clients):
        if client.keyworker is None:
            continue
        demo = DemoJourney(
            client=client,
            keyworker=client.keyworker,
            group=GROUP_CYCLE[index % len(GROUP_CYCLE)],
            stage=STAGES[index % len(STAGES)],
            number=index + 1,
        )
        _walk(rng, demo, start_days_ago=rng.randint(*START_DAYS_AGO.get(demo.stage, (250, 700))))
        journeys.append(demo)
        if stdout and len(journeys) % 50 == 0:
            stdout.write(f"  {len(journeys)} treatment journeys")
    return journeys
