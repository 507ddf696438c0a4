"""NDTMS code lists for the treatment journey, and every list's NDTMS mapping, in one place.

Dataset version: NDTMS adult core dataset P (effective 1 April 2020; business
definitions V14.2, March 2020) is the newest dataset with public documents. Its
reference data (the official code values) could not be read — see
shared/reference/ndtms-dataset.md §0 and §7 — so:

* labels follow the P-era wording where it is public (the CJIT 2020 form, S8, for
  discharge reasons), else the dataset K lists in Canary-NDTMS (S9);
* each list's mapping (NDTMS_MAPPINGS, which also holds the client lists of
  clients/codes.py) names the NDTMS item and the dataset version its codes follow; a list
  not sent to NDTMS is in NOT_SENT_TO_NDTMS with the reason;
* a value with no known code is UNMAPPED, and ndtms_unmapped_values() lists them for the
  export's validation report, to be filled from the NDTMS reference data before the first
  live return.

Each list is a TextChoices of Beacon's own stable keys, so a change of NDTMS code
never rewrites stored records: the NDTMS extract maps keys to codes.
"""

from django.db import models

from beacon.clients.codes import (
    CLIENT_NDTMS_MAPPINGS,
    DATASET_H_K_DISRSN,
    DATASET_K,
    NO_DATASET,
    UNMAPPED,
    GenderIdentity,
    NdtmsMapping,
)


class ReferralSource(models.TextChoices):
    SELF = "self", "Self"
    GP = "gp", "GP"
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prison"
    HOSPITAL = "hospital", "Hospital (general or A&E)"
    POLICE_LIAISON_DIVERSION = "police_liaison", "Police, liaison and diversion"
    FAMILY = "family", "Family or concerned other"
    SOCIAL_SERVICES = "social_services", "Social services"
    MENTAL_HEALTH = "mental_health", "Mental health services"
    OTHER_DRUG_SERVICE = "drug_service", "Another drug or alcohol service"
    SYRINGE_EXCHANGE = "syringe_exchange", "Needle and syringe programme"
    HOUSING = "housing", "Housing or homelessness service"
    EMPLOYMENT = "employment", "Employment service"
    OTHER = "other", "Other"


# Dataset K codes (S9) where a source list had one.
REFERRAL_SOURCE_NDTMS = {
    ReferralSource.SELF: "4",
    ReferralSource.GP: "3",
    ReferralSource.PROBATION: "8",
    ReferralSource.PRISON: "13",
    ReferralSource.HOSPITAL: "22",
    ReferralSource.POLICE_LIAISON_DIVERSION: "5",
    ReferralSource.FAMILY: "24",
    ReferralSource.SOCIAL_SERVICES: "19",
    ReferralSource.MENTAL_HEALTH: "11",
    ReferralSource.OTHER_DRUG_SERVICE: "2",
    ReferralSource.SYRINGE_EXCHANGE: "10",
    ReferralSource.HOUSING: UNMAPPED,
    ReferralSource.EMPLOYMENT: "14",
    ReferralSource.OTHER: "15",
}


class Substance(models.TextChoices):
    HEROIN = "heroin", "Heroin"
    METHADONE = "methadone", "Methadone (illicit)"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine (illicit)"
    OTHER_OPIATES = "other_opiates", "Other opiates"
    CRACK = "crack", "Crack cocaine"
    COCAINE = "cocaine", "Cocaine (powder)"
    AMPHETAMINES = "amphetamines", "Amphetamines"
    ECSTASY = "ecstasy", "Ecstasy"
    CANNABIS = "cannabis", "Cannabis"
    BENZODIAZEPINES = "benzodiazepines", "Benzodiazepines"
    GABAPENTINOIDS = "gabapentinoids", "Pregabalin or gabapentin"
    NPS = "nps", "New psychoactive substances"
    KETAMINE = "ketamine", "Ketamine"
    ALCOHOL = "alcohol", "Alcohol"
    SOLVENTS = "solvents", "Solvents"
    HALLUCINOGENS = "hallucinogens", "Hallucinogens"
    PRESCRIPTION = "prescription", "Prescription-only medicines (other)"
    OTHER = "other", "Other drug"


