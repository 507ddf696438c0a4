"""A person's alerts, filtered to the new or the read ones and to one kind, counted and
paged with the filters kept."""

import pytest
from django.urls import reverse

from beacon.core.models import Alert
from beacon.core.services import alert_raise, alerts_mark_read

pytestmark = pytest.mark.django_db
URL = reverse("core:alerts")


@pytest.fixture
def alerts(users, provider):
    """The keyworker's alerts: two missed deliveries (the first read) and a suspension."""

    def raise_one(kind, title):
        return alert_raise(
            provider=provider,
            recipients=[users["keyworker"]],
            kind=kind,
            title=title,
            message="m",
        )[0]

    first = raise_one(Alert.Kind.MISSED_DELIVERY, "Missed delivery one")
    alerts_mark_read(user=users["keyworker"], alert_ids=[first.pk])
    raise_one(Alert.Kind.MISSED_DELIVERY, "Missed delivery two")
    raise_one(Alert.Kind.MISSED_DOSES, "Supply suspended")


def listed(page: str) -> str:
    """The list of alerts, without the filters (whose options name every kind)."""
    return page.split('id="alerts"')[1]


def test_only_the_new_alerts(alerts, web_as):
    page = web_as("keyworker").get(URL, {"show": "new"}).text
    assert "Missed delivery two" in listed(page) and "Supply suspended" in listed(page)
    assert "Missed delivery one" not in listed(page)
    assert "2 alerts" in page


def test_only_the_read_alerts_of_one_kind(alerts, web_as):
    http = web_as("keyworker")
    page = http.get(URL, {"show": "read", "kind": Alert.Kind.MISSED_DELIVERY}).text
    assert "Missed delivery one" in listed(page) and "Missed delivery two" not in listed(page)
    none = http.get(URL, {"show": "read", "kind": Alert.Kind.MISSED_DOSES}).text
    assert "No alerts match these filters." in none


def test_page_two_keeps_the_filter(alerts, web_as, settings):
    settings.BEACON_PAGE_SIZE = 1
    http = web_as("keyworker")
    first = http.get(URL, {"kind": Alert.Kind.MISSED_DELIVERY}).text
    assert "Showing 1 to 1 of 2 alerts" in first
    assert "?kind=missed_delivery&amp;page=2" in first
    second = http.get(URL, {"kind": Alert.Kind.MISSED_DELIVERY, "page": 2}).text
    assert "Missed delivery one" in listed(second) and "Supply suspended" not in listed(second)


def test_a_filter_shows_no_one_elses_alerts(alerts, web_as):
    page = web_as("nurse").get(URL, {"kind": Alert.Kind.MISSED_DELIVERY}).text
    assert "Missed delivery" not in listed(page)
