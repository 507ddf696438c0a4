"""Core pages: sign-in with two factors, the home page, the manager's audit log search,
the signed-in user's alerts, the API tokens a manager issues and revokes (and a person
accepts), integration accounts, unlocking accounts locked after wrong passwords, the
wording of texts to clients and the texts sent, and GOV.UK Notify's delivery receipts.

A user sees only alerts addressed to them in the provider they act for
(selectors.alerts_for); reading the list is audited, once per client an alert names.
"""

import datetime
import hmac
import json
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core import selectors, services
from beacon.core.audit import Action, audit_origin, audit_request, client_ip
from beacon.core.forms import (
    AlertFilterForm,
    ApiTokenFilterForm,
    ApiTokenForm,
    AuditSearchForm,
    IntegrationAccountForm,
    SignInForm,
    TextSearchForm,
    TextWordingForm,
    TwoFactorForm,
    filters_refused,
    filters_text,
    form_saved,
)
from beacon.core.middleware import public, two_factor_step
from beacon.core.models import TextPurpose, User
from beacon.core.navigation import menu_for, worklist_for
from beacon.core.notify import texts_off_reason
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required
from beacon.core.presenters import (
    ROLE_HOME_STATEMENTS,
    WORKLIST_ROWS,
    AuditLogExport,
    TextsExport,
    Worklist,
    alert_row,
    api_tokens_table,
    audit_entries_table,
    integration_accounts_table,
    locked_accounts_table,
    my_api_tokens_table,
    texts_table,
    worklist,
)
from beacon.core.registry import home_pages
from beacon.core.services import api_token_issue, api_token_revoke
from beacon.core.texts import PLACEHOLDERS


