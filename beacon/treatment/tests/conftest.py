"""Fixtures shared by the treatment tests: a client on the keyworker's caseload, their open
episode on methadone, and its start TOP; Robin, another client on that caseload; a keyworker
of another team and a manager of another provider."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.factories import TeamFactory
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
def robin(users, team):
    """Robin, a client in the keyworker's team and on their caseload, with no episode yet."""
    return ClientFactory(
        provider=team.provider, team=team, keyworker=users["keyworker"], first_name="Robin"
    )


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


@pytest.fixture
def keyworker_of_another_team(make_user, provider):
    return make_user(
        "keyworker", username="keyworker-north", team=TeamFactory(provider=provider, name="North")
    )


@pytest.fixture
def outsider(make_user, other_provider):
    return make_user("manager", provider=other_provider, username="manager-ors")