SUBSTANCE_NDTMS = {
    Substance.HEROIN: "1011",
    Substance.METHADONE: "1105",
    Substance.BUPRENORPHINE: UNMAPPED,
    Substance.OTHER_OPIATES: "1000",
    Substance.CRACK: "3201",
    Substance.COCAINE: "3200",
    Substance.AMPHETAMINES: "3100",
    Substance.ECSTASY: "3406",
    Substance.CANNABIS: "5000",
    Substance.BENZODIAZEPINES: "2200",
    Substance.GABAPENTINOIDS: UNMAPPED,
    Substance.NPS: UNMAPPED,
    Substance.KETAMINE: UNMAPPED,
    Substance.ALCOHOL: "7000",
    Substance.SOLVENTS: "6000",
    Substance.HALLUCINOGENS: "4000",
    Substance.PRESCRIPTION: "9005",
    Substance.OTHER: "8799",
}

OPIATES = frozenset(
    {Substance.HEROIN, Substance.METHADONE, Substance.BUPRENORPHINE, Substance.OTHER_OPIATES}
)


class SubstanceGroup(models.TextChoices):
    """The groups national reports use: opiate, non-opiate, alcohol and non-opiate, alcohol."""

    OPIATE = "opiate", "Opiate"
    NON_OPIATE = "non_opiate", "Non-opiate only"
    NON_OPIATE_AND_ALCOHOL = "non_opiate_alcohol", "Non-opiate and alcohol"
    ALCOHOL = "alcohol", "Alcohol only"


def substance_group_of(substances) -> "SubstanceGroup | None":
    """The national substance group of the problem substances an assessment names (any of
    them, in any position): any opiate -> opiate; else alcohol with another drug -> non-opiate
    and alcohol; alcohol alone -> alcohol only; other drugs -> non-opiate only. None when
    nothing is recorded. The one rule: selectors.journey.substance_group and
    with_substance_group call it or mirror it (a test holds them together)."""
    named = {s for s in substances if s}
    if not named:
        return None
    if named & OPIATES:
        return SubstanceGroup.OPIATE
    if Substance.ALCOHOL in named:
        return (
            SubstanceGroup.ALCOHOL
            if named == {Substance.ALCOHOL}
            else (SubstanceGroup.NON_OPIATE_AND_ALCOHOL)
        )
    return SubstanceGroup.NON_OPIATE


class Route(models.TextChoices):
    INJECT = "inject", "Inject"
    SNIFF = "sniff", "Sniff"
    SMOKE = "smoke", "Smoke"
    ORAL = "oral", "Oral"
    OTHER = "other", "Other"


ROUTE_NDTMS = {
    Route.INJECT: "1",
    Route.SNIFF: "2",
    Route.SMOKE: "3",
    Route.ORAL: "4",
    Route.OTHER: "5",
}


class InjectingStatus(models.TextChoices):
    CURRENT = "current", "Currently injecting"
    PREVIOUS = "previous", "Previously injected (not currently)"
    NEVER = "never", "Never injected"
    DECLINED = "declined", "Declined to answer"


INJECTING_STATUS_NDTMS = {
    InjectingStatus.CURRENT: "C",
    InjectingStatus.PREVIOUS: "P",
    InjectingStatus.NEVER: "N",
    InjectingStatus.DECLINED: "Z",
}


class HousingNeed(models.TextChoices):
    URGENT = "urgent_problem", "No fixed abode: urgent housing problem"
    PROBLEM = "housing_problem", "Housing problem"
    NONE = "no_problem", "No housing problem"


HOUSING_NEED_NDTMS = {HousingNeed.URGENT: "1", HousingNeed.PROBLEM: "2", HousingNeed.NONE: "3"}


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "Regular employment"
    STUDENT = "student", "Pupil or student"
    SICK_DISABLED = "long_term_sick", "Long-term sick or disabled"
    HOMEMAKER = "homemaker", "Homemaker"
    UNEMPLOYED = "unemployed", "Unemployed and seeking work"
    NOT_ON_BENEFITS = "not_on_benefits", "Not receiving benefits"
    VOLUNTARY = "voluntary_work", "Unpaid voluntary work"
    RETIRED = "retired", "Retired from paid work"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


