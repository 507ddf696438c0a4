"""factory_boy factories for treatment: the journey from referral to discharge, recovery
plans, exit plans and TOPs (synthetic only).

Dates default to the past in journey order (referral, triage, assessment, episode
start, modality), the provider is the client's, and each record's referral has the
status it would have reached through the services:

    episode = TreatmentEpisodeFactory(client=client)             # open, in treatment
    TreatmentEpisodeFactory(client=client, discharged=True)      # successful completion
    ModalityFactory(episode=episode, ost=True)                   # methadone, running
    plan = RecoveryPlanFactory(episode=episode)                  # agreed 60 days ago, one goal
    ExitPlanFactory(episode=episode)
    TopFactory(episode=episode, stage=TopStage.START)
"""

import datetime

import factory
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.codes import (
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    ModalityType,
    OstMedicine,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
    TopStage,
)
from beacon.treatment.models import (
    Assessment,
    ExitPlan,
    ExitPlanStep,
    Modality,
    PlanAction,
    PlanGoal,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
    Triage,
)

Status = Referral.Status


def days(offset: int) -> datetime.date:
    """The date `offset` days from today: negative in the past."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def days_ago(count: int) -> datetime.date:
    return days(-count)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    client = factory.SubFactory(ClientFactory)
    provider = factory.LazyAttribute(lambda o: o.client.provider)
    referral_date = factory.LazyFunction(lambda: days_ago(120))
    source = ReferralSource.SELF
    referrer_details = ""
    reason = "Wants help with heroin use"
    status = Status.RECEIVED


def after_referral(days: int) -> factory.LazyAttribute:
    """A step's date this many days after its referral's."""
    return factory.LazyAttribute(lambda o: o.referral.referral_date + datetime.timedelta(days))


class ReferralStepFactory(factory.django.DjangoModelFactory):
    """What a referral leads to (its triage, its assessment), in the referral's provider."""

    class Meta:
        abstract = True

    provider = factory.LazyAttribute(lambda o: o.referral.provider)


class TriageFactory(ReferralStepFactory):
    class Meta:
        model = Triage

    referral = factory.SubFactory(ReferralFactory, status=Status.TRIAGED)
    triage_date = after_referral(days=3)
    outcome = Triage.Outcome.ACCEPTED


class AssessmentFactory(ReferralStepFactory):
    class Meta:
        model = Assessment

    referral = factory.SubFactory(ReferralFactory, status=Status.ASSESSED)
    assessment_date = after_referral(days=10)
    primary_substance = Substance.HEROIN
    primary_age_first_use = 19
    primary_route = Route.SMOKE
    injecting_status = InjectingStatus.NEVER
    housing_need = HousingNeed.NONE
    employment_status = EmploymentStatus.UNEMPLOYED
    parental_status = ParentalStatus.NOT_A_PARENT


class TreatmentEpisodeFactory(factory.django.DjangoModelFactory):
    """An open episode (its referral in treatment); `discharged=True` ends it successfully.

    Pass `client` (a referral is made for them) or `referral` (its client is used).
    """

    class Meta:
        model = TreatmentEpisode
        skip_postgeneration_save = True

    class Params:
        discharged = factory.Trait(
            discharge_date=factory.LazyAttribute(
                lambda o: o.start_date + datetime.timedelta(days=60)
            ),
            discharge_reason=DischargeReason.COMPLETED_DRUG_FREE,
        )

    client = factory.SubFactory(ClientFactory)
    provider = factory.LazyAttribute(lambda o: o.client.provider)
    start_date = factory.LazyFunction(lambda: days_ago(90))
    referral = factory.SubFactory(
        ReferralFactory,
        client=factory.SelfAttribute("..client"),
        referral_date=factory.LazyAttribute(
            lambda o: o.factory_parent.start_date - datetime.timedelta(days=21)
        ),
        status=factory.LazyAttribute(
            lambda o: Status.DISCHARGED if o.factory_parent.discharge_date else Status.IN_TREATMENT
        ),
    )
    keyworker = factory.LazyAttribute(lambda o: o.client.keyworker)
    discharge_date = None
    discharge_reason = ""

    @factory.post_generation
    def assessed(obj, create, extracted, **kwargs):
        """Every episode has an assessment naming its primary substance before its first
        intervention (as the services require); `assessed=False` leaves it for the test."""
        if not create or extracted is False or hasattr(obj.referral, "assessment"):
            return
        AssessmentFactory(
            referral=obj.referral,
            assessment_date=min(
                obj.referral.referral_date + datetime.timedelta(days=10), obj.start_date
            ),
            **kwargs,
        )

    @factory.post_generation
    def care_planned(obj, create, extracted, **kwargs):
        """`care_planned=True`: a recovery plan agreed on the start date, so its
        interventions are structured treatment (a successful completion needs one)."""
        if create and extracted:
            RecoveryPlanFactory(episode=obj, agreed_on=obj.start_date, **kwargs)

    @classmethod
    def create(cls, **kwargs):
        if "referral" in kwargs and "client" not in kwargs:
            kwargs["client"] = kwargs["referral"].client
        return super().create(**kwargs)

    @classmethod
    def build(cls, **kwargs):
        if "referral" in kwargs and "client" not in kwargs:
            kwargs["client"] = kwargs["referral"].client
        return super().build(**kwargs)


