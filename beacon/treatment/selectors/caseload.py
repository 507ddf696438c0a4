"""What is due, and when, for a caseload: TOPs, plan and exit plan reviews, plan actions.

When a TOP is due is `selectors.tops.tops_due`, which the TOPs-due list calls too. A
caseload's due items come from a fixed number of queries, however many clients it holds.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from beacon.clients.models import Client
from beacon.core.models import Provider, User
from beacon.core.permissions import is_manager
from beacon.core.roles import Role
from beacon.treatment.models import ExitPlan, PlanAction, TreatmentEpisode
from beacon.treatment.selectors.plans import current_recovery_plans, episodes_on_ost
from beacon.treatment.selectors.tops import tops_due

# "Due this week": after today and within this many days.
WEEK_DAYS = 7


def caseload_keyworkers(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(role=Role.KEYWORKER, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def caseload_clients(*, user: User, keyworker: User | None = None) -> QuerySet[Client]:
    """A keyworker's own caseload; for a manager the whole service, or one keyworker's."""
    if user.provider_id is None:
        return Client.objects.none()
    clients = user.provider.clients.all()
    if is_manager(user):
        return clients.filter(keyworker=keyworker) if keyworker else clients
    return clients.filter(keyworker=user)


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
