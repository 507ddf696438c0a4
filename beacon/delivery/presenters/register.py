"""How the controlled-drug register is shown: amounts in the page's unit, and the rows of the
balances, register page and reconciliation tables."""

from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from beacon.core.presenters import datetime_uk, quantity_text, yes_no
from beacon.delivery.models import RegisterEntry
from beacon.delivery.selectors.register import DriverDay
from beacon.prescribing.medicines import Medicine


def amount(value: Decimal, unit: str) -> str:
    """'30 ml', '14 tablets': a quantity without trailing zeros, with its unit."""
    return quantity_text(value, unit)


def _medicine_link(medicine: Medicine) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("delivery:register", args=[medicine.code]), medicine.name
    )


def numeric(text: str, **cell) -> dict:
    return {"text": text, "format": "numeric", **cell}


BALANCES_HEAD = [{"text": "Medicine"}, {"text": "Balance", "format": "numeric"}]


def balance_rows(balances: Iterable[tuple[Medicine, Decimal, str]]) -> list[list[dict]]:
    return [
        [{"html": _medicine_link(medicine)}, numeric(amount(balance, unit))]
        for medicine, balance, unit in balances
    ]


ENTRIES_HEAD = [
    {"text": "Entry"},
    {"text": "Date and time"},
    {"text": "Movement"},
    {"text": "Details"},
    {"text": "Quantity", "format": "numeric"},
    {"text": "Balance after", "format": "numeric"},
    {"text": "Entered by"},
]


def entry_details(entry: RegisterEntry) -> SafeString:
    """Who and what an entry names: supplier, driver, the client and reg 19 answers,
    witness, notes."""
    parts: list[SafeString] = []
    if entry.supplier:
        parts.append(format_html("From {}", entry.supplier))
    if entry.driver:
        parts.append(format_html("Driver: {}", entry.driver.display_name))
    if entry.kind == RegisterEntry.Kind.DELIVERED:
        received = ""
        if entry.recipient == RegisterEntry.Recipient.REPRESENTATIVE:
            received = format_html(", received by {} (representative)", entry.representative_name)
        parts.append(
            format_html(
                "<br>To {} ({}){}<br>Identity asked for: {}; shown: {}",
                entry.client.full_name,
                entry.client.client_number,
                received,
                yes_no(entry.identity_requested),
                yes_no(entry.identity_provided),
            )
        )
    if entry.witness:
        parts.append(format_html("Witness: {}", entry.witness))
    if entry.notes:
        parts.append(format_html('<br><span class="nhsuk-body-s">{}</span>', entry.notes))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def entry_rows(entries: Iterable[RegisterEntry]) -> list[list[dict]]:
    rows = []
    for entry in entries:
        movement = entry.get_kind_display()
        if entry.corrects_id:
            movement += f" of #{entry.corrects_id}"
        rows.append(
            [
                {"text": f"#{entry.pk}", "attributes": {"id": f"entry-{entry.pk}"}},
                {"text": datetime_uk(entry.occurred_at)},
                {"text": movement},
                {"html": entry_details(entry)},
                numeric(entry.amount_text),
                numeric(amount(entry.balance_after, entry.unit)),
                {
                    "html": format_html(
                        '{}<br><span class="nhsuk-body-s">{}</span>',
                        entry.entered_by.display_name,
                        datetime_uk(entry.entered_at),
                    )
                },
            ]
        )
    return rows


RECONCILIATION_HEAD = [
    {"text": "Driver"},
    {"text": "Medicine"},
    {"text": "Handed out", "format": "numeric"},
    {"text": "Delivered", "format": "numeric"},
    {"text": "Returned", "format": "numeric"},
    {"text": "Result"},
]


def _result(row: DriverDay) -> SafeString:
    if not row.is_discrepancy:
        return mark_safe('<strong class="nhsuk-tag nhsuk-tag--green">Balanced</strong>')
    if row.difference > 0:
        what = f"{amount(row.difference, row.unit)} not accounted for"
    else:
        what = f"{amount(-row.difference, row.unit)} more accounted for than handed out"
    return format_html('<strong class="nhsuk-tag nhsuk-tag--red">Discrepancy</strong> {}', what)


def reconciliation_rows(rows: Iterable[DriverDay]) -> list[list[dict]]:
    """One row per driver and medicine; a discrepancy's cells are marked beacon-discrepancy."""
    table = []
    for row in rows:
        marked = {"classes": "beacon-discrepancy"} if row.is_discrepancy else {}
        table.append(
            [
                {"text": row.driver.display_name, **marked},
                {"html": _medicine_link(row.medicine), **marked},
                numeric(amount(row.handed, row.unit), **marked),
                numeric(amount(row.delivered, row.unit), **marked),
                numeric(amount(row.returned, row.unit), **marked),
                {"html": _result(row), **marked},
            ]
        )
    return table


def empty_row(text: str, columns: int) -> list[list[dict]]:
    """The one row of an empty table, across every column."""
    return [[{"text": text, "colspan": columns}]]
