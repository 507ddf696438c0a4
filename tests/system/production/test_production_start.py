"""The production start (`make serve`, i.e. scripts/serve) serves Beacon with DEBUG off:
gunicorn and its workers, WhiteNoise for the collected static files, a manager signs in."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, expect

ROOT = Path(__file__).resolve().parents[3]
DEMO_PASSWORD = "beacon-demo-2026"
# The README's "Production" section gives these for a local trial over plain http; the
# session and CSRF cookies stay Secure (Chromium keeps them for http://127.0.0.1).
LOCAL_TRIAL_ENV = {"SECURE_SSL_REDIRECT": "false"}
# What a deployment would never carry over from this test process.
UNSET = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
START_SECONDS = 300  # collectstatic and migrate first; a start that ends fails at once
# The README's way to read the manager's current code off its authenticator key.
CODE_COMMAND = (
    "from django_otp.oath import totp; "
    "from django_otp.plugins.otp_totp.models import TOTPDevice; "
    "d = TOTPDevice.objects.get(user__username='manager', confirmed=True); "
    "print(f'{totp(d.bin_key, d.step, d.t0, d.digits, d.drift):06d}')"
)


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path


def manage(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,  # a loaded 2-core machine took over 180 s to migrate; a hang still fails
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(process: subprocess.Popen, port: int, log: Path) -> None:
    """Until a worker answers the sign-in page: gunicorn binds the port before its workers
    have loaded Beacon, which takes a while on a busy machine."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # a worker answered, if not with the page: the test says what is wrong
        except OSError:
            pass
        try:  # a short pause that also notices the start failing
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"scripts/serve ended ({process.returncode}):\n{log.read_text()}")
    pytest.fail(f"nothing answered on port {port} in {START_SECONDS} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """Stop the script, gunicorn, its workers and the tasks worker: the whole group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("production")
    port = free_port()
    database = folder / "beacon.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in UNSET},
        "DEBUG": "false",
        "SECRET_KEY": "a-production-trial-key-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(folder / "static"),
        "PORT": str(port),
        **LOCAL_TRIAL_ENV,
    }
    # The demo's users, with their authenticators, in the database the server will use.
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", "--clients", "5", env=env)
    log = folder / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [ROOT / "scripts" / "serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answering(process, port, log)
        yield Server(url=f"http://127.0.0.1:{port}", env=env, log=log)
    finally:
        stop(process)


@pytest.fixture
def production_page(browser: Browser, production_server: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=production_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def current_code(server: Server) -> str:
    """The code the manager's authenticator app shows now, as the README prints it."""
    return manage("shell", "--no-imports", "-c", CODE_COMMAND, env=server.env).stdout.strip()


def when_the_manager_signs_in(page: Page, server: Server) -> None:
    response = page.goto("/sign-in/")
    assert response is not None and response.status == 200, response and response.status
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(current_code(server))
    page.get_by_role("button", name="Continue").click()


def then_the_home_page_shows_in_nhs_styles(page: Page, stylesheets: list[Response]) -> None:
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    expect(page.get_by_role("banner")).to_contain_text("Morgan Lead")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    session = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    assert session and session[0]["secure"] and session[0]["httpOnly"], session
    nhsuk = [r for r in stylesheets if "/static/built/nhsuk-frontend.min." in r.url]
    assert nhsuk and all(r.status == 200 for r in nhsuk), [(r.url, r.status) for r in nhsuk]
    # The stylesheet applied: the header is NHS blue (#005eb8).
    expect(page.locator(".nhsuk-header")).to_have_css("background-color", "rgb(0, 94, 184)")


def then_static_files_are_cached_for_a_year(page: Page, stylesheet_url: str) -> None:
    response = page.request.get(stylesheet_url)
    assert response.status == 200
    # WhiteNoise marks the manifest's hashed names immutable; nothing else here would.
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=315360000" in response.headers["cache-control"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet_url), stylesheet_url


def test_manager_signs_in_to_the_production_start(
    production_page: Page, production_server: Server
) -> None:
    page = production_page
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))

    when_the_manager_signs_in(page, production_server)

    stylesheets = [r for r in responses if r.request.resource_type == "stylesheet"]
    then_the_home_page_shows_in_nhs_styles(page, stylesheets)
    then_static_files_are_cached_for_a_year(page, stylesheets[0].url)
    failed = [(r.url, r.status) for r in responses if r.status >= 500]
    assert not failed, failed
    assert " 500 " not in production_server.log.read_text()


def test_readme_local_trial_is_what_this_test_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    trial = section.split("**Local trial only**", 1)[1]
    for name, value in {**LOCAL_TRIAL_ENV, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}.items():
        assert f"{name}={value}" in trial
    assert "DATABASE_URL=sqlite:///" in trial and "STATIC_ROOT=" in trial
    assert "manage.py migrate && .venv/bin/python manage.py seed_demo --clients 5" in trial
    # make serve runs scripts/serve, as this test does (tests/test_production_settings.py).
    assert "\nmake serve " in trial
    assert CODE_COMMAND in trial
