"""The blood-borne virus code lists: every value is mapped to its NDTMS code or named
unmapped, and every list is either mapped or said not to be sent."""

from beacon.clients.codes import UNMAPPED
from beacon.harmreduction.codes import (
    BBV_NDTMS_MAPPINGS,
    HEPATITIS_B_STATUS_NDTMS,
    HEPATITIS_C_STATUS_NDTMS,
    NOT_SENT_TO_NDTMS,
    SCHEDULE_DAYS,
    HepatitisBSchedule,
    Virus,
    hepatitis_c_positive_code,
)
from beacon.harmreduction.codes import (
    TestResult as BbvTestResult,
)


def test_every_value_of_a_mapped_list_has_a_code_or_is_unmapped():
    for code_list, mapping in BBV_NDTMS_MAPPINGS.items():
        assert set(mapping.codes) == set(code_list), mapping.item


def test_the_offer_codes_follow_the_canary_lists():
    assert set(HEPATITIS_C_STATUS_NDTMS.values()) == {"A", "B"}
    assert sorted(HEPATITIS_B_STATUS_NDTMS.values()) == ["A", "B", "C", "E"]
    assert BBV_NDTMS_MAPPINGS[BbvTestResult].codes[BbvTestResult.INDETERMINATE] is UNMAPPED


def test_no_list_is_both_sent_and_not_sent():
    assert not set(BBV_NDTMS_MAPPINGS) & set(NOT_SENT_TO_NDTMS)


def test_every_schedule_starts_at_day_0_and_rises():
    for schedule in HepatitisBSchedule:
        days = SCHEDULE_DAYS[schedule]
        assert days[0] == 0 and list(days) == sorted(set(days))


def test_an_hiv_result_is_never_mapped_as_hepatitis_c_positive():
    assert hepatitis_c_positive_code(Virus.HEPATITIS_C, BbvTestResult.POSITIVE) == "Y"
    assert hepatitis_c_positive_code(Virus.HEPATITIS_C, BbvTestResult.NEGATIVE) == "N"
    assert hepatitis_c_positive_code(Virus.HIV, BbvTestResult.POSITIVE) is None
    assert hepatitis_c_positive_code(Virus.HIV, BbvTestResult.NEGATIVE) is None
    assert hepatitis_c_positive_code(Virus.HEPATITIS_C, BbvTestResult.INDETERMINATE) is None
    assert hepatitis_c_positive_code(Virus.HEPATITIS_C, "") is None
