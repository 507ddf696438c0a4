"""Production settings pass Django's deployment checks; a missing secret fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7$k2!q9-production-like-secret-key-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "beacon.example.nhs.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # Start from this environment less what a deployment would never set (the browser
    # tests allow async-unsafe ORM calls for Playwright in this process).
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = manage("check", env={"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_make_run_serves_the_stylesheets_itself():
    # `make run` uses runserver; only staticfiles' runserver serves CSS and JS in DEBUG.
    from django.core.management import get_commands

    assert get_commands()["runserver"] == "django.contrib.staticfiles"
