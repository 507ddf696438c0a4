"""Request set-up: input no page can take refused first, the provider a user acts within,
sign-in with two factors by default, and answers no browser keeps."""

import json
import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from beacon.core import errors

NUL_MESSAGE = "Remove the NUL character (\\0): text cannot contain it"
SURROGATE_MESSAGE = "Remove the unpaired surrogate (\\ud800 to \\udfff): text must be valid Unicode"
TOO_LARGE_MESSAGE = "What was sent is larger than Beacon accepts"
CONFLICT_MESSAGE = (
    "This was saved by someone else at the same moment: reload to see what is recorded now"
)

# The API authenticates each request by bearer token; static files are public.
UNGUARDED_PATH_PREFIXES = ("/api/", "/static/", "/assets/")


def public(view):
    """Mark a view that anyone may open (the sign-in page)."""
    view.beacon_public = True
    return view


def two_factor_step(view):
    """Mark a view that a signed-in user may open before passing two-factor."""
    view.beacon_two_factor_step = True
    return view


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _invalid(request: HttpRequest, field: str | None, message: str, status: int) -> HttpResponse:
    if _is_api(request):
        body = {"detail": message if status != 422 else "Invalid input"}
        if status == 422:
            body["errors"] = [{"field": field, "message": message}]
        return JsonResponse(body, status=status)
    return errors.bad_input(request, message, status=400 if status == 422 else status)


def _unstorable(text: str) -> str | None:
    """Why a string cannot be stored (a NUL, an unpaired surrogate), or None."""
    if "\x00" in text:
        return NUL_MESSAGE
    if any("\ud800" <= character <= "\udfff" for character in text):
        return SURROGATE_MESSAGE
    return None


def _unstorable_in(value, path: str = "") -> tuple[str | None, str] | None:
    """The dotted path of the first string (or key) in a JSON value that cannot be stored,
    and why; None when every string can be."""
    if isinstance(value, str):
        message = _unstorable(value)
        return (path or None, message) if message else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = f"{path}.{key}" if path else str(key)
        message = _unstorable(key) if isinstance(key, str) else None
        found = (inner, message) if message else _unstorable_in(item, inner)
        if found:
            return found
    return None


# A JSON body can only hold a NUL or an unpaired surrogate as an escape (\u0000, \ud8xx to
# \udfxx): bodies without one are not parsed twice.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(0000|d[89a-f][0-9a-f]{2})", re.IGNORECASE)


class RequestGuardMiddleware:
    """Input that no page or endpoint can take is refused here, in one place, before anything
    is read or written: a body over the size limit (413), a NUL character in the address,
    the query or a JSON body, or an unpaired surrogate in a JSON body (PostgreSQL cannot
    store either; 422 naming the field, or a 400 page), and a save that lost a race with an
    identical one (409, never a 500). Form fields refuse a NUL themselves (Django's
    ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _invalid(request, None, TOO_LARGE_MESSAGE, 413)
        if "\x00" in request.path or "%00" in request.META.get("PATH_INFO", ""):
            return _invalid(request, None, NUL_MESSAGE, 422)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return _invalid(request, name, NUL_MESSAGE, 422)
        if _is_api(request) and request.body and _UNSTORABLE_ESCAPE.search(request.body):
            try:
                found = _unstorable_in(json.loads(request.body))
            except ValueError:
                found = None  # not JSON: the endpoint's own parsing answers
            if found:
                return _invalid(request, *found, 422)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, IntegrityError):
            if _is_api(request):
                return JsonResponse({"detail": CONFLICT_MESSAGE}, status=409)
            return errors.conflict(request)
        return None


class NoStoreMiddleware:
    """Pages and API answers hold client data: no browser or proxy may keep a copy
    (`Cache-Control: no-store`). Static files (served before this, by WhiteNoise or the
    static view) keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/assets/")):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response


class ProviderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.provider = user.provider if user.is_authenticated else None
        return self.get_response(request)


class SignInRequiredMiddleware:
    """Every page needs a signed-in user, and staff must have passed two-factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(UNGUARDED_PATH_PREFIXES):
            return None
        if getattr(view_func, "beacon_public", False):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if getattr(view_func, "beacon_two_factor_step", False):
            return None
        if user.needs_two_factor and not user.is_verified():
            return redirect("core:two_factor")
        return None
