"""Reads of the journey: one referral, triage, assessment, episode or modality, a client's
history, the open episode, re-presentation, OST status.

Each loader checks the role first (403 whether or not the record exists), then loads through
the user's provider (another provider's record is a 404), then checks the rule against the
record's client (403).
"""

import calendar
import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404

from beacon.clients.models import Client
from beacon.clients.selectors import client_get
from beacon.core.models import User
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.treatment.codes import (
    OPIATES,
    REPRESENTATION_MONTHS,
    SUCCESSFUL_COMPLETIONS,
    Substance,
    SubstanceGroup,
    substance_group_of,
)
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


def _referral_step(referral: Referral, step: str, missing: str) -> Any:
    """The referral's triage or assessment (`step`), or a 404 saying it is `missing`."""
    record = getattr(referral, step, None)
    if record is None:
        raise Http404(missing)
    record.referral = referral  # already loaded, with its client and episode
    return record


def triage_get(*, user: User, referral_id: int, permission: str = VIEW) -> Triage:
    """The triage of a referral (404 before it is triaged)."""
    referral = referral_get(user=user, referral_id=referral_id, permission=permission)
    return _referral_step(referral, "triage", "This referral has not been triaged")


def assessment_get(*, user: User, referral_id: int, permission: str = VIEW) -> Assessment:
    """The comprehensive assessment of a referral (404 before there is one)."""
    referral = referral_get(user=user, referral_id=referral_id, permission=permission)
    return _referral_step(referral, "assessment", "This referral has no comprehensive assessment")


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


def open_episode_summary(*, client: Client) -> TreatmentEpisode | None:
    """The client's open episode with its keyworker and modalities (the client page's
    summary): two queries."""
    return (
        client.episodes.filter(discharge_date__isnull=True)
        .select_related("keyworker")
        .prefetch_related(
            Prefetch("modalities", queryset=Modality.objects.order_by("referred_date", "id"))
        )
        .first()
    )


def open_episode_required(*, client: Client, field: str | None = None) -> TreatmentEpisode:
    """The open episode, which plans and TOPs belong to; refused (on `field`) without one."""
    episode = open_episode(client=client)
    if episode is None:
        message = f"{client.known_as} has no open treatment episode: start one first"
        raise ValidationError({field: message} if field else message)
    return episode


# Re-presentation to this provider -------------------------------------------------------
#
# A client whose episode ended in a successful completion is triaged again, on a referral
# not closed at triage, strictly after that discharge and on or before the same day of the
# month REPRESENTATION_MONTHS calendar months later (the month's last day when it is
# shorter: 31 August -> 28 February). Only this provider's episodes are seen: NDTMS matches
# people across every provider, so its national figure can differ.
#
# A date's "month key" (year * 12 + month) * 32 + day orders dates as they fall, and a
# triage is within the window exactly when its key is at most the discharge's key plus
# REPRESENTATION_MONTHS * 32: the same day number in the month six months on, or any day
# of that month when it is shorter. So the database decides it, on SQLite and PostgreSQL
# alike, with no month arithmetic of its own.

