"""How a partner pharmacy's instalments and figures are shown: the due list's rows (what a
pharmacist may see of a client, nothing more), an instalment's lines, the figures per
pharmacy and the pharmacies to phone."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from beacon.core.exporters import Exporter
from beacon.core.models import User
from beacon.core.permissions import user_can
from beacon.core.presenters import action_link, date_uk, quantity_text
from beacon.pharmacy.hooks import pharmacy_services
from beacon.pharmacy.selectors import (
    DueInstalment,
    NotRecorded,
    PharmacyFigures,
    client_representatives,
    prescription_messages,
)
from beacon.pharmacy.services import DO_NOT_SUPPLY
from beacon.prescribing.medicines import Form
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.presenters import quantity_in_figures_and_words
from beacon.prescribing.wording import wording_lines

IDENTITY_PROMPT = (
    "Check the person's identity before you supply: ask their full name and date of birth "
    "and compare them with this instalment."
)
DUE_HEAD = ["Day", "Client", "Date of birth", "Medicine", "Amount", "How", "Status"]


def day_text(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return "Today"
    if day == today + datetime.timedelta(days=1):
        return "Tomorrow"
    return f"{day:%A} {day.day} {day:%B}"


def amount_text(instalment: Instalment) -> str:
    """The amount to supply in the preparation's units and in mg, as dispensed."""
    medicine = instalment.prescription.medicine_info
    days = instalment.covers_days
    covers = f", {days} days" if days > 1 else ""
    return (
        f"{quantity_in_figures_and_words(medicine, instalment.quantity)}: "
        f"{quantity_text(instalment.quantity, instalment.quantity_unit)}{covers}"
    )


def how_text(instalment: Instalment) -> str:
    return "Supervised consumption" if instalment.supervised else "Take home"


def medicine_text(instalment: Instalment) -> str:
    medicine = instalment.prescription.medicine_info
    return f"{medicine.name} ({Form(medicine.form).label.lower()}, {medicine.strength_text})"


def status_text(row: DueInstalment) -> str:
    instalment = row.instalment
    record = getattr(instalment, "pharmacy_supply", None)
    if record is not None:
        return record.get_supply_display()
    if instalment.outcome:
        return f"{instalment.get_outcome_display()} (recorded by the service)"
    if row.do_not_supply:
        return DO_NOT_SUPPLY
    return "To record"


def due_rows(rows: Iterable[DueInstalment], *, today: datetime.date) -> list[list[dict]]:
    table = []
    for row in rows:
        instalment = row.instalment
        client = instalment.prescription.client
        status = status_text(row)
        tag = "nhsuk-tag--red" if status == DO_NOT_SUPPLY else "nhsuk-tag--grey"
        href = reverse("pharmacy:instalment", kwargs={"instalment_id": instalment.pk})
        table.append(
            [
                {"text": day_text(instalment.date, today)},
                {"html": format_html('<a href="{}">{}</a>', href, client.full_name)},
                {"text": date_uk(client.date_of_birth)},
                {"text": medicine_text(instalment)},
                {"text": amount_text(instalment)},
                {"text": how_text(instalment)},
                {"html": format_html('<strong class="nhsuk-tag {}">{}</strong>', tag, status)},
            ]
        )
    return table


class DueExport(Exporter):
    """The pharmacist's due list as they filtered it, as a CSV: what the list shows (the
    client's name and date of birth to check identity, nothing else of them)."""

    filename = "instalments-due.csv"
    columns = ("Date", "Client", "Date of birth", "Medicine", "Amount", "How", "Status")

    def __init__(self, rows: list[DueInstalment], *, today: datetime.date) -> None:
        self.due = rows
        self.today = today

    def rows(self):
        for row in self.due:
            instalment = row.instalment
            client = instalment.prescription.client
            yield (
                instalment.date,
                client.full_name,
                client.date_of_birth,
                medicine_text(instalment),
                amount_text(instalment),
                how_text(instalment),
                status_text(row),
            )


def service_links(user: User) -> list[tuple[str, str]]:
    """The pharmacy's other services the pharmacist may record (the apps above register
    them): (label, URL), in their order."""
    return [
        (service.label, reverse(service.url_name))
        for service in sorted(pharmacy_services, key=lambda s: s.order)
        if user_can(user, service.permission)
    ]


def due_table(rows: Iterable[DueInstalment], *, today: datetime.date) -> dict:
    return {
        "head": [{"text": h} for h in DUE_HEAD],
        "rows": due_rows(rows, today=today),
        "id": "pharmacy-due",
        "responsive": True,
    }


def instalment_lines(instalment: Instalment, *, today: datetime.date) -> list[tuple[str, str]]:
    """What the pharmacist is shown of one instalment (issue 14): no diagnosis, no notes."""
    client = instalment.prescription.client
    return [
        ("Client", client.full_name),
        ("Date of birth", date_uk(client.date_of_birth)),
        ("Day", f"{day_text(instalment.date, today)} ({date_uk(instalment.date)})"),
        ("Medicine", medicine_text(instalment)),
        ("Amount to supply", amount_text(instalment)),
        ("How", how_text(instalment)),
        ("Prescriber", instalment.prescription.prescriber.display_name),
        (
            "May collect for them",
            ", ".join(client_representatives(client=client)) or "Nobody: supply to the client only",
        ),
    ]


