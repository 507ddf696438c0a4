"""Export of everything of a provider in the history import's own files (docs/import.md), so
no service is locked in: importing them into an empty Beacon gives the same records.

A record's id in the files is the one it came with (its external reference), or Beacon's
own (the client number; a kind letter and the row's key for the rest). Rows are written
one client at a time, in client-number order, so the journey files follow the clients file.
"""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch

from beacon.clients.models import Client
from beacon.core.dates import a_year_after
from beacon.core.exporters import csv_file_writer
from beacon.core.models import PartnerOrganisation, Provider, Site, Team, User
from beacon.harmreduction.models import NspTransaction
from beacon.imports.formats import (
    CLIENTS,
    DISCHARGES,
    DOSE_CHANGES,
    EPISODES,
    FILES,
    INTERVENTIONS,
    NALOXONE_SUPPLIES,
    NSP_TRANSACTIONS,
    PHARMACIES,
    PLAN_ACTIONS,
    PLAN_GOALS,
    PLAN_REVIEWS,
    PRESCRIPTIONS,
    RECOVERY_PLANS,
    REFERRALS,
    SITES,
    STAFF,
    TEAMS,
    TOPS,
    FileFormat,
)
from beacon.imports.importer import HISTORY_END_REASON, STAFF_ROLES
from beacon.imports.models import ExternalReference
from beacon.naloxone.models import NaloxoneSupply
from beacon.prescribing.models import DoseChange, Prescription
from beacon.treatment.models import (
    Modality,
    PlanAction,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
)

PREFIX = {
    Site: "S",
    Team: "T",
    PartnerOrganisation: "PH",
    "referral": "R",
    "episode": "E",
    Modality: "I",
    "top": "TOP",
    Prescription: "RX",
    "dose_change": "DC",
    "recovery_plan": "RP",
    "plan_goal": "G",
    "plan_action": "A",
    "plan_review": "PR",
    "naloxone_supply": "NX",
    "nsp_transaction": "NSP",
}
# Clients read at a time, each chunk with all its records in a fixed number of queries.
CHUNK = 200


