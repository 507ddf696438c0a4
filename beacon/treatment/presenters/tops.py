"""How TOPs are shown: a client's TOPs and the list of TOPs due, as table rows."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html

from beacon.core.models import User
from beacon.core.permissions import user_can
from beacon.core.presenters import date_uk
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.presenters.caseload import client_link_html, due_on_html, keyworker_name
from beacon.treatment.selectors.tops import TopDue

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


def tops_table(tops: Iterable[TreatmentOutcomesProfile], *, may_record: bool) -> dict:
    """A client's TOPs, each with a "Change" link for someone who may record one."""
    head = [{"text": heading} for heading in TOP_COLUMNS]
    if may_record:
        head.append({"visuallyHiddenText": "Actions"})
    rows = []
    for top in tops:
        completed = date_uk(top.completed_on)
        row = [{"text": completed}, {"text": top.get_stage_display()}]
        row += [{"text": str(getattr(top, field))} for field in TOP_COLUMNS.values() if field]
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
                {"text": item.stage_label},
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
