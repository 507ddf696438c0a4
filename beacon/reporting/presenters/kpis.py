"""How the KPIs are shown: small numbers suppressed for those who may not see them, the
dashboard's rows (a period beside the same period a year earlier) and their labels."""

import datetime
from dataclasses import dataclass
from typing import Any

from beacon.core.exporters import Exporter

SMALLEST_SHOWN = 5
SUPPRESSED = "fewer than 5"
NOT_SHOWN = "not shown"  # a rate or mean that would give a suppressed count away


def is_small(value: Any) -> bool:
    """A count from 1 to 4: it could identify a person (0 cannot)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALLEST_SHOWN


# Counts shown beside the total they are parts of: (total, parts). What the parts leave of
# the total can be worked out too (booked - attended - DNAs: the other outcomes).
PARTS = (
    ("total", ("structured", "non_structured")),  # new presentations
    ("kits_supplied", ("to_clients", "to_others")),  # naloxone
    ("booked", ("attended", "dna")),  # attendance
)


def _parts_giving_away(figures: dict[str, Any]) -> set[str]:
    """Secondary suppression: the parts of a shown total hidden because one of them (or
    what they leave of the total) is 1 to 4, so that no subtraction gives it back."""
    hidden: set[str] = set()
    for total, parts in PARTS:
        if total not in figures or not all(part in figures for part in parts):
            continue
        values = [figures[part] for part in parts]
        if all(is_number(value) for value in [figures[total], *values]):
            values.append(figures[total] - sum(values))
        if any(is_small(value) for value in values):
            hidden.update(parts)
    return hidden


def _rates_giving_away(figures: dict[str, Any]) -> set[str]:
    """The rates whose numerator or denominator (`kpis.Figures.rates`, shown or not) is 1
    to 4: the supervised share of 3 clients on OST, say."""
    rates = getattr(figures, "rates", {})
    return {
        key
        for key, (numerator, denominator) in rates.items()
        if is_small(numerator) or is_small(denominator)
    }


def suppressed(figures: Any) -> Any:
    """The KPIs as a commissioner sees them (H-224): every count from 1 to 4 is "fewer than
    5"; the other parts of a shown total one such count is part of are "not shown"
    (`PARTS`: a total minus the other parts would give it back); in a figure where a count
    was hidden, its rates and means are "not shown", and so is any rate whose numerator or
    denominator is 1 to 4 (`kpis.Figures.rates`); a figure that is a count on its own
    (people in treatment) likewise. 0 and None (unavailable) stay as they are. The rows of
    a month or a site add up to the period's figure: `rows_shown` hides a second one."""
    if isinstance(figures, dict):
        small = {key for key, value in figures.items() if is_small(value)}
        secondary = _parts_giving_away(figures) - small
        hide_derived = bool(small or secondary)
        rates = _rates_giving_away(figures)
        shown = {}
        for key, value in figures.items():
            if isinstance(value, dict):
                shown[key] = suppressed(value)
            elif key in small:
                shown[key] = SUPPRESSED
            elif (key in secondary and is_number(value)) or (
                isinstance(value, float) and (hide_derived or key in rates)
            ):
                shown[key] = NOT_SHOWN
            else:
                shown[key] = value
        return shown
    return SUPPRESSED if is_small(figures) else figures


def kpis_shown(kpis: dict[str, Any], *, suppress: bool) -> dict[str, Any]:
    return suppressed(kpis) if suppress else kpis


# The dashboard's figures: each KPI's measures, a period beside a year earlier ---------------

COUNT, SHARE, DAYS = "count", "share", "days"
NOT_AVAILABLE = "Not available"

REPRESENTATION_LABELS = {
    "opiate": "Opiate",
    "non_opiate_only": "Non-opiate only",
    "non_opiate_and_alcohol": "Non-opiate and alcohol",
    "alcohol_only": "Alcohol only",
}

