"""How the police notice is shown: the rows of its tables, and its CSV export."""

import datetime
from collections.abc import Iterable

from beacon.core.exporters import Exporter
from beacon.core.presenters import datetime_uk
from beacon.delivery.models import PoliceNoticeSent
from beacon.delivery.selectors.police import NoticeRow


class PoliceNoticeExport(Exporter):
    """The police notice of one day as CSV: who drives which vehicle, when, where."""

    columns = [
        "date",
        "driver",
        "organisation",
        "registration",
        "make",
        "colour",
        "shift start",
        "shift end",
        "areas",
    ]

    def __init__(self, *, date: datetime.date, rows: list[NoticeRow]) -> None:
        self.date = date
        self.notice_rows = rows
        self.filename = f"police-notice-{date:%Y-%m-%d}.csv"

    def rows(self) -> Iterable[list[str]]:
        for row in self.notice_rows:
            yield [
                self.date.isoformat(),
                row.driver,
                row.organisation,
                row.registration,
                row.make,
                row.colour,
                f"{row.shift_start:%H:%M}",
                f"{row.shift_end:%H:%M}",
                " ".join(row.areas),
            ]


NOTICE_HEAD = ["Driver", "Organisation", "Registration", "Make", "Colour", "Shift", "Areas"]


def notice_rows(rows: Iterable[NoticeRow]) -> list[list[dict]]:
    return [
        [
            {"text": row.driver},
            {"text": row.organisation},
            {"text": row.registration},
            {"text": row.make},
            {"text": row.colour},
            {"text": f"{row.shift_start:%H:%M}–{row.shift_end:%H:%M}"},
            {"text": ", ".join(row.areas)},
        ]
        for row in rows
    ]


SENDINGS_HEAD = ["When", "To", "How", "By", "Notes"]


def sending_rows(sendings: Iterable[PoliceNoticeSent]) -> list[list[dict]]:
    return [
        [
            {"text": datetime_uk(sending.sent_at)},
            {"text": sending.sent_to},
            {"text": sending.get_method_display()},
            {"text": sending.sent_by.display_name},
            {"text": sending.notes},
        ]
        for sending in sendings
    ]
