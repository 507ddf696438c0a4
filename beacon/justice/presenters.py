"""How criminal-justice work is shown: a client's statuses, hearings, releases, consents and
reports for staff; the releases list and the prescriber's worklist section; what an officer
sees (attendance, engagement, hearings, nothing clinical); and what was shared with whom."""

import datetime
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from beacon.clients.models import Client, SharingConsent
from beacon.core.exporters import Exporter
from beacon.core.presenters import (
    Worklist,
    action_link,
    date_uk,
    datetime_uk,
    quantity_text,
    worklist,
)
from beacon.justice.models import (
    LICENCE_KINDS,
    JusticeStatus,
    Kind,
    PartnerRead,
    PrisonRelease,
    ProgressReport,
)
from beacon.justice.selectors import SharedSummary, release_is_overdue, report_refusal
from beacon.treatment.codes import OstMedicine


def _cells(values: Iterable[str]) -> list[dict]:
    return [{"text": value} for value in values]


def _table(table_id: str, head: list[str], rows: list[list[dict]]) -> dict:
    return {"id": table_id, "responsive": True, "head": _cells(head), "rows": rows}


def status_length(status: JusticeStatus, *, mid_sentence: bool = False) -> str:
    """An order's length and last day; a licence's or supervision's end date (H-280). A
    table cell starts with a capital; `mid_sentence` text follows other words."""
    if status.length_months:
        return f"{status.length_months} months, to {date_uk(status.ends_on)}"
    if status.kind in LICENCE_KINDS:
        if status.supervision_end is None:
            return "no end date recorded" if mid_sentence else "No end date recorded"
        return f"{'to' if mid_sentence else 'To'} {date_uk(status.supervision_end)}"
    return ""


def officer_text(status: JusticeStatus) -> str:
    officer = status.responsible_officer
    if officer is None:
        return "None on Beacon"
    return f"{officer.display_name}, {officer.partner_organisation}"


PAST_EXPECTED_END = "Past its expected end: record how it ended"
NEEDS_END_DATE = "No end date: record when it ends"


def status_state_html(status: JusticeStatus, today: datetime.date, *, to_do: bool = True):
    """Current, not yet begun, past its expected end with nobody having recorded how it
    ended (H-269), or a licence or supervision with no end date recorded (H-280); those two
    say what to record, unless `to_do` is False (for a reader who may not record it)."""
    if status.is_past_expected_end_on(today):
        text = PAST_EXPECTED_END if to_do else PAST_EXPECTED_END.partition(":")[0]
        return format_html('<strong class="nhsuk-tag nhsuk-tag--red">{}</strong>', text)
    if status.needs_end_date:
        text = NEEDS_END_DATE if to_do else NEEDS_END_DATE.partition(":")[0]
        return format_html('<strong class="nhsuk-tag nhsuk-tag--orange">{}</strong>', text)
    if status.start_date > today:
        return format_html(
            '<strong class="nhsuk-tag nhsuk-tag--grey">From {}</strong>', date_uk(status.start_date)
        )
    return format_html('<strong class="nhsuk-tag nhsuk-tag--blue">{}</strong>', "Current")


def status_state_text(status: JusticeStatus, today: datetime.date) -> str:
    if status.is_past_expected_end_on(today):
        return PAST_EXPECTED_END
    if status.needs_end_date:
        return NEEDS_END_DATE
    if status.start_date > today:
        return "From " + date_uk(status.start_date)
    return "Current"


def end_link(status: JusticeStatus) -> dict:
    return action_link(
        reverse("justice:status_end", args=[status.client.client_number, status.pk]),
        "Record how it ended",
        f"{status.get_kind_display()} from {date_uk(status.start_date)}",
    )


def end_date_link(status: JusticeStatus) -> dict:
    """To record the end date of a licence or supervision recorded without one (H-280)."""
    return action_link(
        reverse("justice:status_end_date", args=[status.client.client_number, status.pk]),
        "Record the end date",
        f"{status.get_kind_display()} from {date_uk(status.start_date)}",
    )


def status_actions(status: JusticeStatus) -> dict:
    """The action cell of a status not ended: record how it ended, and first its end date
    when a licence or supervision has none."""
    if not status.needs_end_date:
        return end_link(status)
    return {
        "html": format_html("{}<br>{}", end_date_link(status)["html"], end_link(status)["html"])
    }


