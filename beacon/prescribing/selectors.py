"""Reads of OST prescribing: one prescription or instalment for a user, a client's
prescriptions, a schedule, time to first prescription."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.selectors import client_search
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.prescribing import safety
from beacon.prescribing.medicines import MEDICINES
from beacon.prescribing.models import (
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
    TimeToPrescription,
)
from beacon.prescribing.rules import VIEW


def prescription_get(*, user: User, prescription_id: int, permission: str = VIEW) -> Prescription:
    """One prescription of the user's provider, with its client, prescriber, pharmacy and
    dose changes. The role is checked first (403 whether or not the id exists), then the
    record is found (404, also for another provider's), then the role against its client."""
    ensure_can(user, permission)
    prescription = (
        user.provider.prescriptions.select_related("client", "prescriber", "pharmacy")
        .prefetch_related(
            Prefetch("dose_changes", queryset=DoseChange.objects.select_related("changed_by"))
        )
        .filter(pk=prescription_id)
        .first()
    )
    if prescription is None:
        raise Http404("No such prescription")
    ensure_can(user, permission, prescription.client)
    return prescription


def instalment_get(*, user: User, instalment_id: int, permission: str = VIEW) -> Instalment:
    """One instalment of the user's provider, with its prescription and client; checked
    like `prescription_get`."""
    ensure_can(user, permission)
    instalment = (
        user.provider.ost_instalments.select_related("prescription__client")
        .filter(pk=instalment_id)
        .first()
    )
    if instalment is None:
        raise Http404("No such instalment")
    ensure_can(user, permission, instalment.prescription.client)
    return instalment


def client_prescriptions(*, client: Client) -> QuerySet[Prescription]:
    """Every OST prescription of the client, newest first, with who wrote it and where."""
    return client.ost_prescriptions.select_related("prescriber", "pharmacy").prefetch_related(
        Prefetch("dose_changes", queryset=DoseChange.objects.select_related("changed_by"))
    )


def prescription_instalments(*, prescription: Prescription) -> QuerySet[Instalment]:
    return prescription.instalments.select_related("outcome_recorded_by").order_by("date")


def prescription_reviews(*, prescription: Prescription) -> QuerySet[MissedDoseReview]:
    return prescription.missed_dose_reviews.select_related("reviewed_by")


def prescriptions_not_over(*, client: Client, on: datetime.date) -> QuerySet[Prescription]:
    """The client's prescriptions still supplying on or after `on`: current that day
    (active or suspended for review) or yet to start. Their instalments from `on` are still
    due; a prescription whose last day has passed is over without anyone ending it."""
    return client.ost_prescriptions.not_over(on=on)


def referral_to_first_prescription(*, client: Client) -> TimeToPrescription | None:
    """From the referral of the client's latest episode with OST to its first prescription
    (the rule itself: `PrescriptionQuerySet.referral_to_first_prescription`)."""
    return client.ost_prescriptions.referral_to_first_prescription()


def prescriptions_ending_soon(
    *, user: User, today: datetime.date, query: str = ""
) -> list[Prescription]:
    """Current prescriptions of clients the user may open whose last day is within the next
    `BEACON_OST_ENDING_SOON_DAYS` days (3) with no prescription of the same substance to
    follow them by the day after: soonest first. A prescription a prescriber ended on
    purpose (a planned stop) is not listed. Two queries, whatever the number of rows."""
    until = today + datetime.timedelta(days=safety.threshold("BEACON_OST_ENDING_SOON_DAYS"))
    candidates = list(
        Prescription.objects.current(on=today)
        .filter(
            provider_id=user.provider_id,
            ended_on__isnull=True,
            end_date__lte=until,
            client__in=client_search(user=user, query=query),
        )
        .select_related("client", "prescriber", "pharmacy")
        .order_by("end_date", "client__last_name", "id")
    )
    later = Prescription.objects.filter(
        client_id__in={p.client_id for p in candidates},
        start_date__gt=today,
        start_date__lte=until + datetime.timedelta(days=1),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")))
    starts: dict[tuple[int, str], list[datetime.date]] = {}
    for client_id, medicine, start in later.values_list("client_id", "medicine", "start_date"):
        starts.setdefault((client_id, MEDICINES[medicine].substance), []).append(start)
    return [
        p
        for p in candidates
        if not any(
            p.end_date < start <= p.end_date + datetime.timedelta(days=1)
            for start in starts.get((p.client_id, p.medicine_info.substance), [])
        )
    ]


def prescription_total_quantity(*, prescription: Prescription) -> Decimal:
    """The total of the prescription's instalments in mg (each at the dose of its day)."""
    return prescription.instalments.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


@dataclass(frozen=True)
class CrossTitration:
    """A planned overlap of the two OST substances: one plan, two prescriptions."""

    switching_from: Prescription  # the prescription already running
    switching_to: Prescription  # the one written with the overlap's last day
    overlap_from: datetime.date
    overlap_until: datetime.date


def client_cross_titrations(*, client: Client, today: datetime.date) -> list[CrossTitration]:
    """The client's current cross-titrations: a prescription that has not ended, with a
    last day of the cross-titration (`Prescription.cross_titration_until`, checked by
    safety.cross_titration_warnings) not yet passed, paired with the prescription of the
    other substance it overlaps."""
    current = list(client_prescriptions(client=client).exclude(status=Prescription.Status.ENDED))
    plans = []
    for written in current:
        until = written.cross_titration_until
        if until is None or until < today:
            continue
        substance = written.medicine_info.substance
        running = next(
            (
                other
                for other in sorted(current, key=lambda p: p.start_date)
                if other.medicine_info.substance != substance
                and other.start_date <= until
                and (other.ended_on or other.end_date) >= written.start_date
            ),
            None,
        )
        if running is not None:
            plans.append(
                CrossTitration(
                    switching_from=running,
                    switching_to=written,
                    overlap_from=max(written.start_date, running.start_date),
                    overlap_until=until,
                )
            )
    return plans
