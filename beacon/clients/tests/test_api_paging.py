"""The client search pages within what the database can count: a page number past it is a
422 naming the field, never a 500 from an OFFSET beyond 64 bits."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", [2**63, 10**7 + 1, 0])
def test_a_page_beyond_what_can_be_counted_is_refused(api_as, page):
    response = api_as("keyworker").get(f"/api/v1/clients/?page={page}")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["page"]


def test_the_last_page_that_can_be_counted_is_empty(api_as):
    response = api_as("keyworker").get(f"/api/v1/clients/?page={10**7}")
    assert response.status_code == 200
    assert response.json()["items"] == []