def officer_cell(status: JusticeStatus) -> str:
    return officer_text(status) if status.kind != Kind.RELEASED_FROM_PRISON else ""


STATUS_HEAD = ["Status", "Start", "Length", "Responsible officer", "Prison", "State"]


def statuses_table(
    statuses: Iterable[JusticeStatus], *, today: datetime.date, can_change: bool
) -> dict:
    """The statuses not ended: current, not begun, or past their expected end."""
    rows = []
    for status in statuses:
        row = [
            *_cells(
                [
                    status.get_kind_display(),
                    date_uk(status.start_date),
                    status_length(status),
                    officer_cell(status),
                    status.prison,
                ]
            ),
            {"html": status_state_html(status, today)},
        ]
        if can_change:
            row.append(status_actions(status))
        rows.append(row)
    head = [*STATUS_HEAD, *(["Action"] if can_change else [])]
    return _table("justice-statuses", head, rows)


HISTORY_HEAD = ["Status", "Start", "Ended", "How it ended", "Responsible officer", "Recorded by"]


def ended_by_text(status: JusticeStatus) -> str:
    if status.ended_by is None:
        return ""
    when = f", {datetime_uk(status.ended_at)}" if status.ended_at else ""
    return status.ended_by.display_name + when


def history_table(statuses: Iterable[JusticeStatus]) -> dict:
    """The statuses that ended, and how (H-269)."""
    rows = [
        _cells(
            [
                status.get_kind_display(),
                date_uk(status.start_date),
                date_uk(status.ended_on),
                status.how_it_ended,
                officer_cell(status),
                ended_by_text(status),
            ]
        )
        for status in statuses
    ]
    return _table("justice-status-history", HISTORY_HEAD, rows)


def hearings_table(hearings: Iterable, *, report_links: dict | None = None) -> dict:
    rows = []
    for hearing in hearings:
        row = _cells([date_uk(hearing.on), hearing.court, hearing.status.get_kind_display()])
        if report_links is not None:
            row.append(report_links.get(hearing.pk, {"text": ""}))
        rows.append(row)
    head = ["Hearing date", "Court", "Order"]
    if report_links is not None:
        head.append("Progress report")
    return _table("justice-hearings", head, rows)


def dose_text(release: PrisonRelease) -> str:
    if not release.on_ost:
        return "No opioid substitution medicine"
    return f"{OstMedicine(release.ost_medicine).label} {quantity_text(release.dose_mg, 'mg')} daily"


RELEASE_HEAD = [
    "Released",
    "Prison",
    "Medicine on release",
    "Last dose in prison",
    "Naloxone on release",
    "First prescription due",
]


def release_cells(release: PrisonRelease) -> list[str]:
    return [
        date_uk(release.release_date),
        release.prison,
        dose_text(release),
        datetime_uk(release.last_dose_at) if release.last_dose_at else "",
        release.get_naloxone_on_release_display(),
        date_uk(release.first_prescription_due) if release.on_ost else "",
    ]


def releases_of_client_table(releases: Iterable[PrisonRelease]) -> dict:
    return _table(
        "justice-releases-of-client", RELEASE_HEAD, [_cells(release_cells(r)) for r in releases]
    )


def consent_status(consent: SharingConsent, today: datetime.date) -> str:
    if consent.withdrawn_at:
        return f"Withdrawn {datetime_uk(consent.withdrawn_at)}"
    if consent.until < today:
        return "Ended"
    return "In force" if consent.given_on <= today else "From " + date_uk(consent.given_on)


def consents_table(consents: Iterable[SharingConsent], *, today: datetime.date, csrf_input) -> dict:
    rows = []
    for consent in consents:
        action = {"text": ""}
        if consent.withdrawn_at is None and consent.until >= today:
            href = reverse("justice:consent_withdraw", args=[consent.pk])
            action = {
                "html": format_html(
                    '<form method="post" action="{}">{}<button class="nhsuk-button '
                    'nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">Withdraw'
                    '<span class="nhsuk-u-visually-hidden"> consent to share with {}</span>'
                    "</button></form>",
                    href,
                    csrf_input,
                    consent.partner_organisation,
                )
            }
        rows.append(
            [
                *_cells(
                    [
                        str(consent.partner_organisation),
                        ", ".join(consent.shared),
                        date_uk(consent.given_on),
                        date_uk(consent.until),
                        consent_status(consent, today),
                    ]
                ),
                action,
            ]
        )
    head = ["Shared with", "What", "Given", "Until", "Status", "Action"]
    return _table("justice-consents", head, rows)


