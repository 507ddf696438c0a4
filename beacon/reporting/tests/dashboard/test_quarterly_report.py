"""The commissioner's quarterly report: a PDF of the figures, charts and year-on-year
changes, small numbers suppressed, checked by turning its pages into images."""

import datetime

import pypdfium2
import pytest

from beacon.reporting.selectors.kpis import last_complete_quarter, twelve_months_to

pytestmark = pytest.mark.django_db

URL = "/reporting/kpis/quarterly-report.pdf"
QUARTER = {"first": "2025-10-01", "last": "2025-12-31"}


def pdf_pages(content: bytes) -> list:
    return list(pypdfium2.PdfDocument(content))


def ink(image) -> float:
    """The share of pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / sum(histogram)


def test_the_quarterly_report_is_a_pdf_whose_pages_show_the_figures(web_as, journeys):
    response = web_as("manager").get(URL, QUARTER)

    assert response["Content-Type"] == "application/pdf"
    assert "kpi-report-2025-10-01-to-2025-12-31.pdf" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert 1 <= len(pages) <= 6
    first = pages[0].render(scale=1).to_pil()
    width, height = first.size
    assert abs(height / width - 297 / 210) < 0.01  # A4
    assert 0.01 < ink(first) < 0.5  # drawn on, not blank, not a black page
    text = "".join(page.get_textpage().get_text_range() for page in pages)
    assert "Quarterly KPI report" in text
    assert "1 October 2025 to 31 December 2025" in text
    assert "People in treatment at any time" in text
    assert "Monthly trends, the 12 months to 31 December 2025" in text


def test_the_report_suppresses_small_numbers_whoever_downloads_it(web_as, journeys):
    text = "".join(
        page.get_textpage().get_text_range()
        for page in pdf_pages(web_as("manager").get(URL, QUARTER).content)
    )

    # Two completions in December: a manager's own dashboard shows 2, the report not.
    assert "fewer than 5" in text
    assert "Successful completions fewer than 5" in " ".join(text.split())


def test_the_charts_are_drawn_into_the_pdf(web_as, journeys):
    pages = pdf_pages(web_as("manager").get(URL, QUARTER).content)
    images = [page.render(scale=1).to_pil().convert("RGB") for page in pages]

    # NHS blue bars (#005eb8) appear on some page.
    blue = sum(
        count
        for image in images
        for count, (red, green, blue_) in image.getcolors(maxcolors=1 << 24)
        if red < 30 and abs(green - 94) < 30 and abs(blue_ - 184) < 30
    )
    assert blue > 200


def test_by_default_the_report_is_the_last_complete_quarter():
    assert last_complete_quarter(datetime.date(2026, 12, 1)) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    assert last_complete_quarter(datetime.date(2026, 1, 15)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert twelve_months_to(datetime.date(2025, 12, 31)) == datetime.date(2025, 1, 1)
