"""The NDTMS adult dataset versions as data: each version's items in file order, the Beacon
value each item carries, its code list, whether it must be present, and the record that
fixes it. Moving to the current specification is a new `DatasetVersion` here, not code.

The only complete column order readable from here is dataset K's, as Canary-NDTMS
implements it (shared/reference/ndtms-dataset.md §2.3, S9), and dataset H's, the same
less the items K added; the P order and flags were not readable (§0, §7). Code lists are
not repeated here: an item names a Beacon list, whose codes live once in
`beacon.treatment.codes.NDTMS_MAPPINGS` (ADR 0005).
"""

from dataclasses import dataclass, field, replace

from django.db.models import TextChoices

from beacon.clients.codes import Ethnicity, NdtmsConsent, Sex
from beacon.harmreduction.codes import HepatitisBOffer, TestOffer
from beacon.treatment.codes import (
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    InterventionSetting,
    ModalityExit,
    ModalityType,
    ParentalStatus,
    ReferralSource,
    Route,
    Substance,
    TopStage,
)

# The records a manager opens to fix an item (selectors.ndtms.fix_link names their pages).
CLIENT, REFERRAL, TRIAGE, ASSESSMENT, EPISODE, MODALITY, PROVIDER, BBV, TOP = (
    "client",
    "referral",
    "triage",
    "assessment",
    "episode",
    "modality",
    "provider",
    "bbv",
    "top",
)


@dataclass(frozen=True)
class Item:
    """One NDTMS item. `value` names the Beacon value it carries (a key of
    selectors.ndtms.VALUES); no value means Beacon records nothing for it and it is sent
    empty. `fixed` is a value always sent (Canary's constants). `checks` names extra rules
    (selectors.ndtms.CHECKS) a present value must pass."""

    name: str
    value: str = ""
    code_list: type[TextChoices] | None = None
    required: bool = False
    fix: str = ""
    fixed: str = ""
    checks: tuple[str, ...] = ()
    # Why a required item is missing, when better said than "missing".
    missing: str = ""
    # Sent when the record holding the value says "none" (the Beacon value is "", e.g. an
    # assessment naming no second substance: Canary's 9996 for DRUG2, 9997 for DRUG3).
    # A value never asked (None: no assessment yet) is sent as the version's empty value,
    # never as a negative answer (H-225).
    when_empty: str = ""


@dataclass(frozen=True)
class DatasetVersion:
    letter: str
    title: str
    source: str
    items: tuple[Item, ...]
    # How an empty item is written, and dates (Canary: NA and YYYY-MM-DD, §2.2).
    empty: str = "NA"
    date_format: str = "%Y-%m-%d"
    # A client who does not agree to NDTMS: only these items are sent, the others are
    # `blank` (Canary's get_whitelist, §2.2).
    without_consent: tuple[str, ...] = ("AGNCY", "CLIENTID", "CONSENT")
    blank: str = ""
    # <agency>-<from>-<to>-TREAT-IN-<letter>.csv, as Canary names the file (§2.2).
    filename_pattern: str = "{agency}-{first:%Y%m%d}-{last:%Y%m%d}-TREAT-IN-{letter}.csv"
    # Items required by NDTMS for which Beacon records nothing yet, with the reason: the
    # validation report names them above the records.
    gaps: dict[str, str] = field(default_factory=dict)
    # The rules across a row's items it is checked against (selectors.ndtms.CROSS_CHECKS).
    cross_checks: tuple[str, ...] = (
        "discharge_date_and_reason_together",
        "interventions_within_the_journey",
        "referral_before_triage_and_assessment",
        "no_future_dates",
    )
    # Rules whose findings are sent as they are but listed as warnings (RECORD_WARNINGS).
    record_warnings: tuple[str, ...] = ("closed_at_triage",)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.items)

    @property
    def name(self) -> str:
        return f"NDTMS adult dataset {self.letter}"

    def filename(self, *, agency: str, first, last) -> str:
        return self.filename_pattern.format(
            agency=agency or "NOAGENCY", first=first, last=last, letter=self.letter
        )


