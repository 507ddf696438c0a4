"""Reads of NSP transactions and blood-borne virus records: the record loaders, the list a
user may see (the `harmreduction.view_nsp` rule as a query), and the NSP figures for a
period, one function each (transactions, people, items out, return rate, year on year)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.models import Provider, Site, User
from beacon.core.permissions import ensure_can
from beacon.harmreduction.codes import TestResult, Virus
from beacon.harmreduction.models import (
    BloodBorneVirusTest,
    HepatitisBCourse,
    HepatitisBDose,
    NspItem,
    NspItemGiven,
    NspTransaction,
)
from beacon.harmreduction.rules import is_nsp_staff, is_pharmacy_nsp, is_volunteer
from beacon.pharmacy import selectors as pharmacy_selectors
from beacon.treatment.models import TreatmentEpisode

VIEW_NSP = "harmreduction.view_nsp"


def transactions_visible_to(user: User) -> QuerySet[NspTransaction]:
    """The transactions `user` may open: staff, all of their provider's; a volunteer, the
    ones they recorded; a pharmacist, the ones recorded at their pharmacy (the
    `harmreduction.view_nsp` rule as a query)."""
    if user.provider_id is None:
        return NspTransaction.objects.none()
    transactions = NspTransaction.objects.filter(provider_id=user.provider_id)
    if is_nsp_staff(user):
        return transactions
    if is_volunteer(user):
        return transactions.filter(recorded_by=user)
    if is_pharmacy_nsp(user):
        site = pharmacy_selectors.pharmacy_site(user=user)
        return transactions.filter(site=site) if site else NspTransaction.objects.none()
    return NspTransaction.objects.none()


def link_hidden_from(user: User) -> Q:
    """Transactions linked to a client `user` may not open: their attributor is the
    client's (initials, date of birth, sex), so it is not shown or matched (H-120)."""
    return Q(client__isnull=False) & ~Q(client__in=clients_visible_to(user))


def openable_client_ids(*, user: User, transactions: Iterable[NspTransaction]) -> set[int]:
    """Of the clients these transactions are linked to, the ids `user` may open."""
    linked = {t.client_id for t in transactions if t.client_id}
    if not linked:
        return set()
    return set(clients_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))


def transactions_list(
    *,
    user: User,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    site: Site | None = None,
    initials: str = "",
    date_of_birth: datetime.date | None = None,
) -> QuerySet[NspTransaction]:
    """The transactions a user may see, latest first, filtered by period, site and
    attributor; items and bins loaded with them. The attributor search never matches a
    visit linked to a client `user` may not open (H-120)."""
    transactions = transactions_visible_to(user)
    if first:
        transactions = transactions.filter(date__gte=first)
    if last:
        transactions = transactions.filter(date__lte=last)
    if site:
        transactions = transactions.filter(site=site)
    if initials or date_of_birth:
        transactions = transactions.exclude(link_hidden_from(user))
    if initials:
        transactions = transactions.filter(initials=initials.strip().upper())
    if date_of_birth:
        transactions = transactions.filter(date_of_birth=date_of_birth)
    return transactions.select_related("site", "client", "recorded_by").prefetch_related(
        Prefetch("items", queryset=NspItemGiven.objects.order_by("id"))
    )


def transaction_get(
    *, user: User, transaction_id: int, permission: str = VIEW_NSP
) -> NspTransaction:
    transaction = (
        NspTransaction.objects.filter(provider_id=user.provider_id, pk=transaction_id)
        .select_related("site", "client", "recorded_by")
        .prefetch_related("items")
        .first()
    )
    if transaction is None:
        raise Http404("No such NSP transaction")
    ensure_can(user, permission, transaction)
    return transaction


def sites_of(*, provider: Provider) -> QuerySet[Site]:
    return provider.sites.all()


def nsp_sites_for(*, user: User) -> QuerySet[Site]:
    """The sites `user` records NSP at: a pharmacist, their pharmacy's only (H-170);
    everyone else, any site of their service."""
    if is_pharmacy_nsp(user):
        site = pharmacy_selectors.pharmacy_site(user=user)
        return Site.objects.filter(pk=site.pk) if site else Site.objects.none()
    return sites_of(provider=user.provider)


