"""Production settings, beyond beacon/core/tests/test_deploy_settings.py: pages render from
the manifest of collected static files, the proxy header is opt-in, make serve refuses to
start half-configured."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7$k2!q9-production-like-secret-key-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "beacon.example.nhs.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# static('…') in a page template: each must name a collected file, never a folder.
STATIC_CALL = re.compile(r"""\bstatic\(\s*['"]([^'"]+)['"]\s*\)""")


def run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # This environment less what a deployment would never set (the browser tests allow
    # async-unsafe ORM calls for Playwright in this process).
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def production_setting(expression: str, **env: str) -> str:
    result = run(
        sys.executable,
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        env={**PRODUCTION_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """collectstatic into a temporary folder with the production storage, and use it."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_sign_in_page_renders_from_the_static_manifest(collected_static, client, db):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    page = response.content.decode()
    # Hashed names, for WhiteNoise to serve with a year-long cache.
    assert re.search(r"/static/built/nhsuk-frontend\.min\.[0-9a-f]{12}\.css", page)
    assert re.search(r"/static/nhsuk/assets/images/favicon\.[0-9a-f]{12}\.ico", page)


def test_every_static_file_a_page_template_names_is_in_the_manifest(collected_static):
    named = {
        name
        for template in (ROOT / "beacon").rglob("jinja2/**/*.html")
        for name in STATIC_CALL.findall(template.read_text())
    }
    assert "built/nhsuk-frontend.min.css" in named
    missing = []
    for name in sorted(named):
        try:
            staticfiles_storage.stored_name(name)
        except ValueError:
            missing.append(name)
    assert not missing, f"no collected file (a folder?): {missing}"


def test_production_serves_static_files_through_whitenoise_and_its_manifest():
    assert production_setting("settings.STORAGES['staticfiles']['BACKEND']") == PRODUCTION_STORAGE
    whitenoise = "whitenoise.middleware.WhiteNoiseMiddleware"
    assert production_setting("settings.MIDDLEWARE[1]") == whitenoise


def test_static_root_is_read_from_the_environment(tmp_path):
    assert production_setting("settings.STATIC_ROOT", STATIC_ROOT=str(tmp_path)) == str(tmp_path)


def test_the_proxy_header_is_trusted_only_when_behind_a_proxy():
    assert production_setting("settings.SECURE_PROXY_SSL_HEADER") == "None"
    assert production_setting(
        "settings.SECURE_PROXY_SSL_HEADER", BEACON_BEHIND_PROXY="true"
    ) == str(("HTTP_X_FORWARDED_PROTO", "https"))


def test_check_deploy_reports_nothing_behind_a_proxy():
    result = run(
        sys.executable,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "BEACON_BEHIND_PROXY": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_serve_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run(str(ROOT / "scripts" / "serve"), env=env)
    assert result.returncode == 2
    assert "set SECRET_KEY" in result.stderr
    assert "README" in result.stderr


def test_make_serve_refuses_debug_mode():
    result = run(str(ROOT / "scripts" / "serve"), env={**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.returncode == 2
    assert "make run" in result.stderr


def test_make_serve_runs_scripts_serve():
    # One place for the production start: the browser test runs the same script.
    makefile = (ROOT / "Makefile").read_text()
    recipe = r"^serve: .*\n\tVENV=\$\(VENV\) PORT=\$\(PORT\) scripts/serve$"
    assert re.search(recipe, makefile, re.MULTILINE)
