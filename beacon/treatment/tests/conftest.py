"""Fixtures shared by the plan and TOP API tests: a client on the keyworker's caseload, their
open episode on methadone, and its start TOP."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.treatment.tests.factories import (
    ModalityFactory,
    TopFactory,
    TreatmentEpisodeFactory,
    days_ago,
)


@pytest.fixture
def record(users, team):
    """A client in the keyworker's team and on their caseload."""
    return ClientFactory(provider=team.provider, team=team, keyworker=users["keyworker"])


@pytest.fixture
def episode(record):
    """An open episode that started 90 days ago, with methadone running since then."""
    episode = TreatmentEpisodeFactory(client=record)
    ModalityFactory(episode=episode, ost=True)
    return episode


@pytest.fixture
def top(episode):
    """The start TOP, the day after treatment started."""
    return TopFactory(episode=episode, stage="start", completed_on=days_ago(89))