# Figures ---------------------------------------------------------------------------------


def transactions_in_period(
    *, provider: Provider, first: datetime.date, last: datetime.date, site: Site | None = None
) -> QuerySet[NspTransaction]:
    transactions = NspTransaction.objects.filter(provider=provider, date__gte=first, date__lte=last)
    return transactions.filter(site=site) if site else transactions


def nsp_transaction_count(transactions: QuerySet[NspTransaction]) -> int:
    return transactions.count()


def nsp_people_count(transactions: QuerySet[NspTransaction]) -> int:
    """Distinct people: distinct attributors (initials, date of birth, sex), whether or
    not a transaction is linked to a client."""
    return transactions.values("initials", "date_of_birth", "sex").distinct().count()


def nsp_items_out_by_item(transactions: QuerySet[NspTransaction]) -> dict[str, int]:
    """How many of each item were given out, in the list's order, with sharps bins last;
    items none of were given are left out."""
    bins = transactions.aggregate(total=Sum("bins_out"))["total"] or 0
    return _items_out_by_item(transactions, bins=bins)


def _items_out_by_item(transactions: QuerySet[NspTransaction], *, bins: int) -> dict[str, int]:
    """`nsp_items_out_by_item`, given the sharps bins given out in these transactions."""
    totals = dict(
        NspItemGiven.objects.filter(transaction__in=transactions)
        .values_list("item")
        .annotate(total=Sum("quantity"))
        .values_list("item", "total")
    )
    counted = {item: totals[item] for item in NspItem.values if totals.get(item)}
    if bins:
        counted["sharps_bin"] = bins
    return counted


def nsp_items_out(transactions: QuerySet[NspTransaction]) -> int:
    """Every item given out, sharps bins included."""
    return sum(nsp_items_out_by_item(transactions).values())


def nsp_return_rate(transactions: QuerySet[NspTransaction]) -> Decimal | None:
    """Sharps bins returned ÷ sharps bins given out, as a fraction (0.75), to 4 places;
    None when no bin was given out (a rate of nothing is not 0)."""
    totals = transactions.aggregate(out=Sum("bins_out"), back=Sum("bins_returned"))
    return _return_rate(back=totals["back"], out=totals["out"])


def _return_rate(*, back: int | None, out: int | None) -> Decimal | None:
    if not out:
        return None
    return (Decimal(back or 0) / Decimal(out)).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class NspFigures:
    first: datetime.date
    last: datetime.date
    transactions: int
    people: int
    items_out: int
    return_rate: Decimal | None
    by_item: dict[str, int]
    linked_to_clients: int


def nsp_figures(
    *, provider: Provider, first: datetime.date, last: datetime.date, site: Site | None = None
) -> NspFigures:
    """The period's figures in three queries: the transactions' totals in one pass (the
    KPI dashboard reads them at national scale), the items given, the people."""
    transactions = transactions_in_period(provider=provider, first=first, last=last, site=site)
    totals = transactions.aggregate(
        count=Count("pk"),
        out=Sum("bins_out"),
        back=Sum("bins_returned"),
        linked=Count("pk", filter=Q(client__isnull=False)),
    )
    by_item = _items_out_by_item(transactions, bins=totals["out"] or 0)
    return NspFigures(
        first=first,
        last=last,
        transactions=totals["count"],
        people=nsp_people_count(transactions),
        items_out=sum(by_item.values()),
        return_rate=_return_rate(back=totals["back"], out=totals["out"]),
        by_item=by_item,
        linked_to_clients=totals["linked"],
    )


def a_year_earlier(day: datetime.date) -> datetime.date:
    """The same day a year before; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class YearOnYear:
    this_year: NspFigures
    year_before: NspFigures


def nsp_year_on_year(
    *, provider: Provider, first: datetime.date, last: datetime.date, site: Site | None = None
) -> YearOnYear:
    """The period's figures beside the same period a year earlier."""
    return YearOnYear(
        this_year=nsp_figures(provider=provider, first=first, last=last, site=site),
        year_before=nsp_figures(
            provider=provider, first=a_year_earlier(first), last=a_year_earlier(last), site=site
        ),
    )