def journey_episode(client, *, discharged: bool = False, modality_referred: int = 88):
    """A whole journey: referred 100 days ago, triaged 98, assessed 95, in treatment from 90,
    an intervention referred `modality_referred` days ago."""
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=days_ago(90),
        referral__referral_date=days_ago(100),
        discharged=discharged,
        assessed=False,
    )
    TriageFactory(referral=episode.referral, triage_date=days_ago(98))
    AssessmentFactory(referral=episode.referral, assessment_date=days_ago(95))
    ModalityFactory(episode=episode, referred_date=days_ago(modality_referred))
    return episode


class ModalityFactory(factory.django.DjangoModelFactory):
    """A running psychosocial intervention; `ost=True` makes it methadone substitution."""

    class Meta:
        model = Modality

    class Params:
        ost = factory.Trait(
            modality_type=ModalityType.PHARMACOLOGICAL, ost_medicine=OstMedicine.METHADONE
        )

    episode = factory.SubFactory(TreatmentEpisodeFactory)
    provider = factory.LazyAttribute(lambda o: o.episode.provider)
    modality_type = ModalityType.PSYCHOSOCIAL
    ost_medicine = OstMedicine.NONE
    referred_date = factory.LazyAttribute(lambda o: o.episode.start_date)
    first_appointment_offered = factory.LazyAttribute(lambda o: o.referred_date)
    start_date = factory.LazyAttribute(lambda o: o.referred_date)


def date_input(name: str, value: datetime.date) -> dict:
    """A date as the three boxes of an NHS.UK date input post it."""
    return {f"{name}[day]": value.day, f"{name}[month]": value.month, f"{name}[year]": value.year}


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan
        skip_postgeneration_save = True

    episode = factory.SubFactory(TreatmentEpisodeFactory)
    client = factory.LazyAttribute(lambda o: o.episode.client)
    provider = factory.LazyAttribute(lambda o: o.episode.provider)
    agreed_on = factory.LazyFunction(lambda: days_ago(60))
    written_with_client = True
    next_review_date = factory.LazyAttribute(lambda o: o.agreed_on + datetime.timedelta(days=90))
    goal = factory.RelatedFactory(
        "beacon.treatment.tests.factories.PlanGoalFactory", factory_related_name="plan"
    )


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(RecoveryPlanFactory, goal=None)
    provider = factory.LazyAttribute(lambda o: o.plan.provider)
    text = "I want to be off heroin by my daughter's birthday"
    in_clients_words = True


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(RecoveryPlanFactory)
    provider = factory.LazyAttribute(lambda o: o.plan.provider)
    text = "Book a GP appointment about sleep"
    owner = PlanAction.Owner.CLIENT
    due_date = factory.LazyAttribute(lambda o: o.plan.agreed_on + datetime.timedelta(days=14))


class ExitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitPlan

    episode = factory.SubFactory(TreatmentEpisodeFactory)
    client = factory.LazyAttribute(lambda o: o.episode.client)
    provider = factory.LazyAttribute(lambda o: o.episode.provider)
    agreed_on = factory.LazyFunction(lambda: days_ago(30))
    intended_duration_weeks = 26
    client_view = "Come down slowly, and stop before the summer"
    next_review_date = factory.LazyAttribute(lambda o: o.agreed_on + datetime.timedelta(days=90))


class ExitPlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitPlanStep

    exit_plan = factory.SubFactory(ExitPlanFactory)
    provider = factory.LazyAttribute(lambda o: o.exit_plan.provider)
    planned_from = factory.LazyAttribute(
        lambda o: o.exit_plan.agreed_on + datetime.timedelta(days=28)
    )
    description = "Reduce methadone to 40 mg daily"


class TopFactory(factory.django.DjangoModelFactory):
    """A TOP with no use, crime or work in the period and middling ratings: every answer is
    given explicitly (the model has no defaults; "not disclosed" is `not_disclosed`)."""

    class Meta:
        model = TreatmentOutcomesProfile

    episode = factory.SubFactory(TreatmentEpisodeFactory)
    client = factory.LazyAttribute(lambda o: o.episode.client)
    provider = factory.LazyAttribute(lambda o: o.episode.provider)
    stage = TopStage.START
    completed_on = factory.LazyAttribute(lambda o: o.episode.start_date)
    alcohol_days = 0
    opiate_days = 0
    crack_days = 0
    cocaine_days = 0
    amphetamine_days = 0
    cannabis_days = 0
    other_drug_days = 0
    tobacco_days = 0
    injecting_days = 0
    shared_equipment = False
    shop_theft_days = 0
    drug_selling_days = 0
    other_theft_days = 0
    assault_days = 0
    psychological_health = 10
    physical_health = 10
    quality_of_life = 10
    acute_housing_problem = False
    at_risk_of_eviction = False
    paid_work_days = 0
    education_days = 0
