"""API tokens: bearer authentication on the API, and issuing one from the command line."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.utils import timezone

from beacon.core.models import ApiToken, AuditEntry
from beacon.core.services import api_token_issue, api_token_revoke
from beacon.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def bearer(raw: str) -> HttpClient:
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


# Bearer authentication -------------------------------------------------------------------


def test_request_without_a_token_is_unauthenticated(users):
    response = HttpClient().get(CLIENTS)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_unknown_token_is_unauthenticated(users):
    assert bearer("bcn_not-a-real-token").get(CLIENTS).status_code == 401


def test_session_sign_in_does_not_open_the_api(web_as):
    # The API answers only to tokens, so a browser session cannot be ridden by another site.
    assert web_as("keyworker").get(CLIENTS).status_code == 401


def test_valid_token_is_accepted_and_its_use_recorded(users):
    token, raw = api_token_issue(user=users["nurse"], name="test")
    assert bearer(raw).get(CLIENTS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_unauthenticated(users):
    token, raw = api_token_issue(user=users["nurse"], name="test")
    api_token_revoke(token=token, revoked_by=users["manager"])
    assert bearer(raw).get(CLIENTS).status_code == 401


def test_token_of_a_deactivated_user_is_unauthenticated(users):
    _token, raw = api_token_issue(user=users["nurse"], name="test")
    users["nurse"].is_active = False
    users["nurse"].save()
    assert bearer(raw).get(CLIENTS).status_code == 401


# create_api_token ------------------------------------------------------------------------


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().splitlines()


def test_command_prints_a_working_token_alone_on_the_last_line(users):
    raw = run(users["keyworker"].username)[-1]
    assert raw.startswith("bcn_") and " " not in raw
    assert bearer(raw).get(CLIENTS).status_code == 200


def test_command_stores_the_name_and_only_a_hash(users):
    raw = run(users["keyworker"].username, "--name", "pharmacy link")[-1]
    token = ApiToken.objects.get(user=users["keyworker"])
    assert token.name == "pharmacy link"
    assert raw not in token.key_hash


def test_command_audits_the_issue_on_the_command_line_channel(users):
    run(users["manager"].username)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ISSUE_TOKEN)
    assert entry.channel == AuditEntry.Channel.COMMAND
    assert entry.user == users["manager"]


def test_command_refuses_an_unknown_user(users):
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        run("nobody")
    assert ApiToken.objects.count() == 0


def test_command_refuses_an_inactive_user(make_user):
    make_user("nurse", username="nurse-left", is_active=False)
    with pytest.raises(CommandError, match="not active"):
        run("nurse-left")
    assert ApiToken.objects.count() == 0


def test_command_refuses_a_superuser_without_a_provider(db):
    UserFactory(username="root", provider=None, role="", is_superuser=True, is_staff=True)
    with pytest.raises(CommandError, match="set-up superuser cannot have an API token"):
        run("root")
    assert ApiToken.objects.count() == 0


def test_command_refuses_the_set_up_superuser_even_as_a_manager_of_a_provider(users):
    with pytest.raises(CommandError, match="set-up superuser cannot have an API token"):
        run(users["admin"].username)
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("name", ["   ", "x" * 101])
def test_command_refuses_an_empty_or_overlong_name(users, name):
    with pytest.raises(CommandError, match="--name"):
        run(users["keyworker"].username, "--name", name)
    assert ApiToken.objects.count() == 0


def test_a_token_works_to_the_end_of_its_expiry_day_and_not_after(users):
    last_day = timezone.localdate() + datetime.timedelta(days=7)
    _token, raw = api_token_issue(user=users["keyworker"], name="link", expires_on=last_day)
    evening = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(23, 30)))
    with time_machine.travel(evening, tick=False):
        assert bearer(raw).get(CLIENTS).status_code == 200
    with time_machine.travel(evening + datetime.timedelta(hours=1), tick=False):
        assert bearer(raw).get(CLIENTS).status_code == 401
