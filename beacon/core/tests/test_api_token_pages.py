"""Managers issue and revoke API tokens in the app; the raw token is shown once, stored hashed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.core.models import ApiToken, AuditEntry
from beacon.core.services import api_token_issue, api_token_user

pytestmark = pytest.mark.django_db


def test_manager_issues_a_token_shown_once_and_stored_hashed(web_as, users):
    response = web_as("manager").post(
        reverse("core:api_token_create"), {"user": users["manager"].pk, "name": "pharmacy link"}
    )
    token = ApiToken.objects.get()
    raw = response.text.split('id="api-token">')[1].split("<")[0]
    assert raw.startswith("bcn_") and raw not in token.key_hash and token.prefix == raw[:10]
    assert api_token_user(raw) == users["manager"]
    listing = web_as("manager").get(reverse("core:api_tokens"))
    assert "pharmacy link" in listing.text and raw not in listing.text
    assert AuditEntry.objects.filter(action="issue_token", username="manager-trs").exists()


def test_token_for_a_user_of_another_provider_is_refused(web_as, make_user, other_provider):
    outsider = make_user("nurse", provider=other_provider, username="outsider")
    response = web_as("manager").post(
        reverse("core:api_token_create"), {"user": outsider.pk, "name": "sneaky"}
    )
    assert "Select one of the choices for who the token acts as" in response.text
    assert not ApiToken.objects.exists()


def test_token_needs_a_purpose(web_as, users):
    response = web_as("manager").post(
        reverse("core:api_token_create"), {"user": users["keyworker"].pk, "name": ""}
    )
    assert "Enter what it is for" in response.text
    assert not ApiToken.objects.exists()


def test_revoked_token_no_longer_signs_in(web_as, users):
    token, raw = api_token_issue(user=users["keyworker"], name="old script")
    response = web_as("manager").post(reverse("core:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_user(raw) is None
    assert AuditEntry.objects.filter(action="revoke_token").count() == 1


def test_manager_cannot_revoke_another_providers_token(web_as, make_user, other_provider):
    outsider = make_user("nurse", provider=other_provider, username="outsider")
    token, raw = api_token_issue(user=outsider, name="theirs")
    response = web_as("manager").post(reverse("core:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert api_token_user(raw) == outsider


def test_token_of_a_deactivated_user_stops_working(users):
    _token, raw = api_token_issue(user=users["nurse"], name="script")
    users["nurse"].is_active = False
    users["nurse"].save()
    assert api_token_user(raw) is None


def test_manager_gives_a_token_an_expiry_and_sees_when_each_was_last_used(web_as, users):
    day = timezone.localdate() + datetime.timedelta(days=30)
    web_as("manager").post(
        reverse("core:api_token_create"),
        {
            "user": users["manager"].pk,
            "name": "pharmacy link",
            "expires_on[day]": day.day,
            "expires_on[month]": day.month,
            "expires_on[year]": day.year,
        },
    )
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == day + datetime.timedelta(days=1)
    listing = web_as("manager").get(reverse("core:api_tokens")).text
    assert "Last used" in listing and "Never" in listing and "Expires" in listing


def test_an_expiry_in_the_past_or_beyond_a_year_is_refused(web_as, users):
    for day, message in [
        (timezone.localdate() - datetime.timedelta(days=1), "must be today or in the future"),
        (timezone.localdate() + datetime.timedelta(days=400), "must be within a year"),
    ]:
        response = web_as("manager").post(
            reverse("core:api_token_create"),
            {
                "user": users["keyworker"].pk,
                "name": "link",
                "expires_on[day]": day.day,
                "expires_on[month]": day.month,
                "expires_on[year]": day.year,
            },
        )
        assert message in response.text
    assert not ApiToken.objects.exists()
