"""How appointments, contacts, notes, follow-ups, the timeline and attendance are shown:
table rows for the NHS.UK table macro, the caseload's cells, and the CSV exporters."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from beacon.clients.hooks import SummaryRow
from beacon.clients.models import Client
from beacon.contacts.models import Appointment, AppointmentOutcome, FollowUpTask
from beacon.contacts.selectors import AttendanceRow, TimelineEntry, contact_flags
from beacon.core.exporters import Exporter
from beacon.core.models import TextMessage
from beacon.core.presenters import date_uk, datetime_uk
from beacon.treatment.presenters.caseload import client_link_html, plural_days, tag_html

OUTCOME_COLOURS = {
    AppointmentOutcome.ATTENDED: "green",
    AppointmentOutcome.DNA: "red",
    AppointmentOutcome.CANCELLED_BY_CLIENT: "grey",
    AppointmentOutcome.CANCELLED_BY_SERVICE: "grey",
    AppointmentOutcome.LATE_NOT_SEEN: "orange",
}


def time_uk(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def outcome_html(appointment: Appointment) -> SafeString:
    if not appointment.outcome:
        if appointment.starts_at > timezone.now():
            return tag_html("Booked", "blue")
        return tag_html("Outcome to record", "yellow")
    return tag_html(
        appointment.get_outcome_display(), OUTCOME_COLOURS[AppointmentOutcome(appointment.outcome)]
    )


def reminder_text(appointment: Appointment, text: TextMessage | None) -> str:
    """The appointment's reminder text as the page says it: not sent (and when it will
    be), or its status as Notify last reported it."""
    if not appointment.booked:
        return "Not booked: no reminder"
    if text is None:
        if appointment.outcome or appointment.starts_at <= timezone.now():
            return "None sent"
        return "Sent the day before, if the client agreed to texts"
    return f"{text.get_status_display()} ({datetime_uk(text.sent_at or text.queued_at)})"


def what_text(appointment: Appointment) -> str:
    text = appointment.get_kind_display()
    if appointment.group_session_id:
        text = f"{text}: {appointment.group_session.name}"
    if not appointment.booked and not appointment.group_session_id:
        text = f"{text} (not booked)"
    if appointment.series_id:
        text = f"{text}, weekly"
    return text


def appointment_link_html(appointment: Appointment, text: str) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("contacts:appointment", args=[appointment.pk]), text
    )


APPOINTMENT_HEAD = [{"text": "When"}, {"text": "What"}, {"text": "With"}, {"text": "Outcome"}]


def appointment_rows(appointments: Iterable[Appointment]) -> list[list[dict]]:
    """A client's appointments and contacts."""
    return [
        [
            {"html": appointment_link_html(a, datetime_uk(a.starts_at))},
            {"text": " · ".join(part for part in (what_text(a), a.where) if part)},
            {"text": a.staff.display_name},
            {"html": outcome_html(a)},
        ]
        for a in appointments
    ]


class AppointmentExport(Exporter):
    columns = ("starts", "minutes", "type", "booked", "staff", "place", "outcome")

    def __init__(self, appointments: Iterable[Appointment], *, client: Client) -> None:
        self.appointments = appointments
        self.filename = f"appointments-{client.client_number}.csv"

    def rows(self):
        for a in self.appointments:
            yield (
                timezone.localtime(a.starts_at).replace(tzinfo=None),
                a.minutes,
                a.get_kind_display(),
                a.booked,
                a.staff.display_name,
                a.where,
                a.get_outcome_display() if a.outcome else "",
            )


DIARY_HEAD = [
    {"text": "Time"},
    {"text": "Client"},
    {"text": "Type"},
    {"text": "Where"},
    {"text": "Outcome"},
]


def diary_rows(appointments: Iterable[Appointment], *, with_staff: bool) -> list[list[dict]]:
    """A diary: the client by their preferred name (the name they go by), type and place."""
    rows = []
    for a in appointments:
        time = f"{time_uk(a.starts_at)}–{time_uk(a.ends_at)}"
        rows.append(
            [
                {"html": appointment_link_html(a, time)},
                {
                    "html": format_html(
                        '{}<br><span class="nhsuk-body-s">{}</span>',
                        a.client.known_as + " " + a.client.last_name,
                        a.client.client_number,
                    )
                },
                {"text": what_text(a) + (f" with {a.staff.display_name}" if with_staff else "")},
                {"text": a.where},
                {"html": outcome_html(a)},
            ]
        )
    return rows


