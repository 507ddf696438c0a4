"""How a client record is shown: NHS number 3-3-4, age, NDTMS attributor, flags, consents,
the rows of the search results and contacts tables, and the summary at the top of its page."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from beacon.clients.codes import NDTMS_ETHNIC_CODE
from beacon.clients.hooks import SUMMARY_SLOTS, SummaryRow
from beacon.clients.models import Client, Contact
from beacon.clients.validators import postcode_district
from beacon.core import presenters
from beacon.core.models import Alert

RISK_FLAGS = [
    ("children_in_household", "Children in household"),
    ("domestic_abuse", "Domestic abuse"),
    ("risk_to_staff", "Risk to staff"),
    ("self_harm_risk", "Suicide or self-harm risk"),
    ("pregnant", "Pregnant"),
]


SEARCH_HEAD = ["Name", "Date of birth", "NHS number", "Client number", "Team"]
CONTACT_HEAD = ["Name", "Relationship", "Phone", "May contact"]
NO_SEARCH_RESULTS = "No clients match. Check the spelling, or search by date of birth."


def age_on(date_of_birth: datetime.date, today: datetime.date) -> int:
    return (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )


def ndtms_attributor(client: Client) -> str:
    """Initials, date of birth, sex and postcode district: derived, never typed twice."""
    initials = f"{client.first_name[:1]}{client.last_name[:1]}".upper()
    district = "NFA" if client.no_fixed_abode else postcode_district(client.postcode)
    return f"{initials} {client.date_of_birth:%d/%m/%Y} {client.sex} {district}".strip()


class ClientPresenter:
    def __init__(self, client: Client) -> None:
        self.client = client

    @property
    def nhs_number(self) -> str:
        return presenters.nhs_number(self.client.nhs_number) or "Not recorded"

    @property
    def age(self) -> int:
        return age_on(self.client.date_of_birth, timezone.localdate())

    @property
    def attributor(self) -> str:
        return ndtms_attributor(self.client)

    @property
    def ndtms_ethnic_code(self) -> str:
        return NDTMS_ETHNIC_CODE.get(self.client.ethnicity, "Z")

    @property
    def address(self) -> list[str]:
        if self.client.no_fixed_abode:
            return ["No fixed abode"]
        parts = [
            self.client.address_line_1,
            self.client.address_line_2,
            self.client.town,
            self.client.postcode,
        ]
        return [part for part in parts if part]

    @property
    def phone(self) -> str:
        return presenters.phone_uk(self.client.phone) or "Not recorded"

    @property
    def risk_flags(self) -> list[str]:
        return [label for field, label in RISK_FLAGS if getattr(self.client, field)]

    @property
    def consents(self) -> list[tuple[str, bool]]:
        return [
            ("Share information with GP", self.client.consent_share_with_gp),
            ("Share information with probation", self.client.consent_share_with_probation),
            ("Contact by text message", self.client.consent_contact_by_text),
        ]


def search_rows(clients: Iterable[Client]) -> list[list[dict]]:
    """Rows of the search results: the name links to the record."""
    rows = []
    for client in clients:
        name = format_html(
            '<a href="{}">{}, {}</a>',
            reverse("clients:detail", args=[client.client_number]),
            client.last_name.upper(),
            client.first_name,
        )
        if client.preferred_name:
            name = format_html("{} ({})", name, client.preferred_name)
        rows.append(
            [
                {"html": name},
                {"text": presenters.date_uk(client.date_of_birth)},
                {"text": presenters.nhs_number(client.nhs_number)},
                {"text": client.client_number},
                {"text": client.team.name},
            ]
        )
    return rows


def contact_rows(contacts: Iterable[Contact], *, may_change: bool) -> list[list[dict]]:
    """Rows of the friends-and-family table; with `may_change`, a change link on each."""
    rows = []
    for contact in contacts:
        emergency = " (emergency contact)" if contact.is_emergency_contact else ""
        row = [
            {"text": f"{contact.name}{emergency}"},
            {"text": contact.get_relationship_display()},
            {"text": presenters.phone_uk(contact.phone)},
            {"text": presenters.yes_no(contact.client_agrees_to_contact)},
        ]
        if may_change:
            row.append(
                {
                    "html": format_html(
                        '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a>',
                        reverse(
                            "clients:contact_edit", args=[contact.client.client_number, contact.pk]
                        ),
                        contact.name,
                    )
                }
            )
        rows.append(row)
    return rows


def contact_head(*, may_change: bool) -> list:
    if may_change:
        actions = mark_safe('<span class="nhsuk-u-visually-hidden">Actions</span>')
        return [*CONTACT_HEAD, {"html": actions}]
    return list(CONTACT_HEAD)


# The summary at the top of the client page ------------------------------------------------

NOT_ALLOCATED = "Not allocated"
NO_FLAGS = "None recorded"
NO_OPEN_ALERTS = "None for you"


def tag_html(text: str, colour: str = "red") -> SafeString:
    """An NHS.UK tag inside a summary line (a summary list value is HTML, not a macro)."""
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, text)


def lines_html(lines: Iterable[str | SafeString]) -> SafeString:
    """Lines of one summary value, each escaped unless already safe."""
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


def keyworker_summary(client: Client) -> SummaryRow:
    keyworker = client.keyworker
    text = f"{keyworker.display_name}, {client.team.name}" if keyworker else NOT_ALLOCATED
    return SummaryRow(slot="keyworker", key="Keyworker", text=text)


def flags_summary(client: Client) -> SummaryRow:
    """The risk and safeguarding flags as red tags, then the safeguarding notes."""
    flags = ClientPresenter(client).risk_flags
    lines: list[str | SafeString] = []
    if flags:
        lines.append(format_html_join(" ", "{}", ((tag_html(flag),) for flag in flags)))
    if client.safeguarding_notes:
        lines.append(client.safeguarding_notes)
    return SummaryRow(
        slot="flags",
        key="Risk and safeguarding",
        html=lines_html(lines) if lines else "",
        text="" if lines else NO_FLAGS,
    )


def alerts_summary(alerts: list[Alert], *, today: datetime.date) -> SummaryRow:
    """The viewer's own unread alerts about the client (alerts are addressed to a person),
    newest first, each with when it was raised; the link goes to their alerts."""
    if not alerts:
        return SummaryRow(slot="alerts", key="Open alerts", text=NO_OPEN_ALERTS)
    lines = []
    for alert in alerts:
        raised = timezone.localtime(alert.created_at)
        when = (
            f"today, {raised:%H:%M}" if raised.date() == today else presenters.datetime_uk(raised)
        )
        lines.append(
            format_html("{} {} ({})", tag_html("New", "orange"), alert.get_kind_display(), when)
        )
    return SummaryRow(
        slot="alerts",
        key="Open alerts",
        html=lines_html(lines),
        href=reverse("core:alerts"),
        link_text="Your alerts",
    )


def summary_list_rows(rows: Iterable[SummaryRow]) -> list[dict]:
    """The summary's lines in `SUMMARY_SLOTS` order (lines of one slot in the order given),
    as rows of the NHS.UK summary list macro."""
    order = {slot: n for n, slot in enumerate(SUMMARY_SLOTS)}
    shown = []
    for row in sorted(rows, key=lambda r: order.get(r.slot, len(order))):
        value = {"html": row.html} if row.html else {"text": row.text}
        line: dict = {
            "key": {"text": row.key},
            "value": value,
            "attributes": {"data-summary": row.slot},
        }
        if row.href:
            line["actions"] = {
                "items": [
                    {"href": row.href, "text": row.link_text, "visuallyHiddenText": row.key.lower()}
                ]
            }
        shown.append(line)
    return shown
