"""Reads of OST prescribing: one prescription or instalment for a user, a client's
prescriptions, a schedule, time to first prescription, and the prescriber's worklist
(ending soon, suspended for review, late injections)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404

from beacon.clients.models import Client
from beacon.clients.selectors import client_search
from beacon.core.models import Team, User
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
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> list[Prescription]:
    """Current prescriptions of clients the user may open whose last day is within the next
    `BEACON_OST_ENDING_SOON_DAYS` days (3) with no prescription of the same substance to
    follow them by the day after: the user's own first (`own_first`), soonest first. A
    prescription a prescriber ended on purpose (a planned stop) is not listed. Two queries,
    whatever the number of rows."""
    until = today + datetime.timedelta(days=safety.threshold("BEACON_OST_ENDING_SOON_DAYS"))
    candidates = list(
        Prescription.objects.current(on=today)
        .filter(
            provider_id=user.provider_id,
            ended_on__isnull=True,
            end_date__lte=until,
            client__in=client_search(user=user, query=query, team=team, keyworker=keyworker),
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
    return own_first(
        [
            p
            for p in candidates
            if not any(
                p.end_date < start <= p.end_date + datetime.timedelta(days=1)
                for start in starts.get((p.client_id, p.medicine_info.substance), [])
            )
        ],
        user=user,
    )


def own_first(prescriptions: Iterable[Prescription], *, user: User) -> list[Prescription]:
    """The prescriptions the user wrote first, then the rest of the service, each part in
    the order given. A prescriber starts on their own clients, and a colleague's client
    (away today) is still on the list, below them (H-134)."""
    return sorted(prescriptions, key=lambda p: p.prescriber_id != user.pk)


def clients_prescribed_by(*, user: User, today: datetime.date) -> QuerySet[Prescription, dict]:
    """The ids of the clients with a prescription by the user still supplying on or after
    `today` (as `client_id` values): a prescriber's own clients, for treatment's worklist
    section (registered in apps.py, beacon/treatment/hooks.py `prescriber_clients`)."""
    return (
        user.provider.prescriptions.not_over(on=today).filter(prescriber=user).values("client_id")
    )


def prescriptions_awaiting_review(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> list[Prescription]:
    """Current prescriptions of clients the user may open (narrowed like the ending-soon
    list) whose supply is refused today, waiting for a prescriber's review: suspended for
    review, or still active with the days missed in a row at the threshold
    (safety.supply_blocked, the rule check_outcome and services.missed_dose_review_record
    apply). The user's own first, then longest waiting: the first day of the run not
    supplied, then the client's name. Three queries, whatever the number of rows."""
    clients = client_search(user=user, query=query, team=team, keyworker=keyworker)
    candidates = _with_past_instalments(
        Prescription.objects.current(on=today)
        .filter(provider_id=user.provider_id, client__in=clients)
        .select_related("client", "prescriber"),
        today=today,
    )
    waiting = [p for p in candidates if safety.supply_blocked(p, on=today, prefetched=True)]
    return own_first(
        sorted(
            waiting,
            key=lambda p: (
                _unsupplied_since(p, today=today),
                p.client.last_name,
                p.client.first_name,
                p.pk,
            ),
        ),
        user=user,
    )


def _unsupplied_since(prescription: Prescription, *, today: datetime.date) -> datetime.date:
    # The first day of the run not supplied before today that a review has not answered
    # (safety.consecutive_missed_days reads the same run); today when there is none.
    covered = max((r.covers_up_to for r in prescription.missed_dose_reviews.all()), default=None)
    since = today
    for instalment in prescription.past_instalments:  # type: ignore[attr-defined]  # prefetched
        if instalment.date >= today:
            continue
        if (covered is not None and instalment.date <= covered) or instalment.is_supplied:
            break
        if instalment.not_delivered_by_service:
            continue
        since = instalment.date
    return since


INJECTION_MEDICINES = frozenset(code for code, info in MEDICINES.items() if info.is_injection)


def injections_awaiting_decision(
    *,
    user: User,
    today: datetime.date,
    query: str = "",
    team: Team | None = None,
    keyworker: User | None = None,
) -> QuerySet[Instalment]:
    """Prolonged-release injections of clients the user may open (narrowed like the
    ending-soon list) that were due before today with no outcome: whether each is given late
    or skipped is a prescriber's decision (safety.late_injection_needs_decision is the same
    rule for one instalment; a test holds the two equal). Prescriptions ended on purpose
    are left out. Those the user prescribed first, then oldest first; one query."""
    clients = client_search(user=user, query=query, team=team, keyworker=keyworker)
    return (
        Instalment.objects.filter(
            provider_id=user.provider_id,
            outcome=Instalment.Outcome.PENDING,
            date__lt=today,
            prescription__medicine__in=INJECTION_MEDICINES,
            prescription__client__in=clients,
        )
        .exclude(prescription__status=Prescription.Status.ENDED)
        .select_related("prescription__client", "prescription__prescriber")
        .annotate(
            someone_elses=Case(
                When(prescription__prescriber_id=user.pk, then=Value(0)), default=Value(1)
            )
        )
        .order_by("someone_elses", "date", "id")
    )


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


def _with_past_instalments(
    prescriptions: "QuerySet[Prescription]", *, today: datetime.date
) -> "QuerySet[Prescription]":
    # Every instalment up to today (newest first) as `past_instalments`, and the missed-dose
    # reviews: what today's dose and safety.consecutive_missed_days(prefetched=True) read.
    past = Instalment.objects.filter(date__lte=today).order_by("-date", "-id")
    return prescriptions.prefetch_related(
        "missed_dose_reviews",
        Prefetch("instalments", queryset=past, to_attr="past_instalments"),
    )


def client_prescriptions_today(*, client: Client, today: datetime.date) -> list[Prescription]:
    """The client's prescriptions still to supply on or after `today` (current today, or
    yet to start), soonest first, each with its dose changes, pharmacy, missed-dose reviews
    and, as `past_instalments`, its instalments up to today (newest first): four queries,
    however many prescriptions, instalments or dose changes."""
    return list(
        _with_past_instalments(
            client.ost_prescriptions.not_over(on=today)
            .select_related("pharmacy")
            .prefetch_related("dose_changes")
            .order_by("start_date", "id"),
            today=today,
        )
    )


def supply_blocked_ids(*, prescription_ids: Iterable[int], today: datetime.date) -> set[int]:
    """Of these prescriptions, those whose supply is refused today (suspended for review,
    or the days missed in a row have reached the threshold: safety.supply_blocked), for a
    higher app that hands out doses (delivery's parcels): three queries."""
    prescriptions = _with_past_instalments(
        Prescription.objects.filter(pk__in=list(prescription_ids)), today=today
    )
    return {p.pk for p in prescriptions if safety.supply_blocked(p, on=today, prefetched=True)}
