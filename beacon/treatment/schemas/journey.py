"""Shapes of the journey API: referral, triage, assessment, episode, modalities, discharge.

Coded fields are the NDTMS code lists of codes.py and sizes and ranges are the models',
so a bad value is refused here with the field's name (422) before any service runs. The
journey's own rules (date order, one open episode, what may follow what) stay in the
services, which pages and API share; core/api.py turns their ValidationError into the
same 422 shape. A code that was not recorded is null here and blank in the database.
"""

import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, PlainSerializer, conint

from beacon.core.schemas import Input, IsoDate, choice, text
from beacon.treatment import codes
from beacon.treatment.codes import (
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
)
from beacon.treatment.models import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    Triage,
)
from beacon.treatment.selectors.journey import representation_to_provider


def _blank_as_none(value: Any) -> Any:
    return value or None


def _none_as_blank(value: Any) -> str:
    return value or ""


def _code_in(code_list: type) -> Any:
    """A code that may be left out: null or absent in, blank to the model."""
    return Annotated[code_list | None, PlainSerializer(_none_as_blank, return_type=str)]


def _code_out(code_list: type) -> Any:
    return Annotated[code_list | None, BeforeValidator(_blank_as_none)]


AgeFirstUse = conint(strict=True, ge=5, le=100)
AlcoholUnits = conint(strict=True, ge=0, le=200)
DaysIn28 = conint(strict=True, ge=0, le=codes.TOP_PERIOD_DAYS)

ReferrerDetails = text(200)
Notes = text(2000)
AssessmentNotes = text(4000)


# Referral ---------------------------------------------------------------------------------


class ReferralIn(Input):
    referral_date: IsoDate
    source: ReferralSource
    referrer_details: ReferrerDetails = Field("", description="Name, role and organisation")
    reason: Notes = ""


class ReferralUpdateIn(Input):
    """Every field optional: only those sent are changed; none may be null (send "" to clear
    who referred or the reason)."""

    referral_date: IsoDate = None
    source: ReferralSource = None
    referrer_details: ReferrerDetails = None
    reason: Notes = None


class TriageIn(Input):
    triage_date: IsoDate
    # No default: a triage outcome is a clinician's decision, never assumed.
    outcome: choice(Triage.Outcome) = Field(description="The triage's decision")
    notes: Notes = ""


class TriageUpdateIn(Input):
    """Every field optional: only those sent are changed; none may be null."""

    triage_date: IsoDate = None
    outcome: choice(Triage.Outcome) = None
    notes: Notes = None


class TriageOut(Schema):
    id: int
    triage_date: datetime.date
    outcome: choice(Triage.Outcome)
    notes: str
    triaged_by: str | None

    @staticmethod
    def resolve_triaged_by(triage: Triage) -> str | None:
        return triage.triaged_by.username if triage.triaged_by_id else None


class AssessmentIn(Input):
    assessment_date: IsoDate
    primary_substance: Substance
    primary_age_first_use: AgeFirstUse | None = None
    primary_route: _code_in(Route) = None
    secondary_substance: _code_in(Substance) = None
    secondary_age_first_use: AgeFirstUse | None = None
    secondary_route: _code_in(Route) = None
    tertiary_substance: _code_in(Substance) = None
    tertiary_age_first_use: AgeFirstUse | None = None
    tertiary_route: _code_in(Route) = None
    injecting_status: InjectingStatus
    alcohol_units_typical_day: AlcoholUnits | None = None
    drinking_days: DaysIn28 | None = Field(None, description="Days in the past 28 (0 to 28)")
    housing_need: HousingNeed
    employment_status: EmploymentStatus
    parental_status: ParentalStatus
    notes: AssessmentNotes = ""


class AssessmentUpdateIn(Input):
    """Every field optional: only those sent are changed. null clears an optional answer;
    the date, main substance, injecting, housing, work and parental status cannot be null."""

    assessment_date: IsoDate = None
    primary_substance: Substance = None
    primary_age_first_use: AgeFirstUse | None = None
    primary_route: _code_in(Route) = None
    secondary_substance: _code_in(Substance) = None
    secondary_age_first_use: AgeFirstUse | None = None
    secondary_route: _code_in(Route) = None
    tertiary_substance: _code_in(Substance) = None
    tertiary_age_first_use: AgeFirstUse | None = None
    tertiary_route: _code_in(Route) = None
    injecting_status: InjectingStatus = None
    alcohol_units_typical_day: AlcoholUnits | None = None
    drinking_days: DaysIn28 | None = Field(None, description="Days in the past 28 (0 to 28)")
    housing_need: HousingNeed = None
    employment_status: EmploymentStatus = None
    parental_status: ParentalStatus = None
    notes: AssessmentNotes = None


class AssessmentOut(Schema):
    id: int
    assessment_date: datetime.date
    primary_substance: Substance
    primary_age_first_use: int | None
    primary_route: _code_out(Route)
    secondary_substance: _code_out(Substance)
    secondary_age_first_use: int | None
    secondary_route: _code_out(Route)
    tertiary_substance: _code_out(Substance)
    tertiary_age_first_use: int | None
    tertiary_route: _code_out(Route)
    injecting_status: InjectingStatus
    alcohol_units_typical_day: int | None
    drinking_days: int | None
    housing_need: HousingNeed
    employment_status: EmploymentStatus
    parental_status: ParentalStatus
    notes: str


