"""Issue #8, TOP: "not disclosed" answers (never silently 0 or no), tobacco, amounts on a
using day and the other substance's name, the start-window and no-start flags, and the
exit TOP prompts (hazard log H-79 to H-85)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beacon.clients.models import Client
from beacon.clients.tests.factories import ClientFactory
from beacon.core.tests.helpers import error_fields, post_json
from beacon.treatment.codes import DischargeReason, TopStage
from beacon.treatment.models import TreatmentOutcomesProfile
from beacon.treatment.models.tops import ANSWER_FIELDS, DAY_FIELDS, FLAG_FIELDS, RATING_FIELDS
from beacon.treatment.selectors.tops import exit_tops_due, top_flags, tops_due_list
from beacon.treatment.services.journey import episode_discharge
from beacon.treatment.services.tops import top_record, top_update
from beacon.treatment.tests.api_calls import new_top, top_form_post, url
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ModalityFactory,
    TopFactory,
    TreatmentEpisodeFactory,
    date_input,
    days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(robin):
    return TreatmentEpisodeFactory(client=robin, start_date=days(-300), care_planned=True)


def answers(**changes) -> dict:
    values = {
        "stage": TopStage.START,
        "completed_on": days(-300),
        **dict.fromkeys(DAY_FIELDS, 0),
        **dict.fromkeys(RATING_FIELDS, 12),
        **dict.fromkeys(FLAG_FIELDS, False),
    }
    return {**values, **changes}


def record(episode, actor, **changes):
    return top_record(actor=actor, episode=episode, data=answers(**changes))


def refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# H-79: every answer is a value or "not disclosed"; nothing defaults to 0 or no


@pytest.mark.parametrize("name", ANSWER_FIELDS)
def test_a_blank_answer_is_refused_never_read_as_zero_or_no(episode, users, name):
    errors = refused(lambda: record(episode, users["keyworker"], **{name: None}))
    assert name in errors
    assert not TreatmentOutcomesProfile.objects.exists()


def test_the_model_has_no_default_answer():
    for name in ANSWER_FIELDS:
        field = TreatmentOutcomesProfile._meta.get_field(name)
        assert field.null and not field.has_default(), name


def test_not_disclosed_is_stored_apart_from_zero(episode, users):
    top = record(
        episode,
        users["keyworker"],
        crack_days=None,
        shared_equipment=None,
        not_disclosed=["crack_days", "shared_equipment"],
    )
    top.refresh_from_db()
    assert top.crack_days is None and top.is_not_disclosed("crack_days")
    assert top.shared_equipment is None and top.is_not_disclosed("shared_equipment")
    assert top.opiate_days == 0 and not top.is_not_disclosed("opiate_days")


def test_an_answer_cannot_be_given_and_not_disclosed(episode, users):
    errors = refused(
        lambda: record(episode, users["keyworker"], crack_days=3, not_disclosed=["crack_days"])
    )
    assert "both given and not disclosed" in " ".join(errors["crack_days"])


def test_a_correction_with_a_value_clears_the_not_disclosed_mark(episode, users):
    top = record(episode, users["keyworker"], crack_days=None, not_disclosed=["crack_days"])
    top_update(actor=users["nurse"], top=top, data={"crack_days": 0})
    top.refresh_from_db()
    assert top.crack_days == 0 and top.not_disclosed == []


def test_the_form_records_not_disclosed_with_a_tick_or_a_third_choice(web_as, robin, episode):
    values = {k: v for k, v in answers().items() if k != "completed_on"}
    data = {
        **top_form_post({**values, "alcohol_days": None, "at_risk_of_eviction": None}),
        "alcohol_days_nd": "on",
        "at_risk_of_eviction": "not_disclosed",
        **date_input("completed_on", days(-299)),
    }
    response = web_as("keyworker").post(
        reverse("treatment:top_create", args=[robin.client_number]), data
    )
    assert response.status_code == 302, response.text
    top = TreatmentOutcomesProfile.objects.get()
    assert top.alcohol_days is None and top.at_risk_of_eviction is None
    assert top.not_disclosed == ["alcohol_days", "at_risk_of_eviction"]
    page = web_as("keyworker").get(reverse("treatment:tops", args=[robin.client_number])).text
    assert "Not disclosed" in page


def test_the_form_refuses_a_blank_yes_no_answer(web_as, robin, episode):
    values = {k: v for k, v in answers().items() if k != "completed_on"}
    data = {
        **top_form_post({**values, "shared_equipment": None}),
        **date_input("completed_on", days(-299)),
    }
    response = web_as("keyworker").post(
        reverse("treatment:top_create", args=[robin.client_number]), data
    )
    assert "Answer yes, no or not disclosed" in response.text
    assert not TreatmentOutcomesProfile.objects.exists()


def test_the_api_requires_every_answer_and_takes_not_disclosed(api_as, robin, episode):
    http = api_as("keyworker")
    body = new_top(stage="start", completed_on=days(-299).isoformat())
    del body["shared_equipment"]
    assert "shared_equipment" in error_fields(post_json(http, url(robin, "tops"), body))
    body.update(shared_equipment=None, not_disclosed=["shared_equipment"])
    response = post_json(http, url(robin, "tops"), body)
    assert response.status_code == 201, response.content
    assert response.json()["shared_equipment"] is None
    assert response.json()["not_disclosed"] == ["shared_equipment"]


def test_an_exit_top_that_does_not_disclose_drug_use_cannot_confirm_a_drug_free_completion(
    episode, users
):
    ModalityFactory(episode=episode)
    TopFactory(
        episode=episode,
        stage=TopStage.EXIT,
        completed_on=days(-2),
        cannabis_days=None,
        not_disclosed=["cannabis_days"],
    )
    errors = refused(
        lambda: episode_discharge(
            actor=users["keyworker"],
            episode=episode,
            data={
                "discharge_date": days(-1),
                "discharge_reason": DischargeReason.COMPLETED_DRUG_FREE,
            },
        )
    )
    assert "does not record days of cannabis" in " ".join(errors["discharge_reason"])


# H-80: tobacco days, the average amount on a using day, the other substance's name


def test_tobacco_days_are_recorded_from_0_to_28(episode, users):
    assert "tobacco_days" in refused(lambda: record(episode, users["keyworker"], tobacco_days=29))
    assert record(episode, users["keyworker"], tobacco_days=28).tobacco_days == 28


def test_a_using_day_needs_its_average_amount_and_unit(episode, users):
    errors = refused(lambda: record(episode, users["keyworker"], crack_days=4))
    assert "crack_amount" in errors
    errors = refused(lambda: record(episode, users["keyworker"], crack_days=4, crack_amount="1"))
    assert "crack_amount_unit" in errors
    top = record(
        episode,
        users["keyworker"],
        crack_days=4,
        crack_amount="40",
        crack_amount_unit="pounds",
        alcohol_days=10,
        alcohol_units=12,
    )
    top.refresh_from_db()
    assert (str(top.crack_amount), top.crack_amount_unit, top.alcohol_units) == (
        "40.00",
        "pounds",
        12,
    )


def test_no_amount_without_using_days_and_alcohol_units_up_to_200(episode, users):
    assert "crack_amount" in refused(
        lambda: record(episode, users["keyworker"], crack_amount="1", crack_amount_unit="grams")
    )
    assert "alcohol_units" in refused(
        lambda: record(episode, users["keyworker"], alcohol_days=3, alcohol_units=201)
    )


def test_other_substance_days_need_its_name(episode, users):
    errors = refused(
        lambda: record(
            episode,
            users["keyworker"],
            other_drug_days=2,
            other_drug_amount="1",
            other_drug_amount_unit="grams",
        )
    )
    assert "Enter the name of the other problem substance" in " ".join(errors["other_drug_name"])
    top = record(
        episode,
        users["keyworker"],
        other_drug_days=2,
        other_drug_amount="1",
        other_drug_amount_unit="grams",
        other_drug_name="Pregabalin",
    )
    assert top.other_drug_name == "Pregabalin"


def test_a_top_from_before_the_new_items_can_still_be_corrected(episode, users):
    top = TopFactory(episode=episode, tobacco_days=None)  # never asked
    top_update(actor=users["nurse"], top=top, data={"quality_of_life": 14})
    top.refresh_from_db()
    assert top.quality_of_life == 14 and top.tobacco_days is None


# H-81, H-82: the flags


def test_a_start_top_outside_its_window_is_flagged(episode, settings):
    settings.BEACON_TOP_START_WINDOW_DAYS = 14
    late = TopFactory(episode=episode, completed_on=days(-300 + 15))
    assert late.start_outside_window
    assert not TopFactory.build(episode=episode, completed_on=days(-300 + 14)).start_outside_window
    assert "outside its window" in " ".join(
        top_flags(TreatmentOutcomesProfile.objects.with_flags().get())
    )


def test_a_review_top_with_no_start_top_is_flagged(episode):
    review = TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-100))
    assert review.review_without_start
    TopFactory(episode=episode, completed_on=days(-300))
    assert not review.review_without_start


def test_the_flag_query_and_the_properties_agree(episode, robin, settings):
    settings.BEACON_TOP_START_WINDOW_DAYS = 10
    other = TreatmentEpisodeFactory(
        client=ClientFactory(provider=robin.provider), start_date=days(-50)
    )
    TopFactory(episode=episode, completed_on=days(-280))  # late start
    TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-100))
    TopFactory(episode=other, stage=TopStage.REVIEW, completed_on=days(-10))  # no start
    TopFactory(episode=other, stage=TopStage.EXIT, completed_on=days(-5))
    for top in TreatmentOutcomesProfile.objects.with_flags():
        assert top.start_outside_window_flag == top.start_outside_window, top
        assert top.review_without_start_flag == top.review_without_start, top
        assert top_flags(top) == top.flags


def test_flags_are_shown_on_the_tops_page_the_due_list_and_the_api(web_as, api_as, robin, episode):
    review = TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-200))
    page = web_as("keyworker").get(reverse("treatment:tops", args=[robin.client_number])).text
    assert "Review TOP with no start TOP" in page
    due_page = web_as("keyworker").get(reverse("treatment:tops_due")).text
    assert "Review TOP with no start TOP" in due_page
    body = api_as("keyworker").get(f"/api/v1/treatment/tops/{review.pk}").json()
    assert body["flags"] == ["Review TOP with no start TOP in this episode"]


# H-83, H-84: the exit TOP prompts


def test_discharge_page_prompts_for_an_exit_top_until_one_is_recorded(web_as, episode):
    page = reverse("treatment:discharge", args=[episode.pk])
    assert 'id="exit-top-prompt"' in web_as("keyworker").get(page).text
    TopFactory(episode=episode, stage=TopStage.EXIT, completed_on=days(-1))
    assert 'id="exit-top-prompt"' not in web_as("keyworker").get(page).text


def test_the_due_list_prompts_an_exit_top_when_the_exit_plan_ends_soon(episode, users, settings):
    settings.BEACON_TOP_EXIT_NEAR_DAYS = 14
    TopFactory(episode=episode, completed_on=days(-300))
    TopFactory(episode=episode, stage=TopStage.REVIEW, completed_on=days(-10))
    plan = ExitPlanFactory(episode=episode, agreed_on=days(-200), intended_duration_weeks=30)
    # Ends 210 - 200 = 10 days from now: near.
    [item] = tops_due_list(user=users["keyworker"], today=days(0))
    assert (item.stage, item.due_on) == (TopStage.EXIT, days(10))
    plan.intended_duration_weeks = 40  # ends in 80 days: not near
    plan.save()
    assert tops_due_list(user=users["keyworker"], today=days(0)) == []
    TopFactory(episode=episode, stage=TopStage.EXIT, completed_on=days(0))
    plan.intended_duration_weeks = 30
    plan.save()
    assert tops_due_list(user=users["keyworker"], today=days(0)) == []


def test_the_due_list_prompts_an_exit_top_after_a_discharge_without_one(episode, settings):
    settings.BEACON_TOP_EXIT_AFTER_DISCHARGE_DAYS = 28
    episode.discharge_date, episode.discharge_reason = days(-3), DischargeReason.DROPPED_OUT
    episode.save()
    [item] = exit_tops_due(clients=Client.objects.all(), today=days(0))
    assert item.due_on == days(-3) and "discharged without one" in item.stage_label
    assert exit_tops_due(clients=Client.objects.all(), today=days(30)) == []