def change_percent(now: int | Decimal | None, before: int | Decimal | None) -> Decimal | None:
    """The change from `before` to `now` in per cent of `before`, to 1 place; None when
    there is nothing to compare with."""
    if now is None or not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"))


# Blood-borne viruses ---------------------------------------------------------------------


def client_bbv_tests(*, client: Client) -> QuerySet[BloodBorneVirusTest]:
    return (
        BloodBorneVirusTest.objects.filter(client=client)
        .select_related("recorded_by")
        .order_by("-offered_on", "-id")
    )


def client_hepatitis_b(*, client: Client) -> QuerySet[HepatitisBCourse]:
    return (
        HepatitisBCourse.objects.filter(client=client)
        .prefetch_related(Prefetch("doses", queryset=HepatitisBDose.objects.order_by("number")))
        .order_by("-offered_on", "-id")
    )


# A hepatitis C or HIV test is offered again this long after the last offer (accepted or
# declined) to a client in treatment who is not known positive for that virus (H-138).
BBV_TEST_DUE_AFTER_DAYS = 365
TESTED_VIRUSES = (Virus.HEPATITIS_C, Virus.HIV)


@dataclass(frozen=True)
class BbvTestDue:
    client: Client
    # Each virus a test is due for, with the day it was last offered (None: never).
    due: tuple[tuple[str, datetime.date | None], ...]


def clients_due_bbv_test(*, user: User, today: datetime.date) -> list[BbvTestDue]:
    """Clients the user may open, in an open treatment episode, due a hepatitis C or HIV
    test: never offered one, or last offered more than BBV_TEST_DUE_AFTER_DAYS ago, and not
    known positive for that virus. Longest waiting first (never offered first), then by
    name. One query."""
    since = today - datetime.timedelta(days=BBV_TEST_DUE_AFTER_DAYS)
    tests = BloodBorneVirusTest.objects.filter(client=OuterRef("pk"))
    clients = (
        clients_visible_to(user)
        .filter(Exists(TreatmentEpisode.objects.filter(client=OuterRef("pk"), discharge_date=None)))
        .annotate(
            **{
                f"last_{virus}": Max("bbv_tests__offered_on", filter=Q(bbv_tests__virus=virus))
                for virus in TESTED_VIRUSES
            },
            **{
                f"positive_{virus}": Exists(tests.filter(virus=virus, result=TestResult.POSITIVE))
                for virus in TESTED_VIRUSES
            },
        )
        .order_by("last_name", "first_name", "pk")
    )
    found = []
    for client in clients:
        due = tuple(
            (virus, getattr(client, f"last_{virus}"))
            for virus in TESTED_VIRUSES
            if not getattr(client, f"positive_{virus}")
            and (
                getattr(client, f"last_{virus}") is None or getattr(client, f"last_{virus}") < since
            )
        )
        if due:
            found.append(BbvTestDue(client=client, due=due))
    oldest = datetime.date.min
    return sorted(found, key=lambda item: min((last or oldest) for _, last in item.due))


R = TypeVar("R", BloodBorneVirusTest, HepatitisBCourse)


def _client_record(user: User, record: R | None, permission: str) -> R:
    if record is None:
        raise Http404("Not found")
    ensure_can(user, permission, record.client)
    return record


def bbv_test_get(
    *, user: User, test_id: int, permission: str = "harmreduction.view_bbv"
) -> BloodBorneVirusTest:
    test = (
        BloodBorneVirusTest.objects.filter(provider_id=user.provider_id, pk=test_id)
        .select_related("client", "client__team")
        .first()
    )
    return _client_record(user, test, permission)


def hepatitis_b_course_get(
    *, user: User, course_id: int, permission: str = "harmreduction.view_bbv"
) -> HepatitisBCourse:
    course = (
        HepatitisBCourse.objects.filter(provider_id=user.provider_id, pk=course_id)
        .select_related("client", "client__team")
        .prefetch_related("doses")
        .first()
    )
    return _client_record(user, course, permission)
