"""Every Beacon code list maps to NDTMS, naming its dataset version, or says why it is not
sent; keys are Beacon's own words; unmapped values are explicit and listed for the export's
validation report."""

import re

from django.db import models

from beacon.clients import codes as client_codes
from beacon.treatment import codes
from beacon.treatment.codes import (
    NDTMS_MAPPINGS,
    NOT_SENT_TO_NDTMS,
    UNMAPPED,
    DischargeReason,
    EmploymentStatus,
    HousingNeed,
    InjectingStatus,
    InterventionSetting,
    ModalityExit,
    ModalityType,
    ParentalStatus,
    TopStage,
    ndtms_code,
    ndtms_unmapped_values,
)

# The codes each dataset K list holds (shared/reference/ndtms-dataset.md §4, S9): a mapped
# code must be one of them, so a typo or an invented code fails here.
DATASET_K_CODES = {
    "SEX": {"M", "F"},
    "CONSENT": {"Y", "N"},  # §3.1 (S9), the CJIT form's Y/N (S8)
    "ETHNIC": set("ABCDEFGHJKLMNPRSZ"),
    "RFLS": {str(n) for n in range(1, 26) if n != 7},
    "DRUG1/DRUG2/DRUG3": {
        *("1011", "1105", "1000", "2100", "2200", "3100", "3200", "3201", "3406", "3409"),
        *("4000", "5000", "6000", "7000", "8200", "8300", "8799", "9005"),
    },
    "ROUTE": {"1", "2", "3", "4", "5"},
    "INJSTAT": {"P", "C", "N", "Z"},
    "ACCMNEED": {"1", "2", "3"},
    "EMPSTAT": {"1", "2", "5", "6", "9", "10", "12", "13", "14", "15", "99"},
    "PRNTSTAT": {"11", "12", "13", "14", "15"},
    "MODAL": {"8", "9", "10", "76", "93", "94", "95", "96"},
    "MODSET": {str(n) for n in range(1, 9)},
    "MODEXIT": {"A", "B", "C"},
    "DISRSN": {str(n) for n in range(1, 14)},
    "TRSTAGE": set(),
    codes.CRIMINAL_JUSTICE_ITEM: set(),
}

# Lists whose keys are still single letters shared with the dataset (client details; their
# own keys are not part of this change): every other list's keys are words.
LETTER_KEYED = {client_codes.Sex, client_codes.Ethnicity, client_codes.GenderIdentity}


def code_lists_in(module) -> set[type]:
    return {
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, models.TextChoices)
        and value.__module__ == module.__name__
    }


ALL_CODE_LISTS = code_lists_in(codes) | code_lists_in(client_codes)


def test_every_code_list_is_mapped_or_says_why_it_is_not_sent():
    sent_or_not = set(NDTMS_MAPPINGS) | set(NOT_SENT_TO_NDTMS)
    assert sent_or_not == ALL_CODE_LISTS
    assert not set(NDTMS_MAPPINGS) & set(NOT_SENT_TO_NDTMS)
    assert all(reason.strip() for reason in NOT_SENT_TO_NDTMS.values())


def test_every_value_of_every_mapped_list_maps_or_is_declared_unmapped():
    for code_list, mapping in NDTMS_MAPPINGS.items():
        assert mapping.dataset and mapping.item, code_list
        members = {m for m in code_list if m.value}
        assert set(mapping.codes) == members, code_list
        for member, code in mapping.codes.items():
            assert code is UNMAPPED or (isinstance(code, str) and code), (code_list, member)


def test_every_mapping_names_its_dataset_version():
    for code_list, mapping in NDTMS_MAPPINGS.items():
        assert mapping.dataset in {codes.DATASET_K, codes.DATASET_H_K_DISRSN, codes.NO_DATASET}
        if mapping.dataset == codes.NO_DATASET:  # no list found: nothing may claim a code
            assert all(c is UNMAPPED for c in mapping.codes.values()), code_list