def _blank(*names: str) -> tuple[Item, ...]:
    return tuple(Item(name) for name in names)


_YOUNG_PEOPLE_START = _blank(
    "CLALOCTN",
    "YPLAC",
    "PRNTSTAT",
    "YPSLEAD",
    "YPSMHS",
    "YPSYOT",
    "YPSSEXEX",
    "YPSSLFHM",
    "YPSUNSDR",
    "YPSOFFND",
    "YPSESTAT",
    "YPSGP",
    "YPSCAF",
    "YPSLNDIF",
    "YPSUSS",
    "YPSFOU",
    "YPTSRP",
)
_YOUNG_PEOPLE_END = _blank(
    "YPELEAD",
    "YPEMHS",
    "YPEYOT",
    "YPESEXEX",
    "YPESLFHM",
    "YPEUNSDR",
    "YPEOFFND",
    "YPECAFE",
    "YPEFOU",
    "YPELNDIF",
    "YPEUSS",
    "YPESTD",
    "YPEGP",
    "YPECAREP",
)
# Sub-intervention flags (dataset K): Beacon records no sub-interventions yet.
_SUB_INTERVENTIONS = _blank(
    "SUBMODDT",
    "SUBMID",
    "PHSTBL",
    "PHWTH",
    "PHMAIN",
    "PHRELPR",
    "PSYMOTI",
    "PSYCNMG",
    "PSYFSNI",
    "PSYCGBH",
    "PSYMNTH",
    "PSYDNMC",
    "PSYSTP",
    "PSYCOUN",
    "PSYOTHR",
    "RECPEER",
    "RECMAID",
    "RECFMSP",
    "RECPRNT",
    "RECHSE",
    "RECEMP",
    "RECEDUT",
    "RECWPRJ",
    "RECCHKP",
    "RECRLPP",
    "RECCMPT",
    "RECGNH",
    "RECOTH",
)
_TIME_IN_TREATMENT = _blank("TITDATE", "TITREAT", "TITID")
# TOP items: the episode's latest TOP completed by the month's end (§3.7). An answer not
# disclosed is sent empty. TRSTAGE has no known code: a TOP is an error until it has one.
_TOP = (
    Item("TOPDATE", "top_date", fix=TOP),
    Item("TOPID", "top_id"),
    Item("TRSTAGE", "top_stage", TopStage, fix=TOP),
    *(
        Item(name, value, fix=TOP)
        for name, value in (
            ("ALCUSE", "top_alcohol_days"),
            ("OPIUSE", "top_opiate_days"),
            ("CRAUSE", "top_crack_days"),
            ("COCAUSE", "top_cocaine_days"),
            ("AMPHUSE", "top_amphetamine_days"),
            ("CANNUSE", "top_cannabis_days"),
            ("OTDRGUSE", "top_other_drug_days"),
            ("IVDRGUSE", "top_injecting_days"),
            ("SHARING", "top_shared_equipment"),
            ("SHOTHEFT", "top_shop_theft_days"),
            ("DRGSELL", "top_drug_selling_days"),
            ("OTHTHEFT", "top_other_theft_days"),
            ("ASSAULT", "top_assault_days"),
            ("PSYHSTAT", "top_psychological_health"),
            ("PWORK", "top_paid_work_days"),
            ("EDUCAT", "top_education_days"),
            ("ACUTHPBM", "top_acute_housing_problem"),
            ("HRISK", "top_at_risk_of_eviction"),
            ("PHSTAT", "top_physical_health"),
            ("QUALLIFE", "top_quality_of_life"),
            ("INJECT", "top_injected"),
        )
    ),
    # Ever shared injecting equipment: the TOP asks about the past 28 days only.
    Item("SHARE"),
)

