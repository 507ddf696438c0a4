"""A manager unlocks an account of their own provider that wrong passwords locked."""

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

GUESSER = "127.0.0.9"


def lock(user) -> HttpClient:
    """Wrong passwords until django-axes locks `user` at the guesser's address."""
    guesser = HttpClient(REMOTE_ADDR=GUESSER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(reverse("core:login"), {"username": user.username, "password": "wrong"})
    return guesser


def signs_in(http: HttpClient, user) -> bool:
    response = http.post(
        reverse("core:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    return response.status_code == 302


def test_manager_sees_and_unlocks_a_locked_account_and_it_is_audited(web_as, users):
    keyworker = users["keyworker"]
    at_the_desk = lock(keyworker)
    manager = web_as("manager")
    listing = manager.get(reverse("core:locked_accounts")).text
    assert keyworker.username in listing and GUESSER in listing
    response = manager.post(reverse("core:account_unlock", args=[keyworker.pk]))
    assert response.status_code == 302
    assert keyworker.username not in manager.get(reverse("core:locked_accounts")).text
    assert signs_in(at_the_desk, keyworker)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK_ACCOUNT)
    assert (entry.user, entry.object_type, entry.object_id) == (
        users["manager"],
        "core.User",
        str(keyworker.pk),
    )


@pytest.mark.parametrize("role", ["keyworker", "prescriber", "nurse", "driver", "commissioner"])
def test_no_other_role_may_unlock_an_account(web_as, users, role):
    nurse = users["nurse"] if role != "nurse" else users["prescriber"]
    guesser = lock(nurse)
    assert web_as(role).get(reverse("core:locked_accounts")).status_code == 403
    assert web_as(role).post(reverse("core:account_unlock", args=[nurse.pk])).status_code == 403
    assert not signs_in(guesser, nurse)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK_ACCOUNT).exists()


def test_a_manager_cannot_see_or_unlock_another_providers_account(
    web_as, users, make_user, other_provider
):
    theirs = make_user("manager", provider=other_provider, username="their-manager")
    guesser = lock(users["keyworker"])
    elsewhere = web_as(theirs)
    assert users["keyworker"].username not in elsewhere.get(reverse("core:locked_accounts")).text
    response = elsewhere.post(reverse("core:account_unlock", args=[users["keyworker"].pk]))
    assert response.status_code == 404
    assert not signs_in(guesser, users["keyworker"])


def test_the_set_up_superuser_is_unlocked_on_the_server_not_by_a_manager(web_as, users):
    guesser = lock(users["admin"])
    manager = web_as("manager")
    assert users["admin"].username not in manager.get(reverse("core:locked_accounts")).text
    response = manager.post(reverse("core:account_unlock", args=[users["admin"].pk]))
    assert response.status_code == 404
    assert not signs_in(guesser, users["admin"])


def test_unlocking_an_account_that_is_not_locked_says_so(web_as, users):
    manager = web_as("manager")
    response = manager.post(reverse("core:account_unlock", args=[users["nurse"].pk]), follow=True)
    assert "account is not locked" in response.text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCK_ACCOUNT).exists()
