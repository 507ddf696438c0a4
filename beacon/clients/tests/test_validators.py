"""Identifier checks: NHS numbers (mod 11), UK postcodes, GP practice codes, phone numbers."""

import nhs_number
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from beacon.clients.validators import (
    normalise_postcode,
    postcode_district,
    validate_nhs_number,
    validate_ods_code,
    validate_phone,
    validate_postcode,
)


@pytest.mark.parametrize("value", ["9990000018", "999 000 0018", "999-000-0018", ""])
def test_valid_nhs_numbers_pass(value):
    validate_nhs_number(value)


@pytest.mark.parametrize("value", ["9434765918", "12345", "999000001X", "99900000188"])
def test_invalid_nhs_numbers_fail(value):
    with pytest.raises(ValidationError):
        validate_nhs_number(value)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nhs_number_check_agrees_with_the_nhs_number_package(digits):
    accepted = True
    try:
        validate_nhs_number(digits)
    except ValidationError:
        accepted = False
    assert accepted == nhs_number.is_valid(digits)


@pytest.mark.parametrize(
    ("typed", "normalised", "district"),
    [
        ("ls14ap", "LS1 4AP", "LS1"),
        ("M1 1AE", "M1 1AE", "M1"),
        ("sw1a 1aa", "SW1A 1AA", "SW1A"),
        ("B33 8TH", "B33 8TH", "B33"),
    ],
)
def test_postcodes_are_normalised_and_accepted(typed, normalised, district):
    assert normalise_postcode(typed) == normalised
    validate_postcode(typed)
    assert postcode_district(typed) == district


@pytest.mark.parametrize("value", ["NOTAPOSTCODE", "LS1", "12345", "LS1 4CI", "QQ1 1AA1"])
def test_bad_postcodes_are_refused(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)


def test_gp_practice_codes():
    validate_ods_code("B86016")
    with pytest.raises(ValidationError):
        validate_ods_code("B8601")


@pytest.mark.parametrize("value", ["07700 900123", "+44 113 496 0000", "(0113) 496-0000"])
def test_uk_phone_numbers_pass(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12345", "+1 202 555 0100", "phone me"])
def test_other_phone_numbers_fail(value):
    with pytest.raises(ValidationError):
        validate_phone(value)
