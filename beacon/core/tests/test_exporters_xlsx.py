"""The exporter base gives every table as CSV and XLSX, one row at a time."""

import datetime
import io
import tracemalloc
import zipfile

from beacon.core.exporters import Exporter


class Doses(Exporter):
    filename = "doses.csv"
    columns = ["client", "day", "doses missed"]
    sheet = "Missed doses"

    def __init__(self, count: int = 2):
        self.count = count

    def rows(self):
        yield ['=HYPERLINK("http://x")', datetime.date(2026, 11, 3), 2]
        for number in range(self.count - 1):
            yield [f"Client {number}", datetime.date(2026, 11, 4), number]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("xl/worksheets/sheet1.xml").decode()


def test_the_xlsx_has_the_columns_and_rows_with_text_never_a_formula():
    xml = sheet_xml(Doses().xlsx_bytes())

    assert "doses missed" in xml
    assert "HYPERLINK" in xml and "<f>" not in xml  # written as text, not run
    assert "<v>2</v>" in xml  # a number stays a number


def test_the_xlsx_download_is_named_as_the_csv_with_its_own_suffix():
    response = Doses().xlsx_response()

    assert response["Content-Disposition"] == 'attachment; filename="doses.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "doses missed" in sheet_xml(b"".join(response.streaming_content))


def test_the_streamed_csv_is_the_same_as_the_whole_one():
    streamed = b"".join(Doses(count=5).csv_streaming_response().streaming_content)

    assert streamed.decode() == Doses(count=5).csv_text()
    assert streamed.decode().splitlines()[1].startswith("\"'=HYPERLINK")


def peak_memory(export) -> int:
    tracemalloc.start()
    for _chunk in export():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_csv_and_xlsx_memory_stays_flat_however_many_rows():
    def csv(count):
        return lambda: Doses(count).csv_streaming_response().streaming_content

    def xlsx(count):
        return lambda: Doses(count).xlsx_response().streaming_content

    for export in (csv, xlsx):
        small, large = peak_memory(export(2_000)), peak_memory(export(20_000))
        assert large < small * 1.5 + 200_000, (export.__name__, small, large)
