"""The dashboard tests' journeys."""

import pytest

from beacon.reporting.tests.kpis.builders import seven_journeys


@pytest.fixture
def journeys(provider, team):
    """Six people in treatment in the year from April 2025 (two completed), one before."""
    seven_journeys(provider, team)
