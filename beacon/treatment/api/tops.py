"""Treatment Outcomes Profile endpoints of the JSON API (conventions: api/journey.py)."""

from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from beacon.core.api import role_gate
from beacon.core.audit import audit_origin
from beacon.core.schemas import INVALID, REFUSED
from beacon.treatment.api.journey import record_corrected, record_read
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.schemas.tops import TopIn, TopOut, TopUpdateIn
from beacon.treatment.selectors.journey import open_episode_required, treatment_client_get
from beacon.treatment.selectors.tops import top_get
from beacon.treatment.services import tops as top_services

router = Router(tags=["treatment"])

RECORD_TOP = "treatment.record_top"


# Treatment Outcomes Profile --------------------------------------------------------------


@router.get(
    "/clients/{str:client_number}/tops",
    response={200: list[TopOut], **REFUSED},
    summary="List a client's Treatment Outcomes Profiles, newest first",
    operation_id="beacon_treatment_api_top_list",
)
def top_list(request: HttpRequest, client_number: str) -> list[TreatmentOutcomesProfile]:
    client = treatment_client_get(user=request.user, client_number=client_number)
    tops = list(client.tops.select_related("recorded_by"))
    return record_read(request, tops, client=client, what="treatment outcomes profiles")


@router.post(
    "/clients/{str:client_number}/tops",
    response={201: TopOut, **INVALID},
    summary="Record a Treatment Outcomes Profile",
    operation_id="beacon_treatment_api_top_create",
    auth=role_gate(RECORD_TOP),
)
def top_create(request: HttpRequest, client_number: str, payload: TopIn):
    client = treatment_client_get(
        user=request.user, client_number=client_number, permission=RECORD_TOP
    )
    if payload.episode_id is None:
        episode = open_episode_required(client=client, field="episode_id")
    else:
        episode = client.episodes.filter(pk=payload.episode_id).first()
        if episode is None:
            raise ValidationError(
                {"episode_id": "No treatment episode with this id for this client"}
            )
    top = top_services.top_record(
        actor=request.user,
        episode=episode,
        data=payload.model_dump(exclude={"episode_id"}),
        origin=audit_origin(request),
    )
    return Status(201, top)


@router.get(
    "/tops/{int:top_id}",
    response={200: TopOut, **REFUSED},
    summary="Read a Treatment Outcomes Profile",
    operation_id="beacon_treatment_api_top_read",
)
def top_read(request: HttpRequest, top_id: int) -> TreatmentOutcomesProfile:
    top = top_get(user=request.user, top_id=top_id)
    return record_read(request, top, client=top.client, what=f"TOP {top.pk}")


@router.patch(
    "/tops/{int:top_id}",
    response={200: TopOut, **INVALID},
    summary="Correct a Treatment Outcomes Profile: its answers, date or stage",
    operation_id="beacon_treatment_api_top_update",
    auth=role_gate(RECORD_TOP),
)
def top_update(request: HttpRequest, top_id: int, payload: TopUpdateIn) -> TreatmentOutcomesProfile:
    top = top_get(user=request.user, top_id=top_id, permission=RECORD_TOP)
    return record_corrected(
        request,
        top,
        payload.model_dump(exclude_unset=True),
        partial(top_services.top_update, top=top),
        client=top.client,
        what=f"TOP {top.pk}",
    )
