"""A hand-built journey for the NDTMS return tests: every item's value chosen here, so each
row can be written out in full by hand (October 2026)."""

import datetime

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.codes import (
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    ModalityExit,
    ModalityType,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
)
from beacon.treatment.models import Referral
from beacon.treatment.tests.factories import (
    AssessmentFactory,
    ModalityFactory,
    RecoveryPlanFactory,
    ReferralFactory,
    TreatmentEpisodeFactory,
    TriageFactory,
)

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


@pytest.fixture
def agency(provider):
    provider.ndtms_agency_code = "N0852"
    provider.save()
    return provider


@pytest.fixture
def journey(agency, team):
    """Robin Fellwood: referred by her GP on 2 Sep 2026, triaged 4 Sep, assessed 10 Sep
    (heroin smoked from 19, crack second), in treatment from 15 Sep, plan agreed 16 Sep,
    methadone from 15 Sep and a psychosocial intervention from 20 Sep ended by plan 25 Oct;
    discharged drug free 28 Oct."""
    client = ClientFactory(
        provider=agency,
        team=team,
        client_number="TRS000042",
        first_name="robin",
        last_name="Fellwood",
        date_of_birth=datetime.date(1984, 6, 15),
        postcode="LS1 4AP",
        gp_practice_code="B86001",
        ndtms_consent="given",
    )
    referral = ReferralFactory(
        client=client,
        referral_date=datetime.date(2026, 9, 2),
        source=ReferralSource.GP,
        status=Referral.Status.DISCHARGED,
    )
    TriageFactory(referral=referral, triage_date=datetime.date(2026, 9, 4))
    AssessmentFactory(
        referral=referral,
        assessment_date=datetime.date(2026, 9, 10),
        primary_substance=Substance.HEROIN,
        primary_age_first_use=19,
        primary_route=Route.SMOKE,
        secondary_substance=Substance.CRACK,
        injecting_status=InjectingStatus.PREVIOUS,
        housing_need=HousingNeed.PROBLEM,
        employment_status=EmploymentStatus.UNEMPLOYED,
        parental_status=ParentalStatus.NOT_A_PARENT,
        drinking_days=4,
        alcohol_units_typical_day=6,
    )
    episode = TreatmentEpisodeFactory(
        referral=referral,
        start_date=datetime.date(2026, 9, 15),
        discharge_date=datetime.date(2026, 10, 28),
        discharge_reason=DischargeReason.COMPLETED_DRUG_FREE,
        assessed=False,
    )
    RecoveryPlanFactory(episode=episode, agreed_on=datetime.date(2026, 9, 16))
    methadone = ModalityFactory(
        episode=episode,
        ost=True,
        referred_date=datetime.date(2026, 9, 12),
        first_appointment_offered=datetime.date(2026, 9, 14),
        start_date=datetime.date(2026, 9, 15),
        end_date=datetime.date(2026, 10, 20),
        exit_reason=ModalityExit.PLANNED,
    )
    talking = ModalityFactory(
        episode=episode,
        modality_type=ModalityType.PSYCHOSOCIAL,
        referred_date=datetime.date(2026, 9, 18),
        first_appointment_offered=datetime.date(2026, 9, 19),
        start_date=datetime.date(2026, 9, 20),
        end_date=datetime.date(2026, 10, 25),
        exit_reason=ModalityExit.PLANNED,
    )
    return referral, methadone, talking
