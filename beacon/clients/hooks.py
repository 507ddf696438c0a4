"""What apps above clients add to the client page. They register in their
`AppConfig.ready()`; clients asks through this and imports none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from beacon.core.registry import Registry

# Each is called as section(client, user, origin=…, today=…) when the client page is shown
# (`today` the page's day, the summary's: H-150) and
# returns None (nothing to show this user: the section checks its own permission against
# the client, and audits its own read) or a dict:
#   {"id": "…", "title": "…", "rows": [summary-list rows], "links": [{"text", "href"}]}
# or, for more than a summary list, {"id", "title", "template": "app/…html", "context": {…}}.
# Rows come from the registering app's presenters, so clients formats nothing of theirs.
client_page_sections: Registry[Callable[..., dict | None]] = Registry("client page sections")


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary at the top of the client page ("where the client is today").
    `html` is already escaped and safe (built by the registering app's presenters)."""

    slot: str  # which line it is: one of SUMMARY_SLOTS, which sets the order
    key: str  # its label, e.g. "Current prescription"
    text: str = ""
    html: str = ""
    href: str = ""  # where to act on it, with `link_text`
    link_text: str = ""


# The lines of the summary, in the order a keyworker reads them. Clients fills `keyworker`,
# `alerts` and `flags` itself; the apps above fill the rest (a slot nobody fills, such as
# `naloxone` before the naloxone app registers, is left out, never shown as "none").
SUMMARY_SLOTS = (
    "episode",
    "keyworker",
    "prescription",
    "todays_dose",
    "todays_delivery",
    "alerts",
    "flags",
    "naloxone",
    "next_appointment",
)

# Each is called as rows(client, user, today=…, now=…) when the client page is shown and
# returns the SummaryRows it adds (none for a user who may not read them: each checks its
# own permission against the client). `today` is the service's date (Europe/London) and
# `now` the moment the page is made, so every line speaks of the same day. A fixed number
# of queries each, however long the client's history; the clients view audits the read.
client_summary_rows: Registry[Callable[..., list[SummaryRow]]] = Registry("client summary rows")
