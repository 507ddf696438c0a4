"""How common values are shown: dates in the UK style and Europe/London time, NHS numbers 3-3-4,
doses and quantities as a person writes them; the rows of core's own tables (the audit
log, API tokens); and the sections of a role's home-page worklist."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps as django_apps
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from beacon.core.exporters import Exporter
from beacon.core.roles import Role

ROLE_LABELS = {**dict(Role.choices), "superuser": "Set-up superuser"}


def date_uk(value: datetime.date | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def datetime_uk(value: datetime.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M}"


def nhs_number(value: str | None) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 10:
        return value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Yes" if value else "No"


def phone_uk(value: str | None) -> str:
    """UK numbers spaced as people say them: 07700 900123, 0113 496 0000, 020 7946 0000."""
    digits = (value or "").replace(" ", "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    if len(digits) != 11 or not digits.isdigit():
        return value or ""
    if digits.startswith("07"):
        return f"{digits[:5]} {digits[5:]}"
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith("01") and (digits[2] == "1" or digits[3] == "1"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


# Core's tables, for the NHS.UK table macro ------------------------------------------------


def audit_record_text(entry, records: dict) -> str:
    """The record an entry names, as the service calls it: "Client: Wren Halloway
    (TRS-00206)", "Parcel 31", "Register entry: Received 500 ml, Methadone"; a record that
    is no longer there by its kind and number."""
    if not entry.object_type:
        return ""
    try:
        model = django_apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return f"{entry.object_type} {entry.object_id}".strip()
    kind = str(model._meta.verbose_name)
    record = records.get((entry.object_type, entry.object_id))
    if record is None:
        return f"{kind.capitalize()} {entry.object_id}".strip()
    if entry.object_type == "core.User":
        return f"Account: {person(record)}"
    name = str(record)
    if name.lower().startswith(kind.split()[0].lower()):
        return name  # "Parcel 31", "Referral 3/11/2026 (GP)" name their kind already
    return f"{kind.capitalize()}: {name}"


def audit_client_text(entry) -> str:
    return f"{entry.client.client_number} {entry.client.full_name}" if entry.client else ""


def _one_page_view(group: list, entry) -> bool:
    """Is `entry` (older) part of the same page view as `group` (newest first)? Reads
    written by one request; for entries kept before the request was recorded, reads by one
    person, from one place, within PAGE_VIEW_SECONDS of the page's first entry."""
    first = group[0]
    if first.request_id is not None or entry.request_id is not None:
        return entry.action == first.action == "view" and entry.request_id == first.request_id
    return (  # entries from before the request id was kept: by time
        entry.action == first.action == "view"
        and entry.username == first.username
        and entry.channel == first.channel
        and entry.ip_address == first.ip_address
        and abs((first.at - entry.at).total_seconds()) <= PAGE_VIEW_SECONDS
    )


# For entries without a request id: the entries one page writes (the page's own and one
# per record or client it shows) are written within a request; two seconds covers most
# pages without joining two clicks.
PAGE_VIEW_SECONDS = 2


def audit_entry_groups(entries: Iterable) -> list[list]:
    """The entries (newest first) in page views: consecutive reads written by one request
    are one group; every other entry is a group of its own.

    Grouped here, on display, not when written: the log keeps one entry per record a page
    showed, because "who has seen this client?" must find the list page that showed them
    as surely as their own record page (the client filter and the database index work on
    entries), and an append-only log cannot be tidied later. A page view split across two
    pages of the log shows as two rows; the CSV download keeps one line per entry."""
    groups: list[list] = []
    for entry in entries:
        if groups and _one_page_view(groups[-1], entry):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _lines(texts: list[str]) -> SafeString:
    unique = list(dict.fromkeys(text for text in texts if text))
    if len(unique) <= 1:
        return format_html("{}", unique[0] if unique else "")
    items = format_html_join("", "<li>{}</li>", ((text,) for text in unique))
    return format_html('<ul class="nhsuk-list nhsuk-body-s">{}</ul>', items)