# Episode and modalities -------------------------------------------------------------------


class EpisodeStartIn(Input):
    start_date: IsoDate
    keyworker_id: int | None = Field(
        None, description="The keyworker for this episode; defaults to the client's keyworker."
    )


class EpisodeUpdateIn(Input):
    """Every field optional: only those sent are changed; neither may be null."""

    start_date: IsoDate = None
    keyworker_id: int = Field(None, description="A keyworker of the service")


class ModalityIn(Input):
    modality_type: ModalityType
    setting: InterventionSetting = Field(
        description="Where it is delivered: an inpatient detox is a pharmacological "
        "intervention in an inpatient unit, residential rehab a psychosocial one in a "
        "residential setting",
    )
    ost_medicine: OstMedicine = Field(
        OstMedicine.NONE, description="Only for a pharmacological intervention"
    )
    referred_date: IsoDate
    first_appointment_offered: IsoDate | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    exit_reason: _code_in(ModalityExit) = Field(None, description="Required with an end date")


class ModalityUpdateIn(Input):
    """Every field optional: only those sent are changed. null clears a date or the exit
    reason; the type, setting, OST medicine and referral date cannot be null. Whether it is
    structured treatment is derived (see ModalityOut.structured), never sent."""

    modality_type: ModalityType = None
    setting: InterventionSetting = None
    ost_medicine: OstMedicine = None
    referred_date: IsoDate = None
    first_appointment_offered: IsoDate | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    exit_reason: _code_in(ModalityExit) = None


class ModalityOut(Schema):
    id: int
    episode_id: int
    modality_type: ModalityType
    setting: InterventionSetting
    structured: bool = Field(
        description="Derived: not recovery support, on or after the comprehensive assessment, "
        "in an episode with a care plan"
    )
    ost_medicine: _code_out(OstMedicine)
    referred_date: datetime.date
    first_appointment_offered: datetime.date | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    exit_reason: _code_out(ModalityExit)
    is_active: bool = Field(description="Started and not yet ended")

    @staticmethod
    def resolve_is_active(modality: Modality) -> bool:
        return modality.is_active


class DischargeIn(Input):
    discharge_date: IsoDate
    discharge_reason: DischargeReason
    discharge_notes: Notes = ""


class EpisodeOut(Schema):
    """An episode as part of its referral."""

    id: int
    start_date: datetime.date
    keyworker: str | None
    discharge_date: datetime.date | None
    discharge_reason: _code_out(DischargeReason)
    discharge_notes: str
    successful_completion: bool = Field(
        description="Discharged as a successful completion (NDTMS: free of dependence)"
    )
    modalities: list[ModalityOut]

    @staticmethod
    def resolve_keyworker(episode: TreatmentEpisode) -> str | None:
        return episode.keyworker.username if episode.keyworker_id else None

    @staticmethod
    def resolve_successful_completion(episode: TreatmentEpisode) -> bool:
        return codes.is_successful_completion(episode.discharge_reason)

    @staticmethod
    def resolve_modalities(episode: TreatmentEpisode) -> list[Modality]:
        return list(episode.modalities.all())


class EpisodeDetailOut(EpisodeOut):
    """An episode read on its own: whose it is, and from which referral."""

    client_number: str
    referral_id: int

    @staticmethod
    def resolve_client_number(episode: TreatmentEpisode) -> str:
        return episode.client.client_number


# The referral with its journey ------------------------------------------------------------


class ReferralOut(Schema):
    id: int
    client_number: str
    referral_date: datetime.date
    source: ReferralSource
    referrer_details: str
    reason: str
    status: choice(Referral.Status)
    created_by: str | None
    created_at: datetime.datetime
    representation_within_6_months: bool = Field(
        description="Re-presentation to this provider: this referral was triaged (and not "
        "closed at triage) after a successful completion and within 6 calendar months of its "
        "discharge (worked out on each read, never stored). NDTMS matches people nationally, "
        "so its figure can differ"
    )
    triage: TriageOut | None
    assessment: AssessmentOut | None
    episode: EpisodeOut | None

    @staticmethod
    def resolve_client_number(referral: Referral) -> str:
        return referral.client.client_number

    @staticmethod
    def resolve_created_by(referral: Referral) -> str | None:
        return referral.created_by.username if referral.created_by_id else None

    @staticmethod
    def resolve_representation_within_6_months(referral: Referral) -> bool:
        if hasattr(referral, "represents_after_id"):  # read through with_representation
            return referral.represents_after_id is not None
        return representation_to_provider(referral=referral) is not None

    @staticmethod
    def resolve_triage(referral: Referral) -> Triage | None:
        return getattr(referral, "triage", None)

    @staticmethod
    def resolve_assessment(referral: Referral) -> Assessment | None:
        return getattr(referral, "assessment", None)

    @staticmethod
    def resolve_episode(referral: Referral) -> TreatmentEpisode | None:
        return getattr(referral, "episode", None)
