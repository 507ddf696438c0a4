"""How NSP transactions, the NSP figures and blood-borne virus records are shown: table
rows for the NHS.UK table macro, the client page's summary rows, and the CSV exporter."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html

from beacon.core.exporters import Exporter
from beacon.core.presenters import Worklist, action_link, date_uk, worklist
from beacon.harmreduction.codes import (
    HEPATITIS_B_STATUS_NDTMS,
    HEPATITIS_C_STATUS_NDTMS,
    SCHEDULE_DAYS,
    HepatitisBOffer,
    HepatitisBSchedule,
    TestOffer,
    Virus,
    hepatitis_b_vaccination_count,
    hepatitis_c_positive_code,
)
from beacon.harmreduction.models import (
    BloodBorneVirusTest,
    HepatitisBCourse,
    NspItem,
    NspTransaction,
)
from beacon.harmreduction.selectors import NspFigures, YearOnYear, change_percent
from beacon.harmreduction.services import hepatitis_b_earliest_next
from beacon.treatment.presenters.caseload import client_link_html

ITEM_LABELS = {**dict(NspItem.choices), "sharps_bin": "Sharps bins"}


def items_text(transaction: NspTransaction) -> str:
    parts = [f"{given.quantity} × {given.get_item_display()}" for given in transaction.items.all()]
    if transaction.bins_out:
        parts.append(f"{transaction.bins_out} × sharps bin")
    return "; ".join(parts) or "Nothing given out"


def transaction_head(*, with_clients: bool) -> list[dict]:
    head = [{"text": "Date"}, {"text": "Site"}, {"text": "Attributor"}]
    if with_clients:
        head.append({"text": "Client"})
    return [*head, {"text": "Given out"}, {"text": "Bins returned", "format": "numeric"}]


NOT_SHOWN = "Not shown"


def attributor_text(transaction: NspTransaction, *, visible_client_ids: set[int]) -> str:
    """The attributor, or "Not shown" for a visit linked to a client the user may not
    open: a linked visit's attributor is the client's own initials, date of birth and sex
    (H-120)."""
    if transaction.client_id is not None and transaction.client_id not in visible_client_ids:
        return NOT_SHOWN
    return transaction.attributor


def transaction_rows(
    transactions: Iterable[NspTransaction], *, visible_client_ids: set[int], with_clients: bool
) -> list[list[dict]]:
    """Rows of the transactions table; without `with_clients` the client column is left
    out (a volunteer). A client, and the attributor of a linked visit, are shown only when
    the user may open the client (`visible_client_ids`); otherwise neither the link nor
    the attributor is shown."""
    rows = []
    for transaction in transactions:
        link = reverse("harmreduction:transaction", args=[transaction.pk])
        row = [
            {"html": format_html('<a href="{}">{}</a>', link, date_uk(transaction.date))},
            {"text": transaction.site.name},
            {"text": attributor_text(transaction, visible_client_ids=visible_client_ids)},
        ]
        if with_clients:
            client = transaction.client
            row.append(
                {"text": client.client_number}
                if client is not None and client.pk in visible_client_ids
                else {"text": NOT_SHOWN if client is not None else "—"}
            )
        row += [
            {"text": items_text(transaction)},
            {"text": str(transaction.bins_returned), "format": "numeric"},
        ]
        rows.append(row)
    return rows


class TransactionExport(Exporter):
    """The transactions list as a CSV, with the list's rules: the client column only for
    those who link clients, and a linked visit's client and attributor only when the user
    may open the client (H-120)."""

    filename = "nsp-transactions.csv"

    def __init__(self, transactions, *, visible_client_ids: set[int], with_clients: bool):
        self.transactions = transactions
        self.visible_client_ids = visible_client_ids
        self.with_clients = with_clients
        self.columns = (
            "Date",
            "Site",
            "Attributor",
            *(["Client number"] if with_clients else []),
            "Given out",
            "Bins returned",
        )

    def rows(self):
        for transaction in self.transactions:
            row = [
                transaction.date,
                transaction.site.name,
                attributor_text(transaction, visible_client_ids=self.visible_client_ids),
            ]
            if self.with_clients:
                client_id = transaction.client_id
                if client_id is None:
                    row.append("")
                elif client_id in self.visible_client_ids:
                    row.append(transaction.client.client_number)
                else:
                    row.append(NOT_SHOWN)
            yield (*row, items_text(transaction), transaction.bins_returned)


def rate_text(rate: Decimal | None) -> str:
    return "No bins given out" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def change_text(change: Decimal | None) -> str:
    if change is None:
        return "—"
    return f"+{change}%" if change > 0 else f"{change}%"


SMALL_COUNT = 5
FEWER_THAN_SMALL = "fewer than 5"
# The figures counting people or transactions, which a small number could identify.
PEOPLE_COUNTS = ("transactions", "people", "linked_to_clients")


def count_shown(count: int, *, suppress: bool) -> int | str:
    """A count of people or transactions as shown: below 5 it is "fewer than 5" when
    `suppress` (anyone who may not see small counts: commissioners; H-127)."""
    return FEWER_THAN_SMALL if suppress and count < SMALL_COUNT else count


def figures_out(figures: NspFigures, *, suppress: bool) -> dict:
    """The figures as the API gives them, small counts suppressed."""
    return {
        "first": figures.first,
        "last": figures.last,
        "transactions": count_shown(figures.transactions, suppress=suppress),
        "people": count_shown(figures.people, suppress=suppress),
        "items_out": figures.items_out,
        "return_rate": figures.return_rate,
        "by_item": figures.by_item,
        "linked_to_clients": count_shown(figures.linked_to_clients, suppress=suppress),
    }


def figures_rows(year_on_year: YearOnYear, *, suppress: bool) -> list[list[dict]]:
    """The figures table; with `suppress`, a count of people or transactions below 5 is
    "fewer than 5" and its change is not shown (it would give the count away)."""
    now, before = year_on_year.this_year, year_on_year.year_before
    rows = []
    for label, this, earlier, of_people in (
        ("Transactions", now.transactions, before.transactions, True),
        ("People (distinct attributors)", now.people, before.people, True),
        ("Items given out", now.items_out, before.items_out, False),
        ("Linked to a client record", now.linked_to_clients, before.linked_to_clients, True),
    ):
        hide = suppress and of_people
        shown, earlier_shown = (count_shown(n, suppress=hide) for n in (this, earlier))
        change = (
            "—"
            if FEWER_THAN_SMALL in (shown, earlier_shown)
            else change_text(change_percent(this, earlier))
        )
        rows.append(
            [
                {"text": label},
                {"text": str(shown), "format": "numeric"},
                {"text": str(earlier_shown), "format": "numeric"},
                {"text": change, "format": "numeric"},
            ]
        )
    rows.append(
        [
            {"text": "Return rate (bins returned ÷ bins out)"},
            {"text": rate_text(now.return_rate), "format": "numeric"},
            {"text": rate_text(before.return_rate), "format": "numeric"},
            {"text": "—", "format": "numeric"},
        ]
    )
    return rows


def figures_head(year_on_year: YearOnYear) -> list[dict]:
    now, before = year_on_year.this_year, year_on_year.year_before
    return [
        {"text": "Measure"},
        {"text": f"{date_uk(now.first)} to {date_uk(now.last)}", "format": "numeric"},
        {"text": f"{date_uk(before.first)} to {date_uk(before.last)}", "format": "numeric"},
        {"text": "Change", "format": "numeric"},
    ]


def items_rows(year_on_year: YearOnYear) -> list[list[dict]]:
    now, before = year_on_year.this_year.by_item, year_on_year.year_before.by_item
    keys = [key for key in ITEM_LABELS if key in now or key in before]
    return [
        [
            {"text": ITEM_LABELS[key]},
            {"text": str(now.get(key, 0)), "format": "numeric"},
            {"text": str(before.get(key, 0)), "format": "numeric"},
        ]
        for key in keys
    ]


class NspFiguresExport(Exporter):
    columns = ("Measure", "This period", "A year earlier")

    def __init__(
        self, year_on_year: YearOnYear, *, suppress: bool, site_name: str = "All sites"
    ) -> None:
        self.figures = year_on_year
        self.suppress = suppress
        self.site_name = site_name
        now = year_on_year.this_year
        self.filename = f"nsp-figures-{now.first:%Y-%m-%d}-to-{now.last:%Y-%m-%d}.csv"

    def rows(self):
        now, before = self.figures.this_year, self.figures.year_before
        yield ("Site", self.site_name, self.site_name)
        yield ("From", now.first.isoformat(), before.first.isoformat())
        yield ("To", now.last.isoformat(), before.last.isoformat())
        hide = self.suppress
        for label, key in (
            ("Transactions", "transactions"),
            ("People (distinct attributors)", "people"),
        ):
            yield (
                label,
                count_shown(getattr(now, key), suppress=hide),
                count_shown(getattr(before, key), suppress=hide),
            )
        yield ("Items given out", now.items_out, before.items_out)
        yield (
            "Linked to a client record",
            count_shown(now.linked_to_clients, suppress=hide),
            count_shown(before.linked_to_clients, suppress=hide),
        )
        yield (
            "Return rate (bins returned / bins out)",
            "" if now.return_rate is None else str(now.return_rate),
            "" if before.return_rate is None else str(before.return_rate),
        )
        for key, label in ITEM_LABELS.items():
            if key in now.by_item or key in before.by_item:
                yield (label, now.by_item.get(key, 0), before.by_item.get(key, 0))


# Blood-borne viruses ---------------------------------------------------------------------


def test_text(test: BloodBorneVirusTest) -> str:
    if test.offer == TestOffer.DECLINED:
        return "Declined"
    if not test.tested_on:
        return "Accepted: sample not yet taken"
    kind = test.get_kind_display()
    if not test.result:
        return f"{kind}, sample {date_uk(test.tested_on)}: result awaited"
    return (
        f"{kind}, sample {date_uk(test.tested_on)}: {test.get_result_display()} "
        f"({date_uk(test.result_on)})"
    )


def bbv_test_code(test: BloodBorneVirusTest) -> str:
    """The NDTMS codes of a test: hepatitis C's HEPCSTAT, and HEPCPOS once there is a
    result; "Not sent" for any other virus (H-126)."""
    if test.virus != Virus.HEPATITIS_C:
        return "Not sent"
    code = f"HEPCSTAT {HEPATITIS_C_STATUS_NDTMS[TestOffer(test.offer)]}"
    positive = hepatitis_c_positive_code(test.virus, test.result)
    return f"{code}, HEPCPOS {positive}" if positive else code


BBV_TEST_HEAD = [
    {"text": "Offered"},
    {"text": "Virus"},
    {"text": "Test and result"},
    {"text": "NDTMS"},
]


def bbv_test_rows(tests: Iterable[BloodBorneVirusTest], *, may_record: bool) -> list[list[dict]]:
    rows = []
    for test in tests:
        cell: dict = {"text": test_text(test)}
        if may_record and test.offer == TestOffer.ACCEPTED and not test.result:
            link = reverse("harmreduction:bbv_result", args=[test.pk])
            cell = {
                "html": format_html('{} <a href="{}">Record the result</a>', cell["text"], link)
            }
        code = bbv_test_code(test)
        rows.append(
            [
                {"text": date_uk(test.offered_on)},
                {"text": test.get_virus_display()},
                cell,
                {"text": code},
            ]
        )
    return rows


def course_doses(course: HepatitisBCourse) -> list:
    return list(course.doses.all())


def course_completed(course: HepatitisBCourse) -> bool:
    if course.offer != HepatitisBOffer.ACCEPTED:
        return False
    return len(course_doses(course)) >= len(SCHEDULE_DAYS[HepatitisBSchedule(course.schedule)])


def course_text(course: HepatitisBCourse, *, today: datetime.date) -> str:
    if course.offer != HepatitisBOffer.ACCEPTED:
        return course.get_offer_display()
    doses = course_doses(course)
    given = ", ".join(f"dose {d.number} {date_uk(d.given_on)}" for d in doses) or "no dose yet"
    if course_completed(course):
        return f"{course.get_schedule_display()}: course completed ({given})"
    earliest = hepatitis_b_earliest_next(course, doses)
    due = "due now" if earliest <= today else f"due from {date_uk(earliest)}"
    return f"{course.get_schedule_display()}: {given}; dose {len(doses) + 1} {due}"


def course_code(course: HepatitisBCourse) -> str:
    status = HEPATITIS_B_STATUS_NDTMS[HepatitisBOffer(course.offer)]
    count = hepatitis_b_vaccination_count(
        len(course_doses(course)), completed=course_completed(course)
    )
    return f"HEPBSTAT {status}" + (f", HEPBVAC {count}" if count else "")


HEPATITIS_B_HEAD = [{"text": "Offered"}, {"text": "Course"}, {"text": "NDTMS"}]


def hepatitis_b_rows(
    courses: Iterable[HepatitisBCourse], *, may_record: bool, today: datetime.date
) -> list[list[dict]]:
    rows = []
    for course in courses:
        text = course_text(course, today=today)
        cell: dict = {"text": text}
        if may_record and course.offer == HepatitisBOffer.ACCEPTED and not course_completed(course):
            link = reverse("harmreduction:hepatitis_b_dose", args=[course.pk])
            cell = {"html": format_html('{} <a href="{}">Record a dose</a>', text, link)}
        rows.append([{"text": date_uk(course.offered_on)}, cell, {"text": course_code(course)}])
    return rows


def bbv_summary_rows(
    tests: list[BloodBorneVirusTest], courses: list[HepatitisBCourse], *, today: datetime.date
) -> list[dict]:
    """The client page's summary: the latest of each virus, and the latest hepatitis B
    course."""
    rows = []
    for virus in Virus:
        latest = next((t for t in tests if t.virus == virus), None)
        value = (
            f"{test_text(latest)} (offered {date_uk(latest.offered_on)})"
            if latest
            else "Not offered"
        )
        rows.append({"key": {"text": virus.label}, "value": {"text": value}})
    latest_course = courses[0] if courses else None
    rows.append(
        {
            "key": {"text": "Hepatitis B vaccination"},
            "value": {
                "text": course_text(latest_course, today=today) if latest_course else "Not offered"
            },
        }
    )
    return rows


# The nurse's worklist (beacon/core/registry.py, worklist_sections) ------------------------


def bbv_tests_due_worklist(items: list, *, may_record) -> Worklist:
    """Clients due a hepatitis C or HIV test, each with the way to record the offer (for a
    client whose tests the user may record; otherwise to the client's page)."""
    rows = []
    for item in items:
        client = item.client
        due = "; ".join(
            f"{Virus(virus).label}: "
            + (f"last offered {date_uk(last)}" if last else "never offered")
            for virus, last in item.due
        )
        if may_record(client):
            action = action_link(
                reverse("harmreduction:bbv_test", args=[client.client_number]),
                "Record the offer",
                f"of a test to {client.full_name}",
            )
        else:
            action = action_link(
                reverse("harmreduction:client_bbv", args=[client.client_number]),
                "Open",
                f"the blood-borne viruses of {client.full_name}",
            )
        rows.append(
            [
                {"html": client_link_html(client)},
                {"text": client.client_number},
                {"text": due},
                action,
            ]
        )
    return worklist(
        section_id="worklist-bbv-tests-due",
        clients=[item.client for item in items],
        heading="Blood-borne virus tests due",
        head=["Client", "Client number", "Due"],
        rows=rows,
        empty="No client in treatment is due a hepatitis C or HIV test.",
    )