REPRESENTATION_HINT = "to this provider; NDTMS matches people nationally, so its figure can differ"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` calendar months on (or back), clamped to the end
    of a shorter month: 31 August + 6 months is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def representation_window_end(discharge_date: datetime.date) -> datetime.date:
    """The last triage date that re-presents after a successful completion on this date."""
    return add_months(discharge_date, REPRESENTATION_MONTHS)


def _month_key(field: str) -> Any:
    return (ExtractYear(field) * 12 + ExtractMonth(field)) * 32 + ExtractDay(field)


def _date_key(day: datetime.date) -> int:
    return (day.year * 12 + day.month) * 32 + day.day


def _completions() -> QuerySet[TreatmentEpisode]:
    return TreatmentEpisode.objects.filter(discharge_reason__in=SUCCESSFUL_COMPLETIONS).annotate(
        _window_end_key=_month_key("discharge_date") + REPRESENTATION_MONTHS * 32
    )


def with_representation(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Referrals annotated with `represents_after_id`: the successful completion (of the same
    client at the same provider) whose re-presentation the referral's triage is, or None.

    The one definition, for the journey page, the API and the KPIs: one query for any
    number of referrals (`.filter(represents_after_id__isnull=False).count()` counts them).
    """
    completion = (
        _completions()
        .filter(
            Q(_window_end_key__gte=OuterRef("_triage_key")),
            client_id=OuterRef("client_id"),
            provider_id=OuterRef("provider_id"),
            discharge_date__lt=OuterRef("triage__triage_date"),
        )
        .exclude(referral_id=OuterRef("pk"))
        .order_by("-discharge_date", "-id")
        .values("pk")[:1]
    )
    # A referral closed at triage (signposted, did not attend) is not a re-presentation.
    return referrals.annotate(_triage_key=_month_key("triage__triage_date")).annotate(
        represents_after_id=Case(
            When(triage__outcome=Triage.Outcome.ACCEPTED, then=Subquery(completion)),
            default=None,
            output_field=IntegerField(),
        )
    )


def representation_to_provider(*, referral: Referral) -> TreatmentEpisode | None:
    """The successful completion this referral's triage re-presents after, to this provider
    (see with_representation); None before triage, when closed at triage, or not within."""
    found = (
        with_representation(Referral.objects.filter(pk=referral.pk))
        .values_list("represents_after_id", flat=True)  # type: ignore[misc]
        .first()
    )
    return TreatmentEpisode.objects.filter(pk=found).first() if found else None


def representation_completions(referrals: list[Referral]) -> dict[int, TreatmentEpisode]:
    """For referrals read through with_representation: referral id -> the completion each
    re-presents after (one query for those not already loaded with the referrals)."""
    after = {r.pk: getattr(r, "represents_after_id", None) for r in referrals}
    loaded = {e.pk: e for r in referrals if (e := getattr(r, "episode", None))}
    wanted = {pk for pk in after.values() if pk} - set(loaded)
    loaded.update((e.pk, e) for e in TreatmentEpisode.objects.filter(pk__in=wanted))
    return {referral: loaded[pk] for referral, pk in after.items() if pk}


def representation_if_triaged(
    *, client: Client, on: datetime.date, excluding_referral: Referral | None = None
) -> TreatmentEpisode | None:
    """The successful completion a triage of `client` on `on` would re-present after: for
    the warning beside a new referral, before it is triaged. The same window as
    with_representation."""
    completions = _completions().filter(
        Q(_window_end_key__gte=_date_key(on)),
        client_id=client.pk,
        provider_id=client.provider_id,
        discharge_date__lt=on,
    )
    if excluding_referral is not None:
        completions = completions.exclude(referral_id=excluding_referral.pk)
    return completions.order_by("-discharge_date", "-id").first()


# The national substance groups ---------------------------------------------------------

_SUBSTANCE_FIELDS = [
    f"referral__assessment__{row}_substance" for row in ("primary", "secondary", "tertiary")
]


def substance_group(episode: TreatmentEpisode) -> SubstanceGroup | None:
    """The episode's national substance group (codes.substance_group_of), from its
    assessment; None when it has none."""
    assessment = getattr(episode.referral, "assessment", None)
    return substance_group_of(assessment.substances) if assessment else None


def with_substance_group(episodes: QuerySet[TreatmentEpisode]) -> QuerySet[TreatmentEpisode]:
    """Episodes annotated with `substance_group`, for counts in the database; the same rule
    as substance_group (tested against it)."""

    def names(*values: str) -> Q:
        return reduce(or_, (Q(**{f: v}) for f in _SUBSTANCE_FIELDS for v in values))

    drugs = [s for s in Substance.values if s != Substance.ALCOHOL]
    return episodes.annotate(
        substance_group=Case(
            When(names(*OPIATES), then=Value(SubstanceGroup.OPIATE.value)),
            When(
                names(Substance.ALCOHOL) & names(*drugs),
                then=Value(SubstanceGroup.NON_OPIATE_AND_ALCOHOL.value),
            ),
            When(names(Substance.ALCOHOL), then=Value(SubstanceGroup.ALCOHOL.value)),
            When(names(*drugs), then=Value(SubstanceGroup.NON_OPIATE.value)),
            default=None,
            output_field=CharField(),
        )
    )


def episode_on_ost(episode: TreatmentEpisode) -> bool:
    """Opioid substitution is running: a started, unfinished OST modality."""
    return any(m.ost_medicine and m.start_date and not m.end_date for m in episode.modalities.all())
