"""How the NDTMS return's validation report is shown: a table of the records to fix, each
with a link to the page that fixes it, the same rows as a file, and what no record can fix."""

from collections.abc import Iterable, Sequence

from django.utils.html import format_html

from beacon.core.exporters import Exporter
from beacon.reporting.selectors.ndtms import Issue

ISSUES_HEAD = ("Client", "Client number", "Item", "Error or warning", "Why", "Fix")


def severity_text(issue: Issue) -> str:
    return "Error: stops the return" if issue.is_error else "Warning: sent as it is"


def _severity_tag(issue: Issue) -> dict:
    colour = "nhsuk-tag--red" if issue.is_error else "nhsuk-tag--yellow"
    return {
        "html": format_html(
            '<strong class="nhsuk-tag {}">{}</strong>',
            colour,
            "Error" if issue.is_error else "Warning",
        )
    }


def issues_table(issues: Sequence[Issue]) -> dict:
    rows = [
        [
            {"text": issue.client_name},
            {"text": issue.client_number},
            {"text": issue.item},
            _severity_tag(issue),
            {"text": issue.why},
            {
                "html": format_html(
                    '<a href="{}">Fix {}<span class="nhsuk-u-visually-hidden"> for {}</span></a>',
                    issue.fix_url,
                    issue.item,
                    issue.client_name,
                )
            },
        ]
        for issue in issues
    ]
    return {
        "id": "ndtms-issues",
        "responsive": True,
        "caption": "Records with a missing or invalid item",
        "head": [{"text": h} for h in ISSUES_HEAD],
        "rows": rows,
    }


def gaps_table(gaps: Iterable[tuple[str, str]]) -> dict:
    return {
        "id": "ndtms-gaps",
        "caption": "Warnings: what no record can fix yet",
        "head": [{"text": "Item"}, {"text": "Why"}],
        "rows": [[{"text": item}, {"text": why}] for item, why in gaps],
    }


class ValidationExport(Exporter):
    """The validation report as a file: one row per missing or invalid item, streamed from
    the issues as they are read."""

    columns = ("Client number", "Client", "Journey", "Item", "Why", "Fix at", "Error or warning")

    def __init__(self, issues: Iterable[Issue], *, filename: str, base_url: str = "") -> None:
        self.issues = issues
        self.filename = filename
        self.base_url = base_url

    def rows(self) -> Iterable[tuple]:
        for issue in self.issues:
            yield (
                issue.client_number,
                issue.client_name,
                issue.journey_id,
                issue.item,
                issue.why,
                self.base_url + issue.fix_url,
                severity_text(issue),
            )
