"""Reads of partner pharmacies: the pharmacist's pharmacy and the instalments due there,
one instalment for a pharmacist, and the service's figures per pharmacy and list of
pharmacies with instalments not recorded (today's and the previous working days')."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from beacon.clients.models import Client
from beacon.core import working_days
from beacon.core.models import PartnerOrganisation, Provider, Site, User
from beacon.core.permissions import ensure_can
from beacon.pharmacy.models import PharmacyChase, PharmacyMessage, Supply
from beacon.pharmacy.rules import DISPENSE
from beacon.prescribing import hooks as prescribing_hooks
from beacon.prescribing.models import Instalment, Prescription
from beacon.prescribing.selectors import supply_blocked_ids

# The due list shows today and this many days after it (issue 14: "the next few days").
DAYS_AHEAD = 3
# The longest instalment (a weekly supply, or 14 days): a pending one that began this long
# ago may still have days left to supply under the remaining-days wording.
LONGEST_INSTALMENT_DAYS = 14


def user_pharmacy(*, user: User) -> PartnerOrganisation:
    """The pharmacy a pharmacist works at (refused for anyone else)."""
    ensure_can(user, DISPENSE)
    return user.partner_organisation


def pharmacy_site(*, user: User) -> Site | None:
    """The site of the pharmacist's pharmacy (its naloxone stock, its NSP), or None when
    the service has not opened one for it yet (`services.pharmacy_site_open`)."""
    pharmacy = user_pharmacy(user=user)
    return Site.objects.filter(pharmacy_profile__pharmacy=pharmacy).first()


def pharmacy_of_site(*, site: Site) -> PartnerOrganisation | None:
    """The pharmacy whose premises the site is, or None for one of the service's own."""
    return PartnerOrganisation.objects.filter(pharmacy_profile__site=site).first()


def pharmacy_clients(*, user: User, today: datetime.date) -> QuerySet[Client]:
    """The clients dispensing at the pharmacist's pharmacy today (a current prescription
    there): the people the pharmacist already knows by name and date of birth, and no
    one else (issue 14)."""
    pharmacy = user_pharmacy(user=user)
    dispensing = (
        Prescription.objects.current(on=today)
        .filter(provider_id=user.provider_id, pharmacy=pharmacy)
        .values("client_id")
    )
    return Client.objects.filter(provider_id=user.provider_id, pk__in=dispensing).order_by(
        "last_name", "first_name", "pk"
    )


def _at_pharmacy(*, user: User) -> QuerySet[Instalment]:
    """The instalments of the user's provider dispensed at the user's pharmacy, with what a
    pharmacist is shown of the client and the prescription (never the client's record)."""
    pharmacy = user_pharmacy(user=user)
    return user.provider.ost_instalments.filter(prescription__pharmacy=pharmacy).select_related(
        "prescription__client", "prescription__prescriber", "pharmacy_supply"
    )


@dataclass(frozen=True)
class DueInstalment:
    """One line of the pharmacist's due list: the instalment, and whether supply is stopped
    ("do not supply: contact the prescriber", H-163)."""

    instalment: Instalment
    do_not_supply: bool


def _still_due(instalment: Instalment, today: datetime.date) -> bool:
    prescription = instalment.prescription
    if instalment.date > prescription.last_day or prescription.last_day < prescription.start_date:
        return False
    if instalment.date == today:
        return True  # today's, recorded or not: what the pharmacy did today
    if instalment.date > today:  # the next days only, not the whole schedule
        return instalment.date <= today + datetime.timedelta(days=DAYS_AHEAD)
    # Before today only a multi-day instalment not yet recorded, with days left.
    return not instalment.outcome and instalment.last_day >= today


def instalments_due(*, user: User, today: datetime.date) -> list[DueInstalment]:
    """The instalments due at the pharmacist's pharmacy today and in the next `DAYS_AHEAD`
    days, with a pending multi-day instalment whose first day passed but whose days are not
    over; nothing else of the client's history (issue 14)."""
    rows = [
        instalment
        for instalment in _at_pharmacy(user=user)
        .filter(
            date__gte=today - datetime.timedelta(days=LONGEST_INSTALMENT_DAYS - 1),
            date__lte=today + datetime.timedelta(days=DAYS_AHEAD),
        )
        .exclude(prescription__status=Prescription.Status.ENDED, prescription__ended_on__lt=today)
        .order_by("date", "prescription__client__last_name", "prescription__client__first_name")
        if _still_due(instalment, today)
    ]
    blocked = supply_blocked_ids(
        prescription_ids={row.prescription_id for row in rows}, today=today
    )
    return [DueInstalment(row, row.prescription_id in blocked) for row in rows]