EMPLOYMENT_STATUS_NDTMS = {
    EmploymentStatus.EMPLOYED: "1",
    EmploymentStatus.STUDENT: "2",
    EmploymentStatus.SICK_DISABLED: "9",
    EmploymentStatus.HOMEMAKER: "10",
    EmploymentStatus.UNEMPLOYED: "12",
    EmploymentStatus.NOT_ON_BENEFITS: "13",
    EmploymentStatus.VOLUNTARY: "14",
    EmploymentStatus.RETIRED: "15",
    EmploymentStatus.OTHER: "5",
    EmploymentStatus.NOT_STATED: "99",
}


class ParentalStatus(models.TextChoices):
    ALL_CHILDREN_WITH_CLIENT = "all_live_with_client", "All the children live with the client"
    SOME_CHILDREN_WITH_CLIENT = "some_live_with_client", "Some of the children live with the client"
    NO_CHILDREN_WITH_CLIENT = "none_live_with_client", "None of the children live with the client"
    NOT_A_PARENT = "not_a_parent", "Not a parent"
    DECLINED = "declined", "Declined to answer"


# Canary's "ndtms" list (11-15), not its older local 1-7 (§4.9).
PARENTAL_STATUS_NDTMS = {
    ParentalStatus.ALL_CHILDREN_WITH_CLIENT: "11",
    ParentalStatus.SOME_CHILDREN_WITH_CLIENT: "12",
    ParentalStatus.NO_CHILDREN_WITH_CLIENT: "13",
    ParentalStatus.NOT_A_PARENT: "14",
    ParentalStatus.DECLINED: "15",
}


class ModalityType(models.TextChoices):
    """The intervention (MODAL). Where it happens is its setting (InterventionSetting): an
    inpatient detox is a pharmacological intervention in an inpatient unit, residential
    rehabilitation a psychosocial one in a residential setting (migration 0006)."""

    PHARMACOLOGICAL = "pharmacological", "Pharmacological intervention"
    PSYCHOSOCIAL = "psychosocial", "Psychosocial intervention"
    RECOVERY_SUPPORT = "recovery_support", "Recovery support"


# Dataset K's intervention codes, not the old tiered 1-12 (§4.10).
MODALITY_NDTMS = {
    ModalityType.PHARMACOLOGICAL: "94",
    ModalityType.PSYCHOSOCIAL: "95",
    ModalityType.RECOVERY_SUPPORT: "96",
}


class InterventionSetting(models.TextChoices):
    """Where an intervention is delivered (MODSET): dataset K and later record it apart from
    the intervention."""

    COMMUNITY = "community", "Community"
    PRIMARY_CARE = "primary_care", "Primary care (GP)"
    INPATIENT = "inpatient", "Inpatient unit"
    RESIDENTIAL = "residential", "Residential"
    RECOVERY_HOUSE = "recovery_house", "Recovery house"


INTERVENTION_SETTING_NDTMS = {
    InterventionSetting.COMMUNITY: "6",
    InterventionSetting.PRIMARY_CARE: "1",
    InterventionSetting.INPATIENT: "2",
    InterventionSetting.RESIDENTIAL: "8",
    InterventionSetting.RECOVERY_HOUSE: "7",
}


class OstMedicine(models.TextChoices):
    """Opioid substitution therapy within a pharmacological modality."""

    NONE = "", "Not opioid substitution"
    METHADONE = "methadone", "Methadone"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"


class ModalityExit(models.TextChoices):
    """How an intervention ended (MODEXIT). Only the first three have a known dataset code;
    the others say what happened rather than call it a planned exit."""

    PLANNED = "planned", "Mutually agreed planned exit"
    UNPLANNED = "unplanned", "Client's unilateral unplanned exit"
    WITHDRAWN = "withdrawn", "Intervention withdrawn"
    TRANSFERRED = "transferred", "Client transferred to another service"
    CUSTODY = "custody", "Client went into custody"
    MOVED_AWAY = "moved_away", "Client moved away"
    DIED = "died", "Client died"
    NOT_STARTED = "not_started", "Referred but never started"
    OTHER = "other", "Ended with the episode for another reason"


MODALITY_EXIT_NDTMS = {
    ModalityExit.PLANNED: "A",
    ModalityExit.UNPLANNED: "B",
    ModalityExit.WITHDRAWN: "C",
    ModalityExit.TRANSFERRED: UNMAPPED,
    ModalityExit.CUSTODY: UNMAPPED,
    ModalityExit.MOVED_AWAY: UNMAPPED,
    ModalityExit.DIED: UNMAPPED,
    ModalityExit.NOT_STARTED: UNMAPPED,
    ModalityExit.OTHER: UNMAPPED,
}


