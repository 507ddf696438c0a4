"""Reads of the journey: a client's history, the open episode, re-presentation, OST status."""

import datetime

from django.db.models import Prefetch, QuerySet

from beacon.clients.models import Client
from beacon.treatment.codes import REPRESENTATION_WINDOW_DAYS, SUCCESSFUL_COMPLETIONS
from beacon.treatment.models import Modality, Referral, TreatmentEpisode


def client_referrals(*, client: Client) -> QuerySet[Referral]:
    """Every referral of the client, newest first, with its triage, assessment and episode."""
    return client.referrals.select_related(
        "triage", "assessment", "episode", "episode__keyworker", "created_by"
    ).prefetch_related(
        Prefetch("episode__modalities", queryset=Modality.objects.order_by("referred_date", "id"))
    )


def open_episode(*, client: Client) -> TreatmentEpisode | None:
    return client.episodes.filter(discharge_date__isnull=True).select_related("referral").first()


def successful_completion_before(
    *, client: Client, on: datetime.date, excluding_referral: Referral | None = None
) -> TreatmentEpisode | None:
    """The successful completion that `on` re-presents after, if within 6 months.

    Re-presentation (as NDTMS analyses count it, reference S10): a client whose episode
    ended in a successful completion comes back within 6 months of that discharge.
    Asked about an existing referral, pass it as `excluding_referral`: its own episode
    (discharged on its referral date) is not a completion it comes back after.
    """
    window_start = on - datetime.timedelta(days=REPRESENTATION_WINDOW_DAYS)
    completions = client.episodes.filter(
        discharge_reason__in=SUCCESSFUL_COMPLETIONS,
        discharge_date__gte=window_start,
        discharge_date__lte=on,
    )
    if excluding_referral is not None:
        completions = completions.exclude(referral=excluding_referral)
    return completions.order_by("-discharge_date").first()


def episode_on_ost(episode: TreatmentEpisode) -> bool:
    """Opioid substitution is running: a started, unfinished OST modality."""
    return any(m.ost_medicine and m.start_date and not m.end_date for m in episode.modalities.all())
