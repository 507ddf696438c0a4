"""Every CSV cell reaches a spreadsheet as text, never as a formula."""

import pytest

from beacon.core.exporters import Exporter, csv_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700 900000", "'+44 7700 900000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Sam Rivers", "Sam Rivers"),
        (None, ""),
        (30, "30"),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(value, written):
    assert csv_cell(value) == written


def test_an_exporter_writes_its_columns_and_rows_safely():
    class Names(Exporter):
        filename = "names.csv"
        columns = ["name", "note"]

        def rows(self):
            yield ["Sam", "=1+1"]

    response = Names().csv_response()
    assert response["Content-Disposition"] == 'attachment; filename="names.csv"'
    assert response.content.decode().splitlines() == ["name,note", "Sam,'=1+1"]


def test_every_csv_beacon_writes_goes_through_the_exporter():
    from pathlib import Path

    beacon = Path(__file__).resolve().parents[2]
    writers = [
        path.relative_to(beacon).as_posix()
        for path in beacon.rglob("*.py")
        if "tests" not in path.parts
        and ("csv.writer" in path.read_text() or "text/csv" in path.read_text())
    ]
    assert writers == ["core/exporters.py"]
