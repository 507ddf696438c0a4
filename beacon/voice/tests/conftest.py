"""A published survey and the service's site, for the voice tests."""

import pytest

from beacon.voice.shipped import ship_all
from beacon.voice.tests.factories import published_survey, site_of


@pytest.fixture(autouse=True)
def shipped_surveys(db):
    """The surveys the migrations ship, put back when a transactional test earlier in the
    run flushed them with the rest of the database."""
    ship_all()


@pytest.fixture
def survey(users):
    return published_survey(users["manager"])


@pytest.fixture
def site(provider):
    return site_of(provider)
