"""How what is due is shown: due tags, links to a client, and the caseload's tables of what
is overdue, due today and due this week. The plan and TOP pages use the same tags and links."""

import datetime

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from beacon.clients.models import Client
from beacon.core.exporters import Exporter
from beacon.core.presenters import date_uk
from beacon.treatment.selectors.caseload import (
    CaseloadDue,
    CaseloadStatus,
    DueItem,
    DueKind,
    caseload_status,
)

STATUS_COLOURS = {
    CaseloadStatus.IN_TREATMENT: "green",
    CaseloadStatus.REFERRED: "blue",
    CaseloadStatus.NOT_IN_TREATMENT: "grey",
}

# The page where each kind of due item is done.
DUE_PAGES = {
    DueKind.PLAN_REVIEW: "treatment:plan",
    DueKind.PLAN_ACTION: "treatment:plan",
    DueKind.EXIT_PLAN_REVIEW: "treatment:exit_plan",
    DueKind.TOP: "treatment:tops",
}


def tag_html(text: str, colour: str) -> SafeString:
    """An NHS.UK tag, as its macro draws it."""
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, text)


def plural_days(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def due_status_html(days: int) -> SafeString:
    """A tag for something due `days` from today (negative: overdue)."""
    if days < 0:
        return tag_html(f"Overdue by {plural_days(-days)}", "red")
    if days == 0:
        return tag_html("Due today", "orange")
    return tag_html(f"Due in {plural_days(days)}", "blue")


def review_due_html(date: datetime.date, today: datetime.date) -> SafeString:
    """A review date, tagged when it is overdue or due today."""
    if date < today:
        return format_html("{} {}", date_uk(date), tag_html("Overdue", "red"))
    if date == today:
        return format_html("{} {}", date_uk(date), tag_html("Due today", "orange"))
    return format_html("{}", date_uk(date))


def due_on_html(due_on: datetime.date, days_from_today: int) -> SafeString:
    return format_html("{} {}", date_uk(due_on), due_status_html(days_from_today))


def client_link_html(client: Client) -> SafeString:
    """SURNAME, First (preferred name), linked to the client's record."""
    link = format_html(
        '<a href="{}">{}, {}</a>',
        reverse("clients:detail", args=[client.client_number]),
        client.last_name.upper(),
        client.first_name,
    )
    if client.preferred_name:
        return format_html("{} ({})", link, client.preferred_name)
    return link


def keyworker_name(client: Client) -> str:
    return client.keyworker.display_name if client.keyworker else "Not allocated"


def due_table(items: list[DueItem], *, table_id: str) -> dict:
    """One of the caseload's tables: when each item is due, whose it is, and a link to do it."""
    rows = [
        [
            {"html": due_on_html(item.due_on, item.days_from_today)},
            {
                "html": format_html(
                    '{}<br><span class="nhsuk-body-s">{}</span>',
                    client_link_html(item.client),
                    item.client.client_number,
                )
            },
            {
                "html": format_html(
                    '<a href="{}">{}</a>',
                    reverse(DUE_PAGES[item.kind], args=[item.client.client_number]),
                    item.what,
                )
            },
        ]
        for item in items
    ]
    return {
        "id": table_id,
        "responsive": True,
        "head": [{"text": "Due"}, {"text": "Client"}, {"text": "What"}],
        "rows": rows,
    }


def client_table(
    clients: list[Client], columns: list[dict], *, table_id: str, whole_service: bool = False
) -> dict:
    """The caseload's clients (annotated by `with_caseload_status`) with their status, and
    for a manager their team and keyworker, each with the cells higher apps add
    (`hooks.caseload_columns`: each gives a head and the cells of every client)."""
    head = [{"text": "Client"}, {"text": "Status"}]
    if whole_service:
        head.append({"text": "Team and keyworker"})
    head += [cell for column in columns for cell in column["head"]]
    rows = [
        [
            {
                "html": format_html(
                    '{}<br><span class="nhsuk-body-s">{}</span>',
                    client_link_html(client),
                    client.client_number,
                )
            },
            {"html": status_tag_html(client)},
            *(
                [
                    {
                        "html": format_html(
                            '{}<br><span class="nhsuk-body-s">{}</span>',
                            client.team.name,
                            keyworker_name(client),
                        )
                    }
                ]
                if whole_service
                else []
            ),
            *[
                cell
                for column in columns
                for cell in column["cells"].get(client.pk, [{"text": ""}] * len(column["head"]))
            ],
        ]
        for client in clients
    ]
    return {"id": table_id, "responsive": True, "head": head, "rows": rows}


def status_tag_html(client: Client) -> SafeString:
    status = caseload_status(client)
    return tag_html(status.label, STATUS_COLOURS[status])


class CaseloadExport(Exporter):
    """The filtered caseload as a file: each client with their status and what is due."""

    filename = "caseload.csv"
    columns = (
        "Client number",
        "Surname",
        "First name",
        "Team",
        "Keyworker",
        "Status",
        "Overdue",
        "Due today",
        "Due in the next 7 days",
        "Next due on",
        "Next due",
    )

    def __init__(self, clients, caseload: CaseloadDue):
        self.clients = clients
        self.caseload = caseload

    def rows(self):
        items: dict[int, list[DueItem]] = {}
        for item in self.caseload.items:
            items.setdefault(item.client.pk, []).append(item)
        today = self.caseload.today
        for client in self.clients.select_related("team", "keyworker"):
            due = items.get(client.pk, [])
            first = due[0] if due else None
            yield (
                client.client_number,
                client.last_name,
                client.first_name,
                client.team.name,
                keyworker_name(client),
                caseload_status(client).label,
                sum(1 for item in due if item.due_on < today),
                sum(1 for item in due if item.due_on == today),
                sum(1 for item in due if item.due_on > today),
                first.due_on if first else None,
                first.what if first else "",
            )