def test_every_mapped_code_is_one_the_dataset_list_holds():
    for code_list, mapping in NDTMS_MAPPINGS.items():
        known = DATASET_K_CODES[mapping.item]
        mapped = {c for c in mapping.codes.values() if c is not UNMAPPED}
        assert mapped <= known, (code_list, mapped - known)


def test_keys_are_beacon_words_never_the_datasets_codes():
    for code_list in ALL_CODE_LISTS - LETTER_KEYED:
        for member in code_list:
            assert member.value == "" or re.fullmatch(r"[a-z][a-z_]+", member.value), member
    for code_list in (InjectingStatus, HousingNeed, EmploymentStatus, ParentalStatus):
        mapping = NDTMS_MAPPINGS[code_list].codes
        assert all(member.value != mapping[member] for member in code_list), code_list


def test_assessment_answers_map_to_the_dataset_k_codes():
    assert ndtms_code(InjectingStatus, "current") == "C"
    assert ndtms_code(InjectingStatus, "declined") == "Z"
    assert ndtms_code(HousingNeed, "urgent_problem") == "1"
    assert ndtms_code(HousingNeed, "no_problem") == "3"
    assert ndtms_code(EmploymentStatus, "unemployed") == "12"
    assert ndtms_code(EmploymentStatus, "not_stated") == "99"
    assert ndtms_code(ParentalStatus, "all_live_with_client") == "11"
    assert ndtms_code(ParentalStatus, "not_a_parent") == "14"


def test_an_intervention_and_its_setting_are_two_items_as_in_dataset_k():
    assert {m.value for m in ModalityType} == {
        "pharmacological",
        "psychosocial",
        "recovery_support",
    }
    assert NDTMS_MAPPINGS[ModalityType].item == "MODAL"
    assert NDTMS_MAPPINGS[InterventionSetting].item == "MODSET"
    # Not the old tiered codes 1 (inpatient) and 6 (residential rehabilitation).
    assert not {"1", "6"} & set(NDTMS_MAPPINGS[ModalityType].codes.values())
    assert ndtms_code(InterventionSetting, "inpatient") == "2"
    assert ndtms_code(InterventionSetting, "residential") == "8"
    assert ndtms_code(InterventionSetting, "community") == "6"


def test_discharge_reasons_and_top_stages_have_mappings():
    assert DischargeReason in NDTMS_MAPPINGS and TopStage in NDTMS_MAPPINGS
    assert ndtms_code(DischargeReason, "died") == "9"
    assert ndtms_code(TopStage, "start") is UNMAPPED


def test_modality_exits_are_words_mapped_to_the_dataset_letters():
    assert ndtms_code(ModalityExit, "planned") == "A"
    assert ndtms_code(ModalityExit, "died") is UNMAPPED


def test_unmapped_values_are_listed_for_the_validation_report():
    unmapped = ndtms_unmapped_values()
    assert ("MODEXIT", "died", "Client died") in unmapped
    assert ("TRSTAGE", "start", "Start of treatment") in unmapped
    assert ("DRUG1/DRUG2/DRUG3", "buprenorphine", "Buprenorphine (illicit)") in unmapped
    assert ("SEX", "U", "Not known") in unmapped
    mapped_keys = {"planned", "current", "urgent_problem", "inpatient", "pharmacological"}
    assert not any(key in mapped_keys for _, key, _ in unmapped)
    # Exactly the values with no code, in every mapped list.
    expected = sum(
        1
        for mapping in NDTMS_MAPPINGS.values()
        for code in mapping.codes.values()
        if code is UNMAPPED
    )
    assert len(unmapped) == expected


def test_criminal_justice_statuses_are_mapped_and_listed_until_their_codes_are_known():
    mapping = NDTMS_MAPPINGS[codes.CriminalJusticeStatus]
    assert mapping.dataset == codes.NO_DATASET
    assert ndtms_code(codes.CriminalJusticeStatus, "drug_rehabilitation_requirement") is UNMAPPED
    unmapped = ndtms_unmapped_values()
    assert (mapping.item, "released_from_prison", "Released from prison") in unmapped