def audit_entries_table(entries: Iterable, *, records: dict) -> dict:
    """The audit log as a service reads it: one row per change, sign-in or refusal, and
    one row per page view however many records the page showed (the entries themselves
    stay one per record: see `audit_entry_groups`). People by name, records by what the
    service calls them (`records` from selectors.audit_entry_records)."""
    rows = []
    for group in audit_entry_groups(entries):
        first = group[0]
        action = format_html("{}", first.get_action_display())
        details = [entry.detail for entry in group if entry.detail]
        if len(group) > 1:
            action = format_html("{} ({} entries)", action, len(group))
        if details:
            action = format_html(
                '{}<br><span class="nhsuk-body-s">{}</span>', action, _lines(details)
            )
        rows.append(
            [
                {"text": datetime_uk(first.at)},
                {"text": person(first.user, first.username)},
                {"text": ROLE_LABELS.get(first.role, first.role)},
                {"html": action},
                {"html": _lines([audit_record_text(entry, records) for entry in group])},
                {"html": _lines([audit_client_text(entry) for entry in group])},
                {"text": first.get_channel_display()},
                {"text": first.ip_address or ""},
            ]
        )
    head = ["When", "Who", "Role", "Action", "Record", "Client", "Via", "IP address"]
    return {
        "id": "audit-entries",
        "responsive": True,
        "head": [{"text": heading} for heading in head],
        "rows": rows,
    }


def person(user, username: str = "") -> str:
    """Who someone is, as colleagues know them: "Wren Halloway (keyworker-trs)"; an
    integration account says so; a person no longer in Beacon keeps the name recorded."""
    if user is None:
        return username or "Nobody signed in"
    if user.is_integration:
        return f"{user.display_name} (integration account)"
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def _token_status(token, csrf_input: SafeString, *, revocable: bool) -> SafeString:
    if token.revoked_at:
        return format_html("Revoked {}", datetime_uk(token.revoked_at))
    if token.has_expired:
        return format_html("Expired {}", datetime_uk(token.expires_at))
    waiting = (
        format_html("Waiting for {} to accept it", person(token.user))
        if token.is_pending
        else SafeString("Working")
    )
    if not revocable:
        return waiting
    return format_html(
        '{}<form method="post" action="{}">{}<button class="nhsuk-button '
        'nhsuk-button--warning nhsuk-button--small" type="submit">Revoke'
        '<span class="nhsuk-u-visually-hidden"> {}</span></button></form>',
        waiting,
        reverse("core:api_token_revoke", args=[token.pk]),
        csrf_input,
        token.name,
    )


def _token_row(token, status: SafeString) -> list[dict]:
    issued = datetime_uk(token.created_at)
    if token.created_by:
        issued = f"{issued} by {person(token.created_by)}"
    return [
        {"text": token.name},
        {"text": f"{person(token.user)}, {token.user.get_role_display()}"},
        {"html": format_html("<code>{}…</code>", token.prefix) if token.prefix else "None yet"},
        {"text": issued},
        {"text": datetime_uk(token.last_used_at) or "Never"},
        {"text": datetime_uk(token.expires_at) if token.expires_at else "When revoked"},
        {"html": status},
    ]


TOKEN_HEAD = ["For", "Acts as", "Starts", "Issued", "Last used", "Expires", "Status"]


def api_tokens_table(tokens: Iterable, *, csrf_input: SafeString) -> dict:
    """One row per API token; a working or pending one has a button to revoke it."""
    rows = [_token_row(token, _token_status(token, csrf_input, revocable=True)) for token in tokens]
    head = [{"text": h} for h in TOKEN_HEAD]
    return {"id": "api-tokens", "responsive": True, "head": head, "rows": rows}


def my_api_tokens_table(tokens: Iterable) -> dict:
    """The tokens that act as the signed-in person (revoking is a manager's)."""
    rows = [
        _token_row(token, _token_status(token, SafeString(), revocable=False)) for token in tokens
    ]
    return {"responsive": True, "head": [{"text": h} for h in TOKEN_HEAD], "rows": rows}


def integration_accounts_table(accounts: Iterable) -> dict:
    rows = [
        [
            {"text": account.display_name},
            {"text": account.username},
            {"text": account.get_role_display()},
            {"text": datetime_uk(account.date_joined)},
        ]
        for account in accounts
    ]
    head = ["System", "Account name", "Acts as", "Made"]
    return {"responsive": True, "head": [{"text": h} for h in head], "rows": rows}