def report_state(report: ProgressReport, today: datetime.date) -> str:
    if report.is_sent:
        return f"Sent {datetime_uk(report.sent_at)} by {report.sent_by.display_name}"
    if report_refusal(report, today=today):
        return "Draft: the consent changed, draft it again"
    return "Draft: to check and send"


def reports_table(reports: Iterable[ProgressReport], *, today: datetime.date) -> dict:
    rows = [
        [
            *_cells(
                [
                    date_uk(report.hearing.on),
                    str(report.partner_organisation),
                    report_state(report, today),
                ]
            ),
            action_link(
                reverse("justice:report", args=[report.pk]),
                "Open",
                f"report for the hearing of {date_uk(report.hearing.on)}",
            ),
        ]
        for report in reports
    ]
    return _table("justice-reports", ["Hearing", "To", "Status", "Action"], rows)


def client_section_rows(
    statuses: list[JusticeStatus], releases: list[PrisonRelease], *, today: datetime.date
) -> list:
    """The client page's summary list of the justice section: what is current, and any order
    past its expected end that nobody has recorded the end of (H-269)."""
    current = [s for s in statuses if s.is_current_on(today)]
    past = [s for s in statuses if s.is_past_expected_end_on(today)]
    without_end = [s for s in statuses if s.needs_end_date]
    rows = [
        {
            "key": {"text": "Criminal justice"},
            "value": {
                "text": "; ".join(
                    f"{s.get_kind_display()} from {date_uk(s.start_date)}" for s in current
                )
                or ("Nothing current" if statuses else "Nothing recorded")
            },
        }
    ]
    for status in past:
        rows.append(
            {
                "key": {"text": status.get_kind_display()},
                "value": {
                    "html": format_html(
                        "{}<br>{}",
                        status_state_html(status, today),
                        f"Expected to end {date_uk(status.expected_end)}",
                    )
                },
            }
        )
    for status in without_end:
        rows.append(
            {
                "key": {"text": status.get_kind_display()},
                "value": {"html": status_state_html(status, today)},
            }
        )
    if releases:
        release = releases[0]
        rows.append(
            {
                "key": {"text": "Released from prison"},
                "value": {
                    "text": f"{date_uk(release.release_date)}, {release.prison}: "
                    + dose_text(release)
                },
            }
        )
    return rows


# The statuses of the clients a user may open ----------------------------------------------------

FOLLOW_HEAD = ["Client", "Status", "Start", "Expected end", "Keyworker", "State"]


def follow_cells(status: JusticeStatus) -> list[str]:
    client = status.client
    return [
        status.get_kind_display(),
        date_uk(status.start_date),
        date_uk(status.expected_end),
        client.keyworker.display_name if client.keyworker else "None",
    ]


def follow_rows(
    rows: Iterable[JusticeStatus], *, today: datetime.date, may_end
) -> list[list[dict]]:
    """The statuses list: each client, the status and its state; the action to record how it
    ended for those who may."""
    table = []
    for status in rows:
        client = status.client
        action = status_actions(status) if may_end(client) else {"text": ""}
        table.append(
            [
                {
                    "html": format_html(
                        '<a href="{}">{}</a><br><span class="nhsuk-body-s">{}</span>',
                        reverse("justice:client", args=[client.client_number]),
                        client.full_name,
                        client.client_number,
                    )
                },
                *_cells(follow_cells(status)),
                {"html": status_state_html(status, today)},
                action,
            ]
        )
    return table


class StatusesExport(Exporter):
    filename = "criminal-justice-statuses.csv"
    columns = ["Client number", "Client", *FOLLOW_HEAD[1:]]

    def __init__(self, rows: Iterable[JusticeStatus], *, today: datetime.date) -> None:
        self.statuses, self.today = rows, today

    def rows(self):
        for status in self.statuses:
            yield [
                status.client.client_number,
                status.client.full_name,
                *follow_cells(status),
                status_state_text(status, self.today),
            ]


