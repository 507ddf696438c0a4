"""CSV downloads: cells that a spreadsheet would run as formulas open as text."""

import datetime
from decimal import Decimal

import pytest

from beacon.core.exporters import csv_cell, csv_response


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://example.invalid")', '\'=HYPERLINK("http://example.invalid")'),
        ("+44 113 000 0000", "'+44 113 000 0000"),
        ("-10 ml", "'-10 ml"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Plain text", "Plain text"),
        (Decimal("-10.00"), "-10"),
        (3, "3"),
        (None, ""),
        (True, "yes"),
        (datetime.date(2026, 3, 15), "2026-03-15"),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_neutralised(value, cell):
    assert csv_cell(value) == cell


def test_a_csv_response_is_a_named_download():
    response = csv_response(filename="x.csv", header=["a", "b"], rows=[["=1+1", Decimal(2)]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode().splitlines() == ["a,b", "'=1+1,2"]