def locked_accounts_table(locked: Iterable, *, csrf_input: SafeString) -> dict:
    """One row per locked account, with a button to unlock it."""
    rows = []
    for lock in locked:
        unlock = format_html(
            '<form method="post" action="{}">{}<button class="nhsuk-button '
            'nhsuk-button--secondary nhsuk-button--small" type="submit">Unlock'
            '<span class="nhsuk-u-visually-hidden"> {}</span></button></form>',
            reverse("core:account_unlock", args=[lock.user.pk]),
            csrf_input,
            lock.user.display_name,
        )
        rows.append(
            [
                {"text": person(lock.user)},
                {"text": lock.user.get_role_display()},
                {"text": ", ".join(lock.addresses)},
                {"text": datetime_uk(lock.locked_until)},
                {"html": unlock},
            ]
        )
    head = ["Account", "Role", "Locked at address", "Unlocks by itself at", "Unlock"]
    return {"responsive": True, "head": [{"text": h} for h in head], "rows": rows}


def quantity_text(value: Decimal | int, unit: str = "") -> str:
    """A dose or quantity as a person writes it: "400 mg", "7.5 mg", "0.25 mg", "1,000 ml".

    The one formatter of every dose and quantity on every page, API text, CSV and print: a
    Decimal's own str can be exponent form ("4E+2" for 400), and a misread dose is a hazard.
    Never exponent form, no trailing zeros, a leading zero below 1, thousands with a comma.
    """
    number = Decimal(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    text = f"{number:,f}"
    return f"{text} {unit}" if unit else text


class AuditLogExport(Exporter):
    """The filtered audit log as a CSV file: one line per entry (never grouped), in London
    time, people and records named as on the page."""

    filename = "audit-log.csv"
    columns = (
        "When (UK time)",
        "Who",
        "Account name",
        "Role",
        "Action",
        "Record",
        "Client number",
        "Client",
        "Detail",
        "Via",
        "IP address",
    )
    CHUNK = 500

    def __init__(self, entries, *, provider) -> None:
        self.entries = entries
        self.provider = provider

    def rows(self) -> Iterable[list]:
        from beacon.core.selectors import audit_entry_records

        chunk: list = []
        for entry in self.entries.iterator(chunk_size=self.CHUNK):
            chunk.append(entry)
            if len(chunk) == self.CHUNK:
                yield from self._rows(chunk, audit_entry_records(chunk, provider=self.provider))
                chunk = []
        if chunk:
            yield from self._rows(chunk, audit_entry_records(chunk, provider=self.provider))

    def _rows(self, entries: list, records: dict) -> Iterable[list]:
        for entry in entries:
            yield [
                timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0),
                person(entry.user, entry.username),
                entry.username,
                ROLE_LABELS.get(entry.role, entry.role),
                entry.get_action_display(),
                audit_record_text(entry, records),
                entry.client.client_number if entry.client else "",
                entry.client.full_name if entry.client else "",
                entry.detail,
                entry.get_channel_display(),
                entry.ip_address or "",
            ]


TEXT_STATUS_TAGS = {
    "queued": "grey",
    "created": "blue",
    "sending": "blue",
    "pending": "blue",
    "sent": "blue",
    "delivered": "green",
    "permanent-failure": "red",
    "temporary-failure": "orange",
    "technical-failure": "red",
    "not-sent": "red",
}


def texts_table(texts: Iterable) -> dict:
    """One row per text to a client: when, to whom, what for, what it said, and its status
    (a failure with its reason)."""
    rows = []
    for text in texts:
        status = format_html(
            '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
            TEXT_STATUS_TAGS[text.status],
            text.get_status_display(),
        )
        if text.error:
            status = format_html('{}<br><span class="nhsuk-body-s">{}</span>', status, text.error)
        if text.attempts > 1:
            status = format_html("{} ({} attempts)", status, text.attempts)
        rows.append(
            [
                {"text": datetime_uk(text.queued_at)},
                {"text": f"{text.client.known_as} {text.client.last_name}"},
                {"text": text.client.client_number},
                {"text": text.get_purpose_display()},
                {"text": text.body},
                {"text": phone_uk(text.phone)},
                {"html": status},
            ]
        )
    head = ["Queued", "Client", "Client number", "Text", "Wording", "To", "Status"]
    return {
        "id": "texts",
        "responsive": True,
        "head": [{"text": heading} for heading in head],
        "rows": rows,
    }