def _worklist_cells(status: JusticeStatus, day: datetime.date | None) -> list[dict]:
    """A worklist row's first cells: the client, the status, its day, the keyworker."""
    keyworker = status.client.keyworker
    return _cells(
        [
            status.client.full_name,
            status.get_kind_display(),
            date_uk(day),
            keyworker.display_name if keyworker else "None",
        ]
    )


def past_expected_end_worklist(rows: list[JusticeStatus], *, count: int) -> Worklist:
    """The manager's section: orders, licences and supervisions past their expected end, how
    they ended not recorded."""
    table = [
        [
            *_worklist_cells(status, status.expected_end),
            end_link(status),
        ]
        for status in rows
    ]
    return worklist(
        section_id="justice-past-expected-end",
        heading="Orders and licences past their expected end: record how each ended",
        head=["Client", "Status", "Expected end", "Keyworker"],
        rows=table,
        empty="No order or licence is past its expected end without its ending recorded.",
        clients=[status.client for status in rows],
        more_href=reverse("justice:statuses") + "?past_expected_end_only=on",
        more_text="Every order or licence past its expected end",
        count=count,
    )


def without_end_date_worklist(
    rows: list[JusticeStatus], *, count: int, may_record: Callable[[Client], bool]
) -> Worklist:
    """The section of licences and supervisions with no end date recorded (H-280): the link
    to record it for who may, else to the client's justice page."""
    table = [
        [
            *_worklist_cells(status, status.start_date),
            end_date_link(status)
            if may_record(status.client)
            else action_link(
                reverse("justice:client", args=[status.client.client_number]),
                "Open",
                f"criminal justice of {status.client.full_name}",
            ),
        ]
        for status in rows
    ]
    return worklist(
        section_id="justice-without-end-date",
        heading="Licences and supervisions with no end date: record when each ends",
        head=["Client", "Status", "Start", "Keyworker"],
        rows=table,
        empty="Every licence and supervision has its end date.",
        clients=[status.client for status in rows],
        more_href=reverse("justice:statuses") + "?without_end_date_only=on",
        more_text="Every licence and supervision with no end date",
        count=count,
    )


def caseload_cell_html(statuses: list[JusticeStatus], today: datetime.date, *, can_change: bool):
    """The caseload's criminal justice cell of one client: each status not ended, an order
    past its expected end tagged red (H-269), a licence or supervision with no end date
    tagged (H-280); each tag with the link to record how it ended or its end date only if
    `can_change` (the pages behind them refuse anyone else), else with the status's name."""
    parts = []
    for status in statuses:
        if status.is_past_expected_end_on(today):
            url_name, to_do = "justice:status_end", "record how it ended"
        elif status.needs_end_date:
            url_name, to_do = "justice:status_end_date", "record the end date"
        else:
            if status.is_current_on(today):
                to = f" to {date_uk(status.expected_end)}" if status.expected_end else ""
                parts.append(format_html("{}{}", status.get_kind_display(), to))
            continue
        if can_change:
            parts.append(
                format_html(
                    '{}<br><a href="{}">{}</a>',
                    status_state_html(status, today),
                    reverse(url_name, args=[status.client.client_number, status.pk]),
                    f"{status.get_kind_display()}: {to_do}",
                )
            )
        else:
            parts.append(
                format_html(
                    "{}<br>{}",
                    status_state_html(status, today, to_do=False),
                    status.get_kind_display(),
                )
            )
    return format_html_join(
        "", '<p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{}</p>', ((part,) for part in parts)
    )


# Prison releases -----------------------------------------------------------------------------

RELEASES_HEAD = ["Client", "Released", "Prison", "Medicine on release", "Keyworker", "Seen since"]


