"""Journey endpoints of the JSON API: referral, triage, assessment, episode, modalities,
discharge, and the corrections of each.

Each endpoint is thin, like the pages: parse (beacon/treatment/schemas/journey.py), load the
record through its selector (the role is checked first, so a role that may never open a
journey gets 403 whether or not the record exists; another provider's record is a 404),
call a selector or service, return. The rules live in the services, whose ValidationError
core/api.py answers as 422. Every read of a client's treatment record is audited here;
every write by its service. Operation ids are those the API had before it was split by
concept, so callers' generated clients keep working.
"""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.http import HttpRequest
from ninja import Router, Status

from beacon.clients.models import Client
from beacon.clients.services import client_record_viewed
from beacon.core.api import api_write, role_gate
from beacon.core.audit import audit_origin
from beacon.core.schemas import INVALID, REFUSED
from beacon.treatment.models import Assessment, Modality, Referral, TreatmentEpisode, Triage
from beacon.treatment.schemas.journey import (
    AssessmentIn,
    AssessmentOut,
    AssessmentUpdateIn,
    DischargeIn,
    EpisodeDetailOut,
    EpisodeStartIn,
    EpisodeUpdateIn,
    ModalityIn,
    ModalityOut,
    ModalityUpdateIn,
    ReferralIn,
    ReferralOut,
    ReferralUpdateIn,
    TriageIn,
    TriageOut,
    TriageUpdateIn,
)
from beacon.treatment.selectors import journey as selectors
from beacon.treatment.selectors.journey import (
    assessment_get,
    episode_get,
    episode_keyworker,
    modality_get,
    referral_get,
    treatment_client_get,
    triage_get,
)
from beacon.treatment.services import journey as services

router = Router(tags=["treatment"])

RECORD = "treatment.record_journey"

Record = TypeVar("Record")


def record_read(request: HttpRequest, record: Record, *, client: Client, what: str) -> Record:
    """Answer with a record of the client's treatment, the read written to the audit log."""
    client_record_viewed(actor=request.user, client=client, origin=audit_origin(request), what=what)
    return record


def record_corrected(
    request: HttpRequest,
    record: Record,
    data: dict,
    update: Callable[..., Record],
    *,
    client: Client,
    what: str,
) -> Record:
    """A PATCH: `update` (the service, given the record) corrects the fields sent in `data`.
    Nothing sent, so nothing to change or audit as a change; the answer is still a read."""
    if not data:
        return record_read(request, record, client=client, what=what)
    return update(actor=request.user, data=data, origin=audit_origin(request))


# Referrals -------------------------------------------------------------------------------


@router.get(
    "/clients/{str:client_number}/referrals",
    response={200: list[ReferralOut], **REFUSED},
    summary="List a client's referrals, each with its triage, assessment and episode",
    operation_id="beacon_treatment_api_referral_list",
)
def referral_list(request: HttpRequest, client_number: str) -> list[Referral]:
    client = treatment_client_get(user=request.user, client_number=client_number)
    referrals = selectors.with_representation(selectors.client_referrals(client=client))
    return record_read(request, list(referrals), client=client, what="treatment journey")


@router.post(
    "/clients/{str:client_number}/referrals",
    response={201: ReferralOut, **INVALID},
    summary="Record a referral",
    operation_id="beacon_treatment_api_referral_create",
    auth=role_gate(RECORD),
)
def referral_create(request: HttpRequest, client_number: str, payload: ReferralIn):
    client = treatment_client_get(user=request.user, client_number=client_number, permission=RECORD)
    referral = api_write(request, services.referral_create, payload, client=client)
    return Status(201, referral)


@router.get(
    "/referrals/{int:referral_id}",
    response={200: ReferralOut, **REFUSED},
    summary="Read a referral with its triage, assessment and episode",
    operation_id="beacon_treatment_api_referral_read",
)
def referral_read(request: HttpRequest, referral_id: int) -> Referral:
    referral = referral_get(user=request.user, referral_id=referral_id)
    return record_read(
        request,
        selectors.client_referrals(client=referral.client).get(pk=referral.pk),
        client=referral.client,
        what=f"referral {referral.pk}",
    )


