"""The files of a history import and export: each file's columns, what they hold, and how a
cell is read. docs/import.md describes the same files (a test keeps the two agreed)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models

from beacon.clients.codes import Ethnicity, GenderIdentity, Sex
from beacon.core.roles import Role
from beacon.harmreduction.models import NspItem
from beacon.naloxone.models import KitType, Recipient
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import Prescription
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
    TopStage,
    beacon_value_for_ndtms,
)
from beacon.treatment.models import PlanAction, Triage
from beacon.treatment.models.tops import (
    AMOUNT_FOR_DAYS,
    DAY_FIELDS,
    DRUG_AMOUNT_FIELDS,
    FLAG_FIELDS,
    RATING_FIELDS,
)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class CellError(ValueError):
    """A cell that cannot be read: the message says why, in plain words."""


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str = "text"  # text, date, whole number, decimal, yes/no, code, reference
    required: bool = False
    codes: type[models.TextChoices] | None = None  # a Beacon code list
    values: tuple[str, ...] = ()  # a fixed list of words that is not a code list
    ndtms: bool = False  # the file may give `<name>_ndtms` (the NDTMS code) instead

    def read(self, raw: str | None) -> object:
        """The cell as Beacon keeps it, or CellError. Empty is None (text: "")."""
        text = "" if raw is None else str(raw).strip()
        if not text:
            if self.required:
                raise CellError("This column must be filled in")
            return "" if self.kind in ("text", "code", "reference") else None
        if self.kind == "date":
            return read_date(text)
        if self.kind == "whole number":
            if not text.lstrip("-").isdigit():
                raise CellError("Give a whole number")
            return int(text)
        if self.kind == "decimal":
            try:
                return Decimal(text)
            except InvalidOperation:
                raise CellError("Give a number, for example 30 or 2.5") from None
        if self.kind == "yes/no":
            if text.lower() in YES:
                return True
            if text.lower() in NO:
                return False
            raise CellError("Give yes or no")
        if self.codes is not None and text not in self.codes.values:
            raise CellError(f"Not a code of {self.codes.__name__}: see docs/import.md")
        if self.values and text not in self.values:
            raise CellError("Give one of: " + ", ".join(self.values))
        return text

    def read_ndtms(self, raw: str) -> str:
        value = beacon_value_for_ndtms(self.codes, str(raw).strip())
        if value is None:
            raise CellError(
                f"Not an NDTMS code Beacon maps to one value of {self.codes.__name__}: give "
                "Beacon's code instead (docs/import.md)"
            )
        return value


def read_date(text: str) -> datetime.date:
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text[:10], form).date()
        except ValueError:
            continue
    raise CellError("Give a date as 2024-03-31 or 31/03/2024")


@dataclass(frozen=True)
class FileFormat:
    name: str  # the file's name without .csv, and its sheet's name in a workbook
    kind: str  # the record kind its id refers to (ExternalReference.kind)
    description: str
    columns: list[Column] = field(default_factory=list)
    id_column: str = ""
    client_column: str = "client_id"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _id(what: str) -> Column:
    return Column(
        f"{what}_id",
        f"The old system's id of the {what.replace('_', ' ')}, unique in this file",
        kind="reference",
        required=True,
    )


def _ref(name: str, what: str, required: bool = True) -> Column:
    return Column(
        name, f"The id of the {what} (as in its file)", kind="reference", required=required
    )


CLIENT = _ref("client_id", "client (clients file)")

SITES = FileFormat(
    "sites",
    "site",
    "The service's sites.",
    [
        _id("site"),
        Column("name", "The site's name", required=True),
        Column("postcode", "The site's postcode"),
    ],
    id_column="site_id",
    client_column="",
)

TEAMS = FileFormat(
    "teams",
    "team",
    "The service's teams; matched to Beacon's by name.",
    [
        _id("team"),
        Column("name", "The team's name, unique in the service", required=True),
        _ref("site_id", "site the team works from (sites file)", required=False),
    ],
    id_column="team_id",
    client_column="",
)

STAFF = FileFormat(
    "staff",
    "staff",
    "Staff named by the other files (keyworkers, "
    "prescribers), as references: matched to Beacon's accounts by user name; "
    "one not found is made without a password, unable to sign in until a "
    "manager sets them up.",
    [
        _id("staff"),
        Column("username", "Their Beacon user name", required=True),
        Column("first_name", "First name"),
        Column("last_name", "Last name"),
        Column("role", "Their role", kind="code", required=True, codes=Role),
        _ref("team_id", "their team (teams file)", required=False),
    ],
    id_column="staff_id",
    client_column="",
)

PHARMACIES = FileFormat(
    "pharmacies",
    "pharmacy",
    "Partner pharmacies that supply prescriptions; matched to Beacon's by ODS code, then name.",
    [
        _id("pharmacy"),
        Column("name", "The pharmacy's name", required=True),
        Column("ods_code", "Its ODS code"),
    ],
    id_column="pharmacy_id",
    client_column="",
)

CLIENTS = FileFormat(
    "clients",
    "client",
    "One row a person. Matched to Beacon's clients by "
    "this id (kept from an earlier import), then by NHS number; a person "
    "with the same date of birth and a similar name is listed for you to "
    "decide, never merged.",
    [
        _id("client"),
        Column("nhs_number", "NHS number, checked (10 digits, spaces allowed)"),
        Column("first_name", "First name", required=True),
        Column("last_name", "Last name", required=True),
        Column("preferred_name", "The name they like to be called"),
        Column("date_of_birth", "Date of birth", kind="date", required=True),
        Column("sex", "Sex at birth", kind="code", required=True, codes=Sex, ndtms=True),
        Column(
            "gender_identity",
            "Gender identity (empty: prefers not to say)",
            kind="code",
            codes=GenderIdentity,
        ),
        Column(
            "ethnicity", "Ethnic group", kind="code", required=True, codes=Ethnicity, ndtms=True
        ),
        Column("address_line_1", "Address, first line"),
        Column("address_line_2", "Address, second line"),
        Column("town", "Town"),
        Column("postcode", "Postcode (or no_fixed_abode yes)"),
        Column("no_fixed_abode", "Has no fixed abode", kind="yes/no"),
        Column("phone", "Phone number"),
        Column("gp_practice_code", "GP practice ODS code"),
        _ref("team_id", "team that works with them (teams file)"),
        _ref("keyworker_id", "keyworker (staff file)", required=False),
        Column(
            "confirm_not_duplicate",
            "yes once a person has checked that a possible duplicate "
            "the report named is someone else",
            kind="yes/no",
        ),
    ],
    id_column="client_id",
    client_column="",
)

REFERRALS = FileFormat(
    "referrals",
    "referral",
    "Referrals, each with its triage and comprehensive assessment when they happened.",
    [
        _id("referral"),
        CLIENT,
        Column("referral_date", "Date referred", kind="date", required=True),
        Column(
            "source", "Who referred", kind="code", required=True, codes=ReferralSource, ndtms=True
        ),
        Column("referrer_details", "Name, role and organisation of who referred"),
        Column("triage_date", "Date triaged (empty: not triaged)", kind="date"),
        Column("triage_outcome", "Outcome of triage", kind="code", codes=Triage.Outcome),
        Column(
            "assessment_date", "Date of the comprehensive assessment (empty: none)", kind="date"
        ),
        Column(
            "primary_substance", "Main problem substance", kind="code", codes=Substance, ndtms=True
        ),
        Column("primary_age_first_use", "Age at first use of it", kind="whole number"),
        Column(
            "primary_route", "Route of the main substance", kind="code", codes=Route, ndtms=True
        ),
        Column(
            "secondary_substance",
            "Second problem substance",
            kind="code",
            codes=Substance,
            ndtms=True,
        ),
        Column(
            "tertiary_substance",
            "Third problem substance",
            kind="code",
            codes=Substance,
            ndtms=True,
        ),
        Column("injecting_status", "Injecting", kind="code", codes=InjectingStatus, ndtms=True),
        Column(
            "alcohol_units_typical_day",
            "Alcohol units on a typical drinking day",
            kind="whole number",
        ),
        Column("drinking_days", "Drinking days in the past 28", kind="whole number"),
        Column("housing_need", "Housing need", kind="code", codes=HousingNeed, ndtms=True),
        Column("employment_status", "Employment", kind="code", codes=EmploymentStatus, ndtms=True),
        Column("parental_status", "Parental status", kind="code", codes=ParentalStatus, ndtms=True),
    ],
    id_column="referral_id",
)

EPISODES = FileFormat(
    "episodes",
    "episode",
    "Treatment episodes, one a referral that "
    "started treatment, with the recovery plan agreed in it.",
    [
        _id("episode"),
        CLIENT,
        _ref("referral_id", "referral it treats (referrals file)"),
        Column("start_date", "Date treatment started", kind="date", required=True),
        _ref("keyworker_id", "keyworker (staff file)", required=False),
        Column(
            "care_plan_agreed_on",
            "Date the first recovery plan was agreed (empty: none)",
            kind="date",
        ),
        Column(
            "care_plan_next_review_date",
            "Its next review date (within a year of agreeing)",
            kind="date",
        ),
        Column(
            "care_plan_goal",
            "That plan's first goal, in the client's words (for an old system that keeps only "
            "this: give every plan in the recovery plans files instead, as the export does)",
        ),
    ],
    id_column="episode_id",
)

RECOVERY_PLANS = FileFormat(
    "recovery_plans",
    "recovery_plan",
    "Every recovery plan of an episode, in the order agreed; its goals, actions and "
    "reviews are in the next three files.",
    [
        _id("recovery_plan"),
        CLIENT,
        _ref("episode_id", "episode (episodes file)"),
        Column("agreed_on", "Date the plan was agreed", kind="date", required=True),
        Column(
            "next_review_date",
            "Its next review date as agreed (within a year of agreeing; its reviews set the "
            "later ones)",
            kind="date",
            required=True,
        ),
        Column(
            "written_with_client", "The client took part in writing it (empty: yes)", kind="yes/no"
        ),
    ],
    id_column="recovery_plan_id",
)

PLAN_GOALS = FileFormat(
    "plan_goals",
    "plan_goal",
    "The goals of each recovery plan (a plan has at least one), in the plan's order.",
    [
        _id("plan_goal"),
        CLIENT,
        _ref("recovery_plan_id", "recovery plan (recovery plans file)"),
        Column("text", "The goal", required=True),
        Column("in_clients_words", "Written as the client said it (empty: yes)", kind="yes/no"),
        Column("achieved_on", "Date it was achieved (empty: not yet)", kind="date"),
    ],
    id_column="plan_goal_id",
)

PLAN_ACTIONS = FileFormat(
    "plan_actions",
    "plan_action",
    "The actions agreed in each recovery plan, each for one of its goals or for the plan.",
    [
        _id("plan_action"),
        CLIENT,
        _ref("recovery_plan_id", "recovery plan (recovery plans file)"),
        _ref("plan_goal_id", "goal of that plan it serves (plan goals file)", required=False),
        Column("text", "The action", required=True),
        Column("owner", "Who does it", kind="code", required=True, codes=PlanAction.Owner),
        Column("due_date", "Date it is due", kind="date", required=True),
        Column("done_on", "Date it was done (empty: not yet)", kind="date"),
    ],
    id_column="plan_action_id",
)

PLAN_REVIEWS = FileFormat(
    "plan_reviews",
    "plan_review",
    "Reviews of each recovery plan, each setting its next review date.",
    [
        _id("plan_review"),
        CLIENT,
        _ref("recovery_plan_id", "recovery plan (recovery plans file)"),
        Column("reviewed_on", "Date reviewed", kind="date", required=True),
        Column(
            "next_review_date",
            "The next review date it set (within a year)",
            kind="date",
            required=True,
        ),
        Column("notes", "What was said"),
    ],
    id_column="plan_review_id",
)

INTERVENTIONS = FileFormat(
    "interventions",
    "intervention",
    "Interventions (modalities) of an episode.",
    [
        _id("intervention"),
        CLIENT,
        _ref("episode_id", "episode (episodes file)"),
        Column(
            "modality_type",
            "Type of intervention",
            kind="code",
            required=True,
            codes=ModalityType,
            ndtms=True,
        ),
        Column(
            "setting",
            "Where it is delivered (empty: community)",
            kind="code",
            codes=InterventionSetting,
            ndtms=True,
        ),
        Column(
            "ost_medicine",
            "Opioid substitution medicine (pharmacological only)",
            kind="code",
            codes=OstMedicine,
        ),
        Column("referred_date", "Date referred to it", kind="date", required=True),
        Column("first_appointment_offered", "Date of the first appointment offered", kind="date"),
        Column("start_date", "Date it started", kind="date"),
        Column("end_date", "Date it ended", kind="date"),
        Column("exit_reason", "How it ended", kind="code", codes=ModalityExit, ndtms=True),
    ],
    id_column="intervention_id",
)

_TOP_ANSWERS = [
    *[
        Column(n, f"{n.replace('_', ' ')} in the past 28 days (0-28)", kind="whole number")
        for n in DAY_FIELDS
    ],
    *[Column(n, f"{n.replace('_', ' ')} score (0-20)", kind="whole number") for n in RATING_FIELDS],
    *[Column(n, f"{n.replace('_', ' ')}", kind="yes/no") for n in FLAG_FIELDS],
    *[
        Column(n, f"{n.replace('_', ' ')} on a using day", kind="decimal")
        for n in AMOUNT_FOR_DAYS.values()
    ],
    *[
        Column(
            f"{n}_unit",
            f"unit of {n.replace('_', ' ')}: grams or pounds",
            kind="code",
            values=("grams", "pounds"),
        )
        for n in DRUG_AMOUNT_FIELDS
    ],
]

TOPS = FileFormat(
    "tops",
    "top",
    "Treatment Outcomes Profiles. Every answer has a value "
    "or is named in not_disclosed: an empty answer is never read as 0.",
    [
        _id("top"),
        CLIENT,
        _ref("episode_id", "episode (episodes file)"),
        Column("stage", "Stage", kind="code", required=True, codes=TopStage),
        Column("completed_on", "Date completed", kind="date", required=True),
        *_TOP_ANSWERS,
        Column("other_drug_name", "Name of the other problem substance"),
        Column(
            "not_disclosed",
            "The answers the client did not disclose, by column name, separated by ;",
        ),
    ],
    id_column="top_id",
)

PRESCRIPTIONS = FileFormat(
    "prescriptions",
    "prescription",
    "OST prescriptions with their "
    "instalment pattern. One that ended before the import is history: "
    "it supplies nothing.",
    [
        _id("prescription"),
        CLIENT,
        _ref("episode_id", "episode it belongs to (episodes file)"),
        Column("medicine", "Medicine", kind="code", required=True, values=tuple(MEDICINES)),
        Column(
            "dose",
            "Daily dose (an injection: each injection's), in the medicine's unit",
            kind="decimal",
            required=True,
        ),
        Column("start_date", "First day", kind="date", required=True),
        Column("end_date", "Last day", kind="date", required=True),
        Column("pattern", "Instalments", kind="code", required=True, codes=Prescription.Pattern),
        Column(
            "supervised_days",
            "Days of supervised consumption, as weekday digits "
            "(Monday 0): 012345 is Monday to Saturday",
        ),
        _ref(
            "pharmacy_id",
            "pharmacy that supplies it (pharmacies file); empty: home delivery",
            required=False,
        ),
        _ref("prescriber_id", "prescriber (staff file)"),
        Column("reason", "Reason for a dose above the usual limits"),
        Column(
            "uses_alcohol_or_sedatives",
            "At a methadone start: also uses alcohol or sedatives",
            kind="yes/no",
        ),
        Column("ended_on", "The day a prescriber stopped it early", kind="date"),
        Column("end_reason", "Why it stopped early"),
    ],
    id_column="prescription_id",
)

DOSE_CHANGES = FileFormat(
    "dose_changes",
    "dose_change",
    "The dose history: each change of a prescription's dose, from a date.",
    [
        _id("dose_change"),
        CLIENT,
        _ref("prescription_id", "prescription (prescriptions file)"),
        Column("effective_date", "Date the new dose starts", kind="date", required=True),
        Column("to_dose", "The new dose", kind="decimal", required=True),
        Column("reason", "Why"),
    ],
    id_column="dose_change_id",
)

DISCHARGES = FileFormat(
    "discharges",
    "discharge",
    "Discharges, one an ended episode.",
    [
        _ref("episode_id", "episode (episodes file)"),
        CLIENT,
        Column("discharge_date", "Date discharged", kind="date", required=True),
        Column(
            "discharge_reason",
            "Reason",
            kind="code",
            required=True,
            codes=DischargeReason,
            ndtms=True,
        ),
        Column("discharge_notes", "Notes"),
    ],
    id_column="episode_id",
)

NALOXONE_SUPPLIES = FileFormat(
    "naloxone_supplies",
    "naloxone_supply",
    "Naloxone kits supplied, to a client or to someone for them (or to someone linked to no "
    "client). Each is history: it took a kit from the old system's stock, not Beacon's, so "
    "no stock moves; a supply to the client records their offer as supplied.",
    [
        _id("naloxone_supply"),
        _ref("client_id", "client (clients file); empty: linked to no client", required=False),
        Column(
            "recipient", "Who the kit was given to", kind="code", required=True, codes=Recipient
        ),
        Column("recipient_name", "Name of the person supplied (empty: not named)"),
        Column("kit_type", "Kit", kind="code", required=True, codes=KitType),
        Column("batch_number", "Batch number printed on the kit", required=True),
        Column("expires_on", "Expiry date printed on the kit", kind="date", required=True),
        _ref("site_id", "site it was supplied from (sites file)"),
        Column("supplied_on", "Date supplied", kind="date", required=True),
        _ref(
            "supplied_by_id",
            "staff who supplied it (staff file); empty: the manager importing",
            required=False,
        ),
        _ref(
            "trained_by_id",
            "staff who gave the training (staff file); empty: who supplied it",
            required=False,
        ),
        Column(
            "training_topics",
            "The training given before the supply, by TrainingTopic code, separated by ;",
        ),
    ],
    id_column="naloxone_supply_id",
    client_column="",
)

NSP_TRANSACTIONS = FileFormat(
    "nsp_transactions",
    "nsp_transaction",
    "Needle and syringe programme visits: what was given out and the sharps bins, keyed by "
    "the attributor (initials, date of birth, sex; never a name), or linked to a client, "
    "whose attributor then comes from the client's record (leave the three empty).",
    [
        _id("nsp_transaction"),
        _ref("client_id", "client (clients file); empty: not linked", required=False),
        _ref("site_id", "site of the visit (sites file)"),
        Column("date", "Date of the visit", kind="date", required=True),
        Column("initials", "Attributor: initials of first and last name, like JS"),
        Column("date_of_birth", "Attributor: date of birth", kind="date"),
        Column("sex", "Attributor: sex", kind="code", codes=Sex),
        Column("bins_out", "Sharps bins given out", kind="whole number"),
        Column("bins_returned", "Sharps bins returned", kind="whole number"),
        *[
            Column(item.value, f"How many given out: {item.label}", kind="whole number")
            for item in NspItem
        ],
    ],
    id_column="nsp_transaction_id",
    client_column="",
)

# The referral row's columns that are the comprehensive assessment's answers: its date
# and every column from the main substance on.
ASSESSMENT_COLUMNS = [
    name
    for name in REFERRALS.column_names
    if name == "assessment_date"
    or REFERRALS.column_names.index("primary_substance") <= REFERRALS.column_names.index(name)
]

# In the order they are read: the set-up files first, then each client's journey.
SETUP_FILES = [SITES, TEAMS, STAFF, PHARMACIES]
CLIENT_FILES = [
    REFERRALS,
    EPISODES,
    RECOVERY_PLANS,
    PLAN_GOALS,
    PLAN_ACTIONS,
    PLAN_REVIEWS,
    INTERVENTIONS,
    TOPS,
    PRESCRIPTIONS,
    DOSE_CHANGES,
    DISCHARGES,
]
# Read after every client, in any order: their rows name a client, or none.
LATER_FILES = [NALOXONE_SUPPLIES, NSP_TRANSACTIONS]
FILES = [*SETUP_FILES, CLIENTS, *CLIENT_FILES, *LATER_FILES]
FILES_BY_NAME = {f.name: f for f in FILES}