def follow_up_rows(tasks: Iterable[FollowUpTask], *, now: datetime.datetime) -> list[list]:
    rows = []
    for task in tasks:
        due = datetime_uk(task.due_at)
        due_html = (
            format_html("{} {}", due, tag_html("Overdue", "red"))
            if task.due_at < now
            else format_html("{}", due)
        )
        rows.append(
            [
                {"html": due_html},
                {"html": client_link_html(task.client)},
                {
                    "html": format_html(
                        "Phone the client: did not attend {}",
                        appointment_link_html(
                            task.appointment, datetime_uk(task.appointment.starts_at)
                        ),
                    )
                },
                {"text": task.assigned_to.display_name},
            ]
        )
    return rows


FOLLOW_UP_HEAD = [{"text": "Due"}, {"text": "Client"}, {"text": "What"}, {"text": "For"}]


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


class FollowUpExport(Exporter):
    """The follow-ups a list shows (its filters and search), every page of them."""

    filename = "follow-ups.csv"
    columns = ("due", "overdue", "client_number", "client", "did_not_attend", "for")

    def __init__(self, tasks: Iterable[FollowUpTask], *, now: datetime.datetime) -> None:
        self.tasks, self.now = tasks, now

    def rows(self):
        for task in self.tasks:
            yield (
                _local(task.due_at),
                task.due_at < self.now,
                task.client.client_number,
                task.client.full_name,
                _local(task.appointment.starts_at),
                task.assigned_to.display_name,
            )


GROUP_HEAD = [
    {"text": "When"},
    {"text": "Group"},
    {"text": "Facilitator"},
    {"text": "Attended", "format": "numeric"},
]


def group_rows(groups: Iterable) -> list[list[dict]]:
    """Group sessions from `group_sessions` (annotated `attending`): how many came, not who."""
    return [
        [
            {
                "html": format_html(
                    '<a href="{}">{}</a>',
                    reverse("contacts:group", args=[group.pk]),
                    datetime_uk(group.starts_at),
                )
            },
            {"text": group.name},
            {"text": group.facilitator.display_name},
            {"text": str(group.attending), "format": "numeric"},
        ]
        for group in groups
    ]


class GroupSessionExport(Exporter):
    """The group sessions a list shows (its filters), every page: how many came, no names."""

    filename = "group-sessions.csv"
    columns = ("starts", "minutes", "group", "facilitator", "place", "attended")

    def __init__(self, groups: Iterable) -> None:
        self.groups = groups

    def rows(self):
        for group in self.groups:
            yield (
                _local(group.starts_at),
                group.minutes,
                group.name,
                group.facilitator.display_name,
                group.place or (group.site.name if group.site_id else ""),
                group.attending,
            )


# The caseload -----------------------------------------------------------------------------

CASELOAD_HEAD = [
    {"text": "Last contact"},
    {"text": "Next appointment"},
    {"text": "Days since seen"},
    {"text": "Flags"},
]


def days_since_text(last_seen_at: datetime.datetime | None, *, today: datetime.date) -> str:
    if last_seen_at is None:
        return "Not seen"
    return plural_days((today - timezone.localdate(last_seen_at)).days)


def caseload_cells(client: Client, *, now: datetime.datetime) -> list[dict]:
    """One client's contact columns on the caseload, from `clients_with_contact_figures`."""
    flags = contact_flags(client, now=now)
    return [
        {"text": datetime_uk(client.last_contact_at) or "None recorded"},
        {"text": datetime_uk(client.next_appointment_at) or "None booked"},
        {"text": days_since_text(client.last_seen_at, today=timezone.localdate(now))},
        {
            "html": format_html_join(" ", "{}", ((tag_html(flag, "red"),) for flag in flags))
            if flags
            else ""
        },
    ]


NOT_SEEN_HEAD = [
    {"text": "Client"},
    {"text": "Keyworker"},
    {"text": "Last seen face to face"},
    {"text": "Next appointment"},
]


def not_seen_rows(clients: Iterable[Client]) -> list[list[dict]]:
    return [
        [
            {"html": client_link_html(c)},
            {"text": c.keyworker.display_name if c.keyworker else "Not allocated"},
            {"text": datetime_uk(c.last_seen_at) or "Never"},
            {"text": datetime_uk(c.next_appointment_at) or "None booked"},
        ]
        for c in clients
    ]


class NotSeenExport(Exporter):
    filename = "ost-not-seen.csv"
    columns = ("client_number", "name", "keyworker", "last_seen", "next_appointment")

    def __init__(self, clients: Iterable[Client]) -> None:
        self.clients = clients

    def rows(self):
        for c in self.clients:
            yield (
                c.client_number,
                c.full_name,
                c.keyworker.display_name if c.keyworker else "",
                timezone.localtime(c.last_seen_at).replace(tzinfo=None) if c.last_seen_at else None,
                timezone.localtime(c.next_appointment_at).replace(tzinfo=None)
                if c.next_appointment_at
                else None,
            )


