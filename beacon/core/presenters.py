"""How common values are shown: dates in the UK style and Europe/London time, NHS numbers 3-3-4,
doses and quantities as a person writes them; and the rows of core's own tables (the audit
log, API tokens)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString


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


def audit_entries_table(entries: Iterable) -> dict:
    """One row per audit entry: when, who, what, of which record and client, and how."""
    rows = []
    for entry in entries:
        action = format_html("{}", entry.get_action_display())
        if entry.detail:
            action = format_html('{}<br><span class="nhsuk-body-s">{}</span>', action, entry.detail)
        record = f"{entry.object_type} #{entry.object_id}" if entry.object_id else entry.object_type
        rows.append(
            [
                {"text": datetime_uk(entry.at)},
                {"text": entry.username},
                {"text": entry.role},
                {"html": action},
                {"text": record},
                {"text": entry.client.client_number if entry.client else ""},
                {"text": entry.get_channel_display()},
                {"text": entry.ip_address or ""},
            ]
        )
    head = ["When", "User", "Role", "Action", "Record", "Client", "Via", "IP address"]
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
    return {"responsive": True, "head": [{"text": h} for h in TOKEN_HEAD], "rows": rows}


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
