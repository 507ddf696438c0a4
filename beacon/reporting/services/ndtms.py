"""Writes of the NDTMS return: the audit entry of each export and of opening the validation
report, and the export's file, written a line at a time.

The file for submission is refused while the validation report has errors (an unmapped
code, a missing required item, dates that contradict each other: H-241, H-244, H-246); a
draft may be taken at any time, named and headed as not for submission."""

import datetime
import itertools
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.db import transaction

from beacon.core.audit import Action, AuditOrigin, audit_record
from beacon.core.exporters import data_file_lines
from beacon.core.models import Provider, User
from beacon.reporting.datasets import DatasetVersion
from beacon.reporting.selectors.ndtms import Progress, return_issue_counts, return_rows

DRAFT_MARK = "DRAFT: NOT FOR SUBMISSION TO NDTMS"


class ReturnNotReady(Exception):
    """The validation report has errors: no file for submission until they are fixed."""

    def __init__(self, errors: int) -> None:
        self.errors = errors
        noun = "error remains" if errors == 1 else "errors remain"
        super().__init__(
            f"The return cannot be made for submission: {errors} {noun} in the validation "
            "report. Fix each record listed, or take a draft marked not for submission."
        )


def draft_filename(filename: str) -> str:
    return f"DRAFT-NOT-FOR-SUBMISSION-{filename}"


@transaction.atomic
def ndtms_return_exported(
    *,
    actor: User | None,
    provider: Provider,
    first: datetime.date,
    last: datetime.date,
    version: DatasetVersion,
    journeys: int,
    origin: AuditOrigin | None = None,
    draft: bool = False,
) -> None:
    """The audit entry of an export: who took which month, in which version, how big."""
    kind = "NDTMS draft return (not for submission)" if draft else "NDTMS return"
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        detail=f"{kind} {first:%Y-%m} ({first}..{last}) for {provider.name}, "
        f"{version.name}, {journeys} journeys",
        origin=origin,
    )


def ndtms_return_lines(
    *,
    actor: User | None,
    provider: Provider,
    first: datetime.date,
    last: datetime.date,
    version: DatasetVersion,
    journeys: int,
    origin: AuditOrigin | None = None,
    progress: Progress | None = None,
    draft: bool = False,
) -> Iterator[str]:
    """Audit the export, then give the file's lines, read from the database as they go.
    Raises ReturnNotReady, before anything is written, when the return has errors and is
    not a draft; a draft's first line says it is not for submission."""
    if not draft:
        errors = return_issue_counts(
            provider=provider, first=first, last=last, version=version
        ).errors
        if errors:
            raise ReturnNotReady(errors)
    ndtms_return_exported(
        actor=actor,
        provider=provider,
        first=first,
        last=last,
        version=version,
        journeys=journeys,
        origin=origin,
        draft=draft,
    )
    rows = return_rows(
        provider=provider, first=first, last=last, version=version, progress=progress
    )
    lines = data_file_lines(version.columns, rows)
    return itertools.chain([f'"{DRAFT_MARK}"\n'], lines) if draft else lines


def ndtms_return_write(*, lines: Iterable[str], out: TextIO) -> int:
    """Write the lines to a file; the number of rows written (the header, and a draft's
    mark, not counted)."""
    count = -1
    for line in lines:
        out.write(line)
        if not line.startswith(f'"{DRAFT_MARK}"'):
            count += 1
    return max(count, 0)


@transaction.atomic
def ndtms_validation_viewed(
    *,
    actor: User,
    first: datetime.date,
    version: DatasetVersion,
    issues: int,
    origin: AuditOrigin | None = None,
) -> None:
    """The validation report names clients: its opening is audited with its size."""
    audit_record(
        actor=actor,
        action=Action.VIEW,
        detail=f"NDTMS validation report {first:%Y-%m}, {version.name}, {issues} issues",
        origin=origin,
    )