_ITEMS_K = (
    Item("FINITIAL", "first_initial", required=True, fix=CLIENT),
    Item("SINITIAL", "last_initial", required=True, fix=CLIENT),
    Item(
        "DOB",
        "date_of_birth",
        required=True,
        fix=CLIENT,
        checks=("born_after_1902", "adult_at_referral"),
    ),
    Item("SEX", "sex", Sex, required=True, fix=CLIENT),
    Item("ETHNIC", "ethnicity", Ethnicity, fix=CLIENT),
    Item("NATION"),
    Item("REFLD", "referral_date", required=True, fix=REFERRAL),
    Item("AGNCY", "agency", required=True, fix=PROVIDER),
    Item("CLIENT", "client_number", required=True),
    Item("CLIENTID", "client_number", required=True),
    Item("EPISODID", "journey_id", required=True),
    Item(
        "CONSENT",
        "ndtms_consent",
        NdtmsConsent,
        required=True,
        fix=CLIENT,
        missing="not asked: ask the client whether their record may go to NDTMS",
    ),
    # Y when Beacon holds an earlier treatment of the client; else not known (H-225).
    Item("PREVTR", "previously_treated"),
    Item("PC", "postcode", fix=CLIENT),
    Item("ACCMNEED", "housing_need", HousingNeed, fix=ASSESSMENT),
    *_YOUNG_PEOPLE_START[:2],
    Item("PRNTSTAT", "parental_status", ParentalStatus, fix=ASSESSMENT),
    *_YOUNG_PEOPLE_START[3:],
    *_blank("DAT", "PCT", "LA"),
    Item("GPPTCE", "gp_practice_code", fix=CLIENT),
    Item("DRUG1", "drug1", Substance, required=True, fix=ASSESSMENT),
    Item("DRUG1AGE", "drug1_age", fix=ASSESSMENT),
    Item("ROUTE", "drug1_route", Route, fix=ASSESSMENT),
    Item("DRUG2", "drug2", Substance, fix=ASSESSMENT, when_empty="9996"),
    Item("DRUG3", "drug3", Substance, fix=ASSESSMENT, when_empty="9997"),
    Item("RFLS", "referral_source", ReferralSource, required=True, fix=REFERRAL),
    Item("TRIAGED", "triage_date", required=True, fix=TRIAGE, checks=("not_before_referral",)),
    Item("CPLANDT", "care_plan_date"),
    Item("INJSTAT", "injecting_status", InjectingStatus, fix=ASSESSMENT),
    Item("CHILDWTH"),
    # Y/N only (§3.1); Beacon's flag records a yes, never a no: not flagged is not known.
    Item("PREGNANT", "pregnant", fix=CLIENT),
    Item("ALCDDAYS", "drinking_days", fix=ASSESSMENT),
    Item("ALCUNITS", "alcohol_units", fix=ASSESSMENT),
    Item("DUALDIAG"),
    # Blood-borne virus work from harm reduction (the latest by the month's end, §3.4).
    Item("HEPCTSTD", "hep_c_tested_on", fix=BBV),
    Item("HEPCSTAT", "hep_c_status", TestOffer, fix=BBV),
    Item("HEPCTD", "hep_c_not_asked"),
    Item("HEPBVAC", "hep_b_vaccinations", fix=BBV),
    Item("HEPBSTAT", "hep_b_status", HepatitisBOffer, fix=BBV),
    Item("HLCASSDT"),
    # Canary always sent N; Beacon records no TOP care coordination: not known (H-225).
    Item("TOPCC"),
    Item("DISD", "discharge_date", fix=EPISODE),
    Item("DISRSN", "discharge_reason", DischargeReason, fix=EPISODE),
    Item("DISDEST"),
    *_YOUNG_PEOPLE_END,
    Item("MODAL", "modality_type", ModalityType, fix=MODALITY),
    Item("REFMODDT", "modality_referred_date", fix=MODALITY),
    Item("MODSET", "modality_setting", InterventionSetting, fix=MODALITY),
    Item("MODID", "modality_id"),
    Item("FAOMODDT", "modality_first_offered", fix=MODALITY),
    Item("MODST", "modality_start", fix=MODALITY),
    Item("MODEND", "modality_end", fix=MODALITY),
    Item("MODEXIT", "modality_exit", ModalityExit, fix=MODALITY),
    *_SUB_INTERVENTIONS,
    *_TIME_IN_TREATMENT,
    *_TOP,
    Item("PREVHEPB"),
    Item("HEPCPOS", "hep_c_positive", fix=BBV),
    *_blank("REFHEPGY", "SEXUAL"),
    Item("EMPSTAT", "employment_status", EmploymentStatus, fix=ASSESSMENT),
    Item("OPRAGNCY"),
)

