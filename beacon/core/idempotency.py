"""Every create is made once, however often it is sent: a double-click on a form, or an
API client retrying after a timeout, gets the first answer back and never a second record.

Forms carry a one-time submission token (a hidden field added to every form with the CSRF
field, `submission_input`); API calls may send an `Idempotency-Key` header. The first
request with a key claims it (a unique row, so two at the same moment cannot both claim
it); a repeat gets the stored answer (the redirect of a saved form, the JSON of an API
answer), or 409 while the first is still being saved. A refused first attempt (a form
with errors, a 4xx) gives the key back, so the corrected request can be sent again.
"""

import datetime
import hashlib
import secrets
import time

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from beacon.core import errors
from beacon.core.models import Submission

FORM_FIELD = "submission_token"
API_HEADER = "Idempotency-Key"
# Longer than a phone's outbox may hold a form it could not send (a shift resent days later
# must still be recognised as sent): 14 days.
KEPT_FOR = datetime.timedelta(days=14)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WAIT_STEPS, WAIT_STEP_SECONDS = 20, 0.25
IN_PROGRESS = "This was already sent and is still being saved: wait a moment, then reload"
KEY_REUSED = "This Idempotency-Key was already used for a different request: send a new key"


def submission_input(request: HttpRequest | None = None) -> SafeString:
    """The hidden field that makes one form submission count once."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_FIELD, secrets.token_urlsafe(24)
    )


def form_tokens(request: HttpRequest) -> dict:
    """Jinja2 context processor: every form's `csrf_input` also carries the one-time
    submission token, so no template needs to remember it."""
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return {"csrf_input": csrf + submission_input(request)}


def _key_of(request: HttpRequest) -> str:
    if request.path.startswith("/api/"):
        return request.headers.get(API_HEADER, "").strip()[:200]
    return (request.POST.get(FORM_FIELD) or "").strip()[:200]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body if request.path.startswith("/api/") else b"")
    return digest.hexdigest()


def _scope(request: HttpRequest) -> str:
    """Whose key: the API token that sent it (hashed), or the page's signed-in user."""
    if request.path.startswith("/api/"):
        token = request.headers.get("Authorization", "")
        return "api:" + hashlib.sha256(token.encode()).hexdigest()
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else "signed-out"


def _answered(submission: Submission) -> Submission:
    """The submission once its first request has answered, waiting a few seconds for it (a
    double-click's second request arrives while the first is saving)."""
    for _ in range(WAIT_STEPS):
        if submission.completed:
            break
        time.sleep(WAIT_STEP_SECONDS)
        fresh = Submission.objects.filter(pk=submission.pk).first()
        if fresh is None:
            break
        submission = fresh
    return submission


def _replay(request: HttpRequest, submission: Submission) -> HttpResponse:
    api = request.path.startswith("/api/")
    submission = _answered(submission)
    if not submission.completed:
        if api:
            return JsonResponse({"detail": IN_PROGRESS}, status=409)
        return errors.bad_input(request, IN_PROGRESS, status=409)
    if api:
        response = HttpResponse(
            submission.body, status=submission.status, content_type=submission.content_type
        )
        response["Idempotency-Replayed"] = "true"
        return response
    response = HttpResponse(status=submission.status)
    response["Location"] = submission.location
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in UNSAFE_METHODS:
            return self.get_response(request)
        key = _key_of(request)
        if not key:
            return self.get_response(request)
        scope, fingerprint = _scope(request), _fingerprint(request)
        claimed = self._claim(key, scope, fingerprint)
        if claimed is None:
            first = Submission.objects.filter(key=key, scope=scope).first()
            if first is None:  # given back in between: claim it again
                claimed = self._claim(key, scope, fingerprint)
            elif request.path.startswith("/api/") and first.fingerprint != fingerprint:
                # The API's 422 shape (core.schemas.InvalidOut), naming the header.
                field_errors = [{"field": "Idempotency-Key", "message": KEY_REUSED}]
                return JsonResponse({"detail": KEY_REUSED, "errors": field_errors}, status=422)
            else:
                return _replay(request, first)
        if claimed is None:  # claimed and given back twice at the same moment: let it through
            return self.get_response(request)
        response = self.get_response(request)
        self._settle(claimed, request, response)
        return response

    @staticmethod
    def _claim(key: str, scope: str, fingerprint: str) -> Submission | None:
        """The new row that claims `key` in `scope`, or None when it is claimed already."""
        try:
            with transaction.atomic():
                Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
                return Submission.objects.create(key=key, scope=scope, fingerprint=fingerprint)
        except IntegrityError:
            return None

    @staticmethod
    def _settle(submission: Submission, request: HttpRequest, response: HttpResponse) -> None:
        api = request.path.startswith("/api/")
        kept = (
            (200 <= response.status_code < 300) if api else response.status_code in (301, 302, 303)
        )
        if not kept:
            # Refused (or a page shown again with its errors): the key may be used again.
            Submission.objects.filter(pk=submission.pk).delete()
            return
        submission.completed = True
        submission.status = response.status_code
        submission.location = response.get("Location", "")[:2000]
        if api and not getattr(response, "streaming", False):
            submission.content_type = response.get("Content-Type", "")[:100]
            submission.body = response.content.decode(errors="replace")
        submission.save(update_fields=["completed", "status", "location", "content_type", "body"])
