"""factory_boy factories for recovery plans, exit plans and TOPs (synthetic only).

Episodes and modalities come from the journey's factories:

    episode = TreatmentEpisodeFactory(client=client)     # open, started 90 days ago
    ModalityFactory(episode=episode, ost=True)            # now on OST
    plan = RecoveryPlanFactory(episode=episode)           # agreed 60 days ago, one goal
    ExitPlanFactory(episode=episode)
    TopFactory(episode=episode, stage=TopStage.START)
"""

import datetime

import factory

from beacon.treatment.codes import TopStage
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanStep,
    PlanAction,
    PlanGoal,
    RecoveryPlan,
    TreatmentOutcomesProfile,
)
from beacon.treatment.tests.factories import (  # noqa: F401 (re-exported for plan tests)
    ModalityFactory,
    TreatmentEpisodeFactory,
    days_ago,
)


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
        "beacon.treatment.tests.plan_factories.PlanGoalFactory", factory_related_name="plan"
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
    """A TOP with no use, crime or work in the period and middling ratings."""

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
    injecting_days = 0
    shop_theft_days = 0
    drug_selling_days = 0
    other_theft_days = 0
    assault_days = 0
    psychological_health = 10
    physical_health = 10
    quality_of_life = 10
    paid_work_days = 0
    education_days = 0