def wording(instalment: Instalment) -> list[str]:
    """The Home Office approved instalment wording the prescription carries."""
    return wording_lines(instalment.prescription.instalment_wording)


# The service's side ------------------------------------------------------------------------

FIGURES_HEAD = [
    "Pharmacy",
    "ODS code",
    "Clients dispensing there",
    "Supervised consumption rate",
    "Days of doses missed",
]


def _rate(figures: PharmacyFigures) -> str:
    rate = figures.supervised_rate
    if rate is None:
        return "No supervised doses recorded"
    return f"{rate}% ({figures.supervised_supplied} of {figures.supervised_due})"


def figures_cells(figures: PharmacyFigures) -> list[str]:
    return [
        figures.pharmacy.name,
        figures.pharmacy.ods_code,
        str(figures.clients),
        _rate(figures),
        str(figures.missed),
    ]


def figures_table(rows: Iterable[PharmacyFigures]) -> dict:
    return {
        "head": [{"text": h} for h in FIGURES_HEAD],
        "rows": [[{"text": cell} for cell in figures_cells(row)] for row in rows],
        "id": "pharmacy-figures",
        "responsive": True,
    }


class PharmacyFiguresExport(Exporter):
    """The figures per pharmacy, as a CSV: counts only, no client."""

    columns = (*FIGURES_HEAD, "From", "To")

    def __init__(
        self, rows: list[PharmacyFigures], *, first: datetime.date, last: datetime.date
    ) -> None:
        self.figures = rows
        self.first, self.last = first, last
        self.filename = f"pharmacies-{first:%Y-%m-%d}-to-{last:%Y-%m-%d}.csv"

    def rows(self):
        for row in self.figures:
            yield (*figures_cells(row), self.first, self.last)


NOT_RECORDED_HEAD = ["Pharmacy", "Phone", "Days not recorded", "Instalments not recorded", "Call"]


def days_text(days: Iterable[datetime.date], today: datetime.date) -> str:
    return ", ".join("Today" if day == today else f"{day:%a} {date_uk(day)}" for day in days)


def not_recorded_table(rows: Iterable[NotRecorded], *, today: datetime.date) -> dict:
    return {
        "head": [{"text": h} for h in NOT_RECORDED_HEAD],
        "rows": [
            [
                {"text": row.pharmacy.name},
                {"text": row.pharmacy.phone or "No phone recorded"},
                {"text": days_text(row.days, today)},
                {"text": str(row.instalments)},
                action_link(f"tel:{row.pharmacy.phone}", "Phone", row.pharmacy.name)
                if row.pharmacy.phone
                else {"text": "Find their number"},
            ]
            for row in rows
        ],
        "id": "pharmacy-not-recorded",
        "responsive": True,
    }


class NotRecordedExport(Exporter):
    """The pharmacies to phone, as a CSV: counts and days only, no client."""

    filename = "pharmacies-to-phone.csv"
    columns = NOT_RECORDED_HEAD[:-1]

    def __init__(self, rows: list[NotRecorded], *, today: datetime.date) -> None:
        self.not_recorded = rows
        self.today = today

    def rows(self):
        for row in self.not_recorded:
            yield [
                row.pharmacy.name,
                row.pharmacy.phone,
                days_text(row.days, self.today),
                str(row.instalments),
            ]


def prescription_messages_section(*, user: User, prescription: Prescription) -> dict | None:
    """The prescription page's messages from the partner pharmacy (registered on
    prescribing's hooks): what each pharmacist wrote, when, about which instalment."""
    if prescription.pharmacy_id is None:
        return None
    messages = prescription_messages(prescription=prescription)
    return {
        "id": "pharmacy-messages",
        "title": "Messages from the pharmacy",
        "empty": f"{prescription.pharmacy} has left no message about this prescription.",
        "table": {
            "head": [{"text": h} for h in ("Sent", "Instalment", "From", "Message")],
            "rows": [
                [
                    {"text": f"{localtime(m.written_at):%d/%m/%Y %H:%M}"},
                    {"text": date_uk(m.instalment.date)},
                    {"text": f"{m.written_by.display_name}, {m.pharmacy}"},
                    {"text": m.text},
                ]
                for m in messages
            ],
            "id": "pharmacy-messages-table",
            "responsive": True,
        },
    }


PHARMACIES_HEAD = ["Pharmacy", "ODS code", "Phone", "Address", "Opening hours", "Change"]


def pharmacies_table(pharmacies: Iterable) -> dict:
    rows = []
    for pharmacy in pharmacies:
        profile = getattr(pharmacy, "pharmacy_profile", None)
        address = ", ".join(
            part
            for part in (getattr(profile, "address", ""), getattr(profile, "postcode", ""))
            if part
        )
        rows.append(
            [
                {"text": pharmacy.name},
                {"text": pharmacy.ods_code or "None recorded"},
                {"text": pharmacy.phone or "None recorded"},
                {"text": address or "None recorded"},
                {"text": getattr(profile, "opening_hours", "") or "None recorded"},
                action_link(
                    reverse("pharmacy:pharmacy_edit", kwargs={"pharmacy_id": pharmacy.pk}),
                    "Change",
                    f"the details of {pharmacy.name}",
                ),
            ]
        )
    return {
        "head": [{"text": h} for h in PHARMACIES_HEAD],
        "rows": rows,
        "id": "pharmacies",
        "responsive": True,
    }
