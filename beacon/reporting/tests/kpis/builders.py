"""Hand-built journeys for the KPI tests, on fixed dates so each answer can be worked out
by hand (synthetic people only).

    episode = journey(client, referred=date(2025, 5, 1))      # triaged 3 days on, started 10
    journey(client, referred=..., discharged=date(2025, 9, 1)) # a successful completion
    prescription(episode, prescriber, start=date(2025, 5, 20), days=28)
"""

import datetime
from decimal import Decimal

from beacon.prescribing.models import Prescription
from beacon.prescribing.tests.factories import pharmacy_for
from beacon.treatment.codes import DischargeReason, Substance
from beacon.treatment.models import Triage
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    RecoveryPlanFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
)

date = datetime.date
METHADONE = "methadone-1mg-ml-oral-solution-sf"
# The example year.
START, END = date(2025, 4, 1), date(2026, 3, 31)


def journey(
    client,
    *,
    referred: datetime.date,
    triaged_after: int = 3,
    started_after: int = 10,
    discharged: datetime.date | None = None,
    reason: str = DischargeReason.COMPLETED_DRUG_FREE,
    substances: tuple[str, ...] = (Substance.HEROIN,),
    structured: bool = True,
    triage_outcome: str = Triage.Outcome.ACCEPTED,
):
    """A referral triaged `triaged_after` days on and an episode started `started_after`
    days on (assessed the day before it started, naming `substances`); with `structured`,
    a care plan and a psychosocial intervention from the start (structured treatment)."""
    primary, *others = substances
    assessment = {"primary_substance": primary}
    for position, substance in zip(("secondary", "tertiary"), others, strict=False):
        assessment[f"{position}_substance"] = substance
    start = referred + datetime.timedelta(days=started_after)
    episode = TreatmentEpisodeFactory(
        client=client,
        start_date=start,
        referral__referral_date=referred,
        discharge_date=discharged,
        discharge_reason=reason if discharged else "",
        assessed=False,
    )
    TriageFactory(
        referral=episode.referral,
        triage_date=referred + datetime.timedelta(days=triaged_after),
        outcome=triage_outcome,
    )
    AssessmentFactory(
        referral=episode.referral, assessment_date=start - datetime.timedelta(days=1), **assessment
    )
    if structured:
        RecoveryPlanFactory(episode=episode, agreed_on=start)
        ModalityFactory(episode=episode, referred_date=start, end_date=discharged)
    return episode


def seven_journeys(provider, team) -> None:
    """Six people in treatment in the year from April 2025, two of them completing on
    1 December 2025, and one the year before; the team at the Harbour Street hub."""
    from beacon.clients.tests.factories import ClientFactory
    from beacon.core.tests.factories import SiteFactory

    team.site = SiteFactory(provider=provider, name="Harbour Street hub")
    team.save()
    for number in range(6):
        journey(
            ClientFactory(provider=provider, team=team),
            referred=date(2025, 5, 1),
            discharged=date(2025, 12, 1) if number < 2 else None,
        )
    journey(
        ClientFactory(provider=provider, team=team),
        referred=date(2024, 5, 1),
        discharged=date(2024, 12, 1),
    )


def triage_only(client, *, referred: datetime.date, outcome: str = Triage.Outcome.ACCEPTED):
    """A referral triaged 3 days on that never started an episode."""
    return TriageFactory(
        referral__client=client,
        referral__referral_date=referred,
        triage_date=referred + datetime.timedelta(days=3),
        outcome=outcome,
    )


def prescription(
    episode,
    prescriber,
    *,
    start: datetime.date,
    days: int = 28,
    supervised_days: str = "0123456",
    home_delivery: bool = False,
) -> Prescription:
    """A methadone prescription of the episode, written as the service would have saved it."""
    return Prescription.objects.create(
        provider=episode.provider,
        client=episode.client,
        episode=episode,
        medicine=METHADONE,
        dose=Decimal(30),
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        pattern=Prescription.Pattern.DAILY,
        supervised_days=supervised_days,
        home_delivery=home_delivery,
        pharmacy=None if home_delivery else pharmacy_for(episode.provider),
        prescriber=prescriber,
        created_by=prescriber,
    )
