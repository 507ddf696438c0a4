"""How volunteers and outreach are shown: table rows for the NHS.UK table macro, the lines
of one volunteer, and the CSV downloads (volunteers, shifts, referrals, the activity
report). A volunteer's client link appears only where the page is a manager's."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from beacon.clients.presenters import tag_html
from beacon.core.exporters import Exporter
from beacon.core.presenters import date_uk, datetime_uk, person, phone_uk
from beacon.naloxone.presenters import NOT_SHOWN, Shown, figures_shown, is_small
from beacon.volunteers.models import (
    AdviceTopic,
    CheckIn,
    Course,
    OutreachContact,
    OutreachReferral,
    ReferralOutcome,
    ReferralTo,
    Shift,
    Volunteer,
)
from beacon.volunteers.selectors import ActivityRow, last_supervision


def _link(href: str, text: str) -> dict:
    return {"html": format_html('<a href="{}">{}</a>', href, text)}


def _table(table_id: str, head: Sequence[str], rows: list[list[dict]]) -> dict:
    return {"id": table_id, "responsive": True, "head": [{"text": h} for h in head], "rows": rows}


VOLUNTEER_HEAD = ["Volunteer", "Kind", "Status", "Supervisor", "Next supervision"]


def volunteers_table(volunteers: Iterable[Volunteer], *, today: datetime.date) -> dict:
    rows = []
    for v in volunteers:
        last = last_supervision(v)
        due = "Never supervised" if last is None else date_uk(last.next_due_on)
        if last is None or last.next_due_on < today:
            due_cell = {"html": tag_html(f"Overdue: {due}", "red")}
        else:
            due_cell = {"text": due}
        rows.append(
            [
                _link(reverse("volunteers:volunteer", args=[v.pk]), v.name),
                {"text": v.get_kind_display()},
                {"text": v.get_status_display()},
                {"text": person(v.supervisor) if v.supervisor else "None"},
                due_cell,
            ]
        )
    return _table("volunteers", VOLUNTEER_HEAD, rows)


class VolunteersExport(Exporter):
    filename = "volunteers.csv"
    columns = ("Volunteer", "Kind", "Status", "Start date", "DBS level", "DBS date", "DBS result")

    def __init__(self, volunteers: Iterable[Volunteer]) -> None:
        self.volunteers = volunteers

    def rows(self):
        for v in self.volunteers:
            yield (
                v.name,
                v.get_kind_display(),
                v.get_status_display(),
                v.started_on,
                v.get_dbs_level_display(),
                v.dbs_checked_on,
                v.get_dbs_result_display(),
            )


def volunteer_lines(volunteer: Volunteer, *, with_client: bool) -> list[tuple[str, str]]:
    lines = [
        ("Kind", volunteer.get_kind_display()),
        ("Status", volunteer.get_status_display()),
        ("Start date", date_uk(volunteer.started_on)),
        (
            "DBS check",
            f"{volunteer.get_dbs_level_display()}, "
            f"{date_uk(volunteer.dbs_checked_on) or 'no date'}, "
            f"{volunteer.get_dbs_result_display() or 'no result'}",
        ),
        (
            "Emergency contact",
            f"{volunteer.emergency_contact_name}, {phone_uk(volunteer.emergency_contact_phone)}",
        ),
        ("Supervisor", person(volunteer.supervisor) if volunteer.supervisor else "None"),
        ("Languages", volunteer.languages or "Not recorded"),
        ("Availability", volunteer.availability or "Not recorded"),
    ]
    if with_client:
        client = volunteer.client
        lines.append(
            ("Client record", f"{client.full_name}, {client.client_number}" if client else "None")
        )
    return lines


def training_table(training, *, today: datetime.date) -> dict:
    rows = []
    for record in training:
        status = (
            tag_html("In date", "green")
            if record.is_in_date(today)
            else tag_html(f"Expired {date_uk(record.refresh_by)}", "red")
            if record.refresh_by < today
            else tag_html("Not started", "grey")
        )
        rows.append(
            [
                {"text": record.get_course_display()},
                {"text": date_uk(record.completed_on)},
                {"text": date_uk(record.refresh_by)},
                {"html": status},
            ]
        )
    return _table("training", ["Course", "Completed", "Refresh by", "Status"], rows)


def supervision_table(sessions, *, with_wellbeing: bool = True) -> dict:
    """Supervision sessions; the volunteer's own view leaves out the supervisor's wellbeing
    check (the supervisor's record, talked through in the session)."""
    head = ["Date", "Supervisor", "Wellbeing", "Next due"]
    if not with_wellbeing:
        head.remove("Wellbeing")
    rows = []
    for s in sessions:
        row = [{"text": date_uk(s.held_on)}, {"text": person(s.supervisor)}]
        if with_wellbeing:
            row.append({"text": s.get_wellbeing_display()})
        row.append({"text": date_uk(s.next_due_on)})
        rows.append(row)
    return _table("supervision", head, rows)


def supervision_overdue_table(volunteers: Iterable[Volunteer]) -> dict:
    rows = []
    for v in volunteers:
        last = last_supervision(v)
        rows.append(
            [
                _link(reverse("volunteers:volunteer", args=[v.pk]), v.name),
                {"text": person(v.supervisor) if v.supervisor else "None"},
                {"text": date_uk(last.held_on) if last else "Never"},
                {"text": date_uk(last.next_due_on) if last else "Now"},
            ]
        )
    return _table("supervision-overdue", ["Volunteer", "Supervisor", "Last", "Was due"], rows)


SHIFT_HEAD = ["Date", "Area", "Time", "Volunteers", "Contacts"]


def length_text(length: datetime.timedelta) -> str:
    hours, minutes = divmod(int(length.total_seconds()) // 60, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def shift_time(shift: Shift) -> str:
    """ "18:00 to 21:00 (3 hours)", or "21:00 to 02:00 the next morning (5 hours)"."""
    ends = f"{shift.ends_at:%H:%M}" + (" the next morning" if shift.ends_next_day else "")
    return f"{shift.starts_at:%H:%M} to {ends} ({length_text(shift.length)})"


def shift_hours(shift: Shift) -> Decimal:
    return (Decimal(int(shift.length.total_seconds())) / 3600).quantize(Decimal("0.01"))


def shifts_table(shifts: Iterable[Shift]) -> dict:
    rows = [
        [
            _link(reverse("volunteers:shift", args=[s.pk]), date_uk(s.on)),
            {"text": s.area},
            {"text": shift_time(s)},
            {"text": ", ".join(v.name for v in s.volunteers.all())},
            {"text": str(getattr(s, "contact_count", ""))},
        ]
        for s in shifts
    ]
    return _table("shifts", SHIFT_HEAD, rows)


class ShiftsExport(Exporter):
    filename = "outreach-shifts.csv"
    columns = (
        "Date",
        "Area",
        "Base",
        "Starts",
        "Ends",
        "Ends on",
        "Hours",
        "Volunteers",
        "Contacts",
    )

    def __init__(self, shifts: Iterable[Shift]) -> None:
        self.shifts = shifts

    def rows(self):
        for s in self.shifts:
            yield (
                s.on,
                s.area,
                s.site.name,
                s.starts_at,
                s.ends_at,
                s.ends_on,
                shift_hours(s),
                "; ".join(v.name for v in s.volunteers.all()),
                getattr(s, "contact_count", 0),
            )


def check_in_text(record: CheckIn | None) -> str:
    if record is None:
        return "Not checked in"
    if record.checked_out_at:
        return f"Checked out at {datetime_uk(record.checked_out_at)}"
    return (
        f"Checked in at {datetime_uk(record.checked_in_at)}; check out by "
        f"{datetime_uk(record.check_out_due_at)}"
    )


def given_text(contact: OutreachContact) -> str:
    given = [AdviceTopic(t).label for t in contact.advice]
    given += [
        label
        for flag, label in (
            (contact.water, "water"),
            (contact.food, "food"),
            (contact.leaflet, "leaflet"),
            (contact.naloxone_supply_id, "naloxone pack"),
            (contact.nsp_transaction_id, "NSP items"),
        )
        if flag
    ]
    return ", ".join(given) or "Nothing given"


def contacts_table(contacts: Iterable[OutreachContact], *, with_volunteer: bool) -> dict:
    head = ["Time", "Person", "Given", "Concern", "Referral"]
    if with_volunteer:
        head.insert(1, "Volunteer")
    rows = []
    for c in contacts:
        referrals = ", ".join(r.get_to_display() for r in c.referrals.all()) or "None"
        row = [
            {"text": datetime_uk(c.at)},
            {"text": c.attributor},
            {"text": given_text(c)},
            {"text": c.get_concern_display()},
            {"text": referrals},
        ]
        if with_volunteer:
            row.insert(1, {"text": c.volunteer.name})
        rows.append(row)
    return _table("contacts", head, rows)


REFERRAL_HEAD = ["Made", "To", "By", "Where found", "Picked up", "Outcome"]


def _referral_state(referral: OutreachReferral, *, follows: bool) -> str:
    """The outcome, for the staff who follow referrals. A volunteer who made it learns only
    whether it was picked up: its outcome (came into treatment, declined) is the person's
    treatment, not theirs to know (H-201)."""
    if not follows:
        return "Picked up" if referral.picked_up_at else "Not picked up yet"
    if referral.outcome:
        return referral.get_outcome_display()
    return "No outcome yet"


def referrals_table(referrals: Iterable[OutreachReferral], *, link: bool) -> dict:
    rows = []
    for r in referrals:
        made = datetime_uk(r.made_at)
        rows.append(
            [
                _link(reverse("volunteers:referral", args=[r.pk]), made)
                if link
                else {"text": made},
                {"text": r.get_to_display()},
                {"text": r.contact.volunteer.name},
                {"text": r.notes or "Not given"},
                {
                    "text": f"{person(r.picked_up_by)}, {datetime_uk(r.picked_up_at)}"
                    if r.picked_up_at
                    else "Not picked up"
                },
                {"text": _referral_state(r, follows=link)},
            ]
        )
    return _table("referrals", REFERRAL_HEAD, rows)


class ReferralsExport(Exporter):
    """The referrals list as CSV. As on the page, `follows` (staff) gives each outcome; a
    volunteer's file says only whether each was picked up (H-201)."""

    filename = "outreach-referrals.csv"

    def __init__(self, referrals: Iterable[OutreachReferral], *, follows: bool) -> None:
        self.referrals = referrals
        self.follows = follows
        self.columns = (
            "Made",
            "To",
            "Volunteer",
            "Area",
            "Picked up by",
            "Picked up",
            "Outcome" if follows else "Picked up yet",
        )

    def _last(self, referral: OutreachReferral) -> str:
        if self.follows:
            return referral.get_outcome_display() if referral.outcome else ""
        return _referral_state(referral, follows=False)

    def rows(self):
        for r in self.referrals:
            yield (
                r.made_at,
                r.get_to_display(),
                r.contact.volunteer.name,
                r.contact.shift.area,
                person(r.picked_up_by) if r.picked_up_by else "",
                r.picked_up_at,
                self._last(r),
            )


ACTIVITY_COLUMNS = (
    ("Month", "month"),
    ("Area", "area"),
    ("Shifts", "shifts"),
    ("Contacts", "contacts"),
    ("Advice given", "advice"),
    ("Water", "water"),
    ("Food", "food"),
    ("Leaflets", "leaflets"),
    ("Naloxone by volunteers", "naloxone"),
    ("NSP", "nsp"),
    ("Concerns", "concerns"),
    ("Referrals", "referrals"),
    ("Referrals with an outcome", "referral_outcomes"),
)


# Small numbers (H-285): a commissioner sees a count from 1 to 4 as "fewer than 5", as on the
# KPI dashboard's outreach measures (H-224) and naloxone's figures (H-146), whose rule this
# is (naloxone's helpers: reporting's sit above this app). A part is "not shown" when it, or
# what it leaves of its total, is 1 to 4 (referrals with an outcome of the referrals); and
# where rows add up to a total shown beside them (the period's figures, the Total row), one
# hidden row, or hidden rows adding up to 1 to 4, hide the next smallest too.
ACTIVITY_PARTS = (("referrals", ("referral_outcomes",)),)
FIGURES_PARTS = (("referrals_made", ("referrals_with_outcome",)),)
ACTIVITY_COUNTS = tuple(name for _label, name in ACTIVITY_COLUMNS[2:])


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def counts_shown(
    values: list[dict[str, int]], *, suppress: bool, parts: Iterable = ()
) -> list[dict[str, Shown]]:
    """Rows of counts adding up to a total shown beside them, as the reader may see them:
    with `suppress`, each row's small counts and the parts giving them away hidden, then,
    for each count, the next smallest row while the hidden ones could be worked out."""
    if not suppress:
        return [dict(row) for row in values]
    shown = [figures_shown(row, parts, suppress=True) for row in values]
    for key in {key for row in values for key in row}:
        real = [row.get(key, 0) for row in values]
        while True:
            hidden = [i for i, row in enumerate(shown) if not _is_count(row[key])]
            if not hidden or (len(hidden) > 1 and not is_small(sum(real[i] for i in hidden))):
                break
            left = [i for i, row in enumerate(shown) if _is_count(row[key]) and row[key] > 0]
            if not left:
                break
            shown[min(left, key=lambda i: real[i])][key] = NOT_SHOWN
    return shown


def outreach_figures_shown(figures: dict[str, int], *, suppress: bool) -> dict[str, Shown]:
    """The report's figures of the period (`selectors.outreach_figures`) as the reader may
    see them."""
    return figures_shown(figures, FIGURES_PARTS, suppress=suppress)


def activity_shown(
    rows: list[ActivityRow], *, suppress: bool
) -> tuple[list[dict[str, Shown]], dict[str, Shown]]:
    """Each month and area's counts, and their Total, as the reader may see them: what the
    page, the CSV and the XLSX all show."""
    counts = [{name: getattr(row, name) for name in ACTIVITY_COUNTS} for row in rows]
    totals = {name: sum(row[name] for row in counts) for name in ACTIVITY_COUNTS}
    return (
        counts_shown(counts, suppress=suppress, parts=ACTIVITY_PARTS),
        figures_shown(totals, ACTIVITY_PARTS, suppress=suppress),
    )


def activity_table(rows: list[ActivityRow], *, suppress: bool) -> dict:
    shown, totals = activity_shown(rows, suppress=suppress)
    body = [
        [
            {"text": f"{row.month:%B %Y}"},
            {"text": row.area},
            *({"text": str(counts[name])} for name in ACTIVITY_COUNTS),
        ]
        for row, counts in zip(rows, shown, strict=True)
    ]
    if rows:
        body.append(
            [
                {"text": "Total"},
                {"text": ""},
                *({"text": str(totals[name])} for name in ACTIVITY_COUNTS),
            ]
        )
    return _table("activity", [label for label, _name in ACTIVITY_COLUMNS], body)


# The report's charts read these tables (each cell's data-value), so a chart never shows a
# number its table does not: contacts, naloxone and referrals, by month and by area.
CHARTED = (
    ("Shifts", "shifts"),
    ("Contacts", "contacts"),
    ("Naloxone by volunteers", "naloxone"),
    ("Referrals", "referrals"),
)
CHART_COLUMNS = "2,3,4"  # of the charted tables: contacts, naloxone, referrals


def _number_cell(value: Shown) -> dict:
    """A numeric cell; its data-value (what the chart reads) only when the number is shown."""
    cell: dict[str, Any] = {"text": str(value), "format": "numeric"}
    if _is_count(value):
        cell["attributes"] = {"data-value": value}
    return cell


def activity_totals_table(rows: list[ActivityRow], *, by: str, suppress: bool) -> dict:
    """The activity added up by month (`by="month"`) or by area, in order."""
    totals: dict[Any, dict[str, int]] = {}
    for row in rows:
        key = getattr(row, by)
        counts = totals.setdefault(key, dict.fromkeys((n for _label, n in CHARTED), 0))
        for _label, name in CHARTED:
            counts[name] += getattr(row, name)
    keys = sorted(totals) if by == "month" else sorted(totals, key=str.casefold)
    shown = counts_shown([totals[key] for key in keys], suppress=suppress)
    body = [
        [
            {"text": f"{key:%B %Y}" if by == "month" else key},
            *(_number_cell(counts[name]) for _label, name in CHARTED),
        ]
        for key, counts in zip(keys, shown, strict=True)
    ]
    return {
        "id": f"activity-by-{by}",
        "head": [
            {"text": "Month" if by == "month" else "Area"},
            *({"text": label, "format": "numeric"} for label, _name in CHARTED),
        ],
        "rows": body,
    }


class ActivityExport(Exporter):
    """The activity by month and area; with `suppress`, as a commissioner sees the page."""

    filename = "outreach-activity.csv"
    columns = tuple(label for label, _name in ACTIVITY_COLUMNS)

    def __init__(self, rows: list[ActivityRow], *, suppress: bool) -> None:
        self.activity = rows
        self.suppress = suppress

    def rows(self):
        shown, _totals = activity_shown(self.activity, suppress=self.suppress)
        for row, counts in zip(self.activity, shown, strict=True):
            yield (row.month.strftime("%Y-%m"), row.area, *(counts[n] for n in ACTIVITY_COUNTS))


def counts_table(table_id: str, head: str, counts: dict, labels, *, suppress: bool) -> dict:
    """Counts by kind (places, outcomes, courses), adding up to a figure of the period."""
    shown = counts_shown([{"n": n} for n in counts.values()], suppress=suppress)
    rows = [
        [{"text": labels(key).label}, {"text": str(row["n"])}]
        for key, row in zip(counts, shown, strict=True)
    ]
    return _table(table_id, [head, "Number"], rows)


def referral_places_table(counts: dict, *, suppress: bool) -> dict:
    return counts_table("referral-places", "Referred to", counts, ReferralTo, suppress=suppress)


def referral_outcomes_table(counts: dict, *, suppress: bool) -> dict:
    return counts_table("referral-outcomes", "Outcome", counts, ReferralOutcome, suppress=suppress)


def training_delivered_table(counts: dict, *, suppress: bool) -> dict:
    return counts_table("training-delivered", "Course", counts, Course, suppress=suppress)
