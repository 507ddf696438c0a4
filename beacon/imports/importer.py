"""The history importer: each row of an old system's files through the same services a page
or the API calls, in the caller's transaction, a savepoint a row so that one bad row is
reported and the rest still checked.

Rows of the journey files are read in the order of the clients file (a merge, as the
export writes them): one client's rows are in memory at a time, never a whole file.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from beacon.clients import services as client_services
from beacon.clients.models import Client
from beacon.clients.validators import normalise_nhs_number
from beacon.core.audit import AuditOrigin, record_save
from beacon.core.models import PartnerOrganisation, Site, Team, User
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.harmreduction import services as harmreduction_services
from beacon.harmreduction.models import NspItem
from beacon.imports.formats import (
    ASSESSMENT_COLUMNS,
    CLIENT_FILES,
    CLIENTS,
    DISCHARGES,
    DOSE_CHANGES,
    EPISODES,
    FILES_BY_NAME,
    INTERVENTIONS,
    LATER_FILES,
    NALOXONE_SUPPLIES,
    NSP_TRANSACTIONS,
    PHARMACIES,
    PLAN_ACTIONS,
    PLAN_GOALS,
    PLAN_REVIEWS,
    PRESCRIPTIONS,
    RECOVERY_PLANS,
    REFERRALS,
    SETUP_FILES,
    SITES,
    STAFF,
    TEAMS,
    TOPS,
    CellError,
    FileFormat,
    read_date,
)
from beacon.imports.models import ExternalReference, HistoryImport
from beacon.imports.sources import HistoryFiles, Row
from beacon.naloxone import services as naloxone_services
from beacon.prescribing import services as prescribing_services
from beacon.prescribing.models import DoseChange, Prescription
from beacon.treatment.codes import TopStage
from beacon.treatment.models import PlanGoal, RecoveryPlan, Referral, TreatmentEpisode
from beacon.treatment.services import journey as journey_services
from beacon.treatment.services import plans, tops

# Staff an import may name: the service's own, not partner staff (drivers, pharmacists).
STAFF_ROLES = frozenset({Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE, Role.MANAGER})
# The journey files whose rows have an id of their own, unique in the file: all but the
# discharges, whose id is their episode's.
JOURNEY_FILES = tuple(fmt for fmt in CLIENT_FILES + LATER_FILES if fmt is not DISCHARGES)
# The files whose rows belong to an episode, by their episode_id.
EPISODE_FILES = (RECOVERY_PLANS, INTERVENTIONS, TOPS, PRESCRIPTIONS, DISCHARGES)
# The files whose rows belong to a row of an episode's file (by that file's id column).
CHILD_FILES = {
    PRESCRIPTIONS.name: (DOSE_CHANGES,),
    RECOVERY_PLANS.name: (PLAN_GOALS, PLAN_ACTIONS, PLAN_REVIEWS),
}
# The column naming the record a journey row belongs to, when it is not episode_id.
PARENT_COLUMN = {
    EPISODES.name: "referral_id",
    DOSE_CHANGES.name: "prescription_id",
    PLAN_GOALS.name: "recovery_plan_id",
    PLAN_ACTIONS.name: "recovery_plan_id",
    PLAN_REVIEWS.name: "recovery_plan_id",
}
# (child file name, parent id) → that child file's rows of this client.
Children = dict[tuple[str, str], list[tuple[int, "Row"]]]
# How each journey record reaches its client, to match an earlier import's record only
# when it is the same client's.
CLIENT_OF_RECORD = {
    REFERRALS.kind: "client_id",
    EPISODES.kind: "client_id",
    INTERVENTIONS.kind: "episode__client_id",
    TOPS.kind: "episode__client_id",
    PRESCRIPTIONS.kind: "client_id",
    DOSE_CHANGES.kind: "prescription__client_id",
    RECOVERY_PLANS.kind: "client_id",
    PLAN_GOALS.kind: "plan__client_id",
    PLAN_ACTIONS.kind: "plan__client_id",
    PLAN_REVIEWS.kind: "plan__client_id",
    NALOXONE_SUPPLIES.kind: "client_id",
    NSP_TRANSACTIONS.kind: "client_id",
}
# A service's word for a field differs from the file's column here.
COLUMN_OF_FIELD = {
    "outcome": "triage_outcome",
    "team": "team_id",
    "keyworker": "keyworker_id",
    "prescriber": "prescriber_id",
    "pharmacy": "pharmacy_id",
    "agreed_on": "care_plan_agreed_on",
    "next_review_date": "care_plan_next_review_date",
    "goal_text": "care_plan_goal",
    "dose": "to_dose",
    "site": "site_id",
    "client": "client_id",
    "client_number": "client_id",
    "supplied_by": "supplied_by_id",
    "trained_by": "trained_by_id",
}
HISTORY_END_REASON = "Imported as history: it ended before the import"
# A prescription running at the import is split: its days before the import are history.
BEFORE_IMPORT = ":before-import"
DAYS_BEFORE_REASON = "Imported as history: its days before the import (supply not known)"


@dataclass(frozen=True)
class Problem:
    """One bad row, in plain words: which file, row and column, the value, and why."""

    file: str
    row: int
    column: str
    value: str
    reason: str


class _Skip(Exception):
    """A row that depends on a row already reported: not reported again."""


class _RowRefused(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


class _Rollback(Exception):
    """Undo a savepoint that only asked today's rules their answer."""


@dataclass
class _Journey:
    """One client's rows of every journey file, by file name, and what they became."""

    client: Client
    rows: dict[str, list[tuple[int, Row]]]
    made: dict[tuple[str, str], models.Model]