# (KPI key, its heading, [(path within it, measure, kind)]); a path of () is the KPI itself.
SECTIONS: list[tuple[str, str, list[tuple[tuple[str, ...], str, str]]]] = [
    (
        "new_presentations",
        "New presentations",
        [
            (("total",), "People starting a treatment journey", COUNT),
            (("structured",), "Of them in structured treatment", COUNT),
            (("non_structured",), "Of them not in structured treatment", COUNT),
        ],
    ),
    ("in_treatment", "People in treatment", [((), "People in treatment at any time", COUNT)]),
    (
        "successful_completions",
        "Successful completions",
        [
            (("count",), "Successful completions", COUNT),
            (("share_of_in_treatment",), "Share of people in treatment", SHARE),
        ],
    ),
    (
        "representations_6m",
        "Re-presentations within 6 months of a successful completion",
        [
            row
            for key, label in REPRESENTATION_LABELS.items()
            for row in (
                ((key, "completions"), f"{label}: successful completions", COUNT),
                ((key, "represented"), f"{label}: re-presented", COUNT),
                ((key, "rate"), f"{label}: re-presentation rate", SHARE),
            )
        ],
    ),
    (
        "days_to_first_prescription",
        "Days from referral to first OST prescription",
        [
            (("n",), "First prescriptions", COUNT),
            (("mean",), "Mean days", DAYS),
            (("median",), "Median days", DAYS),
        ],
    ),
    (
        "naloxone",
        "Naloxone",
        [
            (("kits_supplied",), "Kits supplied", COUNT),
            (("to_clients",), "To clients", COUNT),
            (("to_others",), "To family, friends and others", COUNT),
            (("kits_reported_used",), "Kits reported used", COUNT),
            (("coverage",), "Coverage of current opiate clients at the end", SHARE),
        ],
    ),
    (
        "nsp",
        "Needle and syringe programme",
        [
            (("transactions",), "Transactions", COUNT),
            (("people",), "People (distinct attributors)", COUNT),
            (("items_out",), "Items given out", COUNT),
            (("sharps_return_rate",), "Sharps bins returned ÷ given out", SHARE),
        ],
    ),
    (
        "satisfaction",
        "Satisfaction (standard survey, overall 0 to 10)",
        [
            (("responses",), "Responses", COUNT),
            (("share_10",), "Share scoring 10", SHARE),
            (("share_8_plus",), "Share scoring 8 or more", SHARE),
        ],
    ),
    (
        "attendance",
        "Attendance",
        [
            (("booked",), "Appointments booked", COUNT),
            (("attended",), "Attended", COUNT),
            (("rate",), "Attended ÷ booked", SHARE),
            (("dna",), "Did not attend", COUNT),
        ],
    ),
    (
        "ost",
        "Opioid substitution treatment",
        [
            (("clients_on_ost",), "Clients on OST at the end", COUNT),
            (("supervised_share",), "Share with supervised consumption", SHARE),
            (("missed_doses_pharmacy",), "Doses missed at a pharmacy", COUNT),
            (("missed_doses_home_delivery",), "Doses missed on home delivery", COUNT),
            (("home_deliveries_made",), "Home deliveries made", COUNT),
            (("home_deliveries_missed",), "Home deliveries missed", COUNT),
        ],
    ),
    (
        "outreach",
        "Volunteer outreach",
        [
            (("volunteer_contacts",), "Volunteer contacts", COUNT),
            (("naloxone_by_volunteers",), "Naloxone kits supplied by volunteers", COUNT),
            (("referrals_made",), "Referrals made", COUNT),
            (("referrals_with_outcome",), "Referrals followed to an outcome", COUNT),
        ],
    ),
]


def figure_at(kpis: dict[str, Any], key: str, path: tuple[str, ...]) -> Any:
    """One measure of the KPIs (None when the KPI is unavailable)."""
    value: Any = kpis.get(key)
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_text(value: Any, kind: str) -> str:
    """A measure as shown: 412; 17.8%; 1.9 days; "fewer than 5"; "Not available"."""
    if value is None:
        return NOT_AVAILABLE
    if not is_number(value):
        return str(value)
    if kind == SHARE:
        return f"{value * 100:.1f}%"
    if kind == DAYS:
        return f"{value:.1f} days"
    return f"{value:,}"