class _Ids:
    """The id a record is written under: the one it came with, else Beacon's own."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.loaded: dict[int, dict[int, str]] = {}  # content type → object id → id

    def load(self, records: Iterable[models.Model]) -> None:
        """Read the ids of `records` (of one model) in one query, for `of` to answer from."""
        records = list(records)
        if records:
            content_type = ContentType.objects.get_for_model(records[0])
            self.loaded[content_type.pk] = self._came_with(content_type, records)

    def _came_with(self, content_type: ContentType, records: list) -> dict[int, str]:
        came_with: dict[int, str] = {}
        for object_id, external_id in (
            ExternalReference.objects.filter(
                provider=self.provider,
                content_type=content_type,
                object_id__in=[r.pk for r in records],
            )
            .order_by("-id")
            .values_list("object_id", "external_id")
        ):
            came_with[object_id] = external_id  # the earliest reference wins (ordered last)
        return came_with

    def of(self, records: Iterable[models.Model], own: Callable[[Any], str]) -> dict[int, str]:
        records = list(records)
        if not records:
            return {}
        content_type = ContentType.objects.get_for_model(records[0])
        came_with = self.loaded.get(content_type.pk)
        if came_with is None:
            came_with = self._came_with(content_type, records)
        return {r.pk: came_with.get(r.pk) or own(r) for r in records}


def _prefixed(prefix: str) -> Callable[[models.Model], str]:
    return lambda record: f"{prefix}{record.pk}"


class HistoryExport:
    """Writes the files of `provider` into `folder`; `on_client` is told of each client."""

    def __init__(
        self, *, provider: Provider, folder: str | Path, on_client: Callable[[], None] | None = None
    ) -> None:
        self.provider = provider
        self.folder = Path(folder)
        self.ids = _Ids(provider)
        self.on_client = on_client or (lambda: None)
        self.counts: dict[str, int] = {}
        self.client_ids: dict[int, str] = {}  # pk → the id each client was written under

    def write(self) -> dict[str, int]:
        self.folder.mkdir(parents=True, exist_ok=True)
        handles = {
            f.name: (self.folder / f"{f.name}.csv").open("w", newline="", encoding="utf-8")
            for f in FILES
        }
        try:
            self.writers = {name: csv_file_writer(handle) for name, handle in handles.items()}
            for fmt in FILES:
                self.writers[fmt.name](fmt.column_names)
                self.counts[fmt.name] = 0
            self._setup()
            numbers = list(
                self.provider.clients.order_by("client_number").values_list("pk", flat=True)
            )
            for start in range(0, len(numbers), CHUNK):
                for client in self._chunk(numbers[start : start + CHUNK]):
                    self._client(client)
                    self.on_client()
            self._naloxone_supplies()
            self._nsp_transactions()
        finally:
            for handle in handles.values():
                handle.close()
        return self.counts

    def _row(self, fmt, values: dict[str, Any]) -> None:
        self.writers[fmt.name]([values.get(c) for c in fmt.column_names])
        self.counts[fmt.name] += 1

    def _id_rows(
        self,
        fmt: FileFormat,
        records: list[models.Model],
        own: Callable[[Any], str],
        values: Callable[[Any], dict[str, Any]],
    ) -> dict[int, str]:
        """A row of `fmt` for each record: its id (the one it came with, else `own` of it),
        then `values` of it. Returns the ids they are written under, by pk."""
        ids = self.ids.of(records, own)
        for record in records:
            self._row(fmt, {fmt.id_column: ids[record.pk], **values(record)})
        return ids

    # Set-up: the provider's sites, teams and pharmacies, and the staff its records name.

    def _setup(self) -> None:
        sites = list(self.provider.sites.order_by("name", "pk"))
        self.site_ids = self._id_rows(
            SITES,
            sites,
            _prefixed(PREFIX[Site]),
            lambda site: {"name": site.name, "postcode": site.postcode},
        )
        teams = list(self.provider.teams.order_by("name", "pk"))
        self.team_ids = self._id_rows(
            TEAMS,
            teams,
            _prefixed(PREFIX[Team]),
            lambda team: {"name": team.name, "site_id": self.site_ids.get(team.site_id)},
        )
        named = set(
            self.provider.clients.exclude(keyworker=None).values_list("keyworker", flat=True)
        )
        named |= set(
            TreatmentEpisode.objects.filter(provider=self.provider)
            .exclude(keyworker=None)
            .values_list("keyworker", flat=True)
        )
        named |= set(
            Prescription.objects.filter(provider=self.provider).values_list("prescriber", flat=True)
        )
        for column in ("supplied_by", "trained_by"):
            named |= set(
                _supplies(self.provider).values_list(column, flat=True).order_by().distinct()
            )
        staff = list(
            User.objects.filter(
                pk__in=named, provider=self.provider, role__in=STAFF_ROLES
            ).order_by("username")
        )
        self.staff_ids = self._id_rows(
            STAFF,
            staff,
            lambda user: user.username,
            lambda user: {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "role": user.role,
                "team_id": self.team_ids.get(user.team_id),
            },
        )
        pharmacies = list(
            PartnerOrganisation.objects.filter(
                provider=self.provider, kind=PartnerOrganisation.Kind.PHARMACY
            ).order_by("name", "pk")
        )
        self.pharmacy_ids = self._id_rows(
            PHARMACIES,
            pharmacies,
            _prefixed(PREFIX[PartnerOrganisation]),
            lambda pharmacy: {"name": pharmacy.name, "ods_code": pharmacy.ods_code},
        )

    def _chunk(self, pks: list[int]) -> list[Client]:
        """Clients with every record the files hold, and those records' ids, read at once."""
        clients = list(
            Client.objects.filter(pk__in=pks)
            .order_by("client_number")
            .prefetch_related(
                Prefetch(
                    "referrals",
                    queryset=Referral.objects.select_related("triage", "assessment").order_by(
                        "referral_date", "pk"
                    ),
                ),
                Prefetch(
                    "episodes",
                    queryset=TreatmentEpisode.objects.order_by("start_date", "pk"),
                ),
                Prefetch(
                    "episodes__recovery_plans",
                    queryset=RecoveryPlan.objects.order_by("agreed_on", "pk"),
                ),
                Prefetch(
                    "episodes__recovery_plans__goals", queryset=PlanGoal.objects.order_by("pk")
                ),
                Prefetch(
                    "episodes__recovery_plans__actions",
                    queryset=PlanAction.objects.order_by("pk"),
                ),
                Prefetch(
                    "episodes__recovery_plans__reviews",
                    queryset=PlanReview.objects.order_by("reviewed_on", "pk"),
                ),
                Prefetch("episodes__modalities", queryset=Modality.objects.order_by("pk")),
                Prefetch(
                    "tops",
                    queryset=TreatmentOutcomesProfile.objects.order_by(
                        "episode_id", "completed_on", "pk"
                    ),
                ),
                Prefetch(
                    "ost_prescriptions",
                    queryset=Prescription.objects.order_by("start_date", "pk"),
                ),
                Prefetch(
                    "ost_prescriptions__dose_changes",
                    queryset=DoseChange.objects.order_by("effective_date", "pk"),
                ),
            )
        )
        episodes = [e for c in clients for e in c.episodes.all()]
        prescriptions = [p for c in clients for p in c.ost_prescriptions.all()]
        plans = [p for e in episodes for p in e.recovery_plans.all()]
        for records in (
            clients,
            [r for c in clients for r in c.referrals.all()],
            episodes,
            plans,
            [g for p in plans for g in p.goals.all()],
            [a for p in plans for a in p.actions.all()],
            [r for p in plans for r in p.reviews.all()],
            [m for e in episodes for m in e.modalities.all()],
            [t for c in clients for t in c.tops.all()],
            prescriptions,
            [d for p in prescriptions for d in p.dose_changes.all()],
        ):
            self.ids.load(records)
        return clients

    # One client and their history

    def _client(self, client: Client) -> None:
        client_id = self.ids.of([client], lambda c: c.client_number)[client.pk]
        self.client_ids[client.pk] = client_id
        values = {c: getattr(client, c, None) for c in CLIENTS.column_names}
        values.update(
            client_id=client_id,
            team_id=self.team_ids.get(client.team_id),
            keyworker_id=self.staff_ids.get(client.keyworker_id),
            # Distinct records in Beacon: someone has already decided they are not one.
            confirm_not_duplicate=True,
        )
        self._row(CLIENTS, values)
        referrals = list(client.referrals.all())
        referral_ids = self.ids.of(referrals, _prefixed(PREFIX["referral"]))
        for referral in referrals:
            self._referral(client_id, referral_ids[referral.pk], referral)
        episodes = list(client.episodes.all())
        episode_ids = self.ids.of(episodes, _prefixed(PREFIX["episode"]))
        for episode in episodes:
            self._episode(client_id, episode_ids[episode.pk], referral_ids, episode)
        for episode in episodes:
            self._plans(client_id, episode_ids[episode.pk], episode)
        modalities = sorted(
            (m for e in episodes for m in e.modalities.all()), key=lambda m: (m.episode_id, m.pk)
        )
        self._episode_part_rows(
            INTERVENTIONS,
            modalities,
            PREFIX[Modality],
            client_id=client_id,
            episode_ids=episode_ids,
        )
        self._episode_part_rows(
            TOPS,
            list(client.tops.all()),
            PREFIX["top"],
            client_id=client_id,
            episode_ids=episode_ids,
            values=lambda top: {"not_disclosed": ";".join(top.not_disclosed or [])},
        )
        self._prescriptions(client, client_id, episode_ids)
        for episode in episodes:
            if episode.discharge_date:
                self._row(
                    DISCHARGES,
                    {
                        "episode_id": episode_ids[episode.pk],
                        "client_id": client_id,
                        "discharge_date": episode.discharge_date,
                        "discharge_reason": episode.discharge_reason,
                        "discharge_notes": episode.discharge_notes,
                    },
                )

    # After every client: naloxone supplies and NSP transactions, each naming one or none

    def _in_chunks(self, records) -> Iterable[list]:
        chunk: list = []
        for record in records.iterator(chunk_size=CHUNK):
            chunk.append(record)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _naloxone_supplies(self) -> None:
        """Every supply not recorded in error (a reversed one counts nowhere), oldest first."""
        supplies = _supplies(self.provider).select_related("batch").order_by("supplied_on", "pk")
        for chunk in self._in_chunks(supplies):
            ids = self.ids.of(chunk, _prefixed(PREFIX["naloxone_supply"]))
            for supply in chunk:
                self._row(
                    NALOXONE_SUPPLIES,
                    {
                        "naloxone_supply_id": ids[supply.pk],
                        "client_id": self.client_ids.get(supply.client_id, ""),
                        "recipient": supply.recipient,
                        "recipient_name": supply.recipient_name,
                        "kit_type": supply.batch.kit_type,
                        "batch_number": supply.batch.batch_number,
                        "expires_on": supply.batch.expires_on,
                        "site_id": self.site_ids.get(supply.site_id),
                        "supplied_on": supply.supplied_on,
                        "supplied_by_id": self.staff_ids.get(supply.supplied_by_id, ""),
                        "trained_by_id": self.staff_ids.get(supply.trained_by_id, ""),
                        "training_topics": ";".join(supply.training_topics or []),
                    },
                )

    def _nsp_transactions(self) -> None:
        transactions = (
            NspTransaction.objects.filter(provider=self.provider)
            .prefetch_related("items")
            .order_by("date", "pk")
        )
        for chunk in self._in_chunks(transactions):
            ids = self.ids.of(chunk, _prefixed(PREFIX["nsp_transaction"]))
            for visit in chunk:
                linked = visit.client_id is not None
                values = {
                    "nsp_transaction_id": ids[visit.pk],
                    "client_id": self.client_ids.get(visit.client_id, "") if linked else "",
                    "site_id": self.site_ids.get(visit.site_id),
                    "date": visit.date,
                    # A linked visit's attributor comes from the client's record.
                    "initials": "" if linked else visit.initials,
                    "date_of_birth": None if linked else visit.date_of_birth,
                    "sex": "" if linked else visit.sex,
                    "bins_out": visit.bins_out,
                    "bins_returned": visit.bins_returned,
                }
                values.update({given.item: given.quantity for given in visit.items.all()})
                self._row(NSP_TRANSACTIONS, values)

    def _referral(self, client_id: str, referral_id: str, referral) -> None:
        values = {
            "referral_id": referral_id,
            "client_id": client_id,
            "referral_date": referral.referral_date,
            "source": referral.source,
            "referrer_details": referral.referrer_details,
        }
        triage = getattr(referral, "triage", None)
        if triage is not None:
            values.update(triage_date=triage.triage_date, triage_outcome=triage.outcome)
        assessment = getattr(referral, "assessment", None)
        if assessment is not None:
            for column in REFERRALS.column_names:
                if hasattr(assessment, column) and column not in values:
                    values[column] = getattr(assessment, column)
        self._row(REFERRALS, values)

    def _episode(self, client_id: str, episode_id: str, referral_ids: dict, episode) -> None:
        # Its plans go in the recovery plans files (the care_plan_ columns stay empty).
        self._row(
            EPISODES,
            {
                "episode_id": episode_id,
                "client_id": client_id,
                "referral_id": referral_ids[episode.referral_id],
                "start_date": episode.start_date,
                "keyworker_id": self.staff_ids.get(episode.keyworker_id),
            },
        )

    def _plans(self, client_id: str, episode_id: str, episode) -> None:
        """Every recovery plan of the episode, in the order agreed, with its goals,
        actions and reviews."""
        plans = list(episode.recovery_plans.all())
        plan_ids = self.ids.of(plans, _prefixed(PREFIX["recovery_plan"]))
        for plan in sorted(plans, key=lambda p: (p.agreed_on, p.pk)):
            self._plan(client_id, episode_id, plan_ids[plan.pk], plan)

    def _plan(self, client_id: str, episode_id: str, plan_id: str, plan: RecoveryPlan) -> None:
        """A recovery plan's row, then its goals', actions' and reviews'."""
        reviews = list(plan.reviews.all())
        self._row(
            RECOVERY_PLANS,
            {
                "recovery_plan_id": plan_id,
                "client_id": client_id,
                "episode_id": episode_id,
                "agreed_on": plan.agreed_on,
                "next_review_date": _first_review_date(plan, reviews),
                "written_with_client": plan.written_with_client,
            },
        )
        goal_ids = self._plan_part_rows(
            PLAN_GOALS,
            list(plan.goals.all()),
            client_id=client_id,
            plan_id=plan_id,
            values=lambda goal: {
                "text": goal.text,
                "in_clients_words": goal.in_clients_words,
                "achieved_on": goal.achieved_on,
            },
        )
        self._plan_part_rows(
            PLAN_ACTIONS,
            list(plan.actions.all()),
            client_id=client_id,
            plan_id=plan_id,
            values=lambda action: {
                "plan_goal_id": goal_ids.get(action.goal_id, ""),
                "text": action.text,
                "owner": action.owner,
                "due_date": action.due_date,
                "done_on": action.done_on,
            },
        )
        self._plan_part_rows(
            PLAN_REVIEWS,
            reviews,
            client_id=client_id,
            plan_id=plan_id,
            values=lambda review: {
                "reviewed_on": review.reviewed_on,
                "next_review_date": review.next_review_date,
                "notes": review.notes,
            },
        )

    def _plan_part_rows(
        self,
        fmt: FileFormat,
        parts: list[models.Model],
        *,
        client_id: str,
        plan_id: str,
        values: Callable[[Any], dict[str, Any]],
    ) -> dict[int, str]:
        """A row of `fmt` for each goal, action or review of a plan: its id, the client's and
        the plan's, then `values` of it. Returns the ids they are written under, by pk."""
        return self._id_rows(
            fmt,
            parts,
            _prefixed(PREFIX[fmt.kind]),
            lambda part: {"client_id": client_id, "recovery_plan_id": plan_id, **values(part)},
        )

    def _episode_part_rows(
        self,
        fmt: FileFormat,
        parts: list[models.Model],
        prefix: str,
        *,
        client_id: str,
        episode_ids: dict[int, str],
        values: Callable[[Any], dict[str, Any]] = lambda part: {},
    ) -> None:
        """A row of `fmt` for each intervention or TOP of the client's episodes: its fields
        named as the file's columns, then its id, the client's and its episode's, then
        `values` of it."""
        ids = self.ids.of(parts, _prefixed(prefix))
        for part in parts:
            self._row(
                fmt,
                {
                    **{c: getattr(part, c, None) for c in fmt.column_names},
                    fmt.id_column: ids[part.pk],
                    "client_id": client_id,
                    "episode_id": episode_ids[part.episode_id],
                    **values(part),
                },
            )

    def _prescriptions(self, client: Client, client_id: str, episode_ids: dict) -> None:
        prescriptions = list(client.ost_prescriptions.all())
        ids = self.ids.of(prescriptions, _prefixed(PREFIX[Prescription]))
        changes = []
        for p in prescriptions:
            history = list(p.dose_changes.all())
            early = p.ended_on if p.ended_on and p.ended_on < p.end_date else None
            self._row(
                PRESCRIPTIONS,
                {
                    "prescription_id": ids[p.pk],
                    "client_id": client_id,
                    "episode_id": episode_ids[p.episode_id],
                    "medicine": p.medicine,
                    "dose": history[0].from_dose if history else p.dose,
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "pattern": p.pattern,
                    "supervised_days": p.supervised_days,
                    "pharmacy_id": self.pharmacy_ids.get(p.pharmacy_id),
                    "prescriber_id": self.staff_ids.get(p.prescriber_id),
                    "reason": p.reason,
                    "uses_alcohol_or_sedatives": p.uses_alcohol_or_sedatives,
                    "ended_on": early,
                    "end_reason": "" if p.end_reason == HISTORY_END_REASON else p.end_reason,
                },
            )
            changes += [(ids[p.pk], change) for change in history]
        change_ids = self.ids.of([c for _, c in changes], _prefixed(PREFIX["dose_change"]))
        for prescription_id, change in changes:
            self._row(
                DOSE_CHANGES,
                {
                    "dose_change_id": change_ids[change.pk],
                    "client_id": client_id,
                    "prescription_id": prescription_id,
                    "effective_date": change.effective_date,
                    "to_dose": change.to_dose,
                    "reason": change.reason,
                },
            )


def _first_review_date(plan: RecoveryPlan, reviews: list[PlanReview]):
    """The next review date the plan was agreed with. Once reviewed, Beacon keeps only the
    date the latest review set, so the export gives the first review's date (the day it
    was in fact reviewed), or a year after agreeing when that review came later."""
    if not reviews:
        return plan.next_review_date
    return max(plan.agreed_on, min(reviews[0].reviewed_on, a_year_after(plan.agreed_on)))


def _supplies(provider: Provider):
    return NaloxoneSupply.objects.filter(provider=provider, reversal__isnull=True)
