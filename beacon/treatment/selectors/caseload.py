"""What is due, and when, for a caseload: TOPs, plan and exit plan reviews, plan actions.

When a TOP is due is `selectors.tops.tops_due`, which the TOPs-due list calls too. A
caseload's due items come from a fixed number of queries, however many clients it holds.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet

from beacon.clients.models import Client
from beacon.clients.selectors import client_keyworkers, client_search, client_teams
from beacon.core.models import Provider, Team, User
from beacon.core.permissions import is_manager
from beacon.treatment.models import ExitPlan, PlanAction, Referral, TreatmentEpisode
from beacon.treatment.models.journey import OPEN_REFERRAL_STATUSES
from beacon.treatment.selectors.plans import current_recovery_plans, episodes_on_ost
from beacon.treatment.selectors.tops import tops_due

# "Due this week": after today and within this many days.
WEEK_DAYS = 7


def caseload_keyworkers(*, provider: Provider) -> QuerySet[User]:
    return client_keyworkers(provider=provider)


def caseload_teams(*, provider: Provider) -> QuerySet[Team]:
    return client_teams(provider=provider)


class CaseloadStatus(models.TextChoices):
    """Where a client on a caseload is in their journey: one open episode, an open referral
    not yet started, or neither (discharged, or closed without treatment)."""

    IN_TREATMENT = "in_treatment", "In treatment"
    REFERRED = "referred", "Referred, not yet in treatment"
    NOT_IN_TREATMENT = "not_in_treatment", "Not in treatment"


def _in_treatment() -> Exists:
    return Exists(
        TreatmentEpisode.objects.filter(client=OuterRef("pk"), discharge_date__isnull=True)
    )


def _referred() -> Exists:
    return Exists(Referral.objects.filter(client=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES))


def with_caseload_status(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Clients annotated `in_treatment` and `referred` (booleans, one query for a page);
    `caseload_status()` reads them."""
    return clients.annotate(in_treatment=_in_treatment(), referred=_referred())


def caseload_status(client: Client) -> CaseloadStatus:
    """The status of a client annotated by `with_caseload_status`; the filter below asks the
    same question as a query (a test keeps the two agreed)."""
    if client.in_treatment:  # type: ignore[attr-defined]
        return CaseloadStatus.IN_TREATMENT
    if client.referred:  # type: ignore[attr-defined]
        return CaseloadStatus.REFERRED
    return CaseloadStatus.NOT_IN_TREATMENT


def _filter_status(clients: QuerySet[Client], status: str) -> QuerySet[Client]:
    clients = with_caseload_status(clients)
    if status == CaseloadStatus.IN_TREATMENT:
        return clients.filter(_in_treatment())
    if status == CaseloadStatus.REFERRED:
        return clients.filter(~_in_treatment(), _referred())
    if status == CaseloadStatus.NOT_IN_TREATMENT:
        return clients.filter(~_in_treatment(), ~_referred())
    return clients


def caseload_clients(
    *,
    user: User,
    keyworker: User | None = None,
    team: Team | None = None,
    status: str = "",
    query: str = "",
) -> QuerySet[Client]:
    """A keyworker's own caseload; for a manager the whole service, or one team's or one
    keyworker's. Narrowed by status and by a client's name, NHS number or client number
    (as the client search reads it), ordered by surname; annotated with its status."""
    if user.provider_id is None:
        return Client.objects.none()
    clients = client_search(user=user, query=query) if query else user.provider.clients.all()
    clients = clients.filter(provider=user.provider)
    if is_manager(user):
        if keyworker:
            clients = clients.filter(keyworker=keyworker)
        if team:
            clients = clients.filter(team=team)
    else:
        clients = clients.filter(keyworker=user)
    return _filter_status(clients, status).order_by("last_name", "first_name", "client_number")


class DueKind:
    PLAN_REVIEW = "plan_review"
    EXIT_PLAN_REVIEW = "exit_plan_review"
    TOP = "top"
    PLAN_ACTION = "plan_action"