# The timeline -----------------------------------------------------------------------------


def _timeline_text(entry: TimelineEntry) -> tuple[str, SafeString | str]:
    record = entry.record
    if entry.what in ("contact", "appointment"):
        notes = list(record.case_notes.all())
        # A note a later one corrects stays (notes are never changed) but says so.
        corrected = {n.corrects_id for n in notes if n.corrects_id}
        detail = format_html(
            "{} with {} {}{}",
            what_text(record),
            record.staff.display_name,
            outcome_html(record),
            format_html_join(
                "",
                '<br><span class="nhsuk-body-s">{}: {}</span>',
                (
                    (
                        "Note, corrected by a later note" if n.pk in corrected else "Note",
                        n.text[:200],
                    )
                    for n in notes
                ),
            ),
        )
        label = "Contact" if entry.what == "contact" else "Appointment"
        return label, detail
    if entry.what == "prescription":
        return (
            "OST prescription",
            f"{record.medicine_name} {record.dose_text}, from {date_uk(record.start_date)}",
        )
    if entry.what == "top":
        return "TOP", f"{record.get_stage_display()} TOP completed"
    return "Plan review", "Recovery plan reviewed" + (
        f" by {record.reviewed_by.display_name}" if record.reviewed_by else ""
    )


TIMELINE_HEAD = [{"text": "When"}, {"text": "What"}, {"text": "Detail"}]


def timeline_rows(entries: Iterable[TimelineEntry]) -> list[list[dict]]:
    rows = []
    for entry in entries:
        label, detail = _timeline_text(entry)
        when = (
            datetime_uk(entry.record.starts_at)
            if entry.what in ("contact", "appointment")
            else date_uk(timezone.localdate(entry.at))
        )
        if entry.what in ("contact", "appointment"):
            when = appointment_link_html(entry.record, when)
        rows.append(
            [
                {"html": format_html("{}", when)},
                {"text": label},
                {"html": format_html("{}", detail)},
            ]
        )
    return rows


# Attendance -------------------------------------------------------------------------------


def rate_text(row: AttendanceRow) -> str:
    return "–" if row.rate is None else f"{row.rate:.0%}"


ATTENDANCE_HEAD = [
    {"text": "Keyworker"},
    {"text": "Team"},
    {"text": "Booked", "format": "numeric"},
    {"text": "Attended", "format": "numeric"},
    {"text": "Attendance", "format": "numeric"},
]


def attendance_rows(rows: Iterable[AttendanceRow], *, teams: bool = False) -> list[list[dict]]:
    return [
        [
            {"text": row.name},
            *([] if teams else [{"text": row.team}]),
            {"text": str(row.booked), "format": "numeric"},
            {"text": str(row.attended), "format": "numeric"},
            {"text": rate_text(row), "format": "numeric"},
        ]
        for row in rows
    ]


class AttendanceExport(Exporter):
    columns = ("level", "name", "team", "booked", "attended", "attendance_percent")

    def __init__(
        self,
        keyworkers: list[AttendanceRow],
        teams: list[AttendanceRow],
        *,
        first: datetime.date,
        last: datetime.date,
    ) -> None:
        self.keyworkers, self.teams = keyworkers, teams
        self.filename = f"attendance-{first.isoformat()}-to-{last.isoformat()}.csv"

    def rows(self):
        for level, rows in (("keyworker", self.keyworkers), ("team", self.teams)):
            for row in rows:
                percent = None if row.rate is None else round(row.rate * 100)
                yield (level, row.name, row.team, row.booked, row.attended, percent)


# The client page's summary --------------------------------------------------------------

NONE_BOOKED = "None booked"


def next_appointment_row(appointment: Appointment | None, *, book_url: str = "") -> SummaryRow:
    """The client page's summary line for the next appointment: when, what, with whom,
    where; or none booked, with the way to book one for a user who may."""
    if appointment is None:
        return SummaryRow(
            slot="next_appointment",
            key="Next appointment",
            text=NONE_BOOKED,
            href=book_url,
            link_text="Book" if book_url else "",
        )
    where = f", {appointment.where}" if appointment.where else ""
    text = (
        f"{datetime_uk(appointment.starts_at)}: {what_text(appointment)} with "
        f"{appointment.staff.display_name}{where}"
    )
    return SummaryRow(
        slot="next_appointment",
        key="Next appointment",
        html=appointment_link_html(appointment, text),
    )
