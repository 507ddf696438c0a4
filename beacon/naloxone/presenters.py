"""How naloxone is shown: table rows for the NHS.UK table macro (stock, supplies, offers,
coverage, gaps, kits expiring), the client page's summary rows, the caseload's cell, and
the CSV exporters. Figures for commissioners carry no identifiable row."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from beacon.core.exporters import Exporter
from beacon.core.presenters import Worklist, action_link, date_uk, worklist, yes_no
from beacon.naloxone.models import (
    DeclineReason,
    NaloxoneOffer,
    NaloxoneSupply,
    OfferDue,
    StockBalance,
    StockEntry,
    TrainingTopic,
)
from beacon.naloxone.selectors import Coverage, CoverageRow, Gap, KitFigures, OfferOutcomes
from beacon.treatment.presenters.caseload import client_link_html, tag_html

# Small numbers (H-146): a commissioner sees a count from 1 to 4 as "fewer than 5", as on the
# KPI dashboard (H-224) and the NSP figures (H-127): "1 of 1, 100%" at a site can point to a
# person. A part of a total is "not shown" when it, or what the parts leave of the total, is
# 1 to 4 (a subtraction would give it back); so is a rate whose numerator or denominator is
# hidden; and when one row of a breakdown adding up to the whole is hidden (or the hidden
# rows add up to 1 to 4), so is the next smallest. 0 stays 0 (it identifies no one).
SMALLEST_SHOWN = 5
SUPPRESSED = "fewer than 5"
NOT_SHOWN = "not shown"

Shown = int | str


def is_small(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALLEST_SHOWN


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class CoverageShown:
    """A coverage row as the reader may see it: counts, or "fewer than 5" / "not shown"."""

    label: str
    holding: Shown
    total: Shown
    percent: int | str | None


def coverage_shown(
    rows: Iterable[CoverageRow], *, suppress: bool, adds_up: bool = False
) -> list[CoverageShown]:
    """Coverage rows, with `suppress` small numbers hidden (H-146); `adds_up`: the rows are
    a breakdown (sites, teams, keyworkers) adding up to the overall figure shown beside
    them, so a single hidden row hides the next smallest too (secondary suppression)."""
    rows = list(rows)
    if not suppress:
        return [CoverageShown(r.label, r.holding, r.total, r.percent) for r in rows]
    values: list[dict[str, Shown]] = []
    for r in rows:
        holding: Shown = r.holding
        if is_small(r.holding):
            holding = SUPPRESSED
        elif is_small(r.total - r.holding):  # those without a kit would be given away
            holding = NOT_SHOWN
        values.append({"holding": holding, "total": SUPPRESSED if is_small(r.total) else r.total})
    if adds_up:
        for key in ("holding", "total"):
            _hide_next_smallest(values, [getattr(r, key) for r in rows], key)
    shown = []
    for r, v in zip(rows, values, strict=True):
        percent: int | str | None = r.percent
        if r.percent is not None and not (_is_count(v["holding"]) and _is_count(v["total"])):
            percent = NOT_SHOWN
        shown.append(CoverageShown(r.label, v["holding"], v["total"], percent))
    return shown


def _hide_next_smallest(values: list[dict[str, Shown]], real: list[int], key: str) -> None:
    """Secondary suppression of a breakdown beside its overall figure: while one value is
    hidden ("fewer than 5" or "not shown"), or the hidden ones add up to 1 to 4, the overall
    minus the shown would give them back, so the smallest shown value is hidden too."""
    while True:
        hidden = [i for i, v in enumerate(values) if not _is_count(v[key])]
        if not hidden or (len(hidden) > 1 and not is_small(sum(real[i] for i in hidden))):
            return
        shown = [i for i, v in enumerate(values) if _is_count(v[key])]
        if not shown:
            return
        values[min(shown, key=lambda i: real[i])][key] = NOT_SHOWN


def figures_shown(
    values: dict[str, int], parts: Iterable[tuple[str, tuple[str, ...]]], *, suppress: bool
) -> dict[str, Shown]:
    """Counts as the reader may see them (H-146): with `suppress`, 1 to 4 is "fewer than 5",
    and the parts of a total (`parts`: (total, its parts)) are "not shown" when one of them,
    or what they leave of the total, is 1 to 4."""
    if not suppress:
        return dict(values)
    hidden: set[str] = set()
    for total, of in parts:
        left = values[total] - sum(values[part] for part in of)
        if any(is_small(n) for n in [*(values[part] for part in of), left]):
            hidden.update(of)
    return {
        key: SUPPRESSED if is_small(n) else NOT_SHOWN if key in hidden else n
        for key, n in values.items()
    }


def percent_text(row: CoverageShown | CoverageRow) -> str:
    if row.percent is None:
        return "No opiate clients"
    return row.percent if isinstance(row.percent, str) else f"{row.percent}%"


def coverage_head(what: str) -> list[dict]:
    return [
        {"text": what},
        {"text": "Holding an in-date kit", "format": "numeric"},
        {"text": "Current opiate clients", "format": "numeric"},
        {"text": "Coverage", "format": "numeric"},
    ]


def coverage_rows(rows: Iterable[CoverageShown]) -> list[list[dict]]:
    return [
        [
            {"text": row.label},
            {"text": str(row.holding), "format": "numeric"},
            {"text": str(row.total), "format": "numeric"},
            {"text": percent_text(row), "format": "numeric"},
        ]
        for row in rows
    ]


def offer_outcome_rows(outcomes: OfferOutcomes, *, suppress: bool) -> list[list[dict]]:
    reasons = {f"reason:{r}": n for r, n in outcomes.declined_by_reason.items()}
    shown = figures_shown(
        {
            "offered": outcomes.offered,
            "supplied": outcomes.supplied,
            "holds_kit": outcomes.holds_kit,
            "declined": outcomes.declined,
            **reasons,
        },
        [("offered", ("supplied", "holds_kit", "declined")), ("declined", tuple(reasons))],
        suppress=suppress,
    )
    rows = [
        ("Offered", shown["offered"]),
        ("Accepted: kit supplied", shown["supplied"]),
        ("Already held an in-date kit", shown["holds_kit"]),
        ("Declined", shown["declined"]),
    ]
    rows += [
        (f"Declined: {DeclineReason(reason).label}", shown[f"reason:{reason}"])
        for reason in outcomes.declined_by_reason
    ]
    return [[{"text": label}, {"text": str(n), "format": "numeric"}] for label, n in rows]


KIT_PARTS = (
    ("supplied", ("to_clients", "to_friends_and_family")),
    ("supplied", ("by_volunteers",)),
    ("used", ("lives_saved",)),
    ("used", ("ambulance_called",)),
)


def kit_figures_shown(kits: KitFigures, *, suppress: bool) -> dict[str, Shown]:
    return figures_shown(
        {
            "supplied": kits.supplied,
            "to_clients": kits.to_clients,
            "to_friends_and_family": kits.to_friends_and_family,
            "by_volunteers": kits.by_volunteers,
            "used": kits.used,
            "lives_saved": kits.lives_saved,
            "ambulance_called": kits.ambulance_called,
        },
        KIT_PARTS,
        suppress=suppress,
    )


def kit_figure_rows(kits: KitFigures, *, suppress: bool) -> list[list[dict]]:
    shown = kit_figures_shown(kits, suppress=suppress)
    rows = [
        ("Kits supplied", shown["supplied"]),
        ("to clients", shown["to_clients"]),
        ("to friends, family and others", shown["to_friends_and_family"]),
        ("by peer volunteers (on outreach)", shown["by_volunteers"]),
        ("Kits reported used", shown["used"]),
        ("Lives reported saved", shown["lives_saved"]),
        ("Ambulance called", shown["ambulance_called"]),
    ]
    return [[{"text": label}, {"text": str(n), "format": "numeric"}] for label, n in rows]


def stock_rows(balances: Iterable[StockBalance]) -> list[list[dict]]:
    return [
        [
            {"text": b.site.name},
            {"text": b.batch.get_kit_type_display()},
            {"text": b.batch.batch_number},
            {"text": date_uk(b.batch.expires_on)},
            {"text": str(b.balance), "format": "numeric"},
        ]
        for b in balances
    ]


STOCK_HEAD = [
    {"text": "Site"},
    {"text": "Kit"},
    {"text": "Batch"},
    {"text": "Expires"},
    {"text": "Kits", "format": "numeric"},
]
LEDGER_HEAD = [
    {"text": "Date"},
    {"text": "Site"},
    {"text": "Batch"},
    {"text": "Movement"},
    {"text": "Kits", "format": "numeric"},
    {"text": "Balance", "format": "numeric"},
    {"text": "By"},
]


def movement_text(entry: StockEntry) -> str:
    text = entry.get_kind_display()
    if entry.other_site_id:
        text += f" ({'to' if entry.change < 0 else 'from'} {entry.other_site.name})"
    if entry.corrects_id:
        text += f" of entry {entry.corrects_id}"
    if entry.note:
        text += f": {entry.note}"
    return text


def ledger_rows(entries: Iterable[StockEntry]) -> list[list[dict]]:
    return [
        [
            {"text": date_uk(e.on)},
            {"text": e.site.name},
            {"text": e.batch.batch_number},
            {"text": movement_text(e)},
            {"text": f"{e.change:+d}", "format": "numeric"},
            {"text": str(e.balance_after), "format": "numeric"},
            {"text": e.recorded_by.display_name},
        ]
        for e in entries
    ]


def recipient_text(supply: NaloxoneSupply) -> str:
    text = supply.get_recipient_display()
    if supply.recipient_name:
        text += f": {supply.recipient_name}"
    elif supply.recipient != "client":
        text += " (not named)"
    return text


def topics_text(topics: list[str]) -> str:
    return ", ".join(str(TrainingTopic(t).label) for t in topics if t in TrainingTopic.values)


def report_text(supply: NaloxoneSupply) -> str:
    reversal = getattr(supply, "reversal", None)
    if reversal is not None:
        return f"Recorded in error ({date_uk(reversal.recorded_at.date())}): {reversal.reason}"
    report = getattr(supply, "report", None)
    if report is None:
        return "With them" if supply.recipient == "client" else "Given"
    text = f"{report.get_kind_display()} {date_uk(report.on)}"
    if report.kind == "used":
        text += (
            f", {report.get_used_on_display().lower()}, {report.get_outcome_display().lower()}, "
            f"ambulance: {yes_no(report.ambulance_called).lower()}"
        )
    if getattr(report, "replaced_by", None) is not None:
        text += f"; replaced {date_uk(report.replaced_by.supplied_on)}"
    return text


SUPPLY_HEAD = [
    {"text": "Supplied"},
    {"text": "To"},
    {"text": "Kit"},
    {"text": "Expires"},
    {"text": "Trained by, topics"},
    {"text": "What became of it"},
    {"html": '<span class="nhsuk-u-visually-hidden">Action</span>'},
]


def supply_actions_html(supply: NaloxoneSupply, *, may_report: bool) -> str:
    """What may still be recorded of a kit with nothing recorded of it yet: what became of
    it, or that its supply was recorded in error (the client's page and the supplies list)."""
    open_kit = getattr(supply, "report", None) is None and getattr(supply, "reversal", None) is None
    if not (may_report and open_kit):
        return ""
    return format_html(
        '<a href="{}">Report used, lost, confiscated or expired</a><br>'
        '<a href="{}">Recorded in error</a>',
        reverse("naloxone:report", args=[supply.pk]),
        reverse("naloxone:reverse", args=[supply.pk]),
    )


def kit_text(supply: NaloxoneSupply) -> str:
    return f"{supply.batch.get_kit_type_display()}, batch {supply.batch.batch_number}"


def supply_rows(supplies: Iterable[NaloxoneSupply], *, may_report: bool) -> list[list[dict]]:
    return [
        [
            {"text": date_uk(s.supplied_on)},
            {"text": recipient_text(s)},
            {"text": kit_text(s)},
            {"text": date_uk(s.batch.expires_on)},
            {"text": f"{s.trained_by.display_name}: {topics_text(s.training_topics)}"},
            {"text": report_text(s)},
            {"html": supply_actions_html(s, may_report=may_report)},
        ]
        for s in supplies
    ]


# The service's supplies list ---------------------------------------------------------------

SUPPLIES_HEAD = [
    {"text": "Supplied"},
    {"text": "To"},
    {"text": "Client"},
    {"text": "Kit"},
    {"text": "Site"},
    {"text": "Supplied by"},
    {"text": "What became of it"},
    {"html": '<span class="nhsuk-u-visually-hidden">Action</span>'},
]


def supplied_by_text(supply: NaloxoneSupply) -> str:
    name = supply.supplied_by.display_name
    return f"{name} (peer volunteer)" if supply.by_volunteer else name


def supplies_rows(supplies: Iterable[NaloxoneSupply], *, may_report) -> list[list[dict]]:
    """The service's supplies, each with the client it is linked to (if any) and the actions
    of the client's page, where `may_report(client or None)` allows them."""
    return [
        [
            {"text": date_uk(s.supplied_on)},
            {"text": recipient_text(s)},
            {"html": client_link_html(s.client)} if s.client_id else {"text": "No client linked"},
            {"text": f"{kit_text(s)}, expires {date_uk(s.batch.expires_on)}"},
            {"text": s.site.name},
            {"text": supplied_by_text(s)},
            {"text": report_text(s)},
            {"html": supply_actions_html(s, may_report=may_report(s.client))},
        ]
        for s in supplies
    ]


class SupplyExport(Exporter):
    filename = "naloxone-supplies.csv"
    columns = (
        "Date supplied",
        "Given to",
        "Name of the person supplied",
        "Client number",
        "Client surname",
        "Client first name",
        "Kit",
        "Batch",
        "Expires",
        "Site",
        "Supplied by",
        "By a peer volunteer",
        "What became of it",
    )

    def __init__(self, supplies) -> None:
        self.supplies = supplies

    def rows(self):
        for s in self.supplies:
            client = s.client
            yield (
                s.supplied_on,
                s.get_recipient_display(),
                s.recipient_name,
                client.client_number if client else "",
                client.last_name if client else "",
                client.first_name if client else "",
                s.batch.get_kit_type_display(),
                s.batch.batch_number,
                s.batch.expires_on,
                s.site.name,
                s.supplied_by.display_name,
                s.by_volunteer,
                report_text(s),
            )


OFFER_HEAD = [{"text": "Date"}, {"text": "When"}, {"text": "Outcome"}, {"text": "By"}]


def offer_text(offer: NaloxoneOffer) -> str:
    if offer.decline_reason:
        return f"Declined: {offer.get_decline_reason_display()}"
    return offer.get_outcome_display()


def offer_rows(offers: Iterable[NaloxoneOffer]) -> list[list[dict]]:
    return [
        [
            {"text": date_uk(o.on)},
            {"text": o.get_moment_display()},
            {"text": offer_text(o)},
            {"text": o.recorded_by.display_name},
        ]
        for o in offers
    ]


def status_html(needs: bool, current: bool) -> str:
    if not current:
        return "Not a current opiate client"
    if needs:
        return tag_html("No in-date naloxone kit: offer one", "red")
    return tag_html("Holds an in-date kit", "green")


def caseload_cell_html(needs: bool, due: list[str]) -> str:
    """The caseload's naloxone cell: the flag, and any offer due at a moment of risk."""
    parts = [tag_html("No in-date naloxone kit: offer one", "red")] if needs else []
    parts += [tag_html(f"Naloxone offer due: {text}", "orange") for text in due]
    return format_html_join(" ", "{}", ((part,) for part in parts)) if parts else ""


def due_text(due: OfferDue) -> str:
    return f"{due.get_moment_display()} ({date_uk(due.raised_on)})"


def kit_dates_text(supply: NaloxoneSupply) -> str:
    return f"{date_uk(supply.supplied_on)}, expires {date_uk(supply.batch.expires_on)}"


GAP_HEAD = [
    {"text": "Client"},
    {"text": "Keyworker"},
    {"text": "Why"},
    {"text": "Last offer"},
    {"text": "Last kit"},
]


def gap_rows(gaps: Iterable[Gap]) -> list[list[dict]]:
    return [
        [
            {"html": client_link_html(g.client)},
            {"text": g.client.keyworker.display_name if g.client.keyworker else "None"},
            {"text": g.reason_text},
            {
                "text": f"{date_uk(g.last_offer.on)}: {offer_text(g.last_offer)}"
                if g.last_offer
                else "Never offered"
            },
            {"text": kit_dates_text(g.last_supply) if g.last_supply else "None"},
        ]
        for g in gaps
    ]


EXPIRING_HEAD = [{"text": "Keyworker"}, {"text": "Client"}, {"text": "Kit"}, {"text": "Expires"}]


def expiring_rows(supplies: Iterable[NaloxoneSupply]) -> list[list[dict]]:
    return [
        [
            {"text": s.client.keyworker.display_name if s.client.keyworker else "None"},
            {"html": client_link_html(s.client)},
            {"text": f"{s.batch.get_kit_type_display()}, batch {s.batch.batch_number}"},
            {"text": date_uk(s.batch.expires_on)},
        ]
        for s in supplies
    ]


class CoverageExport(Exporter):
    """Aggregated figures only: safe for commissioners, with small numbers suppressed for
    them as on the page (H-146)."""

    filename = "naloxone-coverage.csv"
    columns = ("Group", "Name", "Holding an in-date kit", "Current opiate clients", "Coverage %")

    def __init__(self, coverage: Coverage, trend: list, *, suppress: bool) -> None:
        self.coverage = coverage
        self.trend = trend
        self.suppress = suppress

    def rows(self):
        c = self.coverage
        shown = coverage_tables(c, self.trend, suppress=self.suppress)
        groups = [
            ("Overall", shown["overall"]),
            ("Site", shown["by_site"]),
            ("Team", shown["by_team"]),
            ("Keyworker", shown["by_keyworker"]),
        ]
        for group, rows in groups:
            for row in rows:
                yield (group, row.label, row.holding, row.total, _percent_cell(row))
        for (day, _row), row in zip(self.trend, shown["trend"], strict=True):
            yield (
                f"Month ending {date_uk(day)}",
                row.label,
                row.holding,
                row.total,
                _percent_cell(row),
            )


def _percent_cell(row: CoverageShown) -> int | str:
    return "" if row.percent is None else row.percent


def coverage_tables(coverage: Coverage, trend: list, *, suppress: bool) -> dict:
    """Every coverage row as the reader may see it: the overall figure, the breakdowns (each
    adding up to it) and the months of the trend."""
    return {
        "overall": coverage_shown([coverage.overall], suppress=suppress),
        "by_site": coverage_shown(coverage.by_site, suppress=suppress, adds_up=True),
        "by_team": coverage_shown(coverage.by_team, suppress=suppress, adds_up=True),
        "by_keyworker": coverage_shown(coverage.by_keyworker, suppress=suppress, adds_up=True),
        "trend": coverage_shown([row for _day, row in trend], suppress=suppress),
    }


class GapExport(Exporter):
    filename = "naloxone-gaps.csv"
    columns = (
        "Client number",
        "Surname",
        "First name",
        "Keyworker",
        "Why",
        "Last offer",
        "Last kit expires",
    )

    def __init__(self, gaps: list[Gap]) -> None:
        self.gaps = gaps

    def rows(self):
        for g in self.gaps:
            yield (
                g.client.client_number,
                g.client.last_name,
                g.client.first_name,
                g.client.keyworker.display_name if g.client.keyworker else "",
                g.reason_text,
                offer_text(g.last_offer) if g.last_offer else "",
                g.last_supply.batch.expires_on if g.last_supply else "",
            )


class ExpiringExport(Exporter):
    filename = "naloxone-kits-expiring.csv"
    columns = ("Keyworker", "Client number", "Surname", "First name", "Kit", "Batch", "Expires")

    def __init__(self, supplies) -> None:
        self.supplies = supplies

    def rows(self):
        for s in self.supplies:
            yield (
                s.client.keyworker.display_name if s.client.keyworker else "",
                s.client.client_number,
                s.client.last_name,
                s.client.first_name,
                s.batch.get_kit_type_display(),
                s.batch.batch_number,
                s.batch.expires_on,
            )


class LedgerExport(Exporter):
    filename = "naloxone-stock-ledger.csv"
    columns = ("Date", "Site", "Kit", "Batch", "Expires", "Movement", "Kits", "Balance", "By")

    def __init__(self, entries) -> None:
        self.entries = entries

    def rows(self):
        for e in self.entries:
            yield (
                e.on,
                e.site.name,
                e.batch.get_kit_type_display(),
                e.batch.batch_number,
                e.batch.expires_on,
                movement_text(e),
                e.change,
                e.balance_after,
                e.recorded_by.display_name,
            )


# The nurse's worklist (beacon/core/registry.py, worklist_sections) ------------------------


def gaps_worklist(gaps: list[Gap], *, may_supply) -> Worklist:
    """Current opiate clients without an in-date kit (the gaps list's rule), each with the
    way to supply a kit (for a client the user may supply; otherwise their naloxone page)."""
    rows = []
    for g in gaps:
        client = g.client
        if may_supply(client):
            action = action_link(
                reverse("naloxone:supply", args=[client.client_number]),
                "Supply a kit",
                f"to {client.full_name}",
            )
        else:
            action = action_link(
                reverse("naloxone:client", args=[client.client_number]),
                "Open",
                f"the naloxone of {client.full_name}",
            )
        rows.append(
            [
                {"html": client_link_html(client)},
                {"text": client.client_number},
                {"text": g.reason_text},
                action,
            ]
        )
    return worklist(
        section_id="worklist-naloxone-gaps",
        clients=[g.client for g in gaps],
        heading="Without an in-date naloxone kit",
        head=["Client", "Client number", "Why"],
        rows=rows,
        empty="Every current opiate client holds an in-date naloxone kit.",
        more_href=reverse("naloxone:gaps"),
        more_text=f"See all {len(rows)} clients without an in-date kit",
    )


# At a partner pharmacy ---------------------------------------------------------------------

PHARMACY_SUPPLY_COLUMNS = ("Date", "Kit", "Batch", "Expires", "Given to", "For", "Supplied by")


def pharmacy_supply_cells(supply: NaloxoneSupply) -> list[str]:
    """A supply made at the pharmacy: the client it is for by name only (the pharmacist
    knows them by name and date of birth), never their number or record (H-171)."""
    reversed_ = " (recorded in error)" if getattr(supply, "reversal", None) else ""
    return [
        date_uk(supply.supplied_on),
        supply.batch.get_kit_type_display() + reversed_,
        supply.batch.batch_number,
        date_uk(supply.batch.expires_on),
        recipient_text(supply),
        supply.client.full_name if supply.client_id else "No client linked",
        supply.supplied_by.display_name,
    ]


def pharmacy_supplies_table(supplies: Iterable[NaloxoneSupply]) -> dict:
    return {
        "head": [{"text": h} for h in PHARMACY_SUPPLY_COLUMNS],
        "rows": [[{"text": cell} for cell in pharmacy_supply_cells(s)] for s in supplies],
        "id": "naloxone-pharmacy-supplies",
        "responsive": True,
    }


class PharmacySupplyExport(Exporter):
    filename = "naloxone-pharmacy-supplies.csv"
    columns = PHARMACY_SUPPLY_COLUMNS

    def __init__(self, supplies) -> None:
        self.supplies = supplies

    def rows(self):
        for supply in self.supplies:
            yield pharmacy_supply_cells(supply)