@dataclass(frozen=True)
class DueItem:
    kind: str
    client: Client
    due_on: datetime.date
    what: str
    days_from_today: int


@dataclass(frozen=True)
class CaseloadDue:
    today: datetime.date
    until: datetime.date
    client_count: int
    items: list[DueItem]

    @property
    def overdue(self) -> list[DueItem]:
        return [item for item in self.items if item.due_on < self.today]

    @property
    def due_today(self) -> list[DueItem]:
        return [item for item in self.items if item.due_on == self.today]

    @property
    def due_this_week(self) -> list[DueItem]:
        return [item for item in self.items if item.due_on > self.today]


def caseload_due(
    *, clients: QuerySet[Client], today: datetime.date, days_ahead: int = WEEK_DAYS
) -> CaseloadDue:
    """Everything overdue or due by `days_ahead` days from today for these clients' open
    episodes: recovery plan reviews, exit plan reviews (while on OST), TOPs and plan actions
    not yet done. Five queries, whatever the number of clients.
    """
    until = today + datetime.timedelta(days=days_ahead)
    found: list[tuple[str, Client, datetime.date, str]] = []
    plans = current_recovery_plans().filter(client__in=clients)
    for plan in plans.filter(next_review_date__lte=until).select_related("client"):
        found.append(
            (DueKind.PLAN_REVIEW, plan.client, plan.next_review_date, "Recovery plan review")
        )
    on_ost = episodes_on_ost(
        TreatmentEpisode.objects.filter(client__in=clients, discharge_date__isnull=True)
    )
    exit_plans = ExitPlan.objects.filter(episode__in=on_ost, next_review_date__lte=until)
    for exit_plan in exit_plans.select_related("client"):
        found.append(
            (
                DueKind.EXIT_PLAN_REVIEW,
                exit_plan.client,
                exit_plan.next_review_date,
                "Exit plan review",
            )
        )
    for top in tops_due(clients=clients, until=until):
        found.append((DueKind.TOP, top.client, top.due_on, top.stage_label))
    actions = PlanAction.objects.filter(
        plan__in=plans, done_on__isnull=True, due_date__lte=until
    ).select_related("plan__client")
    for action in actions:
        found.append(
            (
                DueKind.PLAN_ACTION,
                action.plan.client,
                action.due_date,
                f"Action ({action.get_owner_display().lower()}): {action.text}",
            )
        )
    items = [
        DueItem(kind, client, due_on, what, (due_on - today).days)
        for kind, client, due_on, what in found
    ]
    items.sort(key=lambda i: (i.due_on, i.client.last_name, i.client.first_name, i.kind))
    return CaseloadDue(today=today, until=until, client_count=clients.count(), items=items)


class DueFilter(models.TextChoices):
    OVERDUE = "overdue", "Something overdue"
    TODAY = "today", "Something due today"
    WEEK = "week", "Something due in the next 7 days"
    NOTHING = "nothing", "Nothing due in the next 7 days"


def caseload_due_filtered(
    *, clients: QuerySet[Client], today: datetime.date, due: str = ""
) -> tuple[QuerySet[Client], CaseloadDue]:
    """The caseload's due items, and its clients narrowed to those with something overdue,
    due today, due this week or nothing due (`DueFilter`); every item of a client kept."""
    caseload = caseload_due(clients=clients, today=today)
    if not due:
        return clients, caseload
    groups: dict[str, list[DueItem]] = {
        DueFilter.OVERDUE: caseload.overdue,
        DueFilter.TODAY: caseload.due_today,
        DueFilter.WEEK: caseload.due_this_week,
    }
    if due == DueFilter.NOTHING:
        clients = clients.exclude(pk__in={item.client.pk for item in caseload.items})
    else:
        clients = clients.filter(pk__in={item.client.pk for item in groups.get(due, [])})
    kept = set(clients.values_list("pk", flat=True))
    items = [item for item in caseload.items if item.client.pk in kept]
    return clients, CaseloadDue(
        today=caseload.today, until=caseload.until, client_count=len(kept), items=items
    )
