"""How the controlled-drug register is shown: amounts in the page's unit, the rows of the
balances, register page, reconciliation and patient-returns tables, and the register's
CSV columns."""

from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from beacon.core.models import Site
from beacon.core.presenters import datetime_uk, quantity_text, yes_no
from beacon.delivery.models import PatientReturn, RegisterEntry
from beacon.delivery.selectors.register import DriverDay
from beacon.prescribing.medicines import Medicine


def amount(value: Decimal, unit: str) -> str:
    """'30 ml', '14 tablets': a quantity without trailing zeros, with its unit."""
    return quantity_text(value, unit)


def _medicine_link(site: Site, medicine: Medicine) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("delivery:register", args=[site.pk, medicine.code]),
        medicine.name,
    )


def numeric(text: str, **cell) -> dict:
    return {"text": text, "format": "numeric", **cell}


BALANCES_HEAD = [
    {"text": "Site"},
    {"text": "Medicine"},
    {"text": "Balance", "format": "numeric"},
]


def balance_rows(balances: Iterable[tuple[Site, Medicine, Decimal, str]]) -> list[list[dict]]:
    return [
        [
            {"text": site.name},
            {"html": _medicine_link(site, medicine)},
            numeric(amount(balance, unit)),
        ]
        for site, medicine, balance, unit in balances
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


def collected_by(entry: RegisterEntry) -> str:
    """Reg 19's "who collected": the client, a named representative, or a healthcare
    professional with their name and address."""
    if entry.recipient == RegisterEntry.Recipient.REPRESENTATIVE:
        return f"{entry.representative_name} (representative)"
    if entry.recipient == RegisterEntry.Recipient.HEALTHCARE_PROFESSIONAL:
        return f"{entry.professional_name} (healthcare professional), {entry.professional_address}"
    if entry.recipient == RegisterEntry.Recipient.CLIENT:
        return "the client"
    return ""


def entry_details(entry: RegisterEntry) -> SafeString:
    """Who and what an entry names: supplier and address, driver, the person supplied,
    the prescriber, who collected and the reg 19 answers, witness, notes."""
    parts: list[SafeString] = []
    if entry.supplier:
        parts.append(format_html("From {}, {}", entry.supplier, entry.supplier_address))
    if entry.driver:
        parts.append(format_html("Driver: {}", entry.driver.display_name))
    if entry.kind == RegisterEntry.Kind.DELIVERED:
        parts.append(
            format_html(
                "<br>Supplied to {} ({}), {}<br>Prescriber: {}, {}<br>Collected by {}"
                "<br>Identity asked for: {}; shown: {}",
                entry.supplied_name,
                entry.client.client_number,
                entry.supplied_address,
                entry.prescriber_name,
                entry.prescriber_address,
                collected_by(entry),
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
    {"text": "Site"},
    {"text": "Driver"},
    {"text": "Medicine"},
    {"text": "Handed out", "format": "numeric"},
    {"text": "Delivered", "format": "numeric"},
    {"text": "Returned", "format": "numeric"},
    {"text": "Result"},
]


def _result(row: DriverDay) -> SafeString:
    if row.is_still_out:
        return format_html(
            '<strong class="nhsuk-tag nhsuk-tag--blue">Still out</strong> {} with the driver '
            "until their shift ends at {}",
            amount(row.difference, row.unit),
            timezone.localtime(row.shift_ends_at).strftime("%H:%M"),
        )
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
                {"text": row.site.name, **marked},
                {"text": row.driver.display_name, **marked},
                {"html": _medicine_link(row.site, row.medicine), **marked},
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


REGISTER_CSV_HEADER = [
    "entry",
    "site",
    "medicine",
    "date and time (UK)",
    "movement",
    "corrects entry",
    "quantity",
    "adjustment",
    "unit",
    "balance after",
    "supplier",
    "supplier address",
    "driver",
    "client number",
    "person supplied",
    "address of the person supplied",
    "prescriber",
    "prescriber address",
    "who collected",
    "collector name",
    "collector address",
    "identity asked for",
    "identity shown",
    "witness",
    "notes",
    "entered by",
    "entered at (UK)",
]


def register_csv_rows(entries: Iterable[RegisterEntry]) -> Iterable[list]:
    """One row per entry, in the page's order, with every reg 19 heading."""
    for entry in entries:
        collector_name = {
            RegisterEntry.Recipient.REPRESENTATIVE: entry.representative_name,
            RegisterEntry.Recipient.HEALTHCARE_PROFESSIONAL: entry.professional_name,
            RegisterEntry.Recipient.CLIENT: entry.supplied_name,
        }.get(entry.recipient, "")
        yield [
            entry.pk,
            entry.site.name,
            entry.medicine_name,
            datetime_uk(entry.occurred_at),
            entry.get_kind_display(),
            entry.corrects_id,
            entry.quantity,
            entry.adjustment,
            entry.unit,
            entry.balance_after,
            entry.supplier,
            entry.supplier_address,
            entry.driver.display_name if entry.driver else "",
            entry.client.client_number if entry.client else "",
            entry.supplied_name,
            entry.supplied_address,
            entry.prescriber_name,
            entry.prescriber_address,
            entry.get_recipient_display() if entry.recipient else "",
            collector_name,
            entry.professional_address,
            entry.identity_requested,
            entry.identity_provided,
            entry.witness,
            entry.notes,
            entry.entered_by.display_name,
            datetime_uk(entry.entered_at),
        ]


RETURNS_HEAD = [
    {"text": "Entry"},
    {"text": "Date and time"},
    {"text": "Record"},
    {"text": "Medicine"},
    {"text": "Details"},
    {"text": "Quantity", "format": "numeric"},
    {"text": "Entered by"},
]


def _return_details(item: PatientReturn) -> SafeString:
    if item.kind == PatientReturn.Kind.DESTROYED:
        return format_html(
            "Destroys #{} ({})<br>Witness: {}",
            item.destroys_id,
            item.client_name or "",
            item.witness,
        )
    destroyed = getattr(item, "destruction", None) if item.pk else None
    state = (
        format_html("Destroyed (#{})", destroyed.pk)
        if destroyed
        else format_html(
            '<a href="{}">Record its destruction</a>',
            reverse("delivery:patient_return_destroy", args=[item.site_id, item.pk]),
        )
    )
    return format_html(
        "From {} ({}), brought in by {}<br>{}",
        item.client_name,
        item.client.client_number,
        item.returned_by,
        state,
    )


def return_rows(items: Iterable[PatientReturn]) -> list[list[dict]]:
    rows = []
    for item in items:
        details = _return_details(item)
        if item.notes:
            details = format_html('{}<br><span class="nhsuk-body-s">{}</span>', details, item.notes)
        rows.append(
            [
                {"text": f"#{item.pk}", "attributes": {"id": f"return-{item.pk}"}},
                {"text": datetime_uk(item.occurred_at)},
                {"text": item.get_kind_display()},
                {"text": item.medicine_name},
                {"html": details},
                numeric(item.amount_text),
                {"text": item.entered_by.display_name},
            ]
        )
    return rows


RETURNS_CSV_HEADER = [
    "entry",
    "site",
    "date and time (UK)",
    "record",
    "medicine",
    "quantity",
    "unit",
    "client number",
    "client",
    "brought in by",
    "destroys entry",
    "witness",
    "notes",
    "entered by",
]


def return_csv_rows(items: Iterable[PatientReturn]) -> Iterable[list]:
    for item in items:
        yield [
            item.pk,
            item.site.name,
            datetime_uk(item.occurred_at),
            item.get_kind_display(),
            item.medicine_name,
            item.quantity,
            item.unit,
            item.client.client_number if item.client else "",
            item.client_name,
            item.returned_by,
            item.destroys_id,
            item.witness,
            item.notes,
            item.entered_by.display_name,
        ]