def due_filtered(
    rows: list[DueInstalment], *, day: datetime.date | None = None, how: str = "", name: str = ""
) -> list[DueInstalment]:
    """The due list narrowed: to one `day`, to supervised or take-home (`how`), to clients
    whose name contains `name` (any case, first or last name)."""
    words = name.lower().split()
    found = []
    for row in rows:
        instalment = row.instalment
        if day is not None and instalment.date != day:
            continue
        if how and instalment.supervised != (how == "supervised"):
            continue
        client = instalment.prescription.client
        full = f"{client.first_name} {client.last_name}".lower()
        if any(word not in full for word in words):
            continue
        found.append(row)
    return found


def pharmacy_instalment_get(*, user: User, instalment_id: int) -> Instalment:
    """One instalment on the pharmacist's due list (`_still_due`: today's, the next days',
    a multi-day one still running): another pharmacy's, another provider's, an old or a
    far-off one is not found (404), for page and token alike: a pharmacist reads no history
    beyond what the list shows (issue 14)."""
    instalment = _at_pharmacy(user=user).filter(pk=instalment_id).first()
    if instalment is None or not _still_due(instalment, timezone.localdate()):
        raise Http404("No such instalment at your pharmacy")
    return instalment


def client_representatives(*, client: Client) -> list[str]:
    """Who the client agreed may collect for them (the apps that keep the list answer)."""
    return [
        name for names in prescribing_hooks.authorised_representatives for name in names(client)
    ]


def instalment_do_not_supply(*, instalment: Instalment, today: datetime.date) -> bool:
    return instalment.prescription_id in supply_blocked_ids(
        prescription_ids=[instalment.prescription_id], today=today
    )


# The service's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class PharmacyFigures:
    pharmacy: PartnerOrganisation
    clients: int
    supervised_due: int  # supervised instalments of the month so far, recorded
    supervised_supplied: int  # of which consumed under supervision
    missed: int  # days of doses missed this month (not instalments: one may cover days)

    @property
    def supervised_rate(self) -> Decimal | None:
        if not self.supervised_due:
            return None
        return (Decimal(100) * self.supervised_supplied / self.supervised_due).quantize(Decimal(1))


def pharmacies_of(*, provider: Provider) -> QuerySet[PartnerOrganisation]:
    return provider.partner_organisations.filter(kind=PartnerOrganisation.Kind.PHARMACY)


def pharmacy_figures(
    *, provider: Provider, today: datetime.date, first: datetime.date | None = None
) -> list[PharmacyFigures]:
    """Per pharmacy of the provider: clients dispensing there on `today` (the period's last
    day), the supervised consumption rate in the period (`first` to `today`; by default
    this month so far: supervised instalments supplied under supervision, of those
    recorded), and the days of doses missed in it (H-172)."""
    first = first or today.replace(day=1)
    this_month = Q(
        ost_prescriptions__instalments__date__gte=first,
        ost_prescriptions__instalments__date__lte=today,
    )
    supervised = this_month & Q(ost_prescriptions__instalments__supervised=True)
    counted = pharmacies_of(provider=provider).annotate(
        supervised_due=Count(
            "ost_prescriptions__instalments",
            filter=supervised & ~Q(ost_prescriptions__instalments__outcome=""),
        ),
        supervised_supplied=Count(
            "ost_prescriptions__instalments",
            filter=supervised
            & Q(ost_prescriptions__instalments__pharmacy_supply__supply=Supply.SUPERVISED),
        ),
    )
    missed = missed_days_by_pharmacy(provider=provider, first=first, last=today)
    clients = dict(
        Prescription.objects.current(on=today)
        .filter(provider=provider, pharmacy__isnull=False)
        .values("pharmacy")
        .annotate(n=Count("client", distinct=True))
        .values_list("pharmacy", "n")
    )
    return [
        PharmacyFigures(
            pharmacy=pharmacy,
            clients=clients.get(pharmacy.pk, 0),
            supervised_due=pharmacy.supervised_due,
            supervised_supplied=pharmacy.supervised_supplied,
            missed=missed.get(pharmacy.pk, 0),
        )
        for pharmacy in counted
    ]


def _overlap(start: datetime.date, days: int, first: datetime.date, last: datetime.date) -> int:
    end = start + datetime.timedelta(days=days - 1)
    return max(0, (min(end, last) - max(start, first)).days + 1)


