"""The JSON API under /api/v1/: bearer-token auth and each write's role gate, error shapes,
each app's router, and the usual call of a write service from an endpoint (`api_write`)."""

import logging
from collections.abc import Iterator, Sequence

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.utils import normalize_path, replace_path_param_notation

from beacon.core.audit import Channel, audit_origin, audit_refusal
from beacon.core.middleware import CONFLICT_MESSAGE
from beacon.core.permissions import user_can
from beacon.core.registry import api_routers
from beacon.core.schemas import ErrorOut, InvalidOut
from beacon.core.services import api_token_user


class BearerToken(HttpBearer):
    """A Beacon user's API token. Given permissions, it is also a write's role gate: a user
    who holds none of them refuses (403, audited) before ninja reads the parameters or the
    body, so a role that may never make the write learns nothing of its shape."""

    def __init__(self, *permissions: str) -> None:
        super().__init__()
        self.permissions = permissions

    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is None or user.provider_id is None:
            return None
        request.user = user
        request.provider = user.provider
        request.beacon_channel = Channel.API
        # Asked of no record: a rule's record predicates (same provider, own caseload…) hold
        # of none, so this refuses only whom the rule refuses whatever the record. The
        # operation asks again of its record, as before.
        if self.permissions and not any(user_can(user, name) for name in self.permissions):
            raise PermissionDenied
        return user


def role_gate(*permissions: str) -> BearerToken:
    """The `auth` of a write operation: the token of a user who holds at least one of
    `permissions` (the app's own rules, the ones the operation checks) for some record."""
    if not permissions:
        raise ValueError("Name the permissions the write checks")
    return BearerToken(*permissions)


logger = logging.getLogger(__name__)

WRITE_METHODS = ("post", "put", "patch", "delete")

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Any unique string (a UUID). A repeat of a request with the same key "
    "returns the first answer (with `Idempotency-Replayed: true`) and never makes a second "
    "record; while the first is still being saved a repeat gets 409; the same key with a "
    "different request gets 422. Keys are kept for 14 days.",
}


# Answers every endpoint may give whatever its own code does, each from one place: the
# bearer check (401), a write's role gate (403), the parsing of parameters and body (422,
# or 400 for a body that is not JSON), RequestGuardMiddleware (413, 422 for a NUL, 409 for
# a lost race) and core.idempotency (409 while a key's first request is saved, 422 for a
# key reused).
SHARED_ANSWERS = {
    401: ("ErrorOut", "No valid API token"),
    403: ("ErrorOut", "Your role does not allow this"),
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
    if method in WRITE_METHODS:
        answers += [403, 409, 422]
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
                if method in WRITE_METHODS:
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
        message = error.get("msg", "Invalid")
        if error.get("type") == "missing" and location:
            # Beacon assumes no answer a person did not give (a triage outcome, a setting).
            message = f"Send {location[-1]}: it is required, and Beacon does not assume it"
        errors.append({"field": ".".join(location) or None, "message": message})
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


def _roll_back_the_request() -> None:
    """Undo what the request wrote, when it runs in one transaction (ATOMIC_REQUESTS); an
    operation marked non-atomic (api_urls) wrote in its services' own transactions, each
    of which has rolled back what the error interrupted."""
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    # Two identical requests raced and the database kept one: the loser is told so, and
    # nothing else of its request is kept.
    _roll_back_the_request()
    return api.create_response(request, {"detail": CONFLICT_MESSAGE}, status=409)


@api.exception_handler(Exception)
def server_error(request, exc):
    # Logged with its traceback for the service; the caller never sees it, in any mode.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    _roll_back_the_request()
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


def write_operations(entries: Sequence | None = None) -> Iterator[tuple[str, str, object]]:
    """(route as the URL configuration names it, method, ninja operation) of every write of
    the API's routers (each app's registered routers, or `entries` with `prefix` and
    `router`)."""
    for entry in api_routers if entries is None else entries:
        prefix = replace_path_param_notation(entry.prefix)
        for path, path_view in entry.router.path_operations.items():
            route = normalize_path("/".join([prefix, replace_path_param_notation(path)]))
            for operation in path_view.operations:
                for method in operation.methods:
                    if method.lower() in WRITE_METHODS:
                        yield "api/v1/" + route.lstrip("/"), method, operation


def is_write_gate(auth) -> bool:
    """A write's own gate: a role gate, or a device's token made for that one write (a
    survey kiosk's) that says so with `gates_a_write`."""
    return (isinstance(auth, BearerToken) and bool(auth.permissions)) or getattr(
        auth, "gates_a_write", False
    )


def ungated_writes(entries: Sequence | None = None) -> list[str]:
    """The writes whose auth is not a role gate (`role_gate`) in every one of its parts."""
    ungated = []
    for route, method, operation in write_operations(entries):
        auth = operation.auth_param
        callbacks = auth if isinstance(auth, Sequence) else [auth]
        if not callbacks or not all(is_write_gate(callback) for callback in callbacks):
            ungated.append(f"{method} {route}")
    return ungated


def api_urls() -> tuple[list, str, str]:
    """The API's URLs, every app's router mounted. A request to the API runs in one
    transaction (ATOMIC_REQUESTS), as a page does, unless its operation's function is marked
    `transaction.non_atomic_requests` (under the router's decorator, with a `url_name`):
    then, as for such a page, its service makes its own transactions. They refuse to load
    while a write has no role gate (`ungated_writes`)."""
    ungated = ungated_writes()
    if ungated:
        # A write without a gate would parse its body for any role first (422, not 403).
        raise ImproperlyConfigured(f"Give these writes auth=role_gate(...): {ungated}")
    patterns, app_name, namespace = mount_routers().urls
    non_atomic = set()
    for router in _mounted:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if getattr(operation.view_func, "_non_atomic_requests", None):
                    if not operation.url_name:
                        raise ValueError(f"Give {operation.view_func.__name__} a url_name")
                    non_atomic.add(operation.url_name)
    for pattern in patterns:
        if pattern.name in non_atomic:
            pattern.callback._non_atomic_requests = {"default"}
    return patterns, app_name, namespace
