"""The JSON API under /api/v1/: bearer-token auth, error shapes, each app's router, and
the usual call of a write service from an endpoint (`api_write`)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from beacon.core.audit import Channel, audit_origin, audit_refusal
from beacon.core.middleware import CONFLICT_MESSAGE
from beacon.core.registry import api_routers
from beacon.core.schemas import ErrorOut, InvalidOut
from beacon.core.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is None or user.provider_id is None:
            return None
        request.user = user
        request.provider = user.provider
        request.beacon_channel = Channel.API
        return user


logger = logging.getLogger(__name__)

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Any unique string (a UUID). A repeat of a request with the same key "
    "returns the first answer (with `Idempotency-Replayed: true`) and never makes a second "
    "record; while the first is still being saved a repeat gets 409; the same key with a "
    "different request gets 422. Keys are kept for 24 hours.",
}


# Answers every endpoint may give whatever its own code does, each from one place: the
# bearer check (401), the parsing of parameters and body (422, or 400 for a body that is
# not JSON), RequestGuardMiddleware (413, 422 for a NUL, 409 for a lost race) and
# core.idempotency (409 while a key's first request is saved, 422 for a key reused).
SHARED_ANSWERS = {
    401: ("ErrorOut", "No valid API token"),
    400: ("ErrorOut", "The body is not JSON"),
    413: ("ErrorOut", "The body is larger than Beacon accepts"),
    409: ("ErrorOut", "Saved by an identical request at the same moment"),
    422: ("InvalidOut", "Invalid input: each error names its field"),
}


def _shared_answers(method: str, operation: dict) -> list[int]:
    answers = [401]
    has_parameters = any(p.get("in") in ("path", "query") for p in operation.get("parameters", []))
    if "requestBody" in operation:
        answers += [400, 413]
    if method in ("post", "put", "patch", "delete"):
        answers += [409, 422]
    elif has_parameters:
        answers.append(422)
    return answers


def _document_answer(responses: dict, status: int) -> None:
    shape, description = SHARED_ANSWERS[status]
    ref = {"$ref": f"#/components/schemas/{shape}"}
    if status not in responses:
        content = {"application/json": {"schema": ref}}
        responses[status] = {"description": description, "content": content}
        return
    content = responses[status].setdefault("content", {}).setdefault("application/json", {})
    documented = content.get("schema")
    if documented is None:
        content["schema"] = ref
    elif documented != ref and ref not in documented.get("anyOf", []):
        # The endpoint's own answer (a 409 listing possible duplicates) or the shared one.
        content["schema"] = {"anyOf": [*documented.get("anyOf", [documented]), ref]}


class BeaconApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for shape in (ErrorOut, InvalidOut):
            definition = shape.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components.setdefault(shape.__name__, definition)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                # Every write accepts an Idempotency-Key (core.idempotency): say so on each.
                if method in ("post", "put", "patch", "delete"):
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                responses = operation.setdefault("responses", {})
                for status in _shared_answers(method, operation):
                    _document_answer(responses, status)
        return schema


api = BeaconApi(
    title="Beacon API",
    version="1",
    description="Beacon's JSON API. Send `Authorization: Bearer <token>`; managers issue tokens.",
    auth=BearerToken(),
    urls_namespace="api",
)


SOURCE_PREFIXES = {"body", "payload", "query", "path"}


def _field_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": None, "message": message} for message in exc.messages]


@api.exception_handler(NinjaValidationError)
def schema_invalid(request, exc: NinjaValidationError):
    errors = []
    for error in exc.errors:
        # ninja prefixes where the value came from; callers know the field by its own name.
        location = [str(part) for part in error.get("loc", []) if part not in SOURCE_PREFIXES]
        errors.append({"field": ".".join(location) or None, "message": error.get("msg", "Invalid")})
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def model_invalid(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "Invalid input", "errors": _field_errors(exc)}, status=422
    )


@api.exception_handler(PermissionDenied)
def refused(request, exc):
    audit_refusal(request, 403)
    return api.create_response(request, {"detail": "Your role does not allow this"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    audit_refusal(request, 404)
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    # Two identical requests raced and the database kept one: the loser is told so, and
    # nothing else of its request is kept.
    transaction.set_rollback(True)
    return api.create_response(request, {"detail": CONFLICT_MESSAGE}, status=409)


@api.exception_handler(Exception)
def server_error(request, exc):
    # Logged with its traceback for the service; the caller never sees it, in any mode.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    transaction.set_rollback(True)
    return api.create_response(
        request, {"detail": "Something went wrong in Beacon: nothing was saved"}, status=500
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Send a valid API token: Authorization: Bearer <token>"}, status=401
    )


def api_write(request, service, payload, *, partial: bool = False, **records):
    """The usual write of an endpoint: `service(actor=..., data=..., origin=..., **records)`
    with the token's user, the payload's fields (only those sent, when `partial`: a PATCH)
    and the request's origin (`records` names what the service acts on, such as
    `prescription=prescription`). Returns what the service returns; its ValidationError is
    answered as a 422 by `model_invalid`."""
    return service(
        actor=request.user,
        data=payload.model_dump(exclude_unset=partial),
        origin=audit_origin(request),
        **records,
    )


_mounted: list = []


def mount_routers() -> NinjaAPI:
    """Add every app's router (registered in its AppConfig.ready()) to the API, once."""
    for entry in api_routers:
        if not any(entry.router is router for router in _mounted):
            api.add_router(entry.prefix, entry.router)
            _mounted.append(entry.router)
    return api
