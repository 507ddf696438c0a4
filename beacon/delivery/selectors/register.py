"""Reads of the controlled-drug register: pages, balances, the end-of-day reconciliation,
and the loaders of a register page and of one of its entries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from beacon.core.models import Provider, User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.delivery.models import RegisterBalance, RegisterEntry, register_unit
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


def register_entries(*, provider: Provider, medicine: Medicine) -> QuerySet[RegisterEntry]:
    """One register page, newest entry first (the order they were recorded in, reversed)."""
    return (
        RegisterEntry.objects.filter(provider=provider, medicine=medicine.code)
        .select_related("driver", "client", "entered_by", "corrects")
        .order_by("-id")
    )


def register_entry_get(
    *, user: User, medicine: Medicine, entry_id: int, permission: str = KEEP
) -> RegisterEntry:
    """One entry of a register page of the user's provider, or 404."""
    ensure_can(user, permission)
    entry = register_entries(provider=user.provider, medicine=medicine).filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No entry with this id on this register page")
    return entry


def register_balance(*, provider: Provider, medicine: Medicine) -> Decimal:
    row = RegisterBalance.objects.filter(provider=provider, medicine=medicine.code).first()
    return row.balance if row else Decimal(0)


def register_balances(*, provider: Provider) -> list[tuple[Medicine, Decimal, str]]:
    """Every register page with its balance, in the order of the medicine list."""
    stored = dict(
        RegisterBalance.objects.filter(provider=provider).values_list("medicine", "balance")
    )
    return [
        (medicine, stored.get(code, Decimal(0)), register_unit(medicine))
        for code, medicine in MEDICINES.items()
    ]


@dataclass
class DriverDay:
    """What one driver took out of one register page on a day, and what came of it."""

    driver: User
    medicine: Medicine
    unit: str
    handed: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    entry_ids: list[int] = field(default_factory=list)

    @property
    def accounted(self) -> Decimal:
        return self.delivered + self.returned

    @property
    def difference(self) -> Decimal:
        """Handed out minus accounted for: above 0 is missing, below 0 over-accounted."""
        return self.handed - self.accounted

    @property
    def is_discrepancy(self) -> bool:
        return self.difference != 0


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


def reconciliation(*, provider: Provider, date: datetime.date) -> list[DriverDay]:
    """For a day (Europe/London): per driver and medicine, handed = delivered + returned?

    A movement of a delivery round's parcel counts on the round's day, even when the parcel
    came back after midnight; any other movement on the day it happened. Each counts with
    the corrections made to it since.
    """
    start, end = _day_bounds(date)
    on_day, elsewhere = _parcel_entries(provider=provider, date=date, start=start, end=end)
    movements = (
        RegisterEntry.objects.filter(provider=provider, kind__in=RegisterEntry.DRIVER_KINDS)
        .filter(
            Q(pk__in=on_day)
            | (Q(occurred_at__gte=start, occurred_at__lt=end) & ~Q(pk__in=elsewhere))
        )
        .select_related("driver")
        .prefetch_related("corrections")
        .order_by("id")
    )
    rows: dict[tuple[int, str], DriverDay] = {}
    for entry in movements:
        medicine = MEDICINES[entry.medicine]
        row = rows.setdefault(
            (entry.driver_id, entry.medicine),
            DriverDay(driver=entry.driver, medicine=medicine, unit=entry.unit),
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
        key=lambda r: (r.driver.last_name, r.driver.first_name, r.driver.pk, r.medicine.name),
    )


def reconciliation_discrepancies(*, provider: Provider, date: datetime.date) -> list[DriverDay]:
    return [row for row in reconciliation(provider=provider, date=date) if row.is_discrepancy]


def register_drivers(*, provider: Provider) -> QuerySet:
    return provider.users.filter(role=Role.DRIVER, is_active=True).order_by(
        "first_name", "last_name"
    )