class DischargeReason(models.TextChoices):
    """Why an episode ended (labels: CJIT 2020 form, S8, and adult dataset K, S9)."""

    COMPLETED_DRUG_FREE = "completed_drug_free", "Treatment completed: drug free"
    COMPLETED_ALCOHOL_FREE = "completed_alcohol_free", "Treatment completed: alcohol free"
    COMPLETED_OCCASIONAL_USER = (
        "completed_occasional",
        "Treatment completed: occasional user (not opiates or crack)",
    )
    TRANSFERRED_COMMUNITY = "transferred_community", "Transferred: not in custody"
    TRANSFERRED_CUSTODY = "transferred_custody", "Transferred: in custody"
    DROPPED_OUT = "dropped_out", "Incomplete: dropped out"
    WITHDRAWN_BY_PROVIDER = "withdrawn", "Incomplete: treatment withdrawn by provider"
    DECLINED = "declined", "Incomplete: treatment declined by client"
    MOVED_AWAY = "moved_away", "Moved away"
    RETAINED_IN_CUSTODY = "custody", "Incomplete: retained in custody"
    DIED = "died", "Died"
    INAPPROPRIATE_REFERRAL = "inappropriate", "Inappropriate referral"
    OTHER = "other", "Other"


SUCCESSFUL_COMPLETIONS = frozenset(
    {
        DischargeReason.COMPLETED_DRUG_FREE,
        DischargeReason.COMPLETED_ALCOHOL_FREE,
        DischargeReason.COMPLETED_OCCASIONAL_USER,
    }
)


def is_successful_completion(reason: str) -> bool:
    """The one definition of a successful completion (NDTMS: left free of dependence)."""
    return reason in SUCCESSFUL_COMPLETIONS


# The old DISRSN list (S9 §4.2) where its label says the same; the P-era list (CJIT 2020
# labels, S8) has no visible codes, so the rest stay unmapped.
DISCHARGE_REASON_NDTMS = {
    DischargeReason.COMPLETED_DRUG_FREE: "1",
    DischargeReason.COMPLETED_ALCOHOL_FREE: UNMAPPED,
    DischargeReason.COMPLETED_OCCASIONAL_USER: UNMAPPED,
    DischargeReason.TRANSFERRED_COMMUNITY: UNMAPPED,
    DischargeReason.TRANSFERRED_CUSTODY: UNMAPPED,
    DischargeReason.DROPPED_OUT: "6",
    DischargeReason.WITHDRAWN_BY_PROVIDER: "3",
    DischargeReason.DECLINED: "12",
    DischargeReason.MOVED_AWAY: "7",
    DischargeReason.RETAINED_IN_CUSTODY: "8",
    DischargeReason.DIED: "9",
    DischargeReason.INAPPROPRIATE_REFERRAL: "13",
    DischargeReason.OTHER: "10",
}


class TopStage(models.TextChoices):
    START = "start", "Start of treatment"
    REVIEW = "review", "Review (every 6 months)"
    EXIT = "exit", "Exit"
    POST_EXIT = "post_exit", "Post-exit"


# TRSTAGE's codes were not found in any readable source.
TOP_STAGE_NDTMS = dict.fromkeys(TopStage, UNMAPPED)


class CriminalJusticeStatus(models.TextChoices):
    """Where a client stands with the criminal justice system (issue 19), kept by the justice
    app. The labels follow the CJIT 2020 form's "event that prompted the contact" (S8,
    §4.13: DRR/ATR, conditional cautioning, release from prison)."""

    DRR = "drug_rehabilitation_requirement", "Community order: Drug Rehabilitation Requirement"
    ATR = "alcohol_treatment_requirement", "Community order: Alcohol Treatment Requirement"
    LICENCE = "licence", "On licence"
    POST_SENTENCE_SUPERVISION = "post_sentence_supervision", "Post-sentence supervision"
    CONDITIONAL_CAUTION = "conditional_caution", "Conditional caution"
    RELEASED_FROM_PRISON = "released_from_prison", "Released from prison"