class HistoryImporter:
    """Reads `files` as `actor` (a manager of the provider) and saves through the services.
    The caller owns the transaction and decides whether it stays (`problems` empty)."""

    def __init__(
        self,
        *,
        actor: User,
        files: HistoryFiles,
        source: str,
        history_import: HistoryImport | None = None,
        origin: AuditOrigin | None = None,
        on_row: Callable[[int], None] | None = None,
    ) -> None:
        self.actor = actor
        self.provider = actor.provider
        self.files = files
        self.source = source
        self.history_import = history_import
        self.origin = origin
        self.on_row = on_row or (lambda done: None)
        self.today = timezone.localdate()
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self.rows_done = 0
        self.present = set(files.names())
        self.setup: dict[tuple[str, str], models.Model] = {}
        self.failed: set[tuple[str, str]] = set()
        self.client_ids: dict[str, int] = {}  # the clients file's ids → their position
        self.imported_client: dict[int, tuple[str, int]] = {}  # pk → (client_id, row)
        self.client_pk: dict[str, int] = {}  # the clients file's ids → the client's pk
        # Each journey file's ids met so far → the row first naming them (H-257).
        self.seen: dict[str, dict[str, int]] = {fmt.kind: {} for fmt in JOURNEY_FILES}
        # A running prescription's days before the import, by the file's prescription id:
        # its dose changes dated before the import go there.
        self.days_before: dict[str, Prescription] = {}
        self._goal_rows_read: list[Row] = []  # a plan's first goal, once its row is read

    # Reading

    def problem(self, fmt: FileFormat, number: int, column: str, row: Row, reason: str) -> None:
        value = str(row.get(column, "") if column else "")[:200]
        self.problems.append(Problem(fmt.name, number, column, value, reason))

    def _read(self, fmt: FileFormat, number: int, row: Row) -> dict[str, Any] | None:
        """The row's cells as values, or None after reporting every cell that is wrong."""
        data: dict[str, Any] = {}
        ok = True
        for column in fmt.columns:
            ndtms_name = f"{column.name}_ndtms"
            try:
                if (
                    column.ndtms
                    and not str(row.get(column.name) or "").strip()
                    and (str(row.get(ndtms_name) or "").strip())
                ):
                    data[column.name] = column.read_ndtms(row[ndtms_name])
                else:
                    data[column.name] = column.read(row.get(column.name))
            except CellError as exc:
                name = ndtms_name if str(row.get(ndtms_name) or "").strip() else column.name
                self.problem(fmt, number, name, row, str(exc))
                ok = False
        return data if ok else None

    def _check_headers(self) -> bool:
        ok = True
        if CLIENTS.name not in self.present:
            self.problems.append(Problem(CLIENTS.name, 1, "", "", "The clients file is missing"))
            return False
        for name in sorted(self.present):
            fmt = FILES_BY_NAME.get(name)
            if fmt is None:
                self.problems.append(
                    Problem(name, 1, "", "", "Beacon does not know this file: see docs/import.md")
                )
                ok = False
                continue
            header = set(self.files.header(name))
            for column in fmt.columns:
                given = column.name in header or (column.ndtms and f"{column.name}_ndtms" in header)
                if column.required and not given:
                    self.problems.append(
                        Problem(name, 1, column.name, "", "This column is missing")
                    )
                    ok = False
        return ok

    def _refused(self, fmt: FileFormat, number: int, row: Row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                column = COLUMN_OF_FIELD.get(field, field)
                if column.startswith("item_") and column[5:] in fmt.column_names:
                    column = column[5:]  # an NSP item's count
                if column not in fmt.column_names:
                    column = field if field in row else ""
                for error in errors:
                    self.problem(fmt, number, column, row, " ".join(error.messages))
        else:
            for message in exc.messages:
                self.problem(fmt, number, "", row, message)

    def _guarded(self, fmt: FileFormat, number: int, row: Row, step: Callable[[dict], Any]) -> Any:
        """Run one row's step in a savepoint; None when it was refused (and reported)."""
        data = self._counted_and_read(fmt, number, row)
        if data is None:
            return None
        try:
            with transaction.atomic():
                return step(data)
        except _Skip:
            return None
        except _RowRefused as exc:
            self.problem(fmt, number, exc.column, row, exc.reason)
        except ValidationError as exc:
            self._refused(fmt, number, row, exc)
        except IntegrityError as exc:
            self.problem(fmt, number, "", row, f"The database refused this row: {exc}"[:500])
        return None

    def _counted_and_read(self, fmt: FileFormat, number: int, row: Row) -> dict[str, Any] | None:
        """Count the row as done (and say so), then its cells as values; None, after
        reporting it, for a row whose id an earlier row has or with a cell that is wrong."""
        self.rows_done += 1
        self.on_row(self.rows_done)
        if not self._first_time(fmt, number, row):
            return None
        return self._read(fmt, number, row)

    def _first_time(self, fmt: FileFormat, number: int, row: Row) -> bool:
        """False, after reporting it, for a row whose id an earlier row of its file has:
        the second would be matched to the first's record, perhaps another client's."""
        seen = self.seen.get(fmt.kind)
        external_id = _cell(row, fmt.id_column) if seen is not None else ""
        if not external_id:
            return True
        earlier = seen.setdefault(external_id, number)
        if earlier == number:
            return True
        self.problem(
            fmt, number, fmt.id_column, row, f"This id is on an earlier row (row {earlier})"
        )
        return False

    # References

    def _reference(self, kind: str, external_id: str) -> ExternalReference | None:
        return (
            ExternalReference.objects.filter(
                provider=self.provider, source=self.source, kind=kind, external_id=external_id
            )
            .select_related("content_type")
            .first()
        )

    def _remember(
        self,
        kind: str,
        external_id: str,
        record: models.Model,
        *,
        history_reason: str = "",
        count: bool = True,
    ) -> None:
        ExternalReference.objects.create(
            provider=self.provider,
            source=self.source,
            kind=kind,
            external_id=external_id,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            imported_as_history=bool(history_reason),
            history_reason=history_reason[:500],
            history_import=self.history_import,
        )
        if count:
            self.counts[kind] += 1

    def _setup_ref(self, kind: str, external_id: str, column: str, *, required: bool = False):
        if not external_id:
            if required:
                raise _RowRefused(column, "This column must be filled in")
            return None
        if (kind, external_id) in self.failed:
            raise _Skip
        record = self.setup.get((kind, external_id))
        if record is None:
            raise _RowRefused(column, f"No {kind} with this id in the {kind} file")
        return record

    # The run

    def run(self) -> None:
        if not self._check_headers():
            return
        for fmt in SETUP_FILES:
            if fmt.name in self.present:
                for number, row in self.files.rows(fmt.name):
                    self._setup_row(fmt, number, row)
        for number, row in self.files.rows(CLIENTS.name):
            client_id = str(row.get("client_id") or "").strip()
            if client_id in self.client_ids:
                self.problem(CLIENTS, number, "client_id", row, "This id is on an earlier row")
            self.client_ids.setdefault(client_id, number)
        streams = {
            fmt.name: _Peekable(self.files.rows(fmt.name))
            for fmt in CLIENT_FILES
            if fmt.name in self.present
        }
        for number, row in self.files.rows(CLIENTS.name):
            client_id = str(row.get("client_id") or "").strip()
            rows = {
                name: self._rows_of(name, stream, client_id, number)
                for name, stream in streams.items()
            }
            if self.client_ids.get(client_id) != number:
                continue  # a repeated id: reported above
            client = self._guarded(CLIENTS, number, row, lambda d, n=number: self._client(d, n))
            if client is None:
                self.rows_done += sum(len(r) for r in rows.values())
                continue
            self.client_pk[client_id] = client.pk
            self._journey(_Journey(client=client, rows=rows, made={}))
        for name, stream in streams.items():
            fmt = FILES_BY_NAME[name]
            for number, row in stream.rest():
                self._unplaced(fmt, number, row)
        later = {NALOXONE_SUPPLIES.name: self._naloxone_supply, NSP_TRANSACTIONS.name: self._nsp}
        for fmt in LATER_FILES:
            step = later[fmt.name]
            if fmt.name in self.present:
                for number, row in self.files.rows(fmt.name):
                    self._guarded(fmt, number, row, step)

    def _rows_of(
        self, name: str, stream: "_Peekable", client_id: str, position: int
    ) -> list[tuple[int, Row]]:
        """The rows of one client in a journey file, which follows the clients file's order;
        rows of no client, or out of that order, are reported as they are passed."""
        fmt = FILES_BY_NAME[name]
        found = []
        while (head := stream.peek()) is not None:
            number, row = head
            theirs = str(row.get("client_id") or "").strip()
            if theirs == client_id:
                found.append(stream.next())
                continue
            at = self.client_ids.get(theirs)
            if at is not None and at > position:
                break  # a later client's
            stream.next()
            self._unplaced(fmt, number, row)
        return found

    def _unplaced(self, fmt: FileFormat, number: int, row: Row) -> None:
        theirs = str(row.get("client_id") or "").strip()
        self.rows_done += 1
        if theirs not in self.client_ids:
            self.problem(
                fmt, number, "client_id", row, "No client with this id in the clients file"
            )
        else:
            self.problem(
                fmt,
                number,
                "client_id",
                row,
                "This row is out of order: keep each file's rows in the clients file's order",
            )

    # Set-up files

    def _setup_row(self, fmt: FileFormat, number: int, row: Row) -> None:
        step = {
            SITES.name: self._site,
            TEAMS.name: self._team,
            STAFF.name: self._staff,
            PHARMACIES.name: self._pharmacy,
        }[fmt.name]
        external_id = str(row.get(fmt.id_column) or "").strip()
        record = self._guarded(fmt, number, row, step)
        if record is None:
            self.failed.add((fmt.kind, external_id))
            return
        self.setup[(fmt.kind, external_id)] = record
        if self._reference(fmt.kind, external_id) is None:
            self._remember(fmt.kind, external_id, record, count=False)

    def _site(self, data: dict) -> Site:
        site = self.provider.sites.filter(name=data["name"]).first()
        if site is None:
            site = record_save(
                Site(provider=self.provider, name=data["name"], postcode=data["postcode"]),
                actor=self.actor,
                origin=self.origin,
            )
            self.counts["site"] += 1
        return site

    def _team(self, data: dict) -> Team:
        site = self._setup_ref("site", data["site_id"], "site_id")
        team = self.provider.teams.filter(name=data["name"]).first()
        if team is None:
            team = record_save(
                Team(provider=self.provider, name=data["name"], site=site),
                actor=self.actor,
                origin=self.origin,
            )
            self.counts["team"] += 1
        return team

    def _staff(self, data: dict) -> User:
        if data["role"] not in STAFF_ROLES:
            raise _RowRefused(
                "role", "Only the service's own staff: keyworker, prescriber, nurse or manager"
            )
        team = self._setup_ref("team", data["team_id"], "team_id")
        user = User.objects.filter(username=data["username"]).first()
        if user is not None:
            if user.provider_id != self.provider.pk:
                raise _RowRefused("username", "This user name belongs to another organisation")
            if user.role != data["role"]:
                raise _RowRefused("role", f"In Beacon this person is a {user.get_role_display()}")
            return user
        user = User(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            provider=self.provider,
            role=data["role"],
            team=team,
        )
        user.set_unusable_password()  # a reference: signs in once a manager sets them up
        self.counts["staff"] += 1
        return record_save(user, actor=self.actor, origin=self.origin, exclude=["password"])

    def _pharmacy(self, data: dict) -> PartnerOrganisation:
        pharmacies = PartnerOrganisation.objects.filter(
            provider=self.provider, kind=PartnerOrganisation.Kind.PHARMACY
        )
        found = (data["ods_code"] and pharmacies.filter(ods_code=data["ods_code"]).first()) or (
            pharmacies.filter(name=data["name"]).first()
        )
        if found:
            return found
        self.counts["pharmacy"] += 1
        return record_save(
            PartnerOrganisation(
                provider=self.provider,
                name=data["name"],
                kind=PartnerOrganisation.Kind.PHARMACY,
                ods_code=data["ods_code"],
            ),
            actor=self.actor,
            origin=self.origin,
        )

    # Clients

    def _client(self, data: dict, number: int) -> Client:
        external_id = data["client_id"]
        reference = self._reference("client", external_id)
        if reference is not None:
            self.counts["client already imported"] += 1
            return Client.objects.get(pk=reference.object_id)
        nhs_number = normalise_nhs_number(data["nhs_number"]) if data["nhs_number"] else ""
        same = nhs_number and self.provider.clients.filter(nhs_number=nhs_number).first()
        if same:
            self._remember("client", external_id, same)
            self.counts["client matched by NHS number"] += 1
            return same
        fields = {k: v for k, v in data.items() if k in client_services.CLIENT_FIELDS}
        fields["gender_identity"] = data["gender_identity"] or "NS"
        fields["no_fixed_abode"] = bool(data["no_fixed_abode"])
        fields["team"] = self._setup_ref("team", data["team_id"], "team_id", required=True)
        fields["keyworker"] = self._setup_ref("staff", data["keyworker_id"], "keyworker_id")
        fields["confirm_not_duplicate"] = bool(data["confirm_not_duplicate"])
        try:
            client = client_services.client_create(
                actor=self.actor, data=fields, origin=self.origin
            )
        except client_services.PossibleDuplicates as exc:
            raise _RowRefused(
                "confirm_not_duplicate", self._duplicates_text(exc.duplicates)
            ) from None
        self._remember("client", external_id, client)
        self.imported_client[client.pk] = (external_id, number)
        return client

    def _duplicates_text(self, duplicates: list[Client]) -> str:
        names = []
        for other in duplicates:
            earlier = self.imported_client.get(other.pk)
            where = (
                f"client_id {earlier[0]} on row {earlier[1]}"
                if earlier
                else f"client number {other.client_number}"
            )
            names.append(f"{other.full_name}, born {other.date_of_birth:%d/%m/%Y} ({where})")
        return (
            "Possible duplicate: this may be the same person as "
            + "; ".join(names)
            + ". Check, then give both rows one client_id, or write yes in "
            "confirm_not_duplicate if they are different people"
        )

    # Journeys

    def _journey(self, journey: _Journey) -> None:
        """The client's referrals in date order, each with all that follows from it."""
        by_referral: dict[str, list] = {}
        for number, row in journey.rows.get(EPISODES.name, []):
            by_referral.setdefault(_cell(row, "referral_id"), []).append((number, row))
        episode_rows: dict[str, dict[str, list]] = {}
        for fmt in EPISODE_FILES:
            for number, row in journey.rows.get(fmt.name, []):
                key = _cell(row, "episode_id")
                episode_rows.setdefault(key, {}).setdefault(fmt.name, []).append((number, row))
        children: Children = {}
        for parent, kids in CHILD_FILES.items():
            for fmt in kids:
                for number, row in journey.rows.get(fmt.name, []):
                    key = (fmt.name, _cell(row, FILES_BY_NAME[parent].id_column))
                    children.setdefault(key, []).append((number, row))
        referral_rows = sorted(journey.rows.get(REFERRALS.name, []), key=_by_date("referral_date"))
        placed = self._placed(referral_rows, by_referral, episode_rows, children)
        broken = False
        for number, row in referral_rows:
            if broken:
                # A later journey is checked against the one before, which was refused:
                # its rows are not checked until that is fixed (nor reported twice).
                self._skip_later_journey(row, by_referral, episode_rows, children)
                continue
            problems_before = len(self.problems)
            referral = self._guarded(REFERRALS, number, row, lambda d: self._referral(journey, d))
            for e_number, e_row in by_referral.get(_cell(row, "referral_id"), []):
                rows = episode_rows.get(_cell(e_row, "episode_id"), {})
                if referral is None:
                    self._skip_rows(rows, children, e_count=1)
                    continue
                episode = self._guarded(
                    EPISODES, e_number, e_row, lambda d, r=referral: self._episode(journey, r, d)
                )
                if episode is None:
                    self._skip_rows(rows, children)
                    continue
                self._episode_history(journey, episode, rows, children)
            broken = len(self.problems) > problems_before
        for fmt in CLIENT_FILES:
            for number, row in journey.rows.get(fmt.name, []):
                if (fmt.name, number) not in placed:
                    self.rows_done += 1
                    column = PARENT_COLUMN.get(fmt.name, "episode_id")
                    what = column[:-3].replace("_", " ")
                    reason = f"No {what} with this id for this client"
                    self.problem(fmt, number, column, row, reason)

    @staticmethod
    def _children(parent: str, row: Row, children: "Children") -> Iterator[tuple[str, list]]:
        """The rows of the files under a prescription or plan row (dose changes; goals,
        actions and reviews), by file name."""
        for fmt in CHILD_FILES.get(parent, ()):
            key = (fmt.name, _cell(row, FILES_BY_NAME[parent].id_column))
            yield fmt.name, children.get(key, [])

    def _placed(
        self, referral_rows: list, by_referral: dict, episode_rows: dict, children: "Children"
    ) -> set[tuple[str, int]]:
        """Every row reached from a referral row: the others name no record of the client."""
        placed = set()
        for number, row in referral_rows:
            placed.add((REFERRALS.name, number))
            for e_number, e_row in by_referral.get(_cell(row, "referral_id"), []):
                placed.add((EPISODES.name, e_number))
                for name, items in episode_rows.get(_cell(e_row, "episode_id"), {}).items():
                    placed.update((name, n) for n, _ in items)
                    for _, p_row in items:
                        for child, rows in self._children(name, p_row, children):
                            placed.update((child, n) for n, _ in rows)
        return placed

    def _skip_later_journey(
        self, row: Row, by_referral: dict, episode_rows: dict, children: "Children"
    ) -> None:
        self.rows_done += 1
        self.counts["rows not checked after an earlier problem"] += 1
        for _, e_row in by_referral.get(_cell(row, "referral_id"), []):
            rows = episode_rows.get(_cell(e_row, "episode_id"), {})
            self._skip_rows(rows, children, e_count=1)

    def _skip_rows(self, rows: dict, children: "Children", e_count: int = 0) -> None:
        """Rows that follow a refused referral or episode: counted, not reported again."""
        count = e_count + sum(len(items) for items in rows.values())
        for name, items in rows.items():
            for _, p_row in items:
                count += sum(len(kids) for _, kids in self._children(name, p_row, children))
        self.rows_done += count

    def _episode_history(
        self, journey: _Journey, episode: TreatmentEpisode, rows: dict, children: "Children"
    ) -> None:
        def run(fmt: FileFormat, items: list, step: Callable) -> None:
            for number, row in items:
                self._guarded(fmt, number, row, step)

        for number, row in sorted(rows.get(RECOVERY_PLANS.name, []), key=_by_date("agreed_on")):
            kids = dict(self._children(RECOVERY_PLANS.name, row, children))
            self._recovery_plan(journey, episode, number, row, kids)
        for number, row in rows.get(INTERVENTIONS.name, []):
            self._guarded(INTERVENTIONS, number, row, lambda d: self._intervention(episode, d))
        top_rows = sorted(rows.get(TOPS.name, []), key=_by_date("completed_on"))
        before = [i for i in top_rows if i[1].get("stage") != TopStage.POST_EXIT]
        after = [i for i in top_rows if i[1].get("stage") == TopStage.POST_EXIT]
        run(TOPS, before, lambda d: self._top(episode, d))
        for number, row in sorted(rows.get(PRESCRIPTIONS.name, []), key=_by_date("start_date")):
            changes = dict(self._children(PRESCRIPTIONS.name, row, children))[DOSE_CHANGES.name]
            changes = sorted(changes, key=_by_date("effective_date"))
            prescription = self._guarded(
                PRESCRIPTIONS,
                number,
                row,
                lambda d, c=changes: self._prescription(journey, episode, d, c),
            )
            if prescription is None:
                self.rows_done += len(changes)
                continue
            run(DOSE_CHANGES, changes, lambda d, p=prescription: self._dose_change(p, d))
        for number, row in rows.get(DISCHARGES.name, []):
            self._guarded(DISCHARGES, number, row, lambda d: self._discharge(episode, d))
        run(TOPS, after, lambda d: self._top(episode, d))

    # Recovery plans

    def _recovery_plan(
        self,
        journey: _Journey,
        episode: TreatmentEpisode,
        number: int,
        row: Row,
        kids: dict[str, list],
    ) -> None:
        """A plan with its goals, then its actions, then its reviews, each through the
        plans services while the plan is the episode's newest (a later plan replaces it)."""
        goals = kids[PLAN_GOALS.name]
        goal_made: dict[str, PlanGoal] = {}
        self._goal_rows_read = []
        plan = self._guarded(
            RECOVERY_PLANS,
            number,
            row,
            lambda d: self._plan_with_first_goal(journey, episode, d, goals, goal_made),
        )
        later = goals[1:] + kids[PLAN_ACTIONS.name] + kids[PLAN_REVIEWS.name]
        if plan is None:
            first_goal_left = goals and goals[0][1] not in self._goal_rows_read
            self.rows_done += len(later) + (1 if first_goal_left else 0)
            return
        for g_number, g_row in goals[1:]:
            self._guarded(
                PLAN_GOALS, g_number, g_row, lambda d: self._plan_goal(plan, d, goal_made)
            )
        for a_number, a_row in kids[PLAN_ACTIONS.name]:
            self._guarded(
                PLAN_ACTIONS, a_number, a_row, lambda d: self._plan_action(plan, d, goal_made)
            )
        for r_number, r_row in sorted(kids[PLAN_REVIEWS.name], key=_by_date("reviewed_on")):
            self._guarded(PLAN_REVIEWS, r_number, r_row, lambda d: self._plan_review(plan, d))

    def _plan_with_first_goal(
        self,
        journey: _Journey,
        episode: TreatmentEpisode,
        data: dict,
        goals: list,
        goal_made: dict,
    ) -> RecoveryPlan:
        already = self._imported("recovery_plan", data["recovery_plan_id"], journey.client)
        if already is not None:
            for _, g_row in goals[:1]:
                self.rows_done += 1
                goal_made[_cell(g_row, "plan_goal_id")] = self._imported(
                    "plan_goal", _cell(g_row, "plan_goal_id"), journey.client
                )
            return already
        if not goals:
            raise _RowRefused(
                "recovery_plan_id", "A plan needs at least one goal: give it in the plan goals file"
            )
        g_number, g_row = goals[0]
        self._goal_rows_read.append(g_row)
        goal = self._counted_and_read(PLAN_GOALS, g_number, g_row)
        if goal is None:
            raise _Skip  # the goal's row is reported
        plan = plans.recovery_plan_create(
            actor=self.actor,
            episode=episode,
            data={
                "agreed_on": data["agreed_on"],
                "next_review_date": data["next_review_date"],
                "written_with_client": _yes(data["written_with_client"]),
            },
            goals=[{"text": goal["text"], "in_clients_words": _yes(goal["in_clients_words"])}],
            origin=self.origin,
        )
        self._remember("recovery_plan", data["recovery_plan_id"], plan)
        first = plan.goals.get()
        if goal["achieved_on"]:
            plans.plan_goal_achieved(
                actor=self.actor, goal=first, achieved_on=goal["achieved_on"], origin=self.origin
            )
        self._remember("plan_goal", goal["plan_goal_id"], first)
        goal_made[goal["plan_goal_id"]] = first
        return plan

    def _plan_goal(self, plan: RecoveryPlan, data: dict, goal_made: dict) -> None:
        already = self._imported("plan_goal", data["plan_goal_id"], plan.client)
        if already is None:
            already = plans.plan_goal_add(
                actor=self.actor,
                plan=plan,
                data={"text": data["text"], "in_clients_words": _yes(data["in_clients_words"])},
                origin=self.origin,
            )
            if data["achieved_on"]:
                plans.plan_goal_achieved(
                    actor=self.actor,
                    goal=already,
                    achieved_on=data["achieved_on"],
                    origin=self.origin,
                )
            self._remember("plan_goal", data["plan_goal_id"], already)
        goal_made[data["plan_goal_id"]] = already

    def _plan_action(self, plan: RecoveryPlan, data: dict, goal_made: dict) -> None:
        if self._already("plan_action", data["plan_action_id"], plan.client):
            return
        goal = None
        if data["plan_goal_id"]:
            goal = goal_made.get(data["plan_goal_id"])
            if goal is None:
                raise _RowRefused("plan_goal_id", "No goal of this plan with this id")
        action = plans.plan_action_add(
            actor=self.actor,
            plan=plan,
            data={**_fields(data, "text", "owner", "due_date"), "goal": goal},
            origin=self.origin,
        )
        if data["done_on"]:
            plans.plan_action_done(
                actor=self.actor, action=action, done_on=data["done_on"], origin=self.origin
            )
        self._remember("plan_action", data["plan_action_id"], action)

    def _plan_review(self, plan: RecoveryPlan, data: dict) -> None:
        if self._already("plan_review", data["plan_review_id"], plan.client):
            return
        review = plans.plan_review_record(
            actor=self.actor,
            plan=plan,
            data=_fields(data, "reviewed_on", "next_review_date", "notes"),
            origin=self.origin,
        )
        self._remember("plan_review", data["plan_review_id"], review)

    def _imported(self, kind: str, external_id: str, client: Client | None) -> Any:
        """The record an earlier import made of this id, counted as already imported, when
        it is this client's; None when there is none; refused when it is another client's."""
        reference = self._reference(kind, external_id)
        if reference is None:
            return None
        model = reference.content_type.model_class()
        assert model is not None
        found = model.objects.filter(pk=reference.object_id)
        owner = found.values_list(CLIENT_OF_RECORD[kind], flat=True).first()
        if owner != (client.pk if client else None):
            other = Client.objects.filter(pk=owner).first()
            whose = f"client number {other.client_number}" if other else "no client's"
            raise _RowRefused(
                f"{kind}_id",
                f"An earlier import gave this id to another client's {kind} ({whose}): "
                "give this row an id of its own",
            )
        record = found.get()
        self.counts[f"{kind} already imported"] += 1
        return record

    def _already(self, kind: str, external_id: str, client: Client) -> bool:
        return self._imported(kind, external_id, client) is not None

    def _referral(self, journey: _Journey, data: dict) -> Referral:
        already = self._imported("referral", data["referral_id"], journey.client)
        if already is not None:
            return already
        referral = journey_referral_create(self, journey.client, data)
        self._remember("referral", data["referral_id"], referral)
        return referral

    def _episode(self, journey: _Journey, referral: Referral, data: dict) -> TreatmentEpisode:
        already = self._imported("episode", data["episode_id"], journey.client)
        if already is not None:
            return already
        keyworker = self._setup_ref("staff", data["keyworker_id"], "keyworker_id")
        episode = journey_services.episode_start(
            actor=self.actor,
            referral=referral,
            data={"start_date": data["start_date"], "keyworker": keyworker},
            origin=self.origin,
        )
        if data["care_plan_agreed_on"]:
            if not data["care_plan_goal"]:
                raise _RowRefused("care_plan_goal", "Give the plan's first goal")
            plans.recovery_plan_create(
                actor=self.actor,
                episode=episode,
                data={
                    "agreed_on": data["care_plan_agreed_on"],
                    "next_review_date": data["care_plan_next_review_date"],
                    "written_with_client": True,
                },
                goals=[{"text": data["care_plan_goal"], "in_clients_words": True}],
                origin=self.origin,
            )
        self._remember("episode", data["episode_id"], episode)
        return episode

    def _intervention(self, episode: TreatmentEpisode, data: dict) -> None:
        if self._already("intervention", data["intervention_id"], episode.client):
            return
        fields = _fields(
            data,
            "modality_type",
            "ost_medicine",
            "referred_date",
            "first_appointment_offered",
            "start_date",
            "end_date",
            "exit_reason",
        )
        fields["setting"] = data["setting"] or "community"
        modality = journey_services.modality_add(
            actor=self.actor, episode=episode, data=fields, origin=self.origin
        )
        self._remember("intervention", data["intervention_id"], modality)

    def _top(self, episode: TreatmentEpisode, data: dict) -> None:
        if self._already("top", data["top_id"], episode.client):
            return
        fields = {k: v for k, v in data.items() if k in tops.TOP_FIELDS}
        fields["not_disclosed"] = [
            name.strip() for name in (data["not_disclosed"] or "").split(";") if name.strip()
        ]
        top = tops.top_record(actor=self.actor, episode=episode, data=fields, origin=self.origin)
        self._remember("top", data["top_id"], top)

    def _discharge(self, episode: TreatmentEpisode, data: dict) -> None:
        if not episode.is_open:
            self.counts["discharge already imported"] += 1
            return
        journey_services.episode_discharge(
            actor=self.actor,
            episode=episode,
            data=_fields(data, "discharge_date", "discharge_reason", "discharge_notes"),
            origin=self.origin,
        )
        self.counts["discharge"] += 1

    # Naloxone supplies and NSP transactions: after every client, each naming one or none

    def _client_of(self, data: dict, *, column: str = "client_id") -> Client | None:
        external_id = data[column]
        if not external_id:
            return None
        pk = self.client_pk.get(external_id)
        if pk is None:
            if external_id in self.client_ids:
                raise _Skip  # the client's row is reported
            raise _RowRefused(column, "No client with this id in the clients file")
        return Client.objects.get(pk=pk)

    def _naloxone_supply(self, data: dict) -> None:
        client = self._client_of(data)
        if self._already(NALOXONE_SUPPLIES.kind, data["naloxone_supply_id"], client):
            return
        supplied_by = self._setup_ref("staff", data["supplied_by_id"], "supplied_by_id")
        supplied_by = supplied_by or self.actor
        trained_by = self._setup_ref("staff", data["trained_by_id"], "trained_by_id")
        supply, departures = naloxone_services.supply_history_record(
            actor=self.actor,
            client=client,
            recipient=data["recipient"],
            recipient_name=data["recipient_name"],
            kit_type=data["kit_type"],
            batch_number=data["batch_number"],
            expires_on=data["expires_on"],
            site=self._setup_ref("site", data["site_id"], "site_id", required=True),
            on=data["supplied_on"],
            supplied_by=supplied_by,
            trained_by=trained_by or supplied_by,
            training_topics=_list(data["training_topics"]),
            origin=self.origin,
        )
        reason = "Supplied before the import: no stock movement"
        if departures:
            reason = f"{reason}; today's rules would refuse it: {departures}"
            self.counts["naloxone supply refused today, kept as history"] += 1
        self._remember(
            NALOXONE_SUPPLIES.kind, data["naloxone_supply_id"], supply, history_reason=reason
        )

    def _nsp(self, data: dict) -> None:
        client = self._client_of(data)
        if self._already(NSP_TRANSACTIONS.kind, data["nsp_transaction_id"], client):
            return
        items = {item: data[item] for item in NspItem.values if data[item]}
        recorded = harmreduction_services.nsp_transaction_record(
            actor=self.actor,
            site=self._setup_ref("site", data["site_id"], "site_id", required=True),
            date=data["date"],
            items=items,
            bins_out=data["bins_out"] or 0,
            bins_returned=data["bins_returned"] or 0,
            client=client,
            initials=data["initials"],
            date_of_birth=data["date_of_birth"],
            sex=data["sex"],
            origin=self.origin,
        )
        self._remember(NSP_TRANSACTIONS.kind, data["nsp_transaction_id"], recorded)

    # Prescriptions

    def _prescription(
        self, journey_: _Journey, episode: TreatmentEpisode, data: dict, changes: list
    ) -> Prescription:
        already = self._imported("prescription", data["prescription_id"], journey_.client)
        if already is not None:
            return already
        pharmacy = self._setup_ref("pharmacy", data["pharmacy_id"], "pharmacy_id")
        prescriber = self._setup_ref("staff", data["prescriber_id"], "prescriber_id", required=True)
        fields = {
            "medicine": data["medicine"],
            "dose": data["dose"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "pattern": data["pattern"],
            "supervised_days": data["supervised_days"],
            "pharmacy": pharmacy,
            "home_delivery": pharmacy is None,
            "prescriber": prescriber,
            "reason": data["reason"],
            "uses_alcohol_or_sedatives": data["uses_alcohol_or_sedatives"],
        }
        last_day = min(filter(None, [data["end_date"], data["ended_on"]]))
        if last_day >= self.today:
            if data["ended_on"]:
                raise _RowRefused("ended_on", "An early stop must be on a day already past")
            if fields["start_date"] < self.today:
                fields = self._days_before_the_import(episode, data, fields, changes)
            prescription = prescribing_services.prescription_create(
                actor=self.actor, client=episode.client, data=fields, origin=self.origin
            )
            self._remember("prescription", data["prescription_id"], prescription)
            return prescription
        return self._history_prescription(episode, data, fields)

    def _days_before_the_import(
        self, episode: TreatmentEpisode, data: dict, fields: dict, changes: list
    ) -> dict:
        """A running prescription's days before the import are history: what was supplied
        on them is not known, so they get no instalments, which would count as missed
        (H-04) and stop supply. The rest runs from today under today's rules (H-256), at
        the dose in force yesterday: the dose changes before today go to the history."""
        yesterday = self.today - datetime.timedelta(days=1)
        before = {
            **data,
            "prescription_id": f"{data['prescription_id']}{BEFORE_IMPORT}",
            "end_date": yesterday,
            "ended_on": None,
            "end_reason": DAYS_BEFORE_REASON,
        }
        self.days_before[data["prescription_id"]] = self._history_prescription(
            episode, before, {**fields, "end_date": yesterday}
        )
        dose = fields["dose"]
        for _, row in changes:  # in date order
            try:
                effective = DOSE_CHANGES.column("effective_date").read(row.get("effective_date"))
                to_dose = DOSE_CHANGES.column("to_dose").read(row.get("to_dose"))
            except CellError:
                continue  # reported on its own row
            if effective < self.today:
                dose = to_dose
        return {**fields, "start_date": self.today, "dose": dose}

    def _history_prescription(
        self, episode: TreatmentEpisode, data: dict, fields: dict
    ) -> Prescription:
        """A prescription over before the import: kept as history, ended, with no
        instalments, so it never supplies a dose (H-250). Today's rules are asked in a
        savepoint undone at once; a refusal is kept as the history flag's reason."""
        refusal = ""
        try:
            with transaction.atomic():
                prescribing_services.prescription_create(
                    actor=self.actor, client=episode.client, data=fields, origin=self.origin
                )
                raise _Rollback
        except _Rollback:
            pass
        except ValidationError as exc:
            refusal = "; ".join(exc.messages)
        if fields["start_date"] < episode.start_date:
            raise ValidationError(
                {
                    "start_date": f"Treatment started on {episode.start_date:%d/%m/%Y}: the "
                    "prescription cannot start before it"
                }
            )
        medicine = prescribing_services.safety.check_medicine(fields["medicine"])
        supervised = "".join(sorted(set(fields["supervised_days"] or "")))
        if medicine.is_injection:
            supervised = "0123456"
        last_day = min(filter(None, [data["end_date"], data["ended_on"]]))
        prescription = Prescription(
            provider_id=episode.provider_id,
            client=episode.client,
            episode=episode,
            medicine=medicine.code,
            substance=medicine.substance,
            dose=fields["dose"],
            dose_unit=medicine.dose_unit,
            start_date=fields["start_date"],
            end_date=fields["end_date"],
            pattern=fields["pattern"],
            supervised_days=supervised,
            pharmacy=fields["pharmacy"],
            home_delivery=fields["home_delivery"],
            prescriber=fields["prescriber"],
            reason=fields["reason"],
            uses_alcohol_or_sedatives=fields["uses_alcohol_or_sedatives"],
            status=Prescription.Status.ENDED,
            ended_on=last_day,
            end_reason=data["end_reason"] or HISTORY_END_REASON,
            created_by=self.actor,
        )
        if prescription.prescriber.role != Role.PRESCRIBER:
            raise ValidationError({"prescriber": "Choose a prescriber of this service"})
        record_save(prescription, actor=self.actor, origin=self.origin, detail="history")
        reason = (
            f"Today's rules would refuse it: {refusal}" if refusal else "Ended before the import"
        )
        self._remember("prescription", data["prescription_id"], prescription, history_reason=reason)
        if refusal:
            self.counts["prescription refused today, kept as history"] += 1
        return prescription

    def _dose_change(self, prescription: Prescription, data: dict) -> None:
        if self._already("dose_change", data["dose_change_id"], prescription.client):
            return
        days_before = self.days_before.get(data["prescription_id"])
        if days_before is not None and data["effective_date"] < self.today:
            change = self._history_dose_change(days_before, data)
        elif prescription.status != Prescription.Status.ENDED:
            change = prescribing_services.prescription_change_dose(
                actor=self.actor,
                prescription=prescription,
                data={"dose": data["to_dose"], **_fields(data, "effective_date", "reason")},
                origin=self.origin,
            )
        else:
            change = self._history_dose_change(prescription, data)
        self._remember("dose_change", data["dose_change_id"], change)

    def _history_dose_change(self, prescription: Prescription, data: dict) -> DoseChange:
        effective: datetime.date = data["effective_date"]
        if not prescription.start_date < effective <= prescription.last_day:
            raise ValidationError(
                {
                    "effective_date": "A dose change must fall within its prescription "
                    f"({prescription.start_date:%d/%m/%Y} to {prescription.last_day:%d/%m/%Y})"
                }
            )
        to_dose: Decimal = data["to_dose"]
        if to_dose == prescription.dose:
            raise ValidationError(
                {"to_dose": f"The dose is already {quantity_text(to_dose, prescription.dose_unit)}"}
            )
        change = DoseChange(
            provider_id=prescription.provider_id,
            prescription=prescription,
            from_dose=prescription.dose,
            to_dose=to_dose,
            effective_date=effective,
            reason=data["reason"],
            changed_by=self.actor,
        )
        change.full_clean()
        change.save()
        prescription.dose = to_dose
        prescription.save(update_fields=["dose"])
        return change


def journey_referral_create(importer: HistoryImporter, client: Client, data: dict) -> Referral:
    """A referral row: the referral, then its triage and assessment when the row has them."""
    actor, origin = importer.actor, importer.origin
    referral = journey_services.referral_create(
        actor=actor,
        client=client,
        data=_fields(data, "referral_date", "source", "referrer_details"),
        origin=origin,
    )
    if data["triage_date"]:
        if not data["triage_outcome"]:
            raise _RowRefused("triage_outcome", "Give the outcome of triage")
        journey_services.triage_record(
            actor=actor,
            referral=referral,
            data={"triage_date": data["triage_date"], "outcome": data["triage_outcome"]},
            origin=origin,
        )
    elif data["triage_outcome"]:
        raise _RowRefused("triage_date", "Give the date of triage with its outcome")
    if data["assessment_date"]:
        fields = _fields(data, *ASSESSMENT_COLUMNS)
        journey_services.assessment_record(
            actor=actor, referral=referral, data=fields, origin=origin
        )
    return referral


def _list(text: str) -> list[str]:
    """A cell of several codes separated by ;."""
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def _yes(value: bool | None) -> bool:
    """A yes/no column whose empty cell means yes."""
    return value is not False


def _fields(data: dict[str, Any], *columns: str) -> dict[str, Any]:
    """The read row's values of these columns, under their own names: a service's `data`."""
    return {column: data[column] for column in columns}


def _cell(row: Row, column: str) -> str:
    return str(row.get(column) or "").strip()


_UNDATED = datetime.date.max


def _by_date(column: str) -> Callable[[tuple[int, Row]], tuple[datetime.date, int]]:
    """The order rows are applied in: by the date in `column` as the import reads it
    (2024-03-31 or 31/03/2024: `formats.read_date`), never as text (05/11/2024 is after
    20/02/2024), then by row number. A row whose date is missing or unreadable comes after
    every dated one; reading it then reports the problem with its file, row and column."""

    def key(item: tuple[int, Row]) -> tuple[datetime.date, int]:
        number, row = item
        try:
            return read_date(_cell(row, column)), number
        except CellError:
            return _UNDATED, number

    return key


class _Peekable:
    def __init__(self, rows: Iterator[tuple[int, Row]]) -> None:
        self._rows = rows
        self._head: tuple[int, Row] | None = None
        self._done = False

    def peek(self) -> tuple[int, Row] | None:
        if self._head is None and not self._done:
            self._head = next(self._rows, None)
            self._done = self._head is None
        return self._head

    def next(self) -> tuple[int, Row]:
        head = self.peek()
        assert head is not None
        self._head = None
        return head

    def rest(self) -> Iterator[tuple[int, Row]]:
        while self.peek() is not None:
            yield self.next()