def releases_rows(rows: Iterable[PrisonRelease], *, today: datetime.date) -> list[list[dict]]:
    table = []
    for release in rows:
        client = release.client
        overdue = release_is_overdue(release, seen=release.seen, today=today)
        seen = "Yes" if release.seen else "Not seen"
        tag = "nhsuk-tag--red" if overdue else "nhsuk-tag--grey"
        table.append(
            [
                {
                    "html": format_html(
                        '<a href="{}">{}</a>',
                        reverse("justice:client", args=[client.client_number]),
                        client.full_name,
                    )
                },
                *_cells(
                    [
                        date_uk(release.release_date),
                        release.prison,
                        dose_text(release),
                        client.keyworker.display_name if client.keyworker else "None",
                    ]
                ),
                {
                    "html": format_html(
                        '<strong class="nhsuk-tag {}">{}</strong>',
                        tag,
                        ("Overdue: " if overdue else "") + seen,
                    )
                },
            ]
        )
    return table


class ReleasesExport(Exporter):
    filename = "prison-releases.csv"
    columns = ["Client number", "Client", *RELEASES_HEAD[1:]]

    def __init__(self, rows: Iterable[PrisonRelease], *, today: datetime.date) -> None:
        self.releases, self.today = rows, today

    def rows(self):
        for release in self.releases:
            client = release.client
            overdue = release_is_overdue(release, seen=release.seen, today=self.today)
            yield [
                client.client_number,
                client.full_name,
                date_uk(release.release_date),
                release.prison,
                dose_text(release),
                client.keyworker.display_name if client.keyworker else "",
                "Yes" if release.seen else ("Not seen, overdue" if overdue else "Not seen"),
            ]


def awaiting_prescription_worklist(rows: list[PrisonRelease]) -> Worklist:
    """The prescriber's section: released on OST, the first community prescription due."""
    table = [
        [
            *_cells(
                [
                    release.client.full_name,
                    date_uk(release.release_date),
                    dose_text(release),
                    datetime_uk(release.last_dose_at),
                    date_uk(release.first_prescription_due),
                ]
            ),
            action_link(
                reverse("justice:client", args=[release.client.client_number]),
                "Open",
                release.client.full_name,
            ),
        ]
        for release in rows
    ]
    return worklist(
        section_id="justice-released-on-ost",
        heading="Released from prison on OST: first prescription due",
        head=["Client", "Released", "Dose on release", "Last dose in prison", "Prescription due"],
        rows=table,
        empty="No client released from prison is waiting for their first prescription.",
        clients=[release.client for release in rows],
        more_href=reverse("justice:releases"),
        more_text="Every prison release",
    )


# What a probation officer sees ---------------------------------------------------------------

SUPERVISED_HEAD = ["Client", "Date of birth", "Client number", "Action"]


def supervised_rows(clients: Iterable[Client]) -> list[list[dict]]:
    return [
        [
            *_cells([client.full_name, date_uk(client.date_of_birth), client.client_number]),
            action_link(
                reverse("justice:supervised_client", args=[client.client_number]),
                "Attendance",
                client.full_name,
            ),
        ]
        for client in clients
    ]


class SupervisedExport(Exporter):
    filename = "supervised-clients.csv"
    columns = ["Client number", "Client", "Date of birth"]

    def __init__(self, clients: Iterable[Client]) -> None:
        self.clients = clients

    def rows(self):
        for client in self.clients:
            yield [client.client_number, client.full_name, date_uk(client.date_of_birth)]


def shared_lines(summary: SharedSummary) -> list[dict]:
    """The summary list an officer reads: what the consent names, nothing else."""
    rows = [
        {"key": {"text": "Client"}, "value": {"text": summary.client.full_name}},
        {
            "key": {"text": "Date of birth"},
            "value": {"text": date_uk(summary.client.date_of_birth)},
        },
        {
            "key": {"text": "Shared with consent until"},
            "value": {"text": date_uk(summary.consent.until)},
        },
    ]
    if summary.status is not None:
        rows.append(
            {
                "key": {"text": "Order or supervision"},
                "value": {
                    "text": f"{summary.status.get_kind_display()} from "
                    f"{date_uk(summary.status.start_date)}"
                },
            }
        )
    if summary.attendance is not None:
        rows.append(
            {
                "key": {"text": f"Attendance since {date_uk(summary.attendance.since)}"},
                "value": {
                    "text": f"{summary.attendance.kept} kept, {summary.attendance.missed} missed"
                },
            }
        )
    if summary.engaging is not None:
        rows.append(
            {
                "key": {"text": "Engaging with treatment as the order requires"},
                "value": {"text": "Yes" if summary.engaging else "No"},
            }
        )
    return rows