@public
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and selectors.address_locked_out(ip_address=client_ip(request)):
        # Guessing from one address across many accounts: that address waits longer.
        return render(
            request,
            "core/locked_out.html",
            {"address_locked": True, "hours": settings.BEACON_ADDRESS_LOCK_HOURS},
            status=429,
        )
    return auth_views.LoginView.as_view(
        template_name="core/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )(request)


@require_POST
@public
def sign_out(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


def _next_url(request: HttpRequest) -> str:
    candidate = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@two_factor_step
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app; send a user with no device to set one up."""
    user = request.user
    if user.is_verified() or not user.needs_two_factor:
        return redirect(_next_url(request))
    device = selectors.totp_device_for(user)
    if device is None:
        return redirect("core:two_factor_setup")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            services.sign_in_record(user=user, origin=audit_origin(request))
            return redirect(_next_url(request))
        services.two_factor_failed_record(user=user, origin=audit_origin(request))
        form.add_error("code", "That code is not right or has expired: try the newest code")
    demo_code = selectors.demo_two_factor_code(device)
    return render(request, "core/two_factor.html", {"form": form, "demo_code": demo_code})


@two_factor_step
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the QR code, confirm with a first code."""
    user = request.user
    if not user.needs_two_factor:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if selectors.totp_device_for(user) is not None:
        return redirect("core:two_factor")
    device = services.totp_device_start_enrolment(user=user)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.totp_device_confirm(device=device, origin=audit_origin(request))
            otp_login(request, device)
            services.sign_in_record(user=user, origin=audit_origin(request))
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(settings.LOGIN_REDIRECT_URL)
        services.two_factor_failed_record(user=user, origin=audit_origin(request))
        form.add_error("code", "That code is not right: check the time on your phone and retry")
    return render(
        request,
        "core/two_factor_setup.html",
        {"form": form, "qr_svg": _qr_svg(device), "secret": selectors.totp_secret(device)},
    )


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@permission_required("core.view_home")
def home(request: HttpRequest) -> HttpResponse:
    """Where a role starts its day: the page another app registered for it (the keyworker's
    caseload, the driver's round), else the worklist the apps register sections of, then the
    user's pages."""
    user = request.user
    if user.role in home_pages:
        return redirect(home_pages[user.role])
    worklists = worklist_for(user=user, today=timezone.localdate())
    if any(worklist.count for worklist in worklists):
        counts = ", ".join(f"{worklist.id} {worklist.count}" for worklist in worklists)
        audit_request(request, action=Action.VIEW, detail=f"home worklist: {counts}")
        for section in worklists:
            for client in section.clients:
                if client is not None:
                    audit_request(
                        request, action=Action.VIEW, client=client, detail=f"{section.id} row"
                    )
    home_href = reverse("core:home")
    return render(
        request,
        "core/home.html",
        {
            "worklists": worklists,
            "pages": [item for item in menu_for(request) if item["href"] != home_href],
            "statement": ROLE_HOME_STATEMENTS.get(user.role, ""),
        },
    )


def alerts_worklist(*, user: User, today: datetime.date) -> Worklist:
    """The user's unread alerts, newest first: core's section of every worklist."""
    unread = selectors.alerts_for(user=user, show="new")
    count = unread.count()
    alerts = list(unread[:WORKLIST_ROWS])  # the section shows these; the rest are a link away
    return worklist(
        section_id="alerts-worklist",
        heading="New alerts",
        head=["Alert", "Client", "Raised"],
        rows=[alert_row(alert) for alert in alerts],
        clients=[alert.client for alert in alerts],
        empty="You have no new alerts.",
        more_href=reverse("core:alerts"),
        more_text=f"See all {count} new alerts",
        count=count,
    )


@permission_required("core.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    """The manager's audit log: filtered, paged, shown in page views; or, with
    `?format=csv`, the whole filtered list as a file."""
    form = AuditSearchForm(request.GET or None, provider=request.provider)
    entries = selectors.audit_entries_search(
        provider=request.provider,
        **(form.cleaned_data if form.is_valid() else {}),
    )
    # Reading the audit log is itself audited: who looked at whose trail, and for what.
    filters = getattr(form, "cleaned_data", None) or {}
    searched = {key: str(value) for key, value in filters.items() if value}
    searched_text = f", searched {searched}" if searched else ""
    if request.GET.get("format") == "csv" and form.is_valid():
        audit_request(request, action=Action.EXPORT, detail=f"audit log as CSV{searched_text}")
        return AuditLogExport(entries, provider=request.provider).csv_response()
    page = paginate(request, entries, per_page=AUDIT_PAGE_ENTRIES)
    shown = list(page.object_list)  # the log as it was opened, before this read's own entry
    audit_request(
        request, action=Action.VIEW, detail=f"audit log page {page.number}{searched_text}"
    )
    records = selectors.audit_entry_records(shown, provider=request.provider)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "entries_table": audit_entries_table(shown, records=records),
            "csv_query": query.urlencode(),
        },
    )


# A page shows this many entries, grouped into page views: a page of rows stays readable
# when one page view wrote dozens.
AUDIT_PAGE_ENTRIES = 100


# Alerts ----------------------------------------------------------------------------------


@permission_required("core.view_alerts")
@require_http_methods(["GET"])
def alert_list(request: HttpRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.alerts_for(user=request.user, **filters))
    audit_request(request, action=Action.VIEW, detail="own alerts")
    for alert in page.object_list:
        if alert.client_id:
            audit_request(
                request, action=Action.VIEW, obj=alert, client=alert.client, detail="alert"
            )
    return render(
        request,
        "core/alerts.html",
        {"page": page, "form": form, "filtered": any(filters.values())},
    )


@permission_required("core.view_alerts")
@require_http_methods(["POST"])
def alerts_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("alert")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    count = services.alerts_mark_read(user=request.user, alert_ids=ids)
    messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read.")
    return redirect("core:alerts")


# API tokens ------------------------------------------------------------------------------


@permission_required("core.manage_api_tokens")
def api_token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.api_tokens_search(provider=request.provider, **filters))
    table = api_tokens_table(page.object_list, csrf_input=csrf_input(request))
    return render(
        request,
        "core/api_tokens.html",
        {"tokens_table": table, "form": form, "page": page, "filtered": any(filters.values())},
    )


@permission_required("core.manage_api_tokens")
@require_http_methods(["GET", "POST"])
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, provider=request.provider)
    issued: dict = {}

    def issue(data: dict) -> None:
        issued["token"], issued["raw"] = api_token_issue(
            user=data["user"],
            name=data["name"],
            expires_on=data["expires_on"],
            issued_by=request.user,
            origin=audit_origin(request),
        )

    if form_saved(request, form, issue):
        return render(request, "core/api_token_issued.html", issued)
    return render(request, "core/api_token_form.html", {"form": form})


@permission_required("core.accept_api_tokens")
@require_http_methods(["GET"])
def my_api_tokens(request: HttpRequest) -> HttpResponse:
    """The tokens that act as the signed-in person: those waiting for them to accept."""
    tokens = list(selectors.api_tokens_of(user=request.user))
    return render(
        request,
        "core/my_api_tokens.html",
        {
            "pending": [token for token in tokens if token.is_pending],
            "tokens_table": my_api_tokens_table([token for token in tokens if token.accepted_at]),
        },
    )


@permission_required("core.accept_api_tokens")
@require_POST
def api_token_accept_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_to_accept_get(user=request.user, token_id=token_id)
    try:
        raw = services.api_token_accept(
            token=token, user=request.user, origin=audit_origin(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:my_api_tokens")
    return render(request, "core/api_token_issued.html", {"token": token, "raw": raw})


@permission_required("core.manage_api_tokens")
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.provider.api_tokens, pk=token_id)
    api_token_revoke(token=token, revoked_by=request.user, origin=audit_origin(request))
    messages.success(request, f"Token “{token.name}” is revoked.")
    return redirect("core:api_tokens")


# Integration accounts ---------------------------------------------------------------------


@permission_required("core.manage_integration_accounts")
@require_http_methods(["GET", "POST"])
def integration_accounts(request: HttpRequest) -> HttpResponse:
    """The provider's accounts for other systems, and a form to make one."""
    form = IntegrationAccountForm(request.POST or None, provider=request.provider)
    saved = form_saved(
        request,
        form,
        lambda data: services.integration_account_create(
            provider=request.provider, actor=request.user, origin=audit_origin(request), **data
        ),
    )
    if saved:
        messages.success(
            request,
            f"Integration account {form.cleaned_data['username']} is made: issue it a token.",
        )
        return redirect("core:integration_accounts")
    accounts = request.provider.users.filter(kind="integration").order_by("username")
    return render(
        request,
        "core/integration_accounts.html",
        {"form": form, "accounts_table": integration_accounts_table(accounts)},
    )


# Locked accounts -------------------------------------------------------------------------


@permission_required("core.unlock_accounts")
@require_http_methods(["GET"])
def locked_accounts(request: HttpRequest) -> HttpResponse:
    locked = selectors.locked_accounts(provider=request.provider)
    table = locked_accounts_table(locked, csrf_input=csrf_input(request))
    return render(request, "core/locked_accounts.html", {"locked_table": table})


@permission_required("core.unlock_accounts")
@require_POST
def account_unlock_view(request: HttpRequest, account_id: int) -> HttpResponse:
    account = selectors.lockable_account_get(user=request.user, account_id=account_id)
    try:
        services.account_unlock(account=account, actor=request.user, origin=audit_origin(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{account.display_name} can sign in again.")
    return redirect("core:locked_accounts")


# Texts to clients ------------------------------------------------------------------------


@permission_required("core.manage_texts")
@require_http_methods(["GET"])
def text_list(request: HttpRequest) -> HttpResponse:
    """The wording of each kind of text, whether texts are on, and the texts sent: filtered
    by client, purpose, status and date, paged."""
    form = TextSearchForm(request.GET or None)
    page = paginate(request, selectors.texts_search(provider=request.provider, **form.filters()))
    texts = list(page.object_list)
    for client in {text.client for text in texts}:
        audit_request(request, action=Action.VIEW, client=client, detail="texts sent")
    purposes = [
        {
            "purpose": purpose,
            "wording": selectors.text_wording_for(provider=request.provider, purpose=purpose),
            "off": texts_off_reason(purpose),
        }
        for purpose in TextPurpose
    ]
    return render(
        request,
        "core/texts.html",
        {
            "purposes": purposes,
            "form": form,
            "page": page,
            "texts_table": texts_table(texts),
            "filtered": bool(form.filters() and any(form.filters().values())),
            "csv_query": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, without its page: a download has every row."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@permission_required("core.manage_texts")
@require_http_methods(["GET"])
def texts_csv(request: HttpRequest) -> HttpResponse:
    """The filtered texts as a file, audited as an export with its filters."""
    form = TextSearchForm(request.GET or None)
    if filters_refused(form):
        return text_list(request)
    filters = form.filters()
    texts = selectors.texts_search(provider=request.provider, **filters)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"texts as CSV, {texts.count()} texts" + filters_text(filters),
    )
    return TextsExport(texts).csv_response()


@permission_required("core.manage_texts")
@require_http_methods(["GET", "POST"])
def text_wording_edit(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in TextPurpose.values:
        raise Http404("No such kind of text")
    wording = selectors.text_wording_for(provider=request.provider, purpose=purpose)
    form = TextWordingForm(
        request.POST or None,
        initial={"body": wording.body, "service_phone": wording.service_phone},
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.text_wording_save(
            provider=request.provider,
            purpose=purpose,
            body=data["body"],
            service_phone=data["service_phone"],
            actor=request.user,
            origin=audit_origin(request),
        ),
    )
    if saved:
        messages.success(request, f"{TextPurpose(purpose).label} wording saved.")
        return redirect("core:texts")
    return render(
        request,
        "core/text_wording_form.html",
        {
            "form": form,
            "purpose": TextPurpose(purpose),
            "placeholders": PLACEHOLDERS[purpose],
            "off": texts_off_reason(purpose),
        },
    )


@csrf_exempt
@public
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    """GOV.UK Notify's delivery receipt for one text: {"id", "status", …}, with the bearer
    token set in Notify as NOTIFY_CALLBACK_TOKEN. 401 without it (or when none is set)."""
    expected = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"detail": "Not authenticated"}, status=401)
    try:
        receipt = json.loads(request.body)
        notify_id, status = str(receipt["id"]), str(receipt["status"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "Expected JSON with id and status"}, status=400)
    text = selectors.text_by_notify_id(notify_id=notify_id)
    if text is None:
        return JsonResponse({"detail": "No such text"}, status=404)
    services.text_status_record(text=text, status=status)
    return HttpResponse(status=204)


@public
def offline_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of the offline forms (static core/offline-worker.js), served from
    the site's root so that its scope is every page. Public: it holds no data."""
    found = finders.find("core/offline-worker.js")
    if not found:
        raise Http404("No service worker")
    with open(found, encoding="utf-8") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
