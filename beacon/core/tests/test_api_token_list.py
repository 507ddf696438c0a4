"""The manager's list of API tokens: filtered by status and account, paged with the
filters kept; the status filter and the status each token shows agree."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beacon.core.models import ApiToken
from beacon.core.selectors import TokenStatus, api_tokens_search
from beacon.core.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db
URL = reverse("core:api_tokens")


@pytest.fixture
def tokens(users, provider):
    """The keyworker's own working token and a revoked one; one issued by the manager for
    the nurse, waiting for her; an expired one of the prescriber's."""
    working, _raw = api_token_issue(user=users["keyworker"], name="Working token")
    revoked, _raw = api_token_issue(user=users["keyworker"], name="Revoked token")
    api_token_revoke(token=revoked, revoked_by=users["manager"])
    waiting, _raw = api_token_issue(
        user=users["nurse"], name="Waiting token", issued_by=users["manager"]
    )
    expired, _raw = api_token_issue(user=users["prescriber"], name="Expired token")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    return {"working": working, "revoked": revoked, "waiting": waiting, "expired": expired}


def names(page: str) -> list[str]:
    if 'id="api-tokens"' not in page:
        return []
    table = page.split('id="api-tokens"')[1].split("</table>")[0]
    return sorted(
        name
        for name in ("Working token", "Revoked token", "Waiting token", "Expired token")
        if name in table
    )


def test_the_status_filter_and_each_tokens_status_agree(tokens, provider):
    for status, predicate in [
        (TokenStatus.WORKING, lambda token: token.is_active),
        (TokenStatus.WAITING, lambda token: token.is_pending),
        (TokenStatus.ENDED, lambda token: not token.is_active and not token.is_pending),
    ]:
        found = set(api_tokens_search(provider=provider, status=status))
        assert found == {token for token in ApiToken.objects.all() if predicate(token)}
        assert found


def test_manager_reads_the_tokens_that_have_ended(tokens, web_as):
    page = web_as("manager").get(URL, {"status": TokenStatus.ENDED}).text
    assert names(page) == ["Expired token", "Revoked token"]
    assert "2 tokens" in page


def test_manager_finds_the_tokens_of_one_account(tokens, web_as, users):
    page = web_as("manager").get(URL, {"account": users["keyworker"].username}).text
    assert names(page) == ["Revoked token", "Working token"]


def test_page_two_keeps_the_filter(tokens, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("manager")
    first = http.get(URL, {"status": TokenStatus.ENDED}).text
    assert "Showing 1 to 1 of 2 tokens" in first
    assert "?status=ended&amp;page=2" in first
    second = http.get(URL, {"status": TokenStatus.ENDED, "page": 2}).text
    assert len(names(second)) == 1 and names(second) != names(first)


@pytest.mark.parametrize("role", ["keyworker", "prescriber", "nurse", "driver"])
def test_only_managers_list_the_tokens(web_as, role):
    assert web_as(role).get(URL, {"status": TokenStatus.ENDED}).status_code == 403