# The CJIT form shows these as labels only, with no codes and no item name (S8, §3.9,
# §4.13); the adult dataset P criminal-justice items were not readable (§0). Unmapped until
# the NDTMS reference data is read.
CRIMINAL_JUSTICE_ITEM = "CJIT event that prompted the contact (item name not found, §4.13)"
CRIMINAL_JUSTICE_STATUS_NDTMS = dict.fromkeys(CriminalJusticeStatus, UNMAPPED)

# Every Beacon list sent to NDTMS, its item and the dataset version its codes follow.
NDTMS_MAPPINGS = {
    **CLIENT_NDTMS_MAPPINGS,
    ReferralSource: NdtmsMapping("RFLS", DATASET_K, REFERRAL_SOURCE_NDTMS),
    Substance: NdtmsMapping("DRUG1/DRUG2/DRUG3", DATASET_K, SUBSTANCE_NDTMS),
    Route: NdtmsMapping("ROUTE", DATASET_K, ROUTE_NDTMS),
    InjectingStatus: NdtmsMapping("INJSTAT", DATASET_K, INJECTING_STATUS_NDTMS),
    HousingNeed: NdtmsMapping("ACCMNEED", DATASET_K, HOUSING_NEED_NDTMS),
    EmploymentStatus: NdtmsMapping("EMPSTAT", DATASET_K, EMPLOYMENT_STATUS_NDTMS),
    ParentalStatus: NdtmsMapping("PRNTSTAT", DATASET_K, PARENTAL_STATUS_NDTMS),
    ModalityType: NdtmsMapping("MODAL", DATASET_K, MODALITY_NDTMS),
    InterventionSetting: NdtmsMapping("MODSET", DATASET_K, INTERVENTION_SETTING_NDTMS),
    ModalityExit: NdtmsMapping("MODEXIT", DATASET_K, MODALITY_EXIT_NDTMS),
    DischargeReason: NdtmsMapping("DISRSN", DATASET_H_K_DISRSN, DISCHARGE_REASON_NDTMS),
    TopStage: NdtmsMapping("TRSTAGE", NO_DATASET, TOP_STAGE_NDTMS),
    CriminalJusticeStatus: NdtmsMapping(
        CRIMINAL_JUSTICE_ITEM, NO_DATASET, CRIMINAL_JUSTICE_STATUS_NDTMS
    ),
}

# Beacon's code lists that are not sent as NDTMS items, each with the reason.
NOT_SENT_TO_NDTMS = {
    GenderIdentity: "no NDTMS item for gender identity found in any readable dataset (§4.5)",
    SubstanceGroup: "a reporting group derived from the substances (DRUG1-3), not an item",
    OstMedicine: "told by the prescriptions; the P pharmacological sub-intervention items "
    "that would carry it were not readable (§3.5)",
}


def ndtms_code(code_list: type, value: str):
    """The NDTMS code of a Beacon value, or UNMAPPED."""
    return NDTMS_MAPPINGS[code_list].codes.get(code_list(value), UNMAPPED)


def beacon_value_for_ndtms(code_list: type, code: str) -> str | None:
    """The Beacon value an NDTMS code stands for, read back through the same mapping (an
    import may give NDTMS codes); None when no value, or more than one, maps to it."""
    values = [
        member.value
        for member, mapped in NDTMS_MAPPINGS[code_list].codes.items()
        if mapped is not UNMAPPED and str(mapped) == code
    ]
    return values[0] if len(values) == 1 else None


def ndtms_unmapped_values() -> list[tuple[str, str, str]]:
    """(NDTMS item, Beacon key, label) of every value with no known code: the export's
    validation report lists them."""
    return [
        (mapping.item, member.value, member.label)
        for code_list, mapping in NDTMS_MAPPINGS.items()
        for member in code_list
        if member.value and mapping.codes.get(member, UNMAPPED) is UNMAPPED
    ]


# Days in a TOP period, and the 0–20 ratings' range.
TOP_PERIOD_DAYS = 28
TOP_RATING_MAX = 20
# Re-presentation: a new triage within 6 calendar months (not 183 days) of a successful
# completion; selectors.journey.with_representation is the rule.
REPRESENTATION_MONTHS = 6
TOP_REVIEW_INTERVAL_DAYS = 182