def missed_days_by_pharmacy(
    *, provider: Provider, first: datetime.date, last: datetime.date
) -> dict[int, int]:
    """Pharmacy id → the days of doses missed from `first` to `last`: an instalment covers
    `covers_days` days and its `days_missed` are its first ones (all of a missed one, the
    first of one collected late), so a weekly instalment not collected is 7 missed days,
    counted in the month each day falls in (H-172). The days, not the instalments, are
    summed: only the instalments with missed days touching the period are read."""
    touching = Instalment.objects.filter(
        provider=provider,
        prescription__pharmacy__isnull=False,
        days_missed__gt=0,
        not_delivered_by_service="",
        date__gte=first - datetime.timedelta(days=LONGEST_INSTALMENT_DAYS - 1),
        date__lte=last,
    ).values_list("prescription__pharmacy", "date", "days_missed")
    missed: dict[int, int] = {}
    for pharmacy_id, day, days in touching:
        missed[pharmacy_id] = missed.get(pharmacy_id, 0) + _overlap(day, days, first, last)
    return missed


@dataclass(frozen=True)
class NotRecorded:
    pharmacy: PartnerOrganisation
    instalments: int
    days: list[datetime.date]  # the days with instalments not recorded, oldest first


def chase_from(today: datetime.date) -> datetime.date:
    """The first day the pharmacies to phone cover: the `BEACON_PHARMACY_CHASE_WORKING_DAYS`
    -th working day (Monday to Friday, not a bank holiday) before today, so the days of a
    weekend are phoned about on the Monday with the Friday (H-173)."""
    return working_days.working_days_before(today, settings.BEACON_PHARMACY_CHASE_WORKING_DAYS)


def not_recorded_by_pharmacy() -> Q:
    """An instalment the pharmacy did not record: no outcome yet, or recorded as missed by
    the end-of-day command (no one recorded it), never by the pharmacy or the service's
    staff; the service's own failures are not the pharmacy's."""
    return Q(pharmacy_supply__isnull=True, not_delivered_by_service="") & (
        Q(outcome="") | Q(outcome=Instalment.Outcome.MISSED, outcome_recorded_by__isnull=True)
    )


def pharmacies_not_recorded(*, provider: Provider, today: datetime.date) -> list[NotRecorded]:
    """The pharmacies with instalments not recorded today and on the previous working days
    (`chase_from`), leaving out each day the service already phoned them about (their
    `PharmacyChase`): the service phones them before the day's end (H-168, H-173)."""
    chased = PharmacyChase.objects.filter(
        provider=provider, pharmacy=OuterRef("prescription__pharmacy"), day=OuterRef("date")
    )
    rows = (
        Instalment.objects.filter(
            not_recorded_by_pharmacy(),
            provider=provider,
            prescription__pharmacy__isnull=False,
            date__gte=chase_from(today),
            date__lte=today,
        )
        # Ended from a later day: its instalments are still due until then.
        .exclude(
            prescription__status=Prescription.Status.ENDED, prescription__ended_on__lt=F("date")
        )
        .exclude(Exists(chased))
        .values("prescription__pharmacy", "date")
        .annotate(n=Count("pk"))
        .order_by("prescription__pharmacy", "date")
    )
    by_pharmacy: dict[int, list[tuple[datetime.date, int]]] = {}
    for row in rows:
        by_pharmacy.setdefault(row["prescription__pharmacy"], []).append((row["date"], row["n"]))
    return [
        NotRecorded(
            pharmacy=pharmacy,
            instalments=sum(n for _day, n in by_pharmacy[pharmacy.pk]),
            days=[day for day, _n in by_pharmacy[pharmacy.pk]],
        )
        for pharmacy in pharmacies_of(provider=provider).filter(pk__in=by_pharmacy)
    ]


def pharmacy_get(*, provider: Provider, pharmacy_id: int) -> PartnerOrganisation:
    """One partner pharmacy of the provider (404 otherwise)."""
    pharmacy = pharmacies_of(provider=provider).filter(pk=pharmacy_id).first()
    if pharmacy is None:
        raise Http404("No such pharmacy")
    return pharmacy


def prescription_messages(*, prescription: Prescription) -> QuerySet[PharmacyMessage]:
    """The pharmacists' messages to the prescriber about the prescription's instalments,
    newest first (H-174)."""
    return PharmacyMessage.objects.filter(
        provider_id=prescription.provider_id, instalment__prescription=prescription
    ).select_related("pharmacy", "instalment", "written_by")
