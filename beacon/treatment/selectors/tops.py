"""Reads of Treatment Outcomes Profiles: a client's TOPs, one TOP, the episode a new TOP
belongs to, and `tops_due`, the one rule for when a TOP is due (the TOPs-due list and the
caseload both call it)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.selectors import client_search
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.treatment.codes import TOP_REVIEW_INTERVAL_DAYS, TopStage
from beacon.treatment.models import TreatmentEpisode, TreatmentOutcomesProfile
from beacon.treatment.selectors.journey import VIEW

# A TOP list looks this far ahead, so the exit TOP can be done before a planned discharge.
TOPS_DUE_LOOKAHEAD_DAYS = 14


def client_tops(*, client: Client) -> QuerySet[TreatmentOutcomesProfile]:
    return client.tops.select_related("episode", "recorded_by")


def top_get(*, user: User, top_id: int, permission: str = VIEW) -> TreatmentOutcomesProfile:
    """One TOP of the user's provider, refused (403) unless the role and `permission` on its
    client allow it."""
    ensure_can(user, permission)
    top = (
        TreatmentOutcomesProfile.objects.filter(provider_id=user.provider_id, pk=top_id)
        .select_related("client", "episode", "recorded_by")
        .first()
    )
    if top is None:
        raise Http404("No such Treatment Outcomes Profile")
    ensure_can(user, permission, top.client)
    return top


def episode_for_top(*, client: Client) -> TreatmentEpisode | None:
    """The episode a new TOP belongs to: the open one, else the latest (exit, post-exit)."""
    return client.episodes.order_by(
        F("discharge_date").desc(nulls_first=True), "-start_date", "-id"
    ).first()


@dataclass(frozen=True)
class TopDue:
    episode: TreatmentEpisode
    stage: str  # TopStage.START or TopStage.REVIEW
    due_on: datetime.date

    @property
    def client(self) -> Client:
        return self.episode.client

    @property
    def stage_label(self) -> str:
        return "Start TOP" if self.stage == TopStage.START else "6-month review TOP"


def tops_due(*, clients: QuerySet[Client], until: datetime.date) -> list[TopDue]:
    """TOPs due on or before `until` for the open episodes of `clients`, soonest first.

    A TOP is due at the start of an episode (from its start date, until a start TOP is
    recorded) and then TOP_REVIEW_INTERVAL_DAYS after the latest TOP of the episode; the
    exit TOP is recorded at discharge, so lists look ahead to catch it.
    """
    interval = datetime.timedelta(days=TOP_REVIEW_INTERVAL_DAYS)
    tops = TreatmentOutcomesProfile.objects.filter(episode=OuterRef("pk"))
    latest = tops.exclude(stage=TopStage.POST_EXIT).order_by("-completed_on", "-id")
    episodes = (
        TreatmentEpisode.objects.filter(client__in=clients, discharge_date__isnull=True)
        .annotate(
            has_start_top=Exists(tops.filter(stage=TopStage.START)),
            last_top_on=Subquery(latest.values("completed_on")[:1]),
        )
        .filter(
            Q(has_start_top=False, start_date__lte=until)
            | Q(has_start_top=True, last_top_on__lte=until - interval)
        )
        .select_related("client", "client__keyworker")
    )
    due = [
        TopDue(episode, TopStage.START, episode.start_date)
        if not episode.has_start_top
        else TopDue(episode, TopStage.REVIEW, episode.last_top_on + interval)
        for episode in episodes
    ]
    return sorted(
        due, key=lambda d: (d.due_on, d.client.last_name, d.client.first_name, d.episode.pk)
    )


def tops_due_list(*, user: User, today: datetime.date, query: str = "") -> list[TopDue]:
    """The TOPs-due page: clients the user may open, overdue or due within 14 days."""
    return tops_due(
        clients=client_search(user=user, query=query),
        until=today + datetime.timedelta(days=TOPS_DUE_LOOKAHEAD_DAYS),
    )
