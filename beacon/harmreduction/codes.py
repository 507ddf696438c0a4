"""Code lists of blood-borne virus work and their NDTMS mappings, in the style of
beacon/treatment/codes.py: Beacon stores its own stable words, and a mapping gives the
dataset code, so a change of NDTMS code never rewrites a stored record.

The codes are Canary-NDTMS's dataset K lists (shared/reference/ndtms-dataset.md §3.4 and
§4.12, source S9): HEPCSTAT, HEPBSTAT and HEPBVAC. No HIV item was found in any readable
dataset, so the HIV lists are kept, and listed in NOT_SENT_TO_NDTMS with the reason.
"""

from django.db import models

from beacon.clients.codes import DATASET_K, UNMAPPED, NdtmsMapping


class Virus(models.TextChoices):
    HEPATITIS_C = "hepatitis_c", "Hepatitis C"
    HIV = "hiv", "HIV"


class TestOffer(models.TextChoices):
    ACCEPTED = "accepted", "Offered and accepted"
    DECLINED = "declined", "Offered and declined"


class TestKind(models.TextChoices):
    HEPATITIS_C_ANTIBODY = "hcv_antibody", "Hepatitis C antibody"
    HEPATITIS_C_RNA = "hcv_rna", "Hepatitis C PCR (RNA)"
    HIV = "hiv", "HIV antibody and antigen"


# Which tests belong to which virus.
TEST_KINDS = {
    Virus.HEPATITIS_C: (TestKind.HEPATITIS_C_ANTIBODY, TestKind.HEPATITIS_C_RNA),
    Virus.HIV: (TestKind.HIV,),
}


class TestResult(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    INDETERMINATE = "indeterminate", "Indeterminate: test again"


class HepatitisBOffer(models.TextChoices):
    ACCEPTED = "accepted", "Offered and accepted"
    DECLINED = "declined", "Offered and declined"
    IMMUNISED_ALREADY = "immunised_already", "Immunised already"
    ACQUIRED_IMMUNITY = "acquired_immunity", "Acquired immunity (past infection)"


class HepatitisBSchedule(models.TextChoices):
    VERY_RAPID = "very_rapid", "Very rapid: 0, 7 and 21 days, then 12 months"
    ACCELERATED = "accelerated", "Accelerated: 0, 1 and 2 months, then 12 months"
    STANDARD = "standard", "Standard: 0, 1 and 6 months"


# Each dose's day counted from the first, per schedule (UKHSA Green Book chapter 18; hazard
# H-124). A dose sooner after the one before than the schedule's gap is refused.
SCHEDULE_DAYS = {
    HepatitisBSchedule.VERY_RAPID: (0, 7, 21, 365),
    HepatitisBSchedule.ACCELERATED: (0, 28, 56, 365),
    HepatitisBSchedule.STANDARD: (0, 28, 182),
}

HEPATITIS_C_STATUS_NDTMS = {TestOffer.ACCEPTED: "A", TestOffer.DECLINED: "B"}
HEPATITIS_C_NOT_OFFERED = "D"
HEPATITIS_B_STATUS_NDTMS = {
    HepatitisBOffer.ACCEPTED: "A",
    HepatitisBOffer.DECLINED: "B",
    HepatitisBOffer.IMMUNISED_ALREADY: "C",
    HepatitisBOffer.ACQUIRED_IMMUNITY: "E",
}
HEPATITIS_B_NOT_OFFERED = "D"
HEPATITIS_B_COURSE_COMPLETED = "C"
# HEPCPOS is Y/N; an indeterminate result is not a finding either way. TestResult is the
# list of every virus's results: read it only through hepatitis_c_positive_code, which
# maps a hepatitis C result and nothing else (an HIV result is never HEPCPOS; H-126).
HEPATITIS_C_POSITIVE_NDTMS = {
    TestResult.POSITIVE: "Y",
    TestResult.NEGATIVE: "N",
    TestResult.INDETERMINATE: UNMAPPED,
}


def hepatitis_c_positive_code(virus: str, result: str) -> str | None:
    """HEPCPOS for a test's result: Y or N for a hepatitis C result; None (nothing sent)
    for another virus's result, an indeterminate one, or none yet."""
    if virus != Virus.HEPATITIS_C or not result:
        return None
    code = HEPATITIS_C_POSITIVE_NDTMS[TestResult(result)]
    return None if code is UNMAPPED else code


BBV_NDTMS_MAPPINGS = {
    TestOffer: NdtmsMapping("HEPCSTAT", DATASET_K, HEPATITIS_C_STATUS_NDTMS),
    TestResult: NdtmsMapping("HEPCPOS", DATASET_K, HEPATITIS_C_POSITIVE_NDTMS),
    HepatitisBOffer: NdtmsMapping("HEPBSTAT", DATASET_K, HEPATITIS_B_STATUS_NDTMS),
}
NOT_SENT_TO_NDTMS = {
    Virus: "which virus a record is about; HEPCSTAT and HEPCPOS carry hepatitis C only",
    TestKind: "no NDTMS item for the kind of test found (§3.4)",
    HepatitisBSchedule: "no NDTMS item for the schedule; HEPBVAC counts the doses",
}


def hepatitis_b_vaccination_count(doses: int, *, completed: bool) -> str:
    """HEPBVAC (§4.12): 1, 2 or 3 vaccinations, or C once the course is completed; "" for
    none."""
    if completed:
        return HEPATITIS_B_COURSE_COMPLETED
    return str(min(doses, 3)) if doses else ""