class TextsExport(Exporter):
    """The filtered texts as a CSV file, to chase failures: when, to whom, what for and how
    it went. Neither the wording nor the phone number leaves: they are on the record."""

    filename = "texts.csv"
    columns = (
        "Queued (UK time)",
        "Client number",
        "Text",
        "Status",
        "Attempts",
        "Reason",
    )

    def __init__(self, texts) -> None:
        self.texts = texts

    def rows(self) -> Iterable[list]:
        for text in self.texts:
            yield [
                timezone.localtime(text.queued_at).strftime("%Y-%m-%d %H:%M"),
                text.client.client_number,
                text.get_purpose_display(),
                text.get_status_display(),
                text.attempts,
                text.error,
            ]


# The worklist a role starts its day on ---------------------------------------------------

# A home page section shows this many rows; the rest are on the full list it links to.
WORKLIST_ROWS = 10


@dataclass(frozen=True)
class Worklist:
    """One section of a role's home page, as its app presents it: a heading, how many things
    are waiting, the first WORKLIST_ROWS as a table for the NHS.UK macro (each row linking to
    where the work is done), what to say when nothing is waiting, and the full list."""

    id: str
    heading: str
    count: int
    table: dict | None
    empty: str
    more_href: str = ""
    more_text: str = ""
    # The client of each row shown (the page audits each one, as a list of alerts does).
    clients: tuple[Model, ...] = ()


def worklist(
    *,
    section_id: str,
    heading: str,
    head: list[str],
    rows: list[list[dict]],
    empty: str,
    clients: Sequence[Model],
    more_href: str = "",
    more_text: str = "",
    count: int | None = None,
) -> Worklist:
    """A `Worklist` from presenter rows (the last cell of each row its action link) and the
    client of each row. A section with a full list elsewhere (`more_href`) shows its first
    WORKLIST_ROWS and always links to the full list (filtered, paged, as CSV there); one
    without shows every row."""
    shown = rows[:WORKLIST_ROWS] if more_href else rows
    table = None
    if shown:
        table = {
            "id": section_id + "-table",
            "responsive": True,
            "head": [
                *({"text": text} for text in head),
                {"visuallyHiddenText": "Action"},
            ],
            "rows": shown,
        }
    # `count`: how many are waiting when only the first rows were fetched.
    count = len(rows) if count is None else count
    return Worklist(
        id=section_id,
        heading=heading,
        count=count,
        table=table,
        empty=empty,
        more_href=more_href,
        more_text=more_text,
        clients=tuple(clients[: len(shown)]),
    )


def action_link(href: str, text: str, hidden: str) -> dict:
    """The cell of a worklist row that takes the user to the work: `text` shown, `hidden`
    (whose it is) read out, so each link names its client for a screen reader."""
    return {
        "html": format_html(
            '<a href="{}">{}<span class="nhsuk-u-visually-hidden"> {}</span></a>',
            href,
            text,
            hidden,
        )
    }


def alert_row(alert) -> list[dict]:
    """One unread alert on the worklist: what, whose, when, and the page to act on it."""
    href = alert.link or reverse("core:alerts")
    hidden = f"{alert.title}, {alert.client.full_name}" if alert.client else alert.title
    return [
        {"text": alert.title},
        {"text": alert.client.full_name if alert.client else ""},
        {"text": datetime_uk(alert.created_at)},
        action_link(href, "Open" if alert.link else "Read", hidden),
    ]


# What the home page says to a role whose day's work Beacon does not list yet (issue 11).
ROLE_HOME_STATEMENTS = {
    Role.NURSE: (
        "Hepatitis B vaccination is recorded from each client's page (Blood-borne viruses), "
        "and naloxone stock from the Naloxone pages."
    ),
    Role.COMMISSIONER: (
        "You can read the service's figures: the KPIs (how many people are in treatment, "
        "how long they wait, how treatment ends) with the quarterly report, naloxone "
        "coverage and the needle and syringe programme. Commissioners see numbers only, "
        "never a person's record."
    ),
}
