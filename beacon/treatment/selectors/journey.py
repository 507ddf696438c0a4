"""Reads of the journey: one referral, triage, assessment, episode or modality, a client's
history, the open episode, re-presentation, OST status.

Each loader checks the role first (403 whether or not the record exists), then loads through
the user's provider (another provider's record is a 404), then checks the rule against the
record's client (403).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from beacon.clients.models import Client
from beacon.clients.selectors import client_get
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.treatment.codes import REPRESENTATION_WINDOW_DAYS, SUCCESSFUL_COMPLETIONS
from beacon.treatment.models import (
    Assessment,
    Modality,
    Referral,
    TreatmentEpisode,
    Triage,
)

VIEW = "treatment.view_journey"


def treatment_client_get(*, user: User, client_number: str, permission: str = VIEW) -> Client:
    """The client whose treatment record is asked for, through `clients.selectors.client_get`
    once the role may `permission` at all."""
    ensure_can(user, permission)
    return client_get(user=user, client_number=client_number, permission=permission)


def referral_get(*, user: User, referral_id: int, permission: str = VIEW) -> Referral:
    """One referral, with its client, triage, assessment and episode."""
    ensure_can(user, permission)
    referral = get_object_or_404(
        Referral.objects.filter(provider_id=user.provider_id).select_related(
            "client", "triage", "assessment", "episode"
        ),
        pk=referral_id,
    )
    ensure_can(user, permission, referral.client)
    return referral


def triage_get(*, user: User, referral_id: int, permission: str = VIEW) -> Triage:
    """The triage of a referral (404 before it is triaged)."""
    referral = referral_get(user=user, referral_id=referral_id, permission=permission)
    triage = getattr(referral, "triage", None)
    if triage is None:
        raise Http404("This referral has not been triaged")
    triage.referral = referral  # already loaded, with its client and episode
    return triage


def assessment_get(*, user: User, referral_id: int, permission: str = VIEW) -> Assessment:
    """The comprehensive assessment of a referral (404 before there is one)."""
    referral = referral_get(user=user, referral_id=referral_id, permission=permission)
    assessment = getattr(referral, "assessment", None)
    if assessment is None:
        raise Http404("This referral has no comprehensive assessment")
    assessment.referral = referral
    return assessment


def episode_get(*, user: User, episode_id: int, permission: str = VIEW) -> TreatmentEpisode:
    """One treatment episode, with its client, referral and keyworker."""
    ensure_can(user, permission)
    episode = get_object_or_404(
        TreatmentEpisode.objects.filter(provider_id=user.provider_id).select_related(
            "client", "referral", "keyworker"
        ),
        pk=episode_id,
    )
    ensure_can(user, permission, episode.client)
    return episode


def modality_get(*, user: User, modality_id: int, permission: str = VIEW) -> Modality:
    """One modality, reached through its episode (which carries the provider)."""
    ensure_can(user, permission)
    episode = get_object_or_404(
        TreatmentEpisode.objects.filter(provider_id=user.provider_id).select_related(
            "client", "referral"
        ),
        modalities__pk=modality_id,
    )
    ensure_can(user, permission, episode.client)
    modality = episode.modalities.get(pk=modality_id)
    modality.episode = episode  # already loaded, with its client and referral
    return modality


def episode_keyworker(*, user: User, keyworker_id: int | None) -> User | None:
    """The active keyworker of the user's service chosen for an episode (none when not given)."""
    if keyworker_id is None:
        return None
    keyworker = User.objects.filter(
        provider_id=user.provider_id, pk=keyworker_id, role=Role.KEYWORKER, is_active=True
    ).first()
    if keyworker is None:
        raise ValidationError({"keyworker_id": "No active keyworker with this id in your service"})
    return keyworker


def client_referrals(*, client: Client) -> QuerySet[Referral]:
    """Every referral of the client, newest first, with its triage, assessment and episode."""
    return client.referrals.select_related(
        "triage", "assessment", "episode", "episode__keyworker", "created_by"
    ).prefetch_related(
        Prefetch("episode__modalities", queryset=Modality.objects.order_by("referred_date", "id"))
    )


def open_episode(*, client: Client) -> TreatmentEpisode | None:
    return client.episodes.filter(discharge_date__isnull=True).select_related("referral").first()


def open_episode_required(*, client: Client, field: str | None = None) -> TreatmentEpisode:
    """The open episode, which plans and TOPs belong to; refused (on `field`) without one."""
    episode = open_episode(client=client)
    if episode is None:
        message = f"{client.known_as} has no open treatment episode: start one first"
        raise ValidationError({field: message} if field else message)
    return episode


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
