"""Checks on what a person types about a client: NHS number, postcode, GP code, phone, birth."""

import datetime
import re

import nhs_number
from django.core.exceptions import ValidationError
from django.utils import timezone

# The general shape of a UK postcode (outward code, space, inward code), including GIR 0AA.
POSTCODE_RE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2})$")
ODS_GP_PRACTICE_RE = re.compile(r"^[A-Z][0-9]{5}$")
PHONE_RE = re.compile(r"^(\+44|0)[0-9]{9,10}$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not digits:
        return
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits", code="nhs_number_length")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number: check the digits", code="nhs_number_checksum"
        )


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", (value or "").upper())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if value and not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real UK postcode, like LS1 4AP", code="postcode")


def postcode_district(value: str) -> str:
    """The outward code (for the NDTMS attributor and reports), e.g. LS1 from LS1 4AP."""
    postcode = normalise_postcode(value)
    return postcode.split(" ")[0] if " " in postcode else ""


def validate_ods_code(value: str) -> None:
    if value and not ODS_GP_PRACTICE_RE.match(value.upper()):
        raise ValidationError(
            "GP practice code must be a letter and 5 digits, like B86016", code="ods_code"
        )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()-]", "", value or "")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            "Enter a UK phone number, like 0113 496 0000 or +44 113 496 0000", code="phone"
        )


EARLIEST_DATE_OF_BIRTH = datetime.date(1900, 1, 1)


def validate_date_of_birth(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError("Date of birth must be in the past", code="future")
    if value < EARLIEST_DATE_OF_BIRTH:
        raise ValidationError("Date of birth must be after 1900", code="too_early")


def validate_postcode_or_no_fixed_abode(*, postcode: str, no_fixed_abode: bool) -> None:
    if not no_fixed_abode and not postcode:
        raise ValidationError(
            {"postcode": "Enter a postcode, or tick no fixed abode"}, code="postcode_required"
        )
