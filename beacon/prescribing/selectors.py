"""Reads of OST prescribing: one prescription or instalment for a user, a client's
prescriptions, a schedule, time to first prescription."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from beacon.clients.models import Client
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.prescribing.models import (
    DoseChange,
    Instalment,
    MissedDoseReview,
    Prescription,
    TimeToPrescription,
)
from beacon.treatment.models import TreatmentEpisode

VIEW = "prescribing.view_prescription"


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


def has_active_prescription(*, episode: TreatmentEpisode) -> bool:
    """An OST prescription of the episode is still running (active or suspended for review)."""
    return episode.ost_prescriptions.exclude(status=Prescription.Status.ENDED).exists()


def referral_to_first_prescription(*, client: Client) -> TimeToPrescription | None:
    """From the referral of the client's latest episode with OST to its first prescription
    (the rule itself: `PrescriptionQuerySet.referral_to_first_prescription`)."""
    return client.ost_prescriptions.referral_to_first_prescription()


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
