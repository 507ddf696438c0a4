"""Reads of recovery plans and exit plans: the plan in force, one plan, goal, action or exit
plan for a page, OST clients without a reviewed exit plan, exit plan reviews due."""

import datetime

from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from beacon.clients.models import Client
from beacon.clients.selectors import client_get, client_search
from beacon.core.models import Team, User
from beacon.core.permissions import ensure_can
from beacon.treatment import hooks
from beacon.treatment.models import (
    ExitPlan,
    Modality,
    PlanAction,
    PlanGoal,
    RecoveryPlan,
    TreatmentEpisode,
)
from beacon.treatment.selectors.journey import VIEW, open_episode


def current_recovery_plans() -> QuerySet[RecoveryPlan]:
    """Plans in force: the newest plan of each open episode (a rewritten plan replaces the old)."""
    newest_of_episode = (
        RecoveryPlan.objects.filter(episode=OuterRef("episode"))
        .order_by("-agreed_on", "-id")
        .values("pk")[:1]
    )
    return RecoveryPlan.objects.filter(
        episode__discharge_date__isnull=True, pk=Subquery(newest_of_episode)
    )


def recovery_plan_is_current(plan: RecoveryPlan) -> bool:
    return current_recovery_plans().filter(pk=plan.pk).exists()


def _with_contents(plans: QuerySet[RecoveryPlan]) -> QuerySet[RecoveryPlan]:
    return plans.select_related("client", "episode", "created_by").prefetch_related(
        "goals",
        Prefetch("actions", queryset=PlanAction.objects.select_related("goal")),
        "reviews__reviewed_by",
    )


def client_recovery_plans(*, client: Client) -> QuerySet[RecoveryPlan]:
    """Every plan of the client, newest first, with goals, actions and reviews."""
    return _with_contents(client.recovery_plans.all())


def current_recovery_plan(*, client: Client) -> RecoveryPlan | None:
    return _with_contents(current_recovery_plans().filter(client=client)).first()


def plan_get(*, user: User, plan_id: int, permission: str = VIEW) -> RecoveryPlan:
    """One plan of the user's provider, with goals, actions and reviews; refused (403) unless
    the role and `permission` on its client allow it."""
    ensure_can(user, permission)
    plan = _with_contents(
        RecoveryPlan.objects.filter(provider_id=user.provider_id, pk=plan_id)
    ).first()
    if plan is None:
        raise Http404("No such recovery plan")
    ensure_can(user, permission, plan.client)
    return plan


def goal_get(*, user: User, plan_id: int, goal_id: int, permission: str = VIEW) -> PlanGoal:
    """One goal of a plan, with the plan (as `plan_get` loads it)."""
    plan = plan_get(user=user, plan_id=plan_id, permission=permission)
    goal = get_object_or_404(plan.goals.all(), pk=goal_id)
    goal.plan = plan
    return goal


def action_get(*, user: User, plan_id: int, action_id: int, permission: str = VIEW) -> PlanAction:
    """One action of a plan, with the plan (as `plan_get` loads it)."""
    plan = plan_get(user=user, plan_id=plan_id, permission=permission)
    action = get_object_or_404(plan.actions.all(), pk=action_id)
    action.plan = plan
    return action


def exit_plan_get(*, user: User, client_number: str, permission: str = VIEW) -> ExitPlan:
    """The exit plan of the client's open episode (404 when there is none)."""
    ensure_can(user, permission)
    client = client_get(user=user, client_number=client_number, permission=permission)
    exit_plan = exit_plan_for(episode=open_episode(client=client))
    if exit_plan is None:
        raise Http404("No exit plan for the open treatment episode")
    exit_plan.client = client
    return exit_plan


def exit_plan_for(*, episode: TreatmentEpisode | None) -> ExitPlan | None:
    if episode is None:
        return None
    return (
        ExitPlan.objects.filter(episode=episode)
        .select_related("created_by")
        .prefetch_related("steps", "reviews__reviewed_by")
        .first()
    )


def _ost_running() -> QuerySet[Modality]:
    return Modality.objects.filter(
        episode=OuterRef("pk"), start_date__isnull=False, end_date__isnull=True
    ).exclude(ost_medicine="")


def episodes_on_ost(episodes: QuerySet[TreatmentEpisode]) -> QuerySet[TreatmentEpisode]:
    """`selectors.journey.episode_on_ost` as a query, for lists (a test keeps the two agreed)."""
    return episodes.filter(Exists(_ost_running()))


def ost_clients_needing_exit_plan(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> QuerySet[TreatmentEpisode]:
    """Open episodes on OST, of clients the user may open, with no exit plan or one overdue
    for review; those with no plan first, then the longest overdue.

    Each episode carries `ost_medicine` and `ost_since` (the running OST modality's).
    """
    running = _ost_running().order_by("start_date", "id")
    episodes = episodes_on_ost(
        TreatmentEpisode.objects.filter(
            provider_id=user.provider_id,
            discharge_date__isnull=True,
            client__in=client_search(user=user, query=query, team=team, keyworker=keyworker),
        )
    )
    return (
        episodes.filter(Q(exit_plan__isnull=True) | Q(exit_plan__next_review_date__lt=today))
        .select_related("client", "client__keyworker", "exit_plan")
        .annotate(
            ost_medicine=Subquery(running.values("ost_medicine")[:1]),
            ost_since=Subquery(running.values("start_date")[:1]),
        )
        .order_by(
            F("exit_plan__next_review_date").asc(nulls_first=True),
            "client__last_name",
            "client__first_name",
            "pk",
        )
    )


# Exit plan reviews come onto the prescriber's worklist this many days before they are due.
EXIT_PLAN_REVIEW_AHEAD_DAYS = 7


def exit_plan_reviews_due(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> QuerySet[ExitPlan]:
    """Exit plans of open episodes on OST, of clients the user may open (narrowed to a
    client, team or keyworker when given), whose review is overdue or due within
    EXIT_PLAN_REVIEW_AHEAD_DAYS: the clients the user prescribes for first (as higher apps
    tell, hooks.prescriber_clients), then the most overdue first. The caseload lists the
    same reviews for a keyworker (selectors.caseload.caseload_due). One query."""
    until = today + datetime.timedelta(days=EXIT_PLAN_REVIEW_AHEAD_DAYS)
    on_ost = episodes_on_ost(
        TreatmentEpisode.objects.filter(
            provider_id=user.provider_id,
            discharge_date__isnull=True,
            client__in=client_search(user=user, query=query, team=team, keyworker=keyworker),
        )
    )
    own = Q(pk__in=[])
    for clients in hooks.prescriber_clients:
        own |= Q(client_id__in=clients(user=user, today=today))
    return (
        ExitPlan.objects.filter(episode__in=on_ost, next_review_date__lte=until)
        .select_related("client")
        .annotate(someone_elses=Case(When(own, then=Value(0)), default=Value(1)))
        .order_by(
            "someone_elses", "next_review_date", "client__last_name", "client__first_name", "pk"
        )
    )
