"""How TOPs are shown: a client's TOPs, the list of TOPs due, and the TOPs due on a
worklist, as table rows."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from beacon.core.exporters import Exporter
from beacon.core.models import User
from beacon.core.permissions import user_can
from beacon.core.presenters import Worklist, action_link, date_uk, worklist
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.presenters.caseload import client_link_html, due_on_html, keyworker_name
from beacon.treatment.selectors.tops import TopDue, top_flags

RECORD_TOP = "treatment.record_top"

TOP_COLUMNS = {
    "Completed": None,
    "Stage": None,
    "Opiate days": "opiate_days",
    "Crack days": "crack_days",
    "Alcohol days": "alcohol_days",
    "Injecting days": "injecting_days",
    "Psychological health": "psychological_health",
    "Physical health": "physical_health",
    "Quality of life": "quality_of_life",
}


def answer_text(top: TreatmentOutcomesProfile, name: str) -> str:
    """One TOP answer as shown: "Not disclosed", "Not asked" (a TOP from before the item
    existed) or its value; never a blank read as 0."""
    if top.is_not_disclosed(name):
        return "Not disclosed"
    value = getattr(top, name)
    if value is None:
        return "Not asked"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def flags_html(flags: Iterable[str]) -> str:
    """Flags as orange tags, one per line; empty when there are none."""
    return format_html_join(
        "",
        '<strong class="nhsuk-tag nhsuk-tag--orange beacon-flag">{}</strong> ',
        ((f,) for f in flags),
    )


def tops_table(tops: Iterable[TreatmentOutcomesProfile], *, may_record: bool) -> dict:
    """A client's TOPs, each with a "Change" link for someone who may record one."""
    head = [{"text": heading} for heading in TOP_COLUMNS]
    head.append({"text": "Flags"})
    if may_record:
        head.append({"visuallyHiddenText": "Actions"})
    rows = []
    for top in tops:
        completed = date_uk(top.completed_on)
        row = [{"text": completed}, {"text": top.get_stage_display()}]
        row += [{"text": answer_text(top, field)} for field in TOP_COLUMNS.values() if field]
        row.append({"html": flags_html(top_flags(top))})
        if may_record:
            change = format_html(
                '<a href="{}">Change<span class="nhsuk-u-visually-hidden"> {} TOP of {}</span></a>',
                reverse("treatment:top_edit", args=[top.pk]),
                top.get_stage_display(),
                completed,
            )
            row.append({"html": change})
        rows.append(row)
    return {"id": "tops", "responsive": True, "head": head, "rows": rows}


def _stage_html(item: TopDue) -> str:
    if not item.flags:
        return format_html("{}", item.stage_label)
    return format_html("{}<br>{}", item.stage_label, flags_html(item.flags))


def tops_due_table(items: Iterable[TopDue], *, user: User, today: datetime.date) -> dict:
    """The TOPs due: whose, which, when, and a link to record it for someone who may."""
    rows = []
    for item in items:
        client = item.client
        record = ""
        if user_can(user, RECORD_TOP, client):
            record = format_html(
                '<a href="{}">Record TOP<span class="nhsuk-u-visually-hidden"> for {}</span></a>',
                reverse("treatment:top_create", args=[client.client_number]),
                client.full_name,
            )
        rows.append(
            [
                {"html": client_link_html(client)},
                {"text": client.client_number},
                {"text": keyworker_name(client)},
                {"html": _stage_html(item)},
                {"html": due_on_html(item.due_on, (item.due_on - today).days)},
                {"html": record},
            ]
        )
    head = ["Client", "Client number", "Keyworker", "TOP", "Due"]
    return {
        "id": "tops-due",
        "responsive": True,
        "head": [*({"text": heading} for heading in head), {"visuallyHiddenText": "Record"}],
        "rows": rows,
    }


class TopsDueExport(Exporter):
    """The filtered TOPs due as a file: whose, which and when, to share out the work."""

    filename = "tops-due.csv"
    columns = ("Client number", "Surname", "First name", "Team", "Keyworker", "TOP", "Due on")

    def __init__(self, items: Iterable[TopDue]) -> None:
        self.items = items

    def rows(self) -> Iterable[tuple]:
        for item in self.items:
            client = item.client
            yield (
                client.client_number,
                client.last_name,
                client.first_name,
                client.team.name,
                keyworker_name(client),
                item.stage_label,
                item.due_on,
            )


def tops_due_worklist(items: list[TopDue], *, user: User, today: datetime.date) -> Worklist:
    """The TOPs due on a worklist (the nurse's), each linked to the TOP form for someone who
    may record it; the rest on the TOPs-due list."""
    rows = [
        [
            {"html": client_link_html(item.client)},
            {"text": item.client.client_number},
            {"html": _stage_html(item)},
            {"html": due_on_html(item.due_on, (item.due_on - today).days)},
            action_link(
                reverse("treatment:top_create", args=[item.client.client_number]),
                "Record TOP",
                f"for {item.client.full_name}",
            )
            if user_can(user, RECORD_TOP, item.client)
            else {"text": ""},
        ]
        for item in items
    ]
    return worklist(
        section_id="worklist-tops-due",
        clients=[item.client for item in items],
        heading="TOPs due",
        head=["Client", "Client number", "TOP", "Due"],
        rows=rows,
        empty="No Treatment Outcomes Profile is due in the next two weeks.",
        more_href=reverse("treatment:tops_due"),
        more_text=f"See all {len(rows)} TOPs due",
    )