@router.patch(
    "/referrals/{int:referral_id}",
    response={200: ReferralOut, **INVALID},
    summary="Correct a referral: its date, source, who referred or reason",
    operation_id="beacon_treatment_api_referral_update",
    auth=role_gate(RECORD),
)
def referral_update(request: HttpRequest, referral_id: int, payload: ReferralUpdateIn) -> Referral:
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    record_corrected(
        request,
        referral,
        payload.model_dump(exclude_unset=True),
        partial(services.referral_update, referral=referral),
        client=referral.client,
        what=f"referral {referral.pk}",
    )
    return selectors.client_referrals(client=referral.client).get(pk=referral.pk)


# Triage and assessment: read as part of their referral ------------------------------------


@router.post(
    "/referrals/{int:referral_id}/triage",
    response={201: TriageOut, **INVALID},
    summary="Record the triage of a referral",
    operation_id="beacon_treatment_api_triage_create",
    auth=role_gate(RECORD),
)
def triage_create(request: HttpRequest, referral_id: int, payload: TriageIn):
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    triage = api_write(request, services.triage_record, payload, referral=referral)
    return Status(201, triage)


@router.patch(
    "/referrals/{int:referral_id}/triage",
    response={200: TriageOut, **INVALID},
    summary="Correct the triage of a referral: its date, outcome or notes",
    operation_id="beacon_treatment_api_triage_update",
    auth=role_gate(RECORD),
)
def triage_update(request: HttpRequest, referral_id: int, payload: TriageUpdateIn) -> Triage:
    triage = triage_get(user=request.user, referral_id=referral_id, permission=RECORD)
    return record_corrected(
        request,
        triage,
        payload.model_dump(exclude_unset=True),
        partial(services.triage_update, triage=triage),
        client=triage.referral.client,
        what=f"triage of referral {referral_id}",
    )


@router.post(
    "/referrals/{int:referral_id}/assessment",
    response={201: AssessmentOut, **INVALID},
    summary="Record the comprehensive assessment of a referral",
    operation_id="beacon_treatment_api_assessment_create",
    auth=role_gate(RECORD),
)
def assessment_create(request: HttpRequest, referral_id: int, payload: AssessmentIn):
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    assessment = api_write(request, services.assessment_record, payload, referral=referral)
    return Status(201, assessment)


@router.patch(
    "/referrals/{int:referral_id}/assessment",
    response={200: AssessmentOut, **INVALID},
    summary="Correct the comprehensive assessment of a referral",
    operation_id="beacon_treatment_api_assessment_update",
    auth=role_gate(RECORD),
)
def assessment_update(
    request: HttpRequest, referral_id: int, payload: AssessmentUpdateIn
) -> Assessment:
    assessment = assessment_get(user=request.user, referral_id=referral_id, permission=RECORD)
    return record_corrected(
        request,
        assessment,
        payload.model_dump(exclude_unset=True),
        partial(services.assessment_update, assessment=assessment),
        client=assessment.referral.client,
        what=f"assessment of referral {referral_id}",
    )


# Episodes, modalities, discharge ---------------------------------------------------------


@router.post(
    "/referrals/{int:referral_id}/episode",
    response={201: EpisodeDetailOut, **INVALID},
    summary="Start the treatment episode of a referral accepted at triage",
    operation_id="beacon_treatment_api_episode_create",
    auth=role_gate(RECORD),
)
def episode_create(request: HttpRequest, referral_id: int, payload: EpisodeStartIn):
    referral = referral_get(user=request.user, referral_id=referral_id, permission=RECORD)
    data = {
        "start_date": payload.start_date,
        "keyworker": episode_keyworker(user=request.user, keyworker_id=payload.keyworker_id),
    }
    episode = services.episode_start(
        actor=request.user, referral=referral, data=data, origin=audit_origin(request)
    )
    return Status(201, episode)


