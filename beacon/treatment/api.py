"""Treatment endpoints of the JSON API: the journey from referral to discharge, plans, TOPs.

Each endpoint is thin, like the pages: parse (the schemas), check the role against the
client (`ensure_can`), call a selector or service, return. Records load through the
token user's provider, so another provider's record is a 404. The rules live in the
services (journey, plans, outcomes), whose ValidationError core/api.py answers as 422.
Every read of a client's treatment record is audited here; every write by its service.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from beacon.clients import selectors as client_selectors
from beacon.clients import services as client_services
from beacon.clients.models import Client
from beacon.core.permissions import ensure_can
from beacon.core.roles import Role
from beacon.core.schemas import INVALID, REFUSED
from beacon.treatment.models import (
    Assessment,
    ExitPlan,
    Modality,
    RecoveryPlan,
    Referral,
    TreatmentEpisode,
    TreatmentOutcomesProfile,
    Triage,
)
from beacon.treatment.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentUpdateIn,
    DischargeIn,
    EpisodeDetailOut,
    EpisodeStartIn,
    EpisodeUpdateIn,
    ExitPlanIn,
    ExitPlanOut,
    ModalityIn,
    ModalityOut,
    ModalityUpdateIn,
    RecoveryPlanIn,
    RecoveryPlanOut,
    ReferralIn,
    ReferralOut,
    ReferralUpdateIn,
    ReviewIn,
    ReviewOut,
    TopIn,
    TopOut,
    TopUpdateIn,
    TriageIn,
    TriageOut,
    TriageUpdateIn,
)
from beacon.treatment.selectors import journey as selectors
from beacon.treatment.selectors import plans as plan_selectors
from beacon.treatment.services import journey as services
from beacon.treatment.services import outcomes as outcome_services
from beacon.treatment.services import plans as plan_services

router = Router(tags=["treatment"])

VIEW = "treatment.view_journey"
RECORD = "treatment.record_journey"
RECORD_PLAN = "treatment.record_plan"
RECORD_TOP = "treatment.record_top"


# Loading, always through the caller's provider -------------------------------------------
# The role is checked before each lookup, as on the pages, so a role that may never
# open a journey gets 403 whether or not the record exists.


def _client(request: HttpRequest, client_number: str, permission: str = VIEW) -> Client:
    ensure_can(request.user, permission)
    return client_selectors.client_get(
        user=request.user, client_number=client_number, permission=permission
    )


def _referral(request: HttpRequest, referral_id: int, permission: str = VIEW) -> Referral:
    ensure_can(request.user, permission)
    referral = get_object_or_404(
        request.provider.referrals.select_related("client"), pk=referral_id
    )
    ensure_can(request.user, permission, referral.client)
    return referral


def _episode(request: HttpRequest, episode_id: int, permission: str = VIEW) -> TreatmentEpisode:
    ensure_can(request.user, permission)
    episode = get_object_or_404(
        request.provider.episodes.select_related("client", "referral", "keyworker"), pk=episode_id
    )
    ensure_can(request.user, permission, episode.client)
    return episode


def _modality(request: HttpRequest, modality_id: int, permission: str = VIEW) -> Modality:
    # A modality is reached through its episode, which carries the provider.
    ensure_can(request.user, permission)
    episode = get_object_or_404(
        request.provider.episodes.select_related("client", "referral"), modalities=modality_id
    )
    ensure_can(request.user, permission, episode.client)
    modality = episode.modalities.get(pk=modality_id)
    modality.episode = episode
    return modality


def _keyworker(request: HttpRequest, keyworker_id: int | None):
    if keyworker_id is None:
        return None
    keyworker = request.provider.users.filter(
        pk=keyworker_id, role=Role.KEYWORKER, is_active=True
    ).first()
    if keyworker is None:
        raise ValidationError({"keyworker_id": "No active keyworker with this id in your service"})
    return keyworker


def _viewed(request: HttpRequest, client: Client, what: str) -> None:
    # The same entry the journey pages write: the client's record, and which part was read.
    client_services.client_record_viewed(
        actor=request.user, client=client, request=request, what=what
    )


# Referrals -------------------------------------------------------------------------------


@router.get(
    "/clients/{str:client_number}/referrals",
    response={200: list[ReferralOut], **REFUSED},
    summary="List a client's referrals, each with its triage, assessment and episode",
)
def referral_list(request: HttpRequest, client_number: str) -> list[Referral]:
    client = _client(request, client_number)
    _viewed(request, client, "treatment journey")
    return list(selectors.client_referrals(client=client))


@router.post(
    "/clients/{str:client_number}/referrals",
    response={201: ReferralOut, **INVALID},
    summary="Record a referral",
)
def referral_create(request: HttpRequest, client_number: str, payload: ReferralIn):
    client = _client(request, client_number, RECORD)
    referral = services.referral_create(
        actor=request.user, client=client, data=payload.model_dump(), request=request
    )
    return Status(201, referral)


@router.get(
    "/referrals/{int:referral_id}",
    response={200: ReferralOut, **REFUSED},
    summary="Read a referral with its triage, assessment and episode",
)
def referral_read(request: HttpRequest, referral_id: int) -> Referral:
    referral = _referral(request, referral_id)
    _viewed(request, referral.client, f"referral {referral.pk}")
    return selectors.client_referrals(client=referral.client).get(pk=referral.pk)


@router.patch(
    "/referrals/{int:referral_id}",
    response={200: ReferralOut, **INVALID},
    summary="Correct a referral: its date, source, who referred or reason",
)
def referral_update(request: HttpRequest, referral_id: int, payload: ReferralUpdateIn) -> Referral:
    referral = _referral(request, referral_id, RECORD)
    data = payload.model_dump(exclude_unset=True)
    if data:
        services.referral_update(actor=request.user, referral=referral, data=data, request=request)
    else:
        # Nothing sent, so nothing to change or audit as a change; the answer is still a read.
        _viewed(request, referral.client, f"referral {referral.pk}")
    return selectors.client_referrals(client=referral.client).get(pk=referral.pk)


# Triage and assessment: read as part of their referral ------------------------------------


def _triage(request: HttpRequest, referral_id: int) -> Triage:
    referral = _referral(request, referral_id, RECORD)
    triage = getattr(referral, "triage", None)
    if triage is None:
        raise Http404("This referral has not been triaged")
    return triage


def _assessment(request: HttpRequest, referral_id: int) -> Assessment:
    referral = _referral(request, referral_id, RECORD)
    assessment = getattr(referral, "assessment", None)
    if assessment is None:
        raise Http404("This referral has no comprehensive assessment")
    return assessment


@router.post(
    "/referrals/{int:referral_id}/triage",
    response={201: TriageOut, **INVALID},
    summary="Record the triage of a referral",
)
def triage_create(request: HttpRequest, referral_id: int, payload: TriageIn):
    referral = _referral(request, referral_id, RECORD)
    triage = services.triage_record(
        actor=request.user, referral=referral, data=payload.model_dump(), request=request
    )
    return Status(201, triage)


@router.patch(
    "/referrals/{int:referral_id}/triage",
    response={200: TriageOut, **INVALID},
    summary="Correct the triage of a referral: its date, outcome or notes",
)
def triage_update(request: HttpRequest, referral_id: int, payload: TriageUpdateIn) -> Triage:
    triage = _triage(request, referral_id)
    data = payload.model_dump(exclude_unset=True)
    if not data:
        _viewed(request, triage.referral.client, f"triage of referral {referral_id}")
        return triage
    return services.triage_update(actor=request.user, triage=triage, data=data, request=request)


@router.post(
    "/referrals/{int:referral_id}/assessment",
    response={201: AssessmentOut, **INVALID},
    summary="Record the comprehensive assessment of a referral",
)
def assessment_create(request: HttpRequest, referral_id: int, payload: AssessmentIn):
    referral = _referral(request, referral_id, RECORD)
    assessment = services.assessment_record(
        actor=request.user, referral=referral, data=payload.model_dump(), request=request
    )
    return Status(201, assessment)


@router.patch(
    "/referrals/{int:referral_id}/assessment",
    response={200: AssessmentOut, **INVALID},
    summary="Correct the comprehensive assessment of a referral",
)
def assessment_update(
    request: HttpRequest, referral_id: int, payload: AssessmentUpdateIn
) -> Assessment:
    assessment = _assessment(request, referral_id)
    data = payload.model_dump(exclude_unset=True)
    if not data:
        _viewed(request, assessment.referral.client, f"assessment of referral {referral_id}")
        return assessment
    return services.assessment_update(
        actor=request.user, assessment=assessment, data=data, request=request
    )


# Episodes, modalities, discharge ---------------------------------------------------------


@router.post(
    "/referrals/{int:referral_id}/episode",
    response={201: EpisodeDetailOut, **INVALID},
    summary="Start the treatment episode of a referral accepted at triage",
)
def episode_create(request: HttpRequest, referral_id: int, payload: EpisodeStartIn):
    referral = _referral(request, referral_id, RECORD)
    data = {
        "start_date": payload.start_date,
        "keyworker": _keyworker(request, payload.keyworker_id),
    }
    episode = services.episode_start(
        actor=request.user, referral=referral, data=data, request=request
    )
    return Status(201, episode)


@router.get(
    "/episodes/{int:episode_id}",
    response={200: EpisodeDetailOut, **REFUSED},
    summary="Read a treatment episode with its modalities",
)
def episode_read(request: HttpRequest, episode_id: int) -> TreatmentEpisode:
    episode = _episode(request, episode_id)
    _viewed(request, episode.client, f"treatment episode {episode.pk}")
    return episode


@router.patch(
    "/episodes/{int:episode_id}",
    response={200: EpisodeDetailOut, **INVALID},
    summary="Correct a treatment episode: its start date or keyworker",
)
def episode_update(
    request: HttpRequest, episode_id: int, payload: EpisodeUpdateIn
) -> TreatmentEpisode:
    episode = _episode(request, episode_id, RECORD)
    data = payload.model_dump(exclude_unset=True)
    if "keyworker_id" in data:
        data["keyworker"] = _keyworker(request, data.pop("keyworker_id"))
    if not data:
        _viewed(request, episode.client, f"treatment episode {episode.pk}")
        return episode
    return services.episode_update(actor=request.user, episode=episode, data=data, request=request)


@router.post(
    "/episodes/{int:episode_id}/discharge",
    response={200: EpisodeDetailOut, **INVALID},
    summary="Discharge a treatment episode, with the reason",
)
def episode_discharge(request: HttpRequest, episode_id: int, payload: DischargeIn):
    episode = _episode(request, episode_id, RECORD)
    return services.episode_discharge(
        actor=request.user, episode=episode, data=payload.model_dump(), request=request
    )


@router.get(
    "/episodes/{int:episode_id}/modalities",
    response={200: list[ModalityOut], **REFUSED},
    summary="List the modalities of a treatment episode",
)
def modality_list(request: HttpRequest, episode_id: int) -> list[Modality]:
    episode = _episode(request, episode_id)
    _viewed(request, episode.client, f"modalities of treatment episode {episode.pk}")
    return list(episode.modalities.all())


@router.post(
    "/episodes/{int:episode_id}/modalities",
    response={201: ModalityOut, **INVALID},
    summary="Add a modality to a treatment episode",
)
def modality_create(request: HttpRequest, episode_id: int, payload: ModalityIn):
    episode = _episode(request, episode_id, RECORD)
    modality = services.modality_add(
        actor=request.user, episode=episode, data=payload.model_dump(), request=request
    )
    return Status(201, modality)


@router.get(
    "/modalities/{int:modality_id}",
    response={200: ModalityOut, **REFUSED},
    summary="Read a modality",
)
def modality_read(request: HttpRequest, modality_id: int) -> Modality:
    modality = _modality(request, modality_id)
    _viewed(request, modality.episode.client, f"treatment modality {modality.pk}")
    return modality


@router.patch(
    "/modalities/{int:modality_id}",
    response={200: ModalityOut, **INVALID},
    summary="Change a modality: its dates, exit reason or type",
)
def modality_update(request: HttpRequest, modality_id: int, payload: ModalityUpdateIn) -> Modality:
    modality = _modality(request, modality_id, RECORD)
    data = payload.model_dump(exclude_unset=True)
    if not data:
        # Nothing sent, so nothing to change or audit as a change; the answer is still a read.
        _viewed(request, modality.episode.client, f"treatment modality {modality.pk}")
        return modality
    return services.modality_update(
        actor=request.user, modality=modality, data=data, request=request
    )


# Recovery plans --------------------------------------------------------------------------
# Plans belong to the client's open episode; prescribers write them too (ending substitute
# medication is a clinical decision), so they take treatment.record_plan.


def _open_episode(client: Client, field: str | None = None) -> TreatmentEpisode:
    episode = selectors.open_episode(client=client)
    if episode is None:
        message = f"{client.known_as} has no open treatment episode: start one first"
        raise ValidationError({field: message} if field else message)
    return episode


def _plan(request: HttpRequest, plan_id: int, permission: str = VIEW) -> RecoveryPlan:
    ensure_can(request.user, permission)
    return plan_selectors.recovery_plan_get(
        user=request.user, plan_id=plan_id, permission=permission
    )


@router.get(
    "/clients/{str:client_number}/plans",
    response={200: list[RecoveryPlanOut], **REFUSED},
    summary="List a client's recovery plans, newest first, with goals, actions and reviews",
)
def recovery_plan_list(request: HttpRequest, client_number: str) -> list[RecoveryPlan]:
    client = _client(request, client_number)
    _viewed(request, client, "recovery plans")
    return list(plan_selectors.client_recovery_plans(client=client))


@router.post(
    "/clients/{str:client_number}/plans",
    response={201: RecoveryPlanOut, **INVALID},
    summary="Write a recovery plan for the client's open episode",
)
def recovery_plan_create(request: HttpRequest, client_number: str, payload: RecoveryPlanIn):
    client = _client(request, client_number, RECORD_PLAN)
    data = payload.model_dump()
    goals = data.pop("goals")
    actions = data.pop("actions")
    plan = plan_services.recovery_plan_create(
        actor=request.user,
        episode=_open_episode(client),
        data=data,
        goals=goals,
        actions=actions,
        request=request,
    )
    return Status(201, plan_selectors.recovery_plan_get(user=request.user, plan_id=plan.pk))


@router.get(
    "/plans/{int:plan_id}",
    response={200: RecoveryPlanOut, **REFUSED},
    summary="Read a recovery plan",
)
def recovery_plan_read(request: HttpRequest, plan_id: int) -> RecoveryPlan:
    plan = _plan(request, plan_id)
    _viewed(request, plan.client, f"recovery plan {plan.pk}")
    return plan


@router.post(
    "/plans/{int:plan_id}/reviews",
    response={201: ReviewOut, **INVALID},
    summary="Record a review of a recovery plan; its next review date becomes the plan's",
)
def recovery_plan_review_create(request: HttpRequest, plan_id: int, payload: ReviewIn):
    plan = _plan(request, plan_id, RECORD_PLAN)
    review = plan_services.plan_review_record(
        actor=request.user, plan=plan, data=payload.model_dump(), request=request
    )
    return Status(201, review)


# Exit plans ------------------------------------------------------------------------------
# The exit plan is that of the client's open episode: one per episode, for clients on OST.


def _exit_plan(client: Client) -> ExitPlan:
    exit_plan = plan_selectors.exit_plan_for(episode=selectors.open_episode(client=client))
    if exit_plan is None:
        raise Http404("No exit plan for the open treatment episode")
    return exit_plan


@router.get(
    "/clients/{str:client_number}/exit-plan",
    response={200: ExitPlanOut, **REFUSED},
    summary="Read the exit plan of the client's open episode",
)
def exit_plan_read(request: HttpRequest, client_number: str) -> ExitPlan:
    client = _client(request, client_number)
    exit_plan = _exit_plan(client)
    _viewed(request, client, f"exit plan {exit_plan.pk}")
    return exit_plan


@router.post(
    "/clients/{str:client_number}/exit-plan",
    response={201: ExitPlanOut, **INVALID},
    summary="Agree an exit plan from opioid substitution for the client's open episode",
)
def exit_plan_create(request: HttpRequest, client_number: str, payload: ExitPlanIn):
    client = _client(request, client_number, RECORD_PLAN)
    data = payload.model_dump()
    steps = data.pop("steps")
    exit_plan = plan_services.exit_plan_create(
        actor=request.user,
        episode=_open_episode(client),
        data=data,
        steps=steps,
        request=request,
    )
    return Status(201, exit_plan)


@router.post(
    "/clients/{str:client_number}/exit-plan/reviews",
    response={201: ReviewOut, **INVALID},
    summary="Record a review of the exit plan; its next review date becomes the plan's",
)
def exit_plan_review_create(request: HttpRequest, client_number: str, payload: ReviewIn):
    client = _client(request, client_number, RECORD_PLAN)
    review = plan_services.exit_plan_review_record(
        actor=request.user, exit_plan=_exit_plan(client), data=payload.model_dump(), request=request
    )
    return Status(201, review)


# Treatment Outcomes Profile --------------------------------------------------------------


@router.get(
    "/clients/{str:client_number}/tops",
    response={200: list[TopOut], **REFUSED},
    summary="List a client's Treatment Outcomes Profiles, newest first",
)
def top_list(request: HttpRequest, client_number: str) -> list[TreatmentOutcomesProfile]:
    client = _client(request, client_number)
    _viewed(request, client, "treatment outcomes profiles")
    return list(client.tops.select_related("recorded_by"))


@router.post(
    "/clients/{str:client_number}/tops",
    response={201: TopOut, **INVALID},
    summary="Record a Treatment Outcomes Profile",
)
def top_create(request: HttpRequest, client_number: str, payload: TopIn):
    client = _client(request, client_number, RECORD_TOP)
    if payload.episode_id is None:
        episode = _open_episode(client, "episode_id")
    else:
        episode = client.episodes.filter(pk=payload.episode_id).first()
        if episode is None:
            raise ValidationError(
                {"episode_id": "No treatment episode with this id for this client"}
            )
    top = outcome_services.top_record(
        actor=request.user,
        episode=episode,
        data=payload.model_dump(exclude={"episode_id"}),
        request=request,
    )
    return Status(201, top)


def _top(request: HttpRequest, top_id: int, permission: str = VIEW) -> TreatmentOutcomesProfile:
    ensure_can(request.user, permission)
    return plan_selectors.top_get(user=request.user, top_id=top_id, permission=permission)


@router.get(
    "/tops/{int:top_id}",
    response={200: TopOut, **REFUSED},
    summary="Read a Treatment Outcomes Profile",
)
def top_read(request: HttpRequest, top_id: int) -> TreatmentOutcomesProfile:
    top = _top(request, top_id)
    _viewed(request, top.client, f"TOP {top.pk}")
    return top


@router.patch(
    "/tops/{int:top_id}",
    response={200: TopOut, **INVALID},
    summary="Correct a Treatment Outcomes Profile: its answers, date or stage",
)
def top_update(request: HttpRequest, top_id: int, payload: TopUpdateIn) -> TreatmentOutcomesProfile:
    top = _top(request, top_id, RECORD_TOP)
    data = payload.model_dump(exclude_unset=True)
    if not data:
        _viewed(request, top.client, f"TOP {top.pk}")
        return top
    return outcome_services.top_update(actor=request.user, top=top, data=data, request=request)
