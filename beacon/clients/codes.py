"""Code lists for client details, each mapped to NDTMS, and the mapping's building blocks.

Ethnicity follows the ONS 2021 Census categories for England (19 groups plus
"not stated"); NDTMS still reports the NHS 2001 letters (reference/ndtms-dataset.md
§4.5), so each group names the letter it is reported as.

`UNMAPPED`, `NdtmsMapping` and the dataset versions live here, the lowest app with a code
list, so that treatment's lists (beacon/treatment/codes.py, which gathers every mapping in
`NDTMS_MAPPINGS`) and these share one shape.
"""

from dataclasses import dataclass

from django.db import models


class _Unmapped:
    """No known NDTMS code: the value stays explicitly unmapped, and the export's validation
    report lists it (treatment.codes.ndtms_unmapped_values)."""

    def __repr__(self) -> str:
        return "UNMAPPED"

    def __bool__(self) -> bool:
        return False


UNMAPPED = _Unmapped()

# The sources a mapping follows (shared/reference/ndtms-dataset.md, sources S8 and S9).
DATASET_K = "NDTMS adult dataset K, as implemented by Canary-NDTMS (S9, about 2013-14)"
DATASET_H_K_DISRSN = "Canary-NDTMS DISRSN list, NTA era, dataset not stated (S9, §4.2)"
NO_DATASET = "no dataset list found (P reference data not readable, §0, §7)"


@dataclass(frozen=True)
class NdtmsMapping:
    """A Beacon list's NDTMS item, the dataset version its codes follow, and the codes
    (a code or UNMAPPED for every value of the list)."""

    item: str
    dataset: str
    codes: dict


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


# Canary exports dataset K's SEX as M/F (§4.5); a code for "not known" was not found.
SEX_NDTMS = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.UNKNOWN: UNMAPPED}


class GenderIdentity(models.TextChoices):
    MAN = "M", "Man"
    WOMAN = "W", "Woman"
    NON_BINARY = "NB", "Non-binary"
    OTHER = "O", "In another way"
    NOT_STATED = "NS", "Prefers not to say"


class Ethnicity(models.TextChoices):
    WHITE_BRITISH = "WB", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "WI", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "WG", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "WR", "White: Roma"
    WHITE_OTHER = "WO", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "MC", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "MA", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "MS", "Mixed: White and Asian"
    MIXED_OTHER = "MO", "Mixed: any other Mixed or multiple ethnic background"
    ASIAN_INDIAN = "AI", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "AP", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "AB", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "AC", "Asian or Asian British: Chinese"
    ASIAN_OTHER = "AO", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "BC", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_AFRICAN = "BA", "Black, Black British, Caribbean or African: African"
    BLACK_OTHER = "BO", "Black, Black British, Caribbean or African: any other background"
    OTHER_ARAB = "OA", "Other ethnic group: Arab"
    OTHER = "OO", "Other ethnic group: any other ethnic group"
    NOT_STATED = "NS", "Not stated"


NDTMS_ETHNIC_CODE = {
    Ethnicity.WHITE_BRITISH: "A",
    Ethnicity.WHITE_IRISH: "B",
    Ethnicity.WHITE_GYPSY_TRAVELLER: "C",
    Ethnicity.WHITE_ROMA: "C",
    Ethnicity.WHITE_OTHER: "C",
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: "D",
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: "E",
    Ethnicity.MIXED_WHITE_ASIAN: "F",
    Ethnicity.MIXED_OTHER: "G",
    Ethnicity.ASIAN_INDIAN: "H",
    Ethnicity.ASIAN_PAKISTANI: "J",
    Ethnicity.ASIAN_BANGLADESHI: "K",
    Ethnicity.ASIAN_CHINESE: "R",
    Ethnicity.ASIAN_OTHER: "L",
    Ethnicity.BLACK_CARIBBEAN: "M",
    Ethnicity.BLACK_AFRICAN: "N",
    Ethnicity.BLACK_OTHER: "P",
    Ethnicity.OTHER_ARAB: "S",
    Ethnicity.OTHER: "S",
    Ethnicity.NOT_STATED: "Z",
}


class NdtmsConsent(models.TextChoices):
    """Whether the client agrees to their record going to NDTMS (CONSENT). Never assumed:
    "not asked yet" until the client answers (H-241)."""

    NOT_ASKED = "", "Not asked yet"
    GIVEN = "given", "Yes, agrees to their record going to NDTMS"
    REFUSED = "refused", "No, does not agree"


# CONSENT is Y/N (§3.1, S9; the CJIT form's "Consent for NDTMS Y/N", S8).
NDTMS_CONSENT_NDTMS = {NdtmsConsent.GIVEN: "Y", NdtmsConsent.REFUSED: "N"}

# The client lists sent to NDTMS. Gender identity is not: no NDTMS item for it was found
# in any readable dataset (§4.5), see treatment.codes.NOT_SENT_TO_NDTMS.
CLIENT_NDTMS_MAPPINGS = {
    Sex: NdtmsMapping("SEX", DATASET_K, SEX_NDTMS),
    Ethnicity: NdtmsMapping("ETHNIC", DATASET_K, NDTMS_ETHNIC_CODE),
    NdtmsConsent: NdtmsMapping("CONSENT", DATASET_K, NDTMS_CONSENT_NDTMS),
}