@router.get(
    "/episodes/{int:episode_id}",
    response={200: EpisodeDetailOut, **REFUSED},
    summary="Read a treatment episode with its modalities",
    operation_id="beacon_treatment_api_episode_read",
)
def episode_read(request: HttpRequest, episode_id: int) -> TreatmentEpisode:
    episode = episode_get(user=request.user, episode_id=episode_id)
    return record_read(
        request, episode, client=episode.client, what=f"treatment episode {episode.pk}"
    )


@router.patch(
    "/episodes/{int:episode_id}",
    response={200: EpisodeDetailOut, **INVALID},
    summary="Correct a treatment episode: its start date or keyworker",
    operation_id="beacon_treatment_api_episode_update",
    auth=role_gate(RECORD),
)
def episode_update(
    request: HttpRequest, episode_id: int, payload: EpisodeUpdateIn
) -> TreatmentEpisode:
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    data = payload.model_dump(exclude_unset=True)
    if "keyworker_id" in data:
        data["keyworker"] = episode_keyworker(
            user=request.user, keyworker_id=data.pop("keyworker_id")
        )
    return record_corrected(
        request,
        episode,
        data,
        partial(services.episode_update, episode=episode),
        client=episode.client,
        what=f"treatment episode {episode.pk}",
    )


@router.post(
    "/episodes/{int:episode_id}/discharge",
    response={200: EpisodeDetailOut, **INVALID},
    summary="Discharge a treatment episode, with the reason",
    operation_id="beacon_treatment_api_episode_discharge",
    auth=role_gate(RECORD),
)
def episode_discharge(request: HttpRequest, episode_id: int, payload: DischargeIn):
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    return api_write(request, services.episode_discharge, payload, episode=episode)


@router.get(
    "/episodes/{int:episode_id}/modalities",
    response={200: list[ModalityOut], **REFUSED},
    summary="List the modalities of a treatment episode",
    operation_id="beacon_treatment_api_modality_list",
)
def modality_list(request: HttpRequest, episode_id: int) -> list[Modality]:
    episode = episode_get(user=request.user, episode_id=episode_id)
    return record_read(
        request,
        list(episode.modalities.all()),
        client=episode.client,
        what=f"modalities of treatment episode {episode.pk}",
    )


@router.post(
    "/episodes/{int:episode_id}/modalities",
    response={201: ModalityOut, **INVALID},
    summary="Add a modality to a treatment episode",
    operation_id="beacon_treatment_api_modality_create",
    auth=role_gate(RECORD),
)
def modality_create(request: HttpRequest, episode_id: int, payload: ModalityIn):
    episode = episode_get(user=request.user, episode_id=episode_id, permission=RECORD)
    modality = api_write(request, services.modality_add, payload, episode=episode)
    return Status(201, modality)


@router.get(
    "/modalities/{int:modality_id}",
    response={200: ModalityOut, **REFUSED},
    summary="Read a modality",
    operation_id="beacon_treatment_api_modality_read",
)
def modality_read(request: HttpRequest, modality_id: int) -> Modality:
    modality = modality_get(user=request.user, modality_id=modality_id)
    return record_read(
        request, modality, client=modality.episode.client, what=f"treatment modality {modality.pk}"
    )


@router.patch(
    "/modalities/{int:modality_id}",
    response={200: ModalityOut, **INVALID},
    summary="Change a modality: its dates, exit reason or type",
    operation_id="beacon_treatment_api_modality_update",
    auth=role_gate(RECORD),
)
def modality_update(request: HttpRequest, modality_id: int, payload: ModalityUpdateIn) -> Modality:
    modality = modality_get(user=request.user, modality_id=modality_id, permission=RECORD)
    return record_corrected(
        request,
        modality,
        payload.model_dump(exclude_unset=True),
        partial(services.modality_update, modality=modality),
        client=modality.episode.client,
        what=f"treatment modality {modality.pk}",
    )