def change(now: Any, before: Any, kind: str) -> float | int | None:
    """The change from a year earlier: a difference of counts or days, of shares in
    percentage points; None when either is not a number (unavailable or suppressed)."""
    if not (is_number(now) and is_number(before)):
        return None
    if kind == SHARE:
        return round((now - before) * 100, 1)
    if kind == DAYS:
        return round(now - before, 1)
    return now - before


def change_text(now: Any, before: Any, kind: str) -> str:
    difference = change(now, before, kind)
    if difference is None:
        return "No comparison"
    sign = "+" if difference > 0 else ""
    if kind == SHARE:
        return f"{sign}{difference:.1f} points"
    if kind == DAYS:
        return f"{sign}{difference:.1f} days"
    if is_number(before) and before:
        return f"{sign}{difference:,} ({sign}{difference * 100 / before:.1f}%)"
    return f"{sign}{difference:,}"


@dataclass(frozen=True)
class FigureRow:
    section: str
    measure: str
    kind: str
    now: Any
    before: Any

    @property
    def change(self) -> float | int | None:
        return change(self.now, self.before, self.kind)


def figure_rows(now: dict[str, Any], before: dict[str, Any]) -> list[FigureRow]:
    """Every measure of every KPI, this period beside a year earlier (already suppressed
    where the reader may not see small numbers)."""
    return [
        FigureRow(heading, measure, kind, figure_at(now, key, path), figure_at(before, key, path))
        for key, heading, measures in SECTIONS
        for path, measure, kind in measures
    ]


def figures_table(rows: list[FigureRow], *, heading: str, table_id: str) -> dict:
    """One KPI's measures for the table macro (the NHS.UK table)."""
    return {
        "caption": heading,
        "id": table_id,
        "head": [
            {"text": "Measure"},
            {"text": "This period", "format": "numeric"},
            {"text": "A year earlier", "format": "numeric"},
            {"text": "Change", "format": "numeric"},
        ],
        "rows": [
            [
                {"text": row.measure},
                {"text": value_text(row.now, row.kind), "format": "numeric"},
                {"text": value_text(row.before, row.kind), "format": "numeric"},
                {"text": change_text(row.now, row.before, row.kind), "format": "numeric"},
            ]
            for row in rows
        ],
    }


def figures_tables(rows: list[FigureRow]) -> list[dict]:
    """The figures as one table per KPI, in the order of SECTIONS."""
    tables = []
    for number, (_key, heading, _measures) in enumerate(SECTIONS):
        mine = [row for row in rows if row.section == heading]
        tables.append(figures_table(mine, heading=heading, table_id=f"kpi-figures-{number}"))
    return tables


# Monthly trends and sites -----------------------------------------------------------------

TREND_MEASURES = [
    ("new_presentations", "New presentations"),
    ("in_treatment", "People in treatment"),
    ("successful_completions", "Successful completions"),
    ("kits_supplied", "Naloxone kits supplied"),
]
SITE_MEASURES = [
    *TREND_MEASURES,
    ("nsp_transactions", "NSP transactions"),
    ("satisfaction_responses", "Survey responses"),
]


def count_text(value: Any) -> str:
    return value_text(value, COUNT)


def numbers_table(
    rows: list[tuple[str, dict[str, Any]]], *, first: str, measures: list, table_id: str
) -> dict:
    """Rows of counts (a month's or a site's) for the table macro; each cell carries its
    number for the chart that reads the table (none when suppressed or unavailable)."""
    return {
        "id": table_id,
        "head": [{"text": first}, *({"text": label, "format": "numeric"} for _, label in measures)],
        "rows": [
            [
                {"text": name},
                *(
                    {
                        "text": count_text(values.get(key)),
                        "format": "numeric",
                        "attributes": {"data-value": values[key]}
                        if is_number(values.get(key))
                        else {},
                    }
                    for key, _label in measures
                ),
            ]
            for name, values in rows
        ],
    }


