"""Every page and API answer carries the headers that keep client data in the building."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_pages_and_api_answers_are_never_stored_by_a_browser_or_proxy(web_as, api_as):
    page = web_as("keyworker").get("/clients/")
    answer = api_as("keyworker").get("/api/v1/clients/")
    sign_in = web_as("keyworker").get("/sign-in/")
    for response in (page, answer, sign_in):
        assert response["Cache-Control"] == "no-store"


def test_pages_allow_only_beacons_own_scripts_and_styles(web_as):
    policy = web_as("manager").get("/clients/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    # Beacon's own files, and the frontend's one inline line by this response's nonce.
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9+/=]+'", directives["script-src"])
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@override_settings(
    CONTENT_SECURITY_POLICY={
        "DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://tiles.example"]}
    }
)
def test_a_configured_tile_server_is_the_only_other_origin(web_as):
    policy = web_as("manager").get("/clients/")["Content-Security-Policy"]
    assert "img-src 'self' https://tiles.example" in policy


def test_no_page_template_carries_an_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("*/jinja2/**/*.html"):
        text = template.read_text()
        if "<style" in text or " style=" in text or "<script>" in text:
            offenders.append(template.relative_to(root).as_posix())
        for line in text.splitlines():
            if "<script" in line and "src=" not in line and "application/json" not in line:
                offenders.append(f"{template.relative_to(root).as_posix()}: {line.strip()}")
    assert offenders == []


def test_the_stylesheet_asks_no_other_host_for_a_font_or_image():
    from django.contrib.staticfiles import finders

    stylesheet = finders.find("built/nhsuk-frontend.min.css")
    assert stylesheet, "run `make deps` to build the stylesheet"
    text = Path(stylesheet).read_text()
    assert "@font-face" not in text
    assert re.findall(r"url\(\"?(?:https?:)?//", text) == []
    assert "arial" in text.lower()
