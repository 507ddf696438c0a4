"""Treatment journey records: referral to discharge, recovery plans and exit plans, TOP."""

from beacon.treatment.models.journey import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    Triage,
)
from beacon.treatment.models.plans import (
    ExitPlan,
    ExitPlanReview,
    ExitPlanStep,
    PlanAction,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
)
from beacon.treatment.models.tops import TreatmentOutcomesProfile

__all__ = [
    "Assessment",
    "ExitPlan",
    "ExitPlanReview",
    "ExitPlanStep",
    "Modality",
    "PlanAction",
    "PlanGoal",
    "PlanReview",
    "RecoveryPlan",
    "Referral",
    "TreatmentEpisode",
    "TreatmentOutcomesProfile",
    "Triage",
]