# What Beacon does not hold, or holds only in part: sent as said, listed as warnings.
_GAPS = {
    "DAT": "Beacon holds no partnership (DAT), PCT or local authority of residence (the "
    "provider and site settings have none, and the postcode is not looked up): DAT, PCT "
    "and LA are sent empty (H-249)",
    "PCT": "see DAT: sent empty",
    "LA": "see DAT: sent empty",
    "PREGNANT": "Beacon's client flag records a pregnancy, never a 'no': Y when flagged, "
    "otherwise sent empty as not known (H-225)",
    "PREVTR": "Y when Beacon holds an earlier treatment of the client; treatment elsewhere "
    "or before Beacon is not recorded, so otherwise sent empty as not known (H-225)",
    "TOPCC": "Beacon records no TOP care coordination: sent empty as not known (H-225)",
    "HEPCTD": "only 'not asked' (99) has a known code: sent when Beacon holds no hepatitis C "
    "offer, empty once one is held (H-249)",
    "PREVHEPB": "Beacon records no past hepatitis B infection apart from the hepatitis B "
    "offer's 'acquired immunity' (HEPBSTAT): sent empty (H-249)",
    "REFHEPGY": "Beacon records no referral to hepatology: sent empty (H-249)",
    "DUALDIAG": "Beacon records no dual diagnosis: sent empty (H-249)",
    "HLCASSDT": "Beacon records no healthcare assessment date: sent empty (H-249)",
    "SUBMODDT": "Beacon records no sub-interventions (reviews, pharmacological, psychosocial "
    "and recovery-support flags): SUBMODDT, SUBMID and the PH*, PSY* and REC* items are sent "
    "empty (H-249)",
    "SHARE": "the TOP asks about sharing in the past 28 days (SHARING), not ever: SHARE is "
    "sent empty (H-249)",
}

DATASET_K = DatasetVersion(
    letter="K",
    title="NDTMS adult dataset K (column order as Canary-NDTMS implements it, about 2013-14)",
    source="shared/reference/ndtms-dataset.md §2.3 (S9, Ndtms_k.php::get_schema)",
    items=_ITEMS_K,
    gaps=_GAPS,
)

# Dataset H: K without the setting, the sub-interventions and time in treatment (§2.3).
_NOT_IN_H = {"MODSET", *(item.name for item in (*_SUB_INTERVENTIONS, *_TIME_IN_TREATMENT))}
DATASET_H = replace(
    DATASET_K,
    letter="H",
    title="NDTMS adult dataset H (2011, csv_model.php in Canary-NDTMS)",
    source="shared/reference/ndtms-dataset.md §2.3 (S9, csv_model.php)",
    items=tuple(item for item in _ITEMS_K if item.name not in _NOT_IN_H),
)

DATASET_VERSIONS = {version.letter: version for version in (DATASET_K, DATASET_H)}
# The version the return is written in: the newest whose column order is known.
CURRENT = DATASET_K


def dataset_version(letter: str | None = None) -> DatasetVersion:
    return DATASET_VERSIONS[letter] if letter else CURRENT
