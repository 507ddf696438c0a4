"""Reads of the controlled-drug register: pages (one per site and medicine), balances, the
end-of-day reconciliation, patient returns, the site holding the delivery stock, and the
loaders of a register site, a page, one of its entries, a client it names and a patient
return."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core.models import Provider, Site, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.core.selectors import within_london_days
from beacon.delivery.models import (
    DeliverySetup,
    PatientReturn,
    RegisterBalance,
    RegisterEntry,
    register_unit,
)
from beacon.delivery.rules import WITNESS_ROLES
from beacon.prescribing.medicines import MEDICINES, Medicine, medicine_get

Kind = RegisterEntry.Kind
KEEP = "delivery.keep_register"


def register_medicine_get(*, user: User, medicine: str, permission: str = KEEP) -> Medicine:
    """The medicine of one register page: the role first (403), then 404 when no page."""
    ensure_can(user, permission)
    info = medicine_get(medicine)
    if info is None:
        raise Http404("No register page for this medicine")
    return info


def register_site_get(*, user: User, site_id: int, permission: str = KEEP) -> Site:
    """A site of the user's provider whose register is opened: the role first (403), then
    404 for another provider's site or none."""
    ensure_can(user, permission)
    site = user.provider.sites.filter(pk=site_id).first()
    if site is None:
        raise Http404("No site with this id in your service")
    return site


def register_page_get(
    *, user: User, site_id: int, medicine: str, permission: str = KEEP
) -> tuple[Site, Medicine]:
    """One register page of the user's provider: its site and its medicine, or 404."""
    site = register_site_get(user=user, site_id=site_id, permission=permission)
    return site, register_medicine_get(user=user, medicine=medicine, permission=permission)


NO_CLIENT = "No client with this number in your service"


def register_client(*, provider: Provider, client_number: str) -> Client | None:
    """The client of the provider a register entry names by number (any case), if any."""
    return provider.clients.filter(client_number=client_number.upper()).first()


def register_sites(*, provider: Provider) -> QuerySet[Site]:
    return provider.sites.order_by("name", "pk")


def delivery_stock_site(*, provider: Provider) -> Site | None:
    """The site whose cabinet the delivery rounds' parcels are made up from: the one the
    delivery set-up names, else the provider's only site; None when that is not clear."""
    setup = DeliverySetup.objects.filter(provider=provider).select_related("stock_site").first()
    if setup is not None:
        return setup.stock_site
    sites = list(provider.sites.all()[:2])
    return sites[0] if len(sites) == 1 else None


ORDERS = {"newest": "-id", "oldest": "id"}


