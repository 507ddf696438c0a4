"""Reads of Treatment Outcomes Profiles: a client's TOPs, one TOP, the episode a new TOP
belongs to, and `tops_due`, the one rule for when a TOP is due (the TOPs-due list and the
caseload both call it)."""

import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.selectors import client_search
from beacon.core.models import Team, User
from beacon.core.permissions import ensure_can
from beacon.treatment.codes import TOP_REVIEW_INTERVAL_DAYS, TopStage
from beacon.treatment.models import TreatmentEpisode, TreatmentOutcomesProfile
from beacon.treatment.models.tops import start_outside_window_text
from beacon.treatment.selectors.journey import VIEW

# A TOP list looks this far ahead, so the exit TOP can be done before a planned discharge.
TOPS_DUE_LOOKAHEAD_DAYS = 14


def client_tops(*, client: Client) -> QuerySet[TreatmentOutcomesProfile]:
    """A client's TOPs, each with its flags (`TopQuerySet.with_flags`)."""
    return client.tops.with_flags().select_related("episode", "recorded_by")


def top_flags(top: TreatmentOutcomesProfile) -> list[str]:
    """The flags of one TOP in words: from the annotations when loaded `with_flags()`, else
    the model's properties (the same definitions; a test holds them equal)."""
    if hasattr(top, "start_outside_window_flag"):
        found = []
        if top.start_outside_window_flag:
            found.append(start_outside_window_text())
        if getattr(top, "review_without_start_flag", False):
            found.append(top.REVIEW_WITHOUT_START_TEXT)
        return found
    return top.flags


def episode_has_exit_top(*, episode: TreatmentEpisode) -> bool:
    return episode.tops.filter(stage=TopStage.EXIT).exists()


def exit_top_missing(*, client: Client, today: datetime.date) -> TreatmentEpisode | None:
    """The client's episode (open, else the latest) when it has no exit TOP and discharge is
    recorded or near (`exit_top_prompt`), for the TOPs page's prompt."""
    episode = episode_for_top(client=client)
    if episode is None or episode_has_exit_top(episode=episode):
        return None
    return episode if exit_top_prompt(episode=episode, today=today) else None


def planned_exit_on(episode: TreatmentEpisode) -> datetime.date | None:
    """The intended end of the episode's exit plan (agreed on + intended weeks), if any."""
    plan = getattr(episode, "exit_plan", None)
    if plan is None:
        return None
    return plan.agreed_on + datetime.timedelta(weeks=plan.intended_duration_weeks)


def exit_top_prompt(*, episode: TreatmentEpisode, today: datetime.date) -> datetime.date | None:
    """When an exit TOP is due for an episode without one, else None: the discharge date if
    discharged within `BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS`, or the exit plan's intended
    end if that is within `BEACON_TOP_EXIT_NEAR_DAYS` (overdue included)."""
    if episode.discharge_date:
        after = datetime.timedelta(days=settings.BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS)
        return episode.discharge_date if episode.discharge_date >= today - after else None
    planned = planned_exit_on(episode)
    near = datetime.timedelta(days=settings.BEACON_TOP_EXIT_NEAR_DAYS)
    return planned if planned and planned <= today + near else None


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
    stage: str  # TopStage.START, TopStage.REVIEW or TopStage.EXIT
    due_on: datetime.date
    flags: tuple[str, ...] = ()

    @property
    def client(self) -> Client:
        return self.episode.client

    @property
    def stage_label(self) -> str:
        if self.stage == TopStage.EXIT:
            if self.episode.discharge_date:
                return "Exit TOP (discharged without one)"
            return "Exit TOP (exit plan ends soon)"
        return "Start TOP" if self.stage == TopStage.START else "6-month review TOP"


def _episode_flags(episodes: list[TreatmentEpisode]) -> dict[int, tuple[str, ...]]:
    """Each episode's TOP flags in words (start outside its window, review with no start)."""
    found: dict[int, list[str]] = {}
    tops = TreatmentOutcomesProfile.objects.filter(episode__in=episodes).with_flags()
    for top in tops.select_related("episode"):
        for flag in top_flags(top):
            found.setdefault(top.episode_id, []).append(flag)
    return {pk: tuple(dict.fromkeys(flags)) for pk, flags in found.items()}


def exit_tops_due(*, clients: QuerySet[Client], today: datetime.date) -> list[TopDue]:
    """Episodes of `clients` with no exit TOP whose discharge is near or recorded
    (`exit_top_prompt`)."""
    after = today - datetime.timedelta(days=settings.BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS)
    has_exit = Exists(
        TreatmentOutcomesProfile.objects.filter(episode=OuterRef("pk"), stage=TopStage.EXIT)
    )
    episodes = (
        TreatmentEpisode.objects.filter(client__in=clients)
        .filter(
            Q(discharge_date__gte=after) | Q(discharge_date__isnull=True, exit_plan__isnull=False)
        )
        .exclude(has_exit)
        .select_related("client", "client__keyworker", "client__team", "exit_plan")
    )
    due = []
    for episode in episodes:
        due_on = exit_top_prompt(episode=episode, today=today)
        if due_on:
            due.append(TopDue(episode, TopStage.EXIT, due_on))
    return due


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
        .select_related("client", "client__keyworker", "client__team")
    )
    due = [
        TopDue(episode, TopStage.START, episode.start_date)
        if not episode.has_start_top
        else TopDue(episode, TopStage.REVIEW, episode.last_top_on + interval)
        for episode in episodes
    ]
    return sort_due(due)


def sort_due(due: list[TopDue]) -> list[TopDue]:
    return sorted(
        due, key=lambda d: (d.due_on, d.client.last_name, d.client.first_name, d.episode.pk)
    )


def tops_due_list(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> list[TopDue]:
    """The TOPs-due page: clients the user may open (of one team or keyworker if given),
    overdue or due within 14 days, and the exit TOPs prompted by a near or recorded
    discharge (`exit_tops_due`)."""
    clients = client_search(user=user, query=query, team=team, keyworker=keyworker)
    due = tops_due(
        clients=clients, until=today + datetime.timedelta(days=TOPS_DUE_LOOKAHEAD_DAYS)
    ) + exit_tops_due(clients=clients, today=today)
    flags = _episode_flags([item.episode for item in due])
    return sort_due([replace(item, flags=flags.get(item.episode.pk, ())) for item in due])
