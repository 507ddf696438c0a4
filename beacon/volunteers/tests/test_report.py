"""The outreach activity report (by month and area, with CSV) and the KPI selector
`outreach_figures` the reporting app calls."""

import re

from django.utils import timezone

from beacon.volunteers import selectors, services
from beacon.volunteers.tests.factories import contact, contact_with_referral


def test_outreach_figures_count_contacts_naloxone_and_referrals(shift, stocked, users, provider):
    contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    referral = contact_with_referral(users["volunteer"], shift).referrals.get()
    contact(users["volunteer"], shift, water=True)
    services.referral_outcome_record(
        actor=users["nurse"], referral=referral, data={"outcome": "seen"}
    )
    today = timezone.localdate()
    assert selectors.outreach_figures(provider=provider, start=today, end=today) == {
        "volunteer_contacts": 3,
        "naloxone_by_volunteers": 1,
        "referrals_made": 1,
        "referrals_with_outcome": 1,
    }
    assert (
        selectors.outreach_figures(provider=provider, start=today, end=today, site=shift.site)[
            "volunteer_contacts"
        ]
        == 3
    )


def test_the_report_page_and_csv_count_the_shift_by_area(web_as, shift, stocked, users):
    contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    contact_with_referral(users["volunteer"], shift)
    html = web_as("commissioner").get("/volunteers/report/").content.decode()
    assert "City centre" in html and "Naloxone kits supplied by volunteers" in html
    csv = web_as("manager").get("/volunteers/report.csv").content.decode().splitlines()
    assert csv[0].startswith("Month,Area,Shifts,Contacts")
    month = timezone.localdate().strftime("%Y-%m")
    assert csv[1].startswith(f"{month},City centre,1,2,")


def _cells(html: str, table_id: str) -> list[list[str]]:
    """A table's body as its cells' text (without the headings a narrow screen shows)."""
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    table = re.sub(r'<span class="nhsuk-table__heading".*?</span>', "", table, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in table.split("<tbody")[1].split("</tr>")[:-1]
    ]


