"""The TOP API: who may record a TOP, what the endpoints do, and validation. The tests that
cover plans and TOPs together stay in beacon/treatment/tests/plans/test_api.py."""

import pytest

from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.helpers import error_fields, post_json
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.tests.api_calls import iso, new_top, url
from beacon.treatment.tests.factories import TreatmentEpisodeFactory

pytestmark = pytest.mark.django_db

TOP_RECORDERS = ["keyworker", "nurse", "manager"]
NOT_TOP_RECORDERS = ["prescriber", "driver", "volunteer", "commissioner"]


# Who may record ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", TOP_RECORDERS)
def test_keyworker_nurse_and_manager_record_a_top(api_as, record, episode, role):
    response = post_json(
        api_as(role), url(record, "tops"), new_top(stage="start", completed_on=iso(80))
    )
    assert response.status_code == 201
    assert (response.json()["episode_id"], response.json()["opiate_days"]) == (episode.pk, 12)


@pytest.mark.parametrize("role", NOT_TOP_RECORDERS)
def test_other_roles_cannot_record_a_top(api_as, record, episode, role):
    assert post_json(api_as(role), url(record, "tops"), new_top()).status_code == 403
    assert TreatmentOutcomesProfile.objects.count() == 0


# What the endpoints do --------------------------------------------------------------------


def test_tops_are_listed_newest_first(api_as, record, top):
    post_json(api_as("nurse"), url(record, "tops"), new_top())
    listed = api_as("nurse").get(url(record, "tops")).json()
    assert [t["stage"] for t in listed] == ["review", "start"]


def test_post_exit_top_names_its_discharged_episode(api_as, record):
    done = TreatmentEpisodeFactory(client=record, discharged=True)  # discharged 30 days ago
    response = post_json(
        api_as("nurse"),
        url(record, "tops"),
        new_top(stage="post_exit", completed_on=iso(2), episode_id=done.pk),
    )
    assert response.status_code == 201
    assert TreatmentOutcomesProfile.objects.get().episode == done


# Validation: 422 naming the field, nothing saved ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"opiate_days": 29}, "opiate_days"),
        ({"alcohol_days": -1}, "alcohol_days"),
        ({"injecting_days": 3.5}, "injecting_days"),
        ({"crack_days": "4"}, "crack_days"),
        ({"quality_of_life": 21}, "quality_of_life"),
        ({"psychological_health": -1}, "psychological_health"),
        ({"stage": "midway"}, "stage"),
        ({"completed_on": iso(-1)}, "completed_on"),
        ({"completed_on": iso(91)}, "completed_on"),  # before the episode started
        ({"shared_equipment": "no"}, "shared_equipment"),
        ({"episode_id": 999999}, "episode_id"),
    ],
)
def test_invalid_top_is_refused_naming_the_field(api_as, record, episode, changes, field):
    response = post_json(api_as("nurse"), url(record, "tops"), new_top(**changes))
    assert field in error_fields(response)
    assert TreatmentOutcomesProfile.objects.count() == 0


def test_top_missing_a_score_is_refused_naming_it(api_as, record, episode):
    payload = new_top()
    del payload["physical_health"]
    assert error_fields(post_json(api_as("nurse"), url(record, "tops"), payload)) == [
        "physical_health"
    ]


def test_second_start_top_is_refused(api_as, record, top):
    response = post_json(api_as("nurse"), url(record, "tops"), new_top(stage="start"))
    assert error_fields(response) == ["stage"]
    assert TreatmentOutcomesProfile.objects.count() == 1


def test_post_exit_top_on_an_open_episode_is_refused(api_as, record, episode):
    response = post_json(api_as("nurse"), url(record, "tops"), new_top(stage="post_exit"))
    assert error_fields(response) == ["stage"]
    assert TreatmentOutcomesProfile.objects.count() == 0


def test_top_for_another_clients_episode_is_refused(api_as, record, episode, team):
    other = TreatmentEpisodeFactory(client=ClientFactory(provider=team.provider, team=team))
    response = post_json(api_as("nurse"), url(record, "tops"), new_top(episode_id=other.pk))
    assert error_fields(response) == ["episode_id"]
    assert TreatmentOutcomesProfile.objects.count() == 0


def test_top_without_an_open_episode_must_name_one(api_as, record):
    response = post_json(api_as("nurse"), url(record, "tops"), new_top())
    assert error_fields(response) == ["episode_id"]
