"""Who a token may act as: the manager themself or an integration account at once, another
person only once they accept it, never the set-up superuser."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from beacon.core.models import Alert, ApiToken, AuditEntry, User
from beacon.core.services import api_token_issue, api_token_user, integration_account_create
from beacon.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def issue_on_the_page(http, user, name="link"):
    return http.post(reverse("core:api_token_create"), {"user": user.pk, "name": name})


def raw_token_in(page: str) -> str:
    return page.split('id="api-token">')[1].split("<")[0]


def test_a_token_for_another_person_waits_until_they_accept_it(web_as, users):
    keyworker = users["keyworker"]
    page = issue_on_the_page(web_as("manager"), keyworker, "caseload script").text
    token = ApiToken.objects.get()
    assert token.is_pending and token.key_hash is None
    assert "bcn_" not in page and "waiting for" in page.lower()
    alert = Alert.objects.get(recipient=keyworker, kind=Alert.Kind.API_TOKEN_TO_ACCEPT)
    assert alert.link == reverse("core:my_api_tokens")

    theirs = web_as(keyworker)
    assert "caseload script" in theirs.get(reverse("core:my_api_tokens")).text
    accepted = theirs.post(reverse("core:api_token_accept", args=[token.pk]))
    raw = raw_token_in(accepted.text)
    assert api_token_user(raw) == keyworker
    assert HttpClient(headers={"Authorization": f"Bearer {raw}"}).get(CLIENTS).status_code == 200
    assert AuditEntry.objects.filter(action="accept_token", user=keyworker).count() == 1


def test_only_the_person_a_token_acts_as_may_accept_it(web_as, users):
    issue_on_the_page(web_as("manager"), users["keyworker"])
    token = ApiToken.objects.get()
    for who in ("nurse", "manager", "admin"):
        response = web_as(who).post(reverse("core:api_token_accept", args=[token.pk]))
        assert response.status_code == 404, who
    token.refresh_from_db()
    assert token.is_pending and token.key_hash is None


def test_a_revoked_pending_token_can_no_longer_be_accepted(web_as, users):
    issue_on_the_page(web_as("manager"), users["keyworker"])
    token = ApiToken.objects.get()
    web_as("manager").post(reverse("core:api_token_revoke", args=[token.pk]))
    response = web_as("keyworker").post(reverse("core:api_token_accept", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.key_hash is None


def test_the_set_up_superuser_is_never_offered_or_given_a_token(web_as, users):
    form = web_as("manager").get(reverse("core:api_token_create")).text
    assert f'value="{users["admin"].pk}"' not in form
    refused = issue_on_the_page(web_as("manager"), users["admin"])
    assert "Select one of the choices for who the token acts as" in refused.text
    own = issue_on_the_page(web_as("admin"), users["admin"])
    assert "Select one of the choices for who the token acts as" in own.text
    with pytest.raises(ValidationError, match="set-up superuser cannot have an API token"):
        api_token_issue(user=users["admin"], name="x", issued_by=users["manager"])
    assert not ApiToken.objects.exists()


def test_only_a_manager_of_the_same_provider_issues_tokens(users, make_user, other_provider):
    with pytest.raises(ValidationError, match="Only a service manager"):
        api_token_issue(user=users["keyworker"], name="x", issued_by=users["keyworker"])
    outsider = make_user("manager", provider=other_provider, username="their-manager")
    with pytest.raises(ValidationError, match="your own provider"):
        api_token_issue(user=users["nurse"], name="x", issued_by=outsider)
    assert not ApiToken.objects.exists()


def test_a_keyworker_cannot_issue_tokens_on_the_page(web_as, users):
    response = issue_on_the_page(web_as("keyworker"), users["keyworker"])
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


# Integration accounts --------------------------------------------------------------------


def make_integration(http, **fields):
    data = {"name": "Riverside Pharmacy link", "username": "riverside-link", "role": "keyworker"}
    return http.post(reverse("core:integration_accounts"), {**data, **fields})


def test_manager_makes_an_integration_account_whose_token_works_at_once(web_as, users):
    manager = web_as("manager")
    assert make_integration(manager).status_code == 302
    account = User.objects.get(username="riverside-link")
    assert account.is_integration and account.role == "keyworker"
    assert account.provider == users["manager"].provider and not account.has_usable_password()
    assert "Riverside Pharmacy link" in manager.get(reverse("core:integration_accounts")).text
    raw = raw_token_in(issue_on_the_page(manager, account).text)
    response = HttpClient(headers={"Authorization": f"Bearer {raw}"}).get(CLIENTS)
    assert response.status_code == 200
    made = AuditEntry.objects.get(action="create", object_type="core.User")
    assert made.user == users["manager"] and "riverside-link" in made.detail


def test_an_integration_account_cannot_sign_in_to_the_pages(web_as):
    make_integration(web_as("manager"))
    response = HttpClient().post(
        reverse("core:login"), {"username": "riverside-link", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200 and "Enter a correct username and password" in response.text


def test_an_integration_account_is_never_a_manager(web_as, users):
    response = make_integration(web_as("manager"), role="manager")
    assert "Select one of the choices for role it acts in" in response.text
    with pytest.raises(ValidationError, match="cannot be a service manager"):
        integration_account_create(
            provider=users["manager"].provider,
            username="boss-bot",
            name="Boss bot",
            role="manager",
            actor=users["manager"],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="sneaky", kind="integration", role="manager", provider=users["nurse"].provider
        )
    assert not User.objects.filter(kind="integration").exists()


def test_only_a_manager_makes_integration_accounts(web_as):
    assert make_integration(web_as("keyworker")).status_code == 403
    assert not User.objects.filter(username="riverside-link").exists()


def test_an_integration_account_given_a_password_still_cannot_sign_in(web_as):
    make_integration(web_as("manager"))
    account = User.objects.get(username="riverside-link")
    account.set_password(TEST_PASSWORD)
    account.save()
    response = HttpClient().post(
        reverse("core:login"), {"username": "riverside-link", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200 and "only with an API token" in response.text
