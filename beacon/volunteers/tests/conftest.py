"""Fixtures of the volunteers tests: the volunteer user's record, a base with naloxone
stock, and a shift today with the volunteer on it."""

import pytest

from beacon.core.tests.factories import SiteFactory
from beacon.naloxone.tests.factories import receive
from beacon.volunteers.tests.factories import shift_for, volunteer_for


@pytest.fixture
def volunteer(users):
    return volunteer_for(users["volunteer"], trained=True)


@pytest.fixture
def base(provider):
    return SiteFactory(provider=provider, name="Outreach base")


@pytest.fixture
def stocked(users, base):
    """Five in-date kits at the base."""
    return receive(users["manager"], base, quantity=5).batch


@pytest.fixture
def shift(volunteer, base, users):
    return shift_for(volunteer, site=base, duty_manager=users["manager"])
