"""Reads of naloxone: stock, a client's kits and offers, who is a current opiate client,
who holds an in-date kit, and the figures (coverage, offer outcomes, kits supplied and
used), each computed by one function the pages, the API and the tests call.

"Holds an in-date kit" on a day (`holding_kit`): a kit supplied for the client (to them, or
to a family member or carer linked to them: `models.COVERS_CLIENT`) on or before the day,
not yet expired that day, not reversed as recorded in error, and with no report (used, lost,
confiscated, expired) on or before it; or the client showed a kit in person at an offer,
until its printed expiry when read, else for `rules.seen_kit_days()` (H-113). Kits given to
a friend, peer or hostel staff are counted as supplies, not as the client covered.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.models import Provider, Site, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.naloxone.models import (
    COVERS_CLIENT,
    FRIENDS_AND_FAMILY,
    DeclineReason,
    KitBatch,
    KitReport,
    Moment,
    NaloxoneOffer,
    NaloxoneSupply,
    OfferDue,
    OfferOutcome,
    Recipient,
    ReportKind,
    StockBalance,
    StockEntry,
    UseOutcome,
)
from beacon.naloxone.rules import seen_kit_window, supply_shelf_from
from beacon.pharmacy import selectors as pharmacy_selectors
from beacon.treatment.codes import OPIATES
from beacon.treatment.models import TreatmentEpisode

_SUBSTANCES = [
    f"referral__assessment__{row}_substance" for row in ("primary", "secondary", "tertiary")
]


# Records -----------------------------------------------------------------------------------


def supply_get(
    *, user: User, supply_id: int, permission: str = "naloxone.view_client"
) -> NaloxoneSupply:
    """One supply of the user's provider (404 otherwise), refused (403) when the user may
    not act on its client (a supply to no client: only a role allowed to supply)."""
    supply = (
        NaloxoneSupply.objects.filter(provider_id=user.provider_id, pk=supply_id)
        .select_related("client", "batch", "site", "supplied_by", "trained_by")
        .first()
    )
    if supply is None:
        raise Http404("No such supply")
    ensure_can(user, permission if supply.client_id else "naloxone.supply", supply.client)
    return supply


def report_alert_recipients(client: Client) -> list[User]:
    """Who is told a client's kit was used, lost, confiscated or expired: their keyworker;
    with none active, the managers of the client's team; with none, every manager of the
    provider (H-114: the re-supply is never left with nobody)."""
    if client.keyworker is not None and client.keyworker.is_active:
        return [client.keyworker]
    managers = client.provider.users.filter(role=Role.MANAGER, is_active=True).order_by("pk")
    in_team = list(managers.filter(team=client.team)) if client.team_id else []
    return in_team or list(managers)


def batch_find(*, provider: Provider, kit_type: str, batch_number: str) -> KitBatch | None:
    return KitBatch.objects.filter(
        provider=provider, kit_type=kit_type, batch_number=batch_number.strip()
    ).first()


def trainers(*, provider: Provider) -> QuerySet[User]:
    """The staff who may train a person and supply a kit, by name."""
    return provider.users.filter(
        is_active=True, role__in=["keyworker", "nurse", "prescriber", "manager"]
    ).order_by("last_name", "first_name")


def stock_balances(*, provider: Provider, site: Site | None = None) -> QuerySet[StockBalance]:
    """Every batch with kits at a site (or at one site), soonest expiry first."""
    balances = StockBalance.objects.filter(provider=provider, balance__gt=0)
    if site is not None:
        balances = balances.filter(site=site)
    return balances.select_related("site", "batch").order_by("site__name", "batch__expires_on")


def stock_to_count(*, provider: Provider) -> QuerySet[StockBalance]:
    """Every batch a site has held, in date or not, empty or not: what a count can correct."""
    return (
        StockBalance.objects.filter(provider=provider)
        .select_related("site", "batch")
        .order_by("site__name", "batch__expires_on")
    )


def sites_holding(*, batch: KitBatch) -> list[Site]:
    """The sites with kits of a batch, by name."""
    return [
        b.site
        for b in StockBalance.objects.filter(batch=batch, balance__gt=0)
        .select_related("site")
        .order_by("site__name")
    ]


def stock_entries(
    *, provider: Provider, site: Site | None = None, batch_number: str = ""
) -> QuerySet[StockEntry]:
    """The ledger, newest first: at `site`, of batches numbered `batch_number` (any case)."""
    entries = StockEntry.objects.filter(provider=provider)
    if site is not None:
        entries = entries.filter(site=site)
    if batch_number:
        entries = entries.filter(batch__batch_number__iexact=batch_number.strip())
    return entries.select_related("site", "batch", "other_site", "recorded_by").order_by(
        "-recorded_at", "-id"
    )


def supply_batches(
    *, provider: Provider, on: datetime.date, site: Site | None = None
) -> QuerySet[StockBalance]:
    """What can be supplied on a day: batches with kits and enough shelf life left
    (`rules.supply_shelf_from`), soonest expiry first; at the service's own sites, or at
    `site` (a pharmacy's kits are its own stock, H-171)."""
    balances = stock_balances(provider=provider, site=site)
    if site is None:
        balances = balances.filter(site__pharmacy_profile__isnull=True)
    return balances.filter(batch__expires_on__gte=supply_shelf_from(on)).order_by(
        "batch__expires_on", "site__name"
    )


# At a partner pharmacy (H-171) -------------------------------------------------------------


def pharmacy_stock(*, user: User, on: datetime.date) -> QuerySet[StockBalance]:
    """The kits the pharmacist may supply on a day: their pharmacy's own stock only."""
    ensure_can(user, "naloxone.supply_at_pharmacy")
    site = pharmacy_selectors.pharmacy_site(user=user)
    if site is None:
        return StockBalance.objects.none()
    return supply_batches(provider=user.provider, on=on, site=site)


def pharmacy_supplies(
    *,
    user: User,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> QuerySet[NaloxoneSupply]:
    """The supplies made at the pharmacist's pharmacy (its site), latest first, in a
    period; nothing else of any client's naloxone."""
    ensure_can(user, "naloxone.supply_at_pharmacy")
    site = pharmacy_selectors.pharmacy_site(user=user)
    if site is None:
        return NaloxoneSupply.objects.none()
    supplies = NaloxoneSupply.objects.filter(provider_id=user.provider_id, site=site)
    if first:
        supplies = supplies.filter(supplied_on__gte=first)
    if last:
        supplies = supplies.filter(supplied_on__lte=last)
    return supplies.select_related("client", "batch", "supplied_by", "reversal").order_by(
        "-supplied_on", "-id"
    )


def client_supplies(*, client: Client) -> QuerySet[NaloxoneSupply]:
    return client.naloxone_supplies.select_related(
        "batch", "site", "supplied_by", "trained_by", "report", "replaces", "reversal"
    ).order_by("-supplied_on", "-id")


class RecipientKind:
    """Whom a kit was given to, as the supplies list filters it."""

    CLIENT = "client"
    SOMEONE_ELSE = "someone_else"
    LABELS = {CLIENT: "The client", SOMEONE_ELSE: "Someone else (family, carer, friend…)"}


def supplies_list(
    *,
    user: User,
    query: str = "",
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    recipient_kind: str = "",
    site: Site | None = None,
    supplied_by: User | None = None,
    by_volunteer_only: bool = False,
) -> QuerySet[NaloxoneSupply]:
    """The service's supplies the user may act on, latest first: those to the clients they
    may open, and every supply linked to no client (a family member's, a friend's, a peer
    volunteer's on outreach), so a kit is found again to record what became of it. `query`
    finds each word in the recipient's name, the client's name, or as the client's number
    or the kit's batch."""
    ensure_can(user, "naloxone.view_supplies")
    supplies = NaloxoneSupply.objects.filter(provider_id=user.provider_id).filter(
        Q(client__isnull=True) | Q(client__in=clients_visible_to(user))
    )
    for word in query.split():
        supplies = supplies.filter(
            Q(recipient_name__icontains=word)
            | Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__client_number__iexact=word)
            | Q(batch__batch_number__iexact=word)
        )
    if first:
        supplies = supplies.filter(supplied_on__gte=first)
    if last:
        supplies = supplies.filter(supplied_on__lte=last)
    if recipient_kind == RecipientKind.CLIENT:
        supplies = supplies.filter(recipient=Recipient.CLIENT)
    elif recipient_kind == RecipientKind.SOMEONE_ELSE:
        supplies = supplies.exclude(recipient=Recipient.CLIENT)
    if site is not None:
        supplies = supplies.filter(site=site)
    if supplied_by is not None:
        supplies = supplies.filter(supplied_by=supplied_by)
    if by_volunteer_only:
        supplies = supplies.filter(by_volunteer=True)
    return supplies.select_related(
        "client",
        "batch",
        "site",
        "supplied_by",
        "trained_by",
        "report__replaced_by",
        "reversal",
    ).order_by("-supplied_on", "-id")


def suppliers(*, provider: Provider) -> QuerySet[User]:
    """Everyone who has supplied a kit for the provider (staff, pharmacists and peer
    volunteers), by name: the supplies list's "supplied by" filter."""
    return (
        provider.users.filter(naloxone_supplies__provider=provider)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def client_offers(*, client: Client) -> QuerySet[NaloxoneOffer]:
    return client.naloxone_offers.select_related("recorded_by").order_by("-on", "-id")


def client_offers_due(*, client: Client) -> QuerySet[OfferDue]:
    return client.naloxone_due.filter(done_by_offer__isnull=True)


# Who is a current opiate client, who holds a kit -----------------------------------------


def _opiate_episode(on: datetime.date) -> Q:
    opiates = reduce(or_, (Q(**{f"{f}__in": OPIATES}) for f in _SUBSTANCES))
    return (
        opiates
        & Q(start_date__lte=on)
        & (Q(discharge_date__isnull=True) | Q(discharge_date__gt=on))
    )


def current_opiate_clients(*, clients: QuerySet[Client], on: datetime.date) -> QuerySet[Client]:
    """Clients in treatment on `on` (an episode started and not yet discharged) whose
    assessment names an opiate among their problem substances (`treatment.codes.OPIATES`)."""
    episodes = TreatmentEpisode.objects.filter(_opiate_episode(on), client=OuterRef("pk"))
    return clients.filter(Exists(episodes))


def is_current_opiate_client(client: Client, on: datetime.date) -> bool:
    """The predicate beside the query (tested to agree)."""
    for episode in client.episodes.select_related("referral__assessment"):
        assessment = getattr(episode.referral, "assessment", None)
        running = episode.start_date <= on and (
            episode.discharge_date is None or episode.discharge_date > on
        )
        if running and assessment is not None and set(assessment.substances) & OPIATES:
            return True
    return False


def has_opiate_episode(client: Client) -> bool:
    """Any episode of the client, open or ended, whose assessment names an opiate."""
    opiates = reduce(or_, (Q(**{f"{f}__in": OPIATES}) for f in _SUBSTANCES))
    return client.episodes.filter(opiates).exists()


def _kits_held(on: datetime.date) -> QuerySet[NaloxoneSupply]:
    """Supplies covering a client that are with them (or their family), in date, on `on`."""
    reported = KitReport.objects.filter(supply=OuterRef("pk"), on__lte=on)
    return NaloxoneSupply.objects.filter(
        recipient__in=COVERS_CLIENT,
        supplied_on__lte=on,
        batch__expires_on__gte=on,
        reversal__isnull=True,
    ).exclude(Exists(reported))


def holding_kit(on: datetime.date) -> Exists | Q:
    """A condition on clients: holds an in-date kit on `on` (this module's docstring)."""
    seen = NaloxoneOffer.objects.filter(
        Q(seen_kit_expires_on__gte=on)
        | Q(seen_kit_expires_on__isnull=True, on__gte=seen_kit_window(on)),
        client=OuterRef("pk"),
        outcome=OfferOutcome.HOLDS_KIT,
        on__lte=on,
    )
    return Exists(_kits_held(on).filter(client=OuterRef("pk"))) | Exists(seen)


def client_holds_kit(client: Client, on: datetime.date) -> bool:
    return Client.objects.filter(pk=client.pk).filter(holding_kit(on)).exists()


def needs_offer(client: Client, on: datetime.date) -> bool:
    """Flag the client: a current opiate client without an in-date kit (H-100)."""
    return is_current_opiate_client(client, on) and not client_holds_kit(client, on)


def clients_needing_offer(*, clients: QuerySet[Client], on: datetime.date) -> QuerySet[Client]:
    return current_opiate_clients(clients=clients, on=on).exclude(holding_kit(on))


# Coverage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    label: str
    holding: int
    total: int

    @property
    def percent(self) -> int | None:
        """Whole percent, rounded half up; None when there is nobody to cover."""
        if not self.total:
            return None
        return (self.holding * 200 + self.total) // (self.total * 2)


@dataclass
class Coverage:
    on: datetime.date
    overall: CoverageRow
    by_site: list[CoverageRow] = field(default_factory=list)
    by_team: list[CoverageRow] = field(default_factory=list)
    by_keyworker: list[CoverageRow] = field(default_factory=list)


def _coverage_rows(
    clients: QuerySet[Client], key: str, label: str, empty: str
) -> list[CoverageRow]:
    rows = (
        clients.values(key, label)
        .annotate(total=Count("pk"), holding=Count("pk", filter=Q(holds=True)))
        .order_by(label)
    )
    return [CoverageRow(row[label] or empty, row["holding"], row["total"]) for row in rows]


def coverage(*, provider: Provider, on: datetime.date, by_keyworker: bool = True) -> Coverage:
    """Current opiate clients holding an in-date kit ÷ all current opiate clients, on `on`:
    overall and by site (the client's team's site), team and, when `by_keyworker`, keyworker
    (H-104; the keyworker rows name staff: not for commissioners, H-112)."""
    clients = current_opiate_clients(clients=provider.clients.all(), on=on).annotate(
        holds=holding_kit(on)
    )
    totals = clients.aggregate(total=Count("pk"), holding=Count("pk", filter=Q(holds=True)))
    return Coverage(
        on=on,
        overall=CoverageRow("All current opiate clients", totals["holding"], totals["total"]),
        by_site=_coverage_rows(clients, "team__site", "team__site__name", "No site"),
        by_team=_coverage_rows(clients, "team", "team__name", "No team"),
        by_keyworker=_keyworker_rows(clients) if by_keyworker else [],
    )


def _keyworker_rows(clients: QuerySet[Client]) -> list[CoverageRow]:
    rows = (
        clients.values("keyworker", "keyworker__first_name", "keyworker__last_name")
        .annotate(total=Count("pk"), holding=Count("pk", filter=Q(holds=True)))
        .order_by("keyworker__last_name", "keyworker__first_name")
    )
    return [
        CoverageRow(
            f"{row['keyworker__first_name']} {row['keyworker__last_name']}"
            if row["keyworker"]
            else "No keyworker",
            row["holding"],
            row["total"],
        )
        for row in rows
    ]


def month_ends(*, last: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the `months` months up to `last`'s, oldest first; the
    current month's is `last` itself."""
    days = [last]
    day = last.replace(day=1)
    for _ in range(months - 1):
        day = day - datetime.timedelta(days=1)
        days.append(day)
        day = day.replace(day=1)
    return sorted(days)


def coverage_trend(
    *, provider: Provider, last: datetime.date, months: int = 12
) -> list[tuple[datetime.date, CoverageRow]]:
    """Overall coverage at the end of each month (the trend)."""
    trend = []
    for day in month_ends(last=last, months=months):
        clients = current_opiate_clients(clients=provider.clients.all(), on=day)
        trend.append(
            (
                day,
                CoverageRow(
                    f"{day:%B %Y}",
                    clients.filter(holding_kit(day)).count(),
                    clients.count(),
                ),
            )
        )
    return trend


# Offer outcomes, kits supplied and used -------------------------------------------------


@dataclass(frozen=True)
class OfferOutcomes:
    offered: int
    supplied: int
    declined: int
    holds_kit: int
    declined_by_reason: dict[str, int]


def offer_outcomes(
    *, provider: Provider, first: datetime.date, last: datetime.date
) -> OfferOutcomes:
    """Offers made in the period (both days included), by outcome and decline reason (H-105)."""
    # An offer "supplied" whose supply was recorded in error was not made (H-117).
    offers = NaloxoneOffer.objects.filter(
        provider=provider, on__gte=first, on__lte=last, supply__reversal__isnull=True
    )
    counts = dict(offers.values_list("outcome").annotate(n=Count("pk")).order_by())
    reasons = dict(
        offers.filter(outcome=OfferOutcome.DECLINED)
        .values_list("decline_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return OfferOutcomes(
        offered=sum(counts.values()),
        supplied=counts.get(OfferOutcome.SUPPLIED, 0),
        declined=counts.get(OfferOutcome.DECLINED, 0),
        holds_kit=counts.get(OfferOutcome.HOLDS_KIT, 0),
        declined_by_reason={reason: reasons.get(reason, 0) for reason in DeclineReason.values},
    )


@dataclass(frozen=True)
class KitFigures:
    supplied: int
    to_clients: int
    to_friends_and_family: int
    by_volunteers: int
    used: int
    lives_saved: int
    ambulance_called: int


def kit_figures(
    *,
    provider: Provider,
    first: datetime.date,
    last: datetime.date,
    site: Site | None = None,
    clients: QuerySet[Client] | None = None,
) -> KitFigures:
    """Kits supplied in the period (to clients, to friends and family; by peer volunteers,
    on outreach, whoever they went to), kits
    reported used in it, and lives reported saved (a use whose outcome is survived).
    `site`: only kits supplied there; `clients`: only kits supplied for those clients
    (a team's, for the KPIs)."""
    supplies = NaloxoneSupply.objects.filter(
        provider=provider, supplied_on__gte=first, supplied_on__lte=last, reversal__isnull=True
    )
    if site is not None:
        supplies = supplies.filter(site=site)
    if clients is not None:
        supplies = supplies.filter(client__in=clients)
    reports = KitReport.objects.filter(
        provider=provider, kind=ReportKind.USED, on__gte=first, on__lte=last
    )
    if site is not None:
        reports = reports.filter(supply__site=site)
    if clients is not None:
        reports = reports.filter(supply__client__in=clients)
    supplied = supplies.aggregate(
        supplied=Count("pk"),
        to_clients=Count("pk", filter=Q(recipient=Recipient.CLIENT)),
        to_friends_and_family=Count("pk", filter=Q(recipient__in=FRIENDS_AND_FAMILY)),
        by_volunteers=Count("pk", filter=Q(by_volunteer=True)),
    )
    uses = reports.aggregate(
        used=Count("pk"),
        lives_saved=Count("pk", filter=Q(outcome=UseOutcome.SURVIVED)),
        ambulance_called=Count("pk", filter=Q(ambulance_called=True)),
    )
    return KitFigures(**supplied, **uses)


# Lists to act on ---------------------------------------------------------------------------


class GapReason:
    NEVER_SUPPLIED = "never_supplied"
    DECLINED = "declined"
    EXPIRED = "expired"
    NOT_REPLACED = "not_replaced"

    LABELS = {
        NEVER_SUPPLIED: "Never supplied",
        DECLINED: "Declined last time",
        EXPIRED: "Kit expired",
        NOT_REPLACED: "Kit used, lost or confiscated: not replaced",
    }


@dataclass(frozen=True)
class Gap:
    client: Client
    reason: str
    last_offer: NaloxoneOffer | None
    last_supply: NaloxoneSupply | None

    @property
    def reason_text(self) -> str:
        return GapReason.LABELS[self.reason]


def gap_reason(last_offer: NaloxoneOffer | None, last_supply: NaloxoneSupply | None) -> str:
    """Why a client without a kit has none: declined at the last offer; else never supplied;
    else their last kit was reported (used, lost, confiscated) and not replaced; else it
    expired."""
    if last_offer is not None and last_offer.outcome == OfferOutcome.DECLINED:
        return GapReason.DECLINED
    if last_supply is None:
        return GapReason.NEVER_SUPPLIED
    report = getattr(last_supply, "report", None)
    if report is not None and report.kind != ReportKind.EXPIRED:
        return GapReason.NOT_REPLACED
    return GapReason.EXPIRED


def gaps(
    *, clients: QuerySet[Client], on: datetime.date, reason: str = "", keyworker: User | None = None
) -> list[Gap]:
    """Current opiate clients without an in-date kit on `on`, each with why (H-103)."""
    needing = (
        clients_needing_offer(clients=clients, on=on)
        .select_related("keyworker", "team")
        .order_by("last_name", "first_name", "pk")
    )
    if keyworker is not None:
        needing = needing.filter(keyworker=keyworker)
    found_clients = list(needing)
    pks = [c.pk for c in found_clients]
    last_offers: dict[int, NaloxoneOffer] = {}
    for offer in NaloxoneOffer.objects.filter(client_id__in=pks).order_by(
        "client_id", "-on", "-id"
    ):
        last_offers.setdefault(offer.client_id, offer)
    last_supplies: dict[int, NaloxoneSupply] = {}
    for supply in (
        NaloxoneSupply.objects.filter(
            client_id__in=pks, recipient__in=COVERS_CLIENT, reversal__isnull=True
        )
        .select_related("batch", "report")
        .order_by("client_id", "-supplied_on", "-id")
    ):
        last_supplies.setdefault(supply.client_id, supply)
    found = [
        Gap(
            client=c,
            reason=gap_reason(last_offers.get(c.pk), last_supplies.get(c.pk)),
            last_offer=last_offers.get(c.pk),
            last_supply=last_supplies.get(c.pk),
        )
        for c in found_clients
    ]
    return [gap for gap in found if not reason or gap.reason == reason]


def kits_expiring(
    *, clients: QuerySet[Client], on: datetime.date, days: int, keyworker: User | None = None
) -> QuerySet[NaloxoneSupply]:
    """Kits with clients (not reported) that expire within `days` of `on`, by keyworker
    (only `keyworker`'s clients, when given)."""
    if keyworker is not None:
        clients = clients.filter(keyworker=keyworker)
    return (
        _kits_held(on)
        .filter(client__in=clients, batch__expires_on__lte=on + datetime.timedelta(days=days))
        .select_related("client", "client__keyworker", "batch")
        .order_by("client__keyworker__last_name", "batch__expires_on", "client__last_name")
    )


# NDTMS -------------------------------------------------------------------------------------


def naloxone_issued_at_episode_start(episode: TreatmentEpisode, *, within_days: int = 28) -> bool:
    """Was naloxone issued to the client at the start of this episode: a kit supplied to
    them from the episode's start to `within_days` after it (also one offered at starting
    OST). The NDTMS item's name was NOT FOUND (H-108); the value follows from the records."""
    until = episode.start_date + datetime.timedelta(days=within_days)
    return NaloxoneSupply.objects.filter(
        client_id=episode.client_id,
        recipient=Recipient.CLIENT,
        reversal__isnull=True,
        supplied_on__gte=episode.start_date,
        supplied_on__lte=until,
    ).exists()


def offers_due_open(*, clients: QuerySet[Client]) -> QuerySet[OfferDue]:
    return (
        OfferDue.objects.filter(client__in=clients, done_by_offer__isnull=True)
        .select_related("client", "client__keyworker")
        .order_by("raised_on", "id")
    )


MOMENT_LABELS = dict(Moment.choices)
