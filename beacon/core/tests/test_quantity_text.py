"""quantity_text: every dose and quantity as a person writes it, never in exponent form."""

from decimal import Decimal

import pytest

from beacon.core.presenters import quantity_text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("400"), "mg", "400 mg"),
        (Decimal("4E+2"), "mg", "400 mg"),
        (Decimal("30.00"), "mg", "30 mg"),
        (Decimal("70").normalize(), "mg", "70 mg"),
        (Decimal("7.50"), "mg", "7.5 mg"),
        (Decimal("0.25"), "mg", "0.25 mg"),
        (Decimal("320"), "ml", "320 ml"),
        (Decimal("1000"), "ml", "1,000 ml"),
        (Decimal("12500.5"), "ml", "12,500.5 ml"),
        (Decimal("0"), "ml", "0 ml"),
        (14, "tablets", "14 tablets"),
        (Decimal("20"), "", "20"),
    ],
)
def test_doses_are_written_as_a_person_writes_them(value, unit, text):
    assert quantity_text(value, unit) == text