def rows_shown(rows: list[tuple[str, dict[str, Any]]], *, suppress: bool) -> list:
    """The counts of each month or site as the reader may see them (H-224): each count
    `suppressed`, and, as the rows add up to the period's figure, while one row of a
    measure is hidden, or the hidden rows add up to 1 to 4, the smallest shown row above 0
    is "not shown" too, so that the period's figure minus the others gives back neither a
    small count nor a small sum of them (as naloxone's breakdowns, H-146). A 0 is never
    the one hidden: it protects nothing."""
    if not suppress:
        return rows
    shown = [
        (name, {key: suppressed(value) for key, value in values.items()}) for name, values in rows
    ]
    for key in {key for _name, values in shown for key in values}:
        real = [values.get(key) for _name, values in rows]
        while True:
            hidden = [
                i
                for i, (_name, values) in enumerate(shown)
                if values.get(key) in (SUPPRESSED, NOT_SHOWN) and is_number(real[i])
            ]
            if not hidden or (len(hidden) > 1 and not is_small(sum(real[i] for i in hidden))):
                break
            candidates = [
                i
                for i, (_name, values) in enumerate(shown)
                if is_number(values.get(key)) and values[key] > 0
            ]
            if not candidates:
                break
            shown[min(candidates, key=lambda i: real[i])][1][key] = NOT_SHOWN
    return shown


# Downloads: every dashboard table as CSV and XLSX (the core exporter base) ------------------


def _cell(value: Any) -> Any:
    return NOT_AVAILABLE if value is None else value


class KpiFiguresExport(Exporter):
    """Every measure of every KPI: this period, a year earlier, the change (shares as
    fractions, their change in percentage points)."""

    columns = ("KPI", "Measure", "This period", "A year earlier", "Change")
    sheet = "KPIs"

    def __init__(self, rows: list[FigureRow], *, start: datetime.date, end: datetime.date):
        self.figure_rows = rows
        self.filename = f"kpis-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"

    def rows(self):
        for row in self.figure_rows:
            yield (row.section, row.measure, _cell(row.now), _cell(row.before), row.change)


class KpiCountsExport(Exporter):
    """The counts of each month, or of each site."""

    def __init__(self, rows, *, first: str, measures: list, name: str, start, end):
        self.count_rows = rows
        self.measures = measures
        self.columns = (first, *(label for _key, label in measures))
        self.sheet = first + "s"
        self.filename = f"kpis-{name}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"

    def rows(self):
        for name, values in self.count_rows:
            yield (name, *(_cell(values.get(key)) for key, _label in self.measures))


# The quarterly report's charts: bars drawn as SVG (a PDF runs no script) ------------------

CHART_WIDTH, CHART_HEIGHT, CHART_FOOT = 480, 150, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


def bar_chart(rows: list[tuple[str, dict[str, Any]]], key: str) -> list[Bar]:
    """One bar a row (a month) of `key`'s counts, scaled to the tallest; a suppressed or
    unavailable count has no bar, only its text."""
    numbers = [values.get(key) for _name, values in rows]
    tallest = max((n for n in numbers if is_number(n)), default=0) or 1
    slot = CHART_WIDTH / max(len(rows), 1)
    top = 14  # room for the tallest bar's figure
    plot = CHART_HEIGHT - CHART_FOOT - top
    bars = []
    for index, ((name, _values), number) in enumerate(zip(rows, numbers, strict=True)):
        height = plot * number / tallest if is_number(number) else 0
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.15, 1),
                y=round(top + plot - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=name[:3] if len(rows) > 6 else name,
                value_text="<5" if number == SUPPRESSED else count_text(number),
            )
        )
    return bars