# What each partner read showed (H-271): the parts actually on the page or in the answer,
# not the consent's whole scope (a consent may name parts no page shows a partner yet).

LIST_SHOWN = "on the supervised list: name, date of birth, client number"
LIST_CSV_SHOWN = "in the supervised list's CSV: client number, name, date of birth"


def _attendance_shown(summary: SharedSummary, *, listed: bool) -> str:
    seen = summary.attendance
    text = f"attendance since {date_uk(seen.since)} ({seen.kept} kept, {seen.missed} missed"
    if listed:
        text += f"; {len(seen.appointments)} appointments listed"
    return text + ")"


def shown_on_page(summary: SharedSummary) -> str:
    """What the officer's page of one client shows, part by part, as `supervised_client.html`
    draws it from `shared_lines` and the tables."""
    parts = ["name", "date of birth", "consent end date"]
    if summary.status is not None:
        parts.append("order or supervision and its start")
    if summary.attendance is not None:
        parts.append(_attendance_shown(summary, listed=True))
    if summary.engaging is not None:
        parts.append("whether engaging with treatment")
    if summary.hearings is not None:
        parts.append(f"review hearings ({len(summary.hearings)})")
    parts.append(f"progress reports sent ({len(summary.reports)})")
    return "page: " + ", ".join(parts)


def shown_in_api(summary: SharedSummary) -> str:
    """What the API's answer of one client holds (`JusticeSupervisedOut`'s fields not null)."""
    parts = ["client number", "name", "date of birth", "consent end date"]
    if summary.attendance is not None:
        parts.append(_attendance_shown(summary, listed=False))
    if summary.engaging is not None:
        parts.append("whether engaging with treatment")
    if summary.hearings is not None:
        parts.append(f"review hearing dates ({len(summary.hearings)})")
    return "API: " + ", ".join(parts)


def report_shown(report: ProgressReport) -> str:
    parts = ["name", "date of birth", "order"]
    parts += [SharingConsent.SHARES[share].lower() for share in report.holds]
    return f"progress report for the hearing of {date_uk(report.hearing.on)}: " + ", ".join(parts)


def attendance_table(summary: SharedSummary) -> dict | None:
    if summary.attendance is None:
        return None
    rows = [
        _cells(
            [
                datetime_uk(appointment.starts_at),
                "Kept" if appointment.outcome == "attended" else "Missed",
            ]
        )
        for appointment in summary.attendance.appointments
    ]
    return _table("justice-attendance", ["Appointment", "Kept or missed"], rows)


def officer_hearings_table(summary: SharedSummary) -> dict | None:
    if summary.hearings is None:
        return None
    rows = [_cells([date_uk(h.on), h.court]) for h in summary.hearings]
    return _table("justice-officer-hearings", ["Review hearing", "Court"], rows)


def officer_reports_table(reports: Iterable[ProgressReport]) -> dict:
    rows = [
        [
            *_cells([date_uk(report.hearing.on), datetime_uk(report.sent_at)]),
            action_link(
                reverse("justice:report_download", args=[report.pk]),
                "Download",
                f"report for the hearing of {date_uk(report.hearing.on)}",
            ),
        ]
        for report in reports
    ]
    return _table("justice-officer-reports", ["Hearing", "Sent", "Action"], rows)


# What was shared with whom -------------------------------------------------------------------

SHARING_HEAD = ["When", "Client", "Shared with", "Read by", "What", "How"]


def sharing_cells(read: PartnerRead) -> list[str]:
    return [
        datetime_uk(read.at),
        f"{read.client.full_name} ({read.client.client_number})",
        str(read.partner_organisation),
        read.user.display_name,
        read.what,
        "API" if read.channel == "api" else "Web page",
    ]


def sharing_table(reads: Iterable[PartnerRead]) -> dict:
    return _table("justice-sharing-log", SHARING_HEAD, [_cells(sharing_cells(r)) for r in reads])


class SharingLogExport(Exporter):
    filename = "shared-with-partners.csv"
    columns = SHARING_HEAD

    def __init__(self, reads: Iterable[PartnerRead]) -> None:
        self.reads = reads

    def rows(self):
        for read in self.reads:
            yield sharing_cells(read)
