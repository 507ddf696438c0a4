"""Reads of OST prescribing: one prescription or instalment for a user, a client's
prescriptions, a schedule, time to first prescription."""

import datetime

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


def prescriptions_not_over(*, client: Client, on: datetime.date) -> QuerySet[Prescription]:
    """The client's prescriptions still supplying on or after `on`: current that day
    (active or suspended for review) or yet to start. Their instalments from `on` are still
    due; a prescription whose last day has passed is over without anyone ending it."""
    return client.ost_prescriptions.not_over(on=on)


def referral_to_first_prescription(*, client: Client) -> TimeToPrescription | None:
    """From the referral of the client's latest episode with OST to its first prescription
    (the rule itself: `PrescriptionQuerySet.referral_to_first_prescription`)."""
    return client.ost_prescriptions.referral_to_first_prescription()
