"""Recording a TOP: ranges, dates and stage rules, through the service and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.treatment.codes import TopStage
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.models.tops import DAY_FIELDS, RATING_FIELDS
from beacon.treatment.services.tops import top_record
from beacon.treatment.tests.api_calls import top_form_post
from beacon.treatment.tests.factories import TopFactory, TreatmentEpisodeFactory, date_input, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(robin):
    return TreatmentEpisodeFactory(client=robin, start_date=days(-300))


def answers(**changes) -> dict:
    values = {
        "stage": TopStage.START,
        "completed_on": days(-300),
        **dict.fromkeys(DAY_FIELDS, 0),
        **dict.fromkeys(RATING_FIELDS, 12),
        "opiate_days": 20,
        "opiate_amount": "0.25",
        "opiate_amount_unit": "grams",
        "shared_equipment": False,
        "acute_housing_problem": False,
        "at_risk_of_eviction": True,
    }
    return {**values, **changes}


def record(episode, actor, **changes):
    return top_record(actor=actor, episode=episode, data=answers(**changes))


# The service's rules


def test_top_is_recorded_for_the_episode_and_audited(episode, users):
    top = record(episode, users["nurse"])
    assert (top.client, top.provider, top.recorded_by) == (
        episode.client,
        episode.provider,
        users["nurse"],
    )
    assert top.opiate_days == 20 and top.at_risk_of_eviction
    entry = AuditEntry.objects.get(object_type="treatment.TreatmentOutcomesProfile")
    assert entry.client == episode.client and "Start of treatment" in entry.detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"opiate_days": 29}, "opiate_days", "from 0 to 28"),
        ({"injecting_days": -1}, "injecting_days", "from 0 to 28"),
        ({"quality_of_life": 21}, "quality_of_life", "from 0 to 20"),
        ({"physical_health": -3}, "physical_health", "from 0 to 20"),
        ({"completed_on": days(1)}, "completed_on", "cannot be in the future"),
        ({"completed_on": days(-301)}, "completed_on", "before the episode started"),
        ({"stage": "weekly"}, "stage", "Choose the stage"),
    ],
)
def test_bad_values_are_refused_and_nothing_saved(episode, users, changes, field, message):
    with pytest.raises(ValidationError) as error:
        record(episode, users["keyworker"], **changes)
    assert message in str(error.value.message_dict[field])
    assert not TreatmentOutcomesProfile.objects.exists()


def test_one_start_top_per_episode(episode, users):
    record(episode, users["keyworker"])
    with pytest.raises(ValidationError, match="already has a start TOP"):
        record(episode, users["keyworker"], completed_on=days(-10))


def test_review_top_cannot_be_before_the_start_top(episode, users):
    record(episode, users["keyworker"], completed_on=days(-100))
    with pytest.raises(ValidationError, match="before the start TOP"):
        record(episode, users["keyworker"], stage=TopStage.REVIEW, completed_on=days(-101))


def test_exit_top_is_not_before_the_last_review_and_only_once(episode, users):
    keyworker = users["keyworker"]
    record(episode, keyworker)
    record(episode, keyworker, stage=TopStage.REVIEW, completed_on=days(-120))
    with pytest.raises(ValidationError, match="before the last review"):
        record(episode, keyworker, stage=TopStage.EXIT, completed_on=days(-121))
    record(episode, keyworker, stage=TopStage.EXIT, completed_on=days(-120))
    with pytest.raises(ValidationError, match="already has an exit TOP"):
        record(episode, keyworker, stage=TopStage.EXIT, completed_on=days(-1))


def test_post_exit_top_follows_discharge(robin, episode, users):
    keyworker = users["keyworker"]
    with pytest.raises(ValidationError, match="this episode is still open"):
        record(episode, keyworker, stage=TopStage.POST_EXIT, completed_on=days(-1))
    episode.discharge_date, episode.discharge_reason = days(-30), "dropped_out"
    episode.save()
    with pytest.raises(ValidationError, match="before discharge"):
        record(episode, keyworker, stage=TopStage.POST_EXIT, completed_on=days(-31))
    with pytest.raises(ValidationError, match="record an exit or post-exit TOP"):
        record(episode, keyworker, stage=TopStage.REVIEW, completed_on=days(-1))
    record(episode, keyworker, stage=TopStage.POST_EXIT, completed_on=days(-1))
    assert TreatmentOutcomesProfile.objects.get().stage == TopStage.POST_EXIT


# The page


@pytest.fixture
def form_data() -> dict:
    values = {name: value for name, value in answers().items() if name != "completed_on"}
    return {**top_form_post(values), **date_input("completed_on", days(-299))}


def test_nurse_records_a_top_and_sees_it_listed(web_as, robin, episode, form_data):
    http = web_as("nurse")
    response = http.post(reverse("treatment:top_create", args=[robin.client_number]), form_data)
    assert response.headers["Location"] == reverse("treatment:tops", args=[robin.client_number])
    top = TreatmentOutcomesProfile.objects.get()
    assert top.episode == episode and top.completed_on == days(-299) and top.opiate_days == 20
    assert top.at_risk_of_eviction and not top.shared_equipment
    page = http.get(response.headers["Location"])
    assert "Start of treatment" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opiate_days": "29"}, "Enter a number of days from 0 to 28"),
        ({"crack_days": "-1"}, "Enter a number of days from 0 to 28"),
        ({"quality_of_life": "21"}, "Enter a score from 0 to 20"),
        ({"alcohol_days": "some"}, "Enter a whole number of days, from 0 to 28"),
        (
            {"education_days": ""},
            "Enter a number of days from 0 to 28, or say it was not disclosed",
        ),
        ({"stage": ""}, "Select stage"),
        (date_input("completed_on", days(1)), "cannot be in the future"),
        (date_input("completed_on", days(-400)), "before the episode started"),
    ],
)
def test_bad_top_input_gets_a_message_next_to_the_field_and_saves_nothing(
    web_as, robin, episode, form_data, changes, message
):
    response = web_as("keyworker").post(
        reverse("treatment:top_create", args=[robin.client_number]), {**form_data, **changes}
    )
    assert response.status_code == 200 and "There is a problem" in response.text
    assert message in response.text
    assert "nhsuk-error-message" in response.text
    assert not TreatmentOutcomesProfile.objects.exists()


def test_second_start_top_message_is_shown_on_the_stage(web_as, robin, episode, form_data):
    TopFactory(episode=episode, completed_on=days(-300))
    response = web_as("keyworker").post(
        reverse("treatment:top_create", args=[robin.client_number]), form_data
    )
    assert "This episode already has a start TOP" in response.text
    assert 'href="#id_stage' in response.text
    assert TreatmentOutcomesProfile.objects.count() == 1


def test_no_top_form_without_an_episode(web_as, robin):
    page = web_as("keyworker").get(reverse("treatment:top_create", args=[robin.client_number]))
    assert "has no treatment episode" in page.text


def test_prescriber_reads_but_does_not_record_tops(web_as, robin, episode, form_data):
    http = web_as("prescriber")
    assert http.get(reverse("treatment:tops", args=[robin.client_number])).status_code == 200
    response = http.post(reverse("treatment:top_create", args=[robin.client_number]), form_data)
    assert response.status_code == 403 and not TreatmentOutcomesProfile.objects.exists()


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_cannot_record_tops(web_as, robin, episode, form_data, role):
    http = web_as(role)
    assert http.get(reverse("treatment:tops", args=[robin.client_number])).status_code == 403
    response = http.post(reverse("treatment:top_create", args=[robin.client_number]), form_data)
    assert response.status_code == 403 and not TreatmentOutcomesProfile.objects.exists()


def test_opening_a_clients_tops_is_audited(web_as, robin, episode):
    web_as("keyworker").get(reverse("treatment:tops", args=[robin.client_number]))
    assert AuditEntry.objects.filter(action="view", client=robin, detail="TOPs").exists()
