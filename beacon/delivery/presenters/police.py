"""How the police notice is shown: the rows of its tables, and the CSV download."""

import csv
import datetime
import io
from collections.abc import Iterable

from beacon.core.presenters import datetime_uk
from beacon.delivery.models import PoliceNoticeSent
from beacon.delivery.selectors.police import NoticeRow

CSV_HEADER = [
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


def police_notice_csv(*, date: datetime.date, rows: list[NoticeRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                date.isoformat(),
                row.driver,
                row.organisation,
                row.registration,
                row.make,
                row.colour,
                f"{row.shift_start:%H:%M}",
                f"{row.shift_end:%H:%M}",
                " ".join(row.areas),
            ]
        )
    return out.getvalue()


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