def register_entries(
    *,
    site: Site,
    medicine: Medicine,
    order: str = "newest",
    kind: str = "",
    client_number: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[RegisterEntry]:
    """One register page (a site and a medicine): newest entry first, or, with
    order="oldest", oldest first as a paper register reads (the order entries were made);
    narrowed to one kind of entry, a client (part of the client number) and the UK days
    the movements happened. Each entry keeps the running balance written with it."""
    entries = RegisterEntry.objects.filter(site=site, medicine=medicine.code)
    if kind:
        entries = entries.filter(kind=kind)
    if client_number.strip():
        entries = entries.filter(client__client_number__icontains=client_number.strip())
    entries = within_london_days(entries, "occurred_at", date_from=date_from, date_to=date_to)
    return entries.select_related(
        "site", "driver", "client", "entered_by", "corrects", "prescriber", "witnessed_by"
    ).order_by(ORDERS.get(order, "-id"))


def register_entry_get(
    *, user: User, site: Site, medicine: Medicine, entry_id: int, permission: str = KEEP
) -> RegisterEntry:
    """One entry of a register page of the user's provider, or 404."""
    ensure_can(user, permission)
    if site.provider_id != user.provider_id:
        raise Http404("No entry with this id on this register page")
    entry = register_entries(site=site, medicine=medicine).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No entry with this id on this register page")
    return entry


def register_balance(*, site: Site, medicine: Medicine) -> Decimal:
    row = RegisterBalance.objects.filter(site=site, medicine=medicine.code).first()
    return row.balance if row else Decimal(0)


def register_balances(*, provider: Provider) -> list[tuple[Site, Medicine, Decimal, str]]:
    """Every register page with its balance: each site, each medicine of the list."""
    stored = {
        (site_id, code): balance
        for site_id, code, balance in RegisterBalance.objects.filter(provider=provider).values_list(
            "site_id", "medicine", "balance"
        )
    }
    return [
        (site, medicine, stored.get((site.pk, code), Decimal(0)), register_unit(medicine))
        for site in register_sites(provider=provider)
        for code, medicine in MEDICINES.items()
    ]


def register_witnesses(*, provider: Provider, exclude: User | None = None) -> QuerySet[User]:
    """Who may be chosen to witness a destruction: active users of the service whose role
    may witness (rules.WITNESS_ROLES), never the person recording it."""
    users = provider.users.filter(role__in=WITNESS_ROLES, is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("first_name", "last_name", "username")


def register_prescribers(*, provider: Provider) -> QuerySet[User]:
    return provider.users.filter(role=Role.PRESCRIBER).order_by("first_name", "last_name")


def patient_returns(*, site: Site) -> QuerySet[PatientReturn]:
    """A site's patient returns and their destructions, newest first."""
    return (
        PatientReturn.objects.filter(site=site)
        .select_related("site", "client", "entered_by", "witnessed_by", "destroys")
        .prefetch_related("destruction")
        .order_by("-id")
    )


def patient_returns_awaiting_destruction(*, site: Site) -> QuerySet[PatientReturn]:
    return patient_returns(site=site).filter(
        kind=PatientReturn.Kind.RETURNED, destruction__isnull=True
    )


def patient_return_get(
    *, user: User, site: Site, return_id: int, permission: str = KEEP
) -> PatientReturn:
    """A patient return (not a destruction) of the site, of the user's provider, or 404."""
    ensure_can(user, permission)
    found = (
        patient_returns(site=site)
        .filter(provider=user.provider, kind=PatientReturn.Kind.RETURNED, pk=return_id)
        .first()
    )
    if found is None:
        raise Http404("No patient return with this id at this site")
    return found


@dataclass
class DriverDay:
    """What one driver took out of one register page on a day, and what came of it."""

    site: Site
    driver: User
    medicine: Medicine
    unit: str
    handed: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    entry_ids: list[int] = field(default_factory=list)
    # When the driver's shift of the day ends (None: no shift, the parcels were handed
    # over by hand), and whether it had ended when the reconciliation was read.
    shift_ends_at: datetime.datetime | None = None
    shift_over: bool = True

    @property
    def accounted(self) -> Decimal:
        return self.delivered + self.returned

    @property
    def difference(self) -> Decimal:
        """Handed out minus accounted for: above 0 is missing, below 0 over-accounted."""
        return self.handed - self.accounted

    @property
    def is_still_out(self) -> bool:
        """Parcels not yet accounted for while the driver's shift goes on: still out, not
        missing (hazard log H-130)."""
        return self.difference > 0 and not self.shift_over

    @property
    def is_discrepancy(self) -> bool:
        """More accounted for than handed out at any time; less only once the shift ended."""
        return self.difference != 0 and not self.is_still_out


def _day_bounds(date: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(date, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        date + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


PARCEL_ENTRIES = ("handed_over_entry", "delivered_entry", "returned_entry")


def _parcel_entries(
    *, provider: Provider, date: datetime.date, start: datetime.datetime, end: datetime.datetime
) -> tuple[set[int], set[int]]:
    """Register entries of delivery parcels: those of the day's stops, and those recorded
    on the day for stops of another day."""
    recorded_today = Q()
    for name in PARCEL_ENTRIES:
        recorded_today |= Q(**{f"{name}__occurred_at__gte": start, f"{name}__occurred_at__lt": end})
    on_day: set[int] = set()
    elsewhere: set[int] = set()
    stops = provider.delivery_stops.filter(Q(date=date) | recorded_today)
    for stop_date, *ids in stops.values_list("date", *(f"{n}_id" for n in PARCEL_ENTRIES)):
        (on_day if stop_date == date else elsewhere).update(i for i in ids if i is not None)
    return on_day, elsewhere


def _shift_ends(*, provider: Provider, date: datetime.date) -> dict[int, datetime.datetime]:
    """When each driver's shift on the day ends (Europe/London), by driver id."""
    zone = timezone.get_current_timezone()
    return {
        driver_id: datetime.datetime.combine(date, end_time, tzinfo=zone)
        for driver_id, end_time in provider.driver_shifts.filter(date=date).values_list(
            "driver_id", "end_time"
        )
    }


def reconciliation(
    *, provider: Provider, date: datetime.date, now: datetime.datetime | None = None
) -> list[DriverDay]:
    """For a day (Europe/London): per site, driver and medicine, handed = delivered +
    returned?

    A movement of a delivery round's parcel counts on the round's day, even when the parcel
    came back after midnight; any other movement on the day it happened. Each counts with
    the corrections made to it since. Until the driver's shift of the day ends (`now`,
    by default the present), what they have not yet accounted for is still out with them.
    """
    now = now or timezone.now()
    shift_ends = _shift_ends(provider=provider, date=date)
    start, end = _day_bounds(date)
    on_day, elsewhere = _parcel_entries(provider=provider, date=date, start=start, end=end)
    movements = (
        RegisterEntry.objects.filter(provider=provider, kind__in=RegisterEntry.DRIVER_KINDS)
        .filter(
            Q(pk__in=on_day)
            | (Q(occurred_at__gte=start, occurred_at__lt=end) & ~Q(pk__in=elsewhere))
        )
        .select_related("driver", "site")
        .prefetch_related("corrections")
        .order_by("id")
    )
    rows: dict[tuple[int, int, str], DriverDay] = {}
    for entry in movements:
        medicine = MEDICINES[entry.medicine]
        row = rows.setdefault(
            (entry.site_id, entry.driver_id, entry.medicine),
            DriverDay(
                site=entry.site,
                driver=entry.driver,
                medicine=medicine,
                unit=entry.unit,
                shift_ends_at=shift_ends.get(entry.driver_id),
                shift_over=entry.driver_id not in shift_ends or now >= shift_ends[entry.driver_id],
            ),
        )
        quantity = entry.quantity + sum((c.adjustment for c in entry.corrections.all()), Decimal(0))
        attribute = {
            Kind.HANDED_TO_DRIVER: "handed",
            Kind.DELIVERED: "delivered",
            Kind.RETURNED: "returned",
        }[entry.kind]
        setattr(row, attribute, getattr(row, attribute) + quantity)
        row.entry_ids.append(entry.pk)
    return sorted(
        rows.values(),
        key=lambda r: (
            r.site.name,
            r.driver.last_name,
            r.driver.first_name,
            r.driver.pk,
            r.medicine.name,
        ),
    )


def reconciliation_discrepancies(
    *, provider: Provider, date: datetime.date, now: datetime.datetime | None = None
) -> list[DriverDay]:
    rows = reconciliation(provider=provider, date=date, now=now)
    return [row for row in rows if row.is_discrepancy]


def register_drivers(*, provider: Provider) -> QuerySet:
    return provider.users.filter(role=Role.DRIVER, is_active=True).order_by(
        "first_name", "last_name"
    )