def test_a_commissioner_sees_counts_from_1_to_4_as_fewer_than_5_and_a_manager_the_counts(
    web_as, shift, stocked, users
):
    """H-285: page, CSV and XLSX alike; the manager (view_small_counts) sees every count."""
    import io

    from openpyxl import load_workbook

    contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    contact_with_referral(users["volunteer"], shift)
    commissioner, manager = web_as("commissioner"), web_as("manager")
    seen = commissioner.get("/volunteers/report/").content.decode()
    assert 'id="small-numbers"' in seen
    figures = seen.split('id="outreach-figures"')[1].split("</dl>")[0]
    assert figures.count("fewer than 5") == 3  # contacts 2, naloxone 1, referrals 1
    [centre, total] = _cells(seen, "activity")
    # Shifts 1, contacts 2, advice 1, water 1, ..., naloxone 1, referrals 1; 0 stays 0.
    assert centre[1:5] == ["City centre", "fewer than 5", "fewer than 5", "fewer than 5"]
    assert total[0] == "Total" and total[2:4] == ["fewer than 5", "fewer than 5"]
    assert "0" in centre and not {"1", "2"} & set(centre + total)
    assert _cells(seen, "referral-places") == [["Outreach nurse", "fewer than 5"]]
    exact = manager.get("/volunteers/report/").content.decode()
    assert 'id="small-numbers"' not in exact and "fewer than 5" not in exact
    [centre, total] = _cells(exact, "activity")
    assert centre[1:5] == ["City centre", "1", "2", "1"] and total[2:4] == ["1", "2"]
    assert _cells(exact, "referral-places") == [["Outreach nurse", "1"]]
    month = timezone.localdate().strftime("%Y-%m")
    csv = commissioner.get("/volunteers/report.csv").content.decode().splitlines()
    assert csv[1].startswith(f"{month},City centre,fewer than 5,fewer than 5,fewer than 5,")
    csv = manager.get("/volunteers/report.csv").content.decode().splitlines()
    assert csv[1].startswith(f"{month},City centre,1,2,1,")
    for who, expected in ((commissioner, ("fewer than 5", "fewer than 5")), (manager, (1, 2))):
        response = who.get("/volunteers/report.xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert list(sheet.iter_rows(values_only=True))[1][2:4] == expected


def test_a_row_that_a_total_would_give_back_is_not_shown_beside_a_suppressed_one():
    """Secondary suppression (H-285): the rows add up to the figure of the period, so
    beside one hidden row the next smallest is hidden; a part leaving 1 to 4 of its
    total is hidden; and hidden rows adding up to 5 or more need no more."""
    from beacon.volunteers.presenters import ACTIVITY_PARTS, NOT_SHOWN, counts_shown

    rows = [{"n": 9}, {"n": 2}, {"n": 7}, {"n": 0}]
    assert counts_shown(rows, suppress=True) == [
        {"n": 9},
        {"n": "fewer than 5"},
        {"n": NOT_SHOWN},
        {"n": 0},
    ]
    assert counts_shown([{"n": 3}, {"n": 4}, {"n": 8}], suppress=True) == [
        {"n": "fewer than 5"},
        {"n": "fewer than 5"},
        {"n": 8},
    ]
    assert counts_shown(rows, suppress=False) == rows
    referrals = [{"referrals": 8, "referral_outcomes": 6}, {"referrals": 9, "referral_outcomes": 9}]
    assert counts_shown(referrals, suppress=True, parts=ACTIVITY_PARTS)[0] == {
        "referrals": 8,
        "referral_outcomes": NOT_SHOWN,  # 2 without an outcome
    }


def test_the_report_downloads_as_xlsx_with_the_csvs_rows(web_as, shift, users):
    import io

    from openpyxl import load_workbook

    contact_with_referral(users["volunteer"], shift)
    response = web_as("manager").get("/volunteers/report.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Month", "Area", "Shifts", "Contacts")
    assert rows[1][1:4] == ("City centre", 1, 1)


def test_the_activity_rows_aggregate_by_month_and_area(shift, users, provider):
    contact(users["volunteer"], shift, water=True, leaflet=True)
    today = timezone.localdate()
    [row] = selectors.outreach_activity(provider=provider, start=today, end=today)
    assert (row.area, row.shifts, row.contacts, row.water, row.leaflets, row.food) == (
        "City centre",
        1,
        1,
        1,
        1,
        0,
    )


def test_the_report_charts_the_activity_by_month_and_by_area_from_the_tables_under_them(
    web_as, shift, stocked, users, volunteer, base
):
    from beacon.volunteers.tests.factories import shift_for

    contact(users["volunteer"], shift, naloxone=True, naloxone_trained=True)
    contact_with_referral(users["volunteer"], shift)
    armley = shift_for(volunteer, site=base, duty_manager=users["manager"], area="Armley")
    contact(users["volunteer"], armley, water=True)
    html = web_as("manager").get("/volunteers/report/").content.decode()
    assert "chartjs/chart.umd.min.js" in html and "volunteers/report.js" in html
    assert 'data-outreach-chart="activity-by-month"' in html
    assert 'data-outreach-chart="activity-by-area"' in html
    by_area = html.split('id="activity-by-area"')[1].split("</table>")[0]
    armley_row, centre_row = by_area.split("Armley")[1], by_area.split("City centre")[1]
    # Shifts, contacts, naloxone kits, referrals: each number the chart reads.
    assert [int(v) for v in re.findall(r'data-value="(\d+)"', armley_row)][:4] == [1, 1, 0, 0]
    assert [int(v) for v in re.findall(r'data-value="(\d+)"', centre_row)][:4] == [1, 2, 1, 1]
    by_month = html.split('id="activity-by-month"')[1].split("</table>")[0]
    assert timezone.localdate().strftime("%B %Y") in by_month
    assert [int(v) for v in re.findall(r'data-value="(\d+)"', by_month)] == [2, 3, 1, 1]
    # The tables and downloads stay.
    assert 'id="activity"' in html and "report.csv" in html and "report.xlsx" in html
    # A commissioner's chart reads no count from 1 to 4: those cells carry no data-value.
    seen = web_as("commissioner").get("/volunteers/report/").content.decode()
    by_area = seen.split('id="activity-by-area"')[1].split("</table>")[0]
    armley_row, centre_row = by_area.split("Armley")[1], by_area.split("City centre")[1]
    assert [int(v) for v in re.findall(r'data-value="(\d+)"', armley_row)][:2] == [0, 0]
    assert "fewer than 5" in armley_row.split("</tr>")[0]
    assert not re.findall(r'data-value="[1-4]"', seen)


def test_the_report_has_no_chart_for_a_period_without_outreach(web_as):
    html = web_as("manager").get("/volunteers/report/").content.decode()
    assert "data-outreach-chart" not in html
    assert '<p id="activity-by-month">No outreach in this period.</p>' in html
