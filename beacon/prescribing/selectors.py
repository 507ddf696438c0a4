"""Reads of OST prescribing: a client's prescriptions, a schedule, time to first prescription."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from beacon.clients.models import Client
from beacon.prescribing.models import DoseChange, Instalment, Prescription


def client_prescriptions(*, client: Client) -> QuerySet[Prescription]:
    """Every OST prescription of the client, newest first, with who wrote it and where."""
    return client.ost_prescriptions.select_related("prescriber", "pharmacy").prefetch_related(
        Prefetch("dose_changes", queryset=DoseChange.objects.select_related("changed_by"))
    )


def prescription_instalments(*, prescription: Prescription) -> QuerySet[Instalment]:
    return prescription.instalments.select_related("outcome_recorded_by").order_by("date")


def has_active_prescription(*, episode) -> bool:
    """An OST prescription of the episode is still running (active or suspended for review)."""
    return episode.ost_prescriptions.exclude(status=Prescription.Status.ENDED).exists()


@dataclass(frozen=True)
class TimeToPrescription:
    referral_date: datetime.date
    first_prescription_date: datetime.date

    @property
    def days(self) -> int:
        return (self.first_prescription_date - self.referral_date).days


def referral_to_first_prescription(*, client: Client) -> TimeToPrescription | None:
    """From the referral of the client's latest episode with OST to its first prescription.

    The latest episode that has a prescription counts, so a client who re-presents is
    measured on the current journey, not an old one.
    """
    return time_to_first_prescription(client.ost_prescriptions.all())


def time_to_first_prescription(prescriptions: QuerySet) -> TimeToPrescription | None:
    """The same, over one client's prescriptions (the client page reaches it this way)."""
    latest = (
        prescriptions.select_related("episode__referral")
        .order_by("-episode__start_date", "-episode_id")
        .first()
    )
    if latest is None:
        return None
    first = prescriptions.filter(episode_id=latest.episode_id).order_by("start_date").first()
    return TimeToPrescription(
        referral_date=latest.episode.referral.referral_date,
        first_prescription_date=first.start_date,
    )
