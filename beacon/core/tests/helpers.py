"""Helpers for tests: the list of roles, signing a test client in past two-factor, a form as
the browser sends it, and the JSON API's calls (posts, patches, 422 fields, audit entries)."""

from html.parser import HTMLParser

from django.test import Client as HttpClient
from django_otp import DEVICE_ID_SESSION_KEY

from beacon.core.models import AuditEntry
from beacon.core.roles import Role
from beacon.core.tests.factories import totp_device

ROLES = [role.value for role in Role]


def sign_in(http: HttpClient, user) -> HttpClient:
    """Sign `user` in as if they had passed password and two-factor."""
    http.force_login(user)
    if user.needs_two_factor:
        device = totp_device(user)
        session = http.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return http


class _SentForm(HTMLParser):
    """Reads a page's post forms as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            account = "nhsuk-header__account-form" in (a.get("class") or "")
            self.in_form = (a.get("method") or "").lower() == "post" and not account
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (a.get("type") or "text").lower()
            if kind in {"radio", "checkbox"}:
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in {"submit", "button"}:
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self.select, self.select_value, self.select_first = name, None, None
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.select_value = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            chosen = self.select_value if self.select_value is not None else self.select_first
            self.data.setdefault(self.select, []).append(chosen or "")
            self.select = None
        elif tag == "textarea":
            if self.textarea:
                # A browser drops the newline that opens a text area's content.
                self.data[self.textarea][-1] = self.data[self.textarea][-1].removeprefix("\n")
            self.textarea = None


def form_as_sent(html: str) -> dict[str, list[str]]:
    """What a browser sends for the page's form(s) when the person submits without touching
    anything: checked boxes and radios, selected options, typed values, text areas."""
    parser = _SentForm()
    parser.feed(html)
    return parser.data


def post_json(http: HttpClient, path: str, data) -> object:
    return http.post(path, data, content_type="application/json")


def patch_json(http: HttpClient, path: str, data) -> object:
    return http.patch(path, data, content_type="application/json")


def error_fields(response) -> list[str | None]:
    """The fields a 422 answer names, after checking it is one."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Invalid input"
    return [error["field"] for error in body["errors"]]


def audit_entries(action: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, user=user))
