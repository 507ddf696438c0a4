"""Fixtures of the delivery tests."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from beacon.delivery.tests.fake_postcodes import fake_postcodes_fixture  # noqa: F401


@pytest.fixture
def mid_morning():
    """The clock at 10:00 today (Europe/London), inside the test clients' usual hours of
    9 to 12 (tests/factories.py), whenever the suite runs."""
    when = datetime.datetime.combine(
        timezone.localdate(), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(when, tick=True):
        yield


@pytest.fixture
def site(provider):
    """The test provider's register site (tests/factories.main_site)."""
    from beacon.delivery.tests.factories import main_site

    return main_site(provider)
