"""Exit plans for clients on OST: only for them, one per episode, reduction steps, reviews."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beacon.core.models import AuditEntry
from beacon.treatment.models import ExitPlan, ExitPlanReview, ExitPlanStep
from beacon.treatment.services import plans as services
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    ExitPlanStepFactory,
    ModalityFactory,
    TreatmentEpisodeFactory,
    date_input,
    days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(robin):
    return TreatmentEpisodeFactory(client=robin, start_date=days(-90))


@pytest.fixture
def on_ost(episode):
    ModalityFactory(episode=episode, ost=True)
    return episode


@pytest.fixture
def exit_plan(on_ost):
    return ExitPlanFactory(episode=on_ost, agreed_on=days(-30), next_review_date=days(20))


def create(episode, actor, steps=(), **data):
    return services.exit_plan_create(
        actor=actor,
        episode=episode,
        data={
            "agreed_on": days(0),
            "intended_duration_weeks": 26,
            "client_view": "Off it by summer",
            "next_review_date": days(28),
            **data,
        },
        steps=steps,
    )


# The service's rules


def test_exit_plan_is_saved_with_its_first_step_and_audited(on_ost, users):
    step = {"planned_from": days(14), "description": "Reduce to 50 mg"}
    exit_plan = create(on_ost, users["prescriber"], steps=[step])
    assert exit_plan.client == on_ost.client and exit_plan.created_by == users["prescriber"]
    assert [s.description for s in exit_plan.steps.all()] == ["Reduce to 50 mg"]
    assert AuditEntry.objects.filter(
        action="create", client=on_ost.client, object_type="treatment.ExitPlan"
    ).exists()


def test_exit_plan_is_refused_for_a_client_not_on_ost(episode, users):
    with pytest.raises(ValidationError, match="Robin is not on opioid substitution therapy"):
        create(episode, users["keyworker"])
    assert not ExitPlan.objects.exists()


@pytest.mark.parametrize(
    "modality",
    [
        {"ost": True, "start_date": None},
        {"ost": True, "end_date": -1, "exit_reason": "planned"},
        {"ost": False},
    ],
    ids=["not started", "ended", "not substitution"],
)
def test_only_a_running_ost_modality_counts(episode, users, modality):
    if "end_date" in modality:
        modality = {**modality, "end_date": days(modality["end_date"])}
    ModalityFactory(episode=episode, **modality)
    with pytest.raises(ValidationError, match="not on opioid substitution therapy"):
        create(episode, users["keyworker"])


def test_one_exit_plan_per_episode(exit_plan, users):
    with pytest.raises(ValidationError, match="already has an exit plan"):
        create(exit_plan.episode, users["keyworker"])


def test_no_exit_plan_for_a_discharged_episode(robin, users):
    ended = TreatmentEpisodeFactory(client=robin, discharged=True)
    ModalityFactory(episode=ended, ost=True)
    with pytest.raises(ValidationError, match="cannot change"):
        create(ended, users["keyworker"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"agreed_on": days(1)}, "agreed_on", "cannot be in the future"),
        ({"agreed_on": days(-91)}, "agreed_on", "before treatment started"),
        ({"next_review_date": days(-1)}, "next_review_date", "before the plan was agreed"),
        ({"intended_duration_weeks": 0}, "intended_duration_weeks", "from 1 to 520"),
        ({"intended_duration_weeks": 521}, "intended_duration_weeks", "from 1 to 520"),
        ({"client_view": "w" * 2001}, "client_view", "at most 2000 characters"),
    ],
)
def test_exit_plan_values_are_checked(on_ost, users, data, field, message):
    with pytest.raises(ValidationError) as error:
        create(on_ost, users["keyworker"], **data)
    assert message in str(error.value.message_dict[field])
    assert not ExitPlan.objects.exists()


def test_a_bad_first_step_saves_no_plan(on_ost, users):
    step = {"planned_from": days(-1), "description": "Reduce to 50 mg"}
    with pytest.raises(ValidationError) as error:
        create(on_ost, users["keyworker"], steps=[step])
    assert "before the exit plan was agreed" in str(error.value.message_dict["step_planned_from"])
    assert not ExitPlan.objects.exists()


def test_steps_are_added_and_done_with_checked_dates(exit_plan, users):
    actor = users["keyworker"]
    with pytest.raises(ValidationError, match="before the exit plan was agreed"):
        services.exit_plan_step_add(
            actor=actor,
            exit_plan=exit_plan,
            data={"planned_from": days(-31), "description": "Reduce"},
        )
    step = services.exit_plan_step_add(
        actor=actor, exit_plan=exit_plan, data={"planned_from": days(7), "description": "Reduce"}
    )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.exit_plan_step_done(actor=actor, step=step, done_on=days(1))
    services.exit_plan_step_done(actor=actor, step=step, done_on=days(0))
    assert ExitPlanStep.objects.get().done_on == days(0)
    with pytest.raises(ValidationError, match="was marked done"):
        services.exit_plan_step_done(actor=actor, step=step, done_on=days(0))


def test_review_moves_the_exit_plans_next_review_date(exit_plan, users):
    services.exit_plan_review_record(
        actor=users["prescriber"],
        exit_plan=exit_plan,
        data={"reviewed_on": days(0), "notes": "Down to 40 mg", "next_review_date": days(56)},
    )
    exit_plan.refresh_from_db()
    assert exit_plan.next_review_date == days(56)
    assert ExitPlanReview.objects.get().reviewed_by == users["prescriber"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reviewed_on": days(1)}, "cannot be in the future"),
        ({"reviewed_on": days(-31)}, "before the plan was agreed"),
        ({"next_review_date": days(0)}, "must be after this one"),
    ],
)
def test_exit_plan_review_dates_are_checked(exit_plan, users, data, message):
    with pytest.raises(ValidationError, match=message):
        services.exit_plan_review_record(
            actor=users["keyworker"],
            exit_plan=exit_plan,
            data={"reviewed_on": days(0), "next_review_date": days(30), **data},
        )
    exit_plan.refresh_from_db()
    assert exit_plan.next_review_date == days(20)


# Pages


@pytest.fixture
def form_data():
    return {
        **date_input("agreed_on", days(0)),
        "intended_duration_weeks": "26",
        "client_view": "Off it before my son starts school",
        **date_input("next_review_date", days(28)),
        **date_input("step_planned_from", days(14)),
        "step_description": "Reduce methadone to 50 mg daily",
    }


def test_keyworker_writes_an_exit_plan_in_the_clients_words(web_as, robin, on_ost, form_data):
    http = web_as("keyworker")
    response = http.post(
        reverse("treatment:exit_plan_create", args=[robin.client_number]), form_data
    )
    assert response.headers["Location"] == reverse(
        "treatment:exit_plan", args=[robin.client_number]
    )
    page = http.get(response.headers["Location"])
    assert "In Robin's words" in page.text
    assert "“Off it before my son starts school”" in page.text
    assert "26 weeks" in page.text and "Reduce methadone to 50 mg daily" in page.text


def test_exit_plan_page_refuses_a_client_not_on_ost_with_a_clear_message(
    web_as, robin, episode, form_data
):
    http = web_as("keyworker")
    url = reverse("treatment:exit_plan_create", args=[robin.client_number])
    assert "is not on opioid substitution therapy" in http.get(url).text
    response = http.post(url, form_data)
    assert "is not on opioid substitution therapy" in response.text
    assert not ExitPlan.objects.exists()


def test_exit_plan_page_says_when_a_client_on_ost_has_none(web_as, robin, on_ost):
    page = web_as("nurse").get(reverse("treatment:exit_plan", args=[robin.client_number]))
    assert "No exit plan" in page.text and "Write an exit plan" not in page.text
    page = web_as("keyworker").get(reverse("treatment:exit_plan", args=[robin.client_number]))
    assert "Write an exit plan" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"intended_duration_weeks": "0"}, "Enter a number of weeks from 1 to 520"),
        ({"intended_duration_weeks": "521"}, "Enter a number of weeks from 1 to 520"),
        ({"intended_duration_weeks": "six"}, "Enter a whole number of weeks"),
        ({"intended_duration_weeks": ""}, "Enter the number of weeks"),
        ({"client_view": "w" * 2001}, "must be 2000 characters or fewer"),
        ({"step_description": ""}, "Describe the reduction"),
        (date_input("agreed_on", days(1)), "cannot be in the future"),
        (date_input("step_planned_from", days(-1)), "before the exit plan was agreed"),
    ],
)
def test_bad_exit_plan_input_gets_a_message_and_saves_nothing(
    web_as, robin, on_ost, form_data, changes, message
):
    response = web_as("keyworker").post(
        reverse("treatment:exit_plan_create", args=[robin.client_number]),
        {**form_data, **changes},
    )
    assert response.status_code == 200 and "There is a problem" in response.text
    assert message in response.text
    assert not ExitPlan.objects.exists() and not ExitPlanStep.objects.exists()


def test_a_second_exit_plan_page_sends_you_to_the_first(web_as, exit_plan):
    number = exit_plan.client.client_number
    response = web_as("keyworker").get(reverse("treatment:exit_plan_create", args=[number]))
    assert response.headers["Location"] == reverse("treatment:exit_plan", args=[number])


def test_steps_and_reviews_through_the_pages(web_as, exit_plan):
    http = web_as("prescriber")
    number = exit_plan.client.client_number
    http.post(
        reverse("treatment:exit_plan_step_add", args=[number]),
        {**date_input("planned_from", days(7)), "description": "Reduce to 30 mg"},
    )
    step = ExitPlanStep.objects.get()
    http.post(
        reverse("treatment:exit_plan_step_done", args=[number, step.pk]),
        date_input("done_on", days(0)),
    )
    http.post(
        reverse("treatment:exit_plan_review_add", args=[number]),
        {
            **date_input("reviewed_on", days(0)),
            "notes": "Managing well",
            **date_input("next_review_date", days(60)),
        },
    )
    step.refresh_from_db()
    exit_plan.refresh_from_db()
    assert step.done_on == days(0) and exit_plan.next_review_date == days(60)
    page = http.get(reverse("treatment:exit_plan", args=[number]))
    assert "Reduce to 30 mg" in page.text and "Managing well" in page.text


def test_opening_an_exit_plan_is_audited(web_as, exit_plan):
    web_as("keyworker").get(reverse("treatment:exit_plan", args=[exit_plan.client.client_number]))
    assert AuditEntry.objects.filter(
        action="view", client=exit_plan.client, detail="exit plan"
    ).exists()


def test_nurse_cannot_write_an_exit_plan(web_as, robin, on_ost, form_data):
    response = web_as("nurse").post(
        reverse("treatment:exit_plan_create", args=[robin.client_number]), form_data
    )
    assert response.status_code == 403 and not ExitPlan.objects.exists()


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_cannot_touch_exit_plans(web_as, exit_plan, role):
    http = web_as(role)
    number = exit_plan.client.client_number
    step = ExitPlanStepFactory(exit_plan=exit_plan)
    assert http.get(reverse("treatment:exit_plan", args=[number])).status_code == 403
    response = http.post(
        reverse("treatment:exit_plan_step_done", args=[number, step.pk]),
        date_input("done_on", days(0)),
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.done_on is None


def test_an_exit_plan_review_more_than_a_year_ahead_is_refused(on_ost, exit_plan, users):
    with pytest.raises(ValidationError, match="Review date must be within a year"):
        services.exit_plan_review_record(
            actor=users["keyworker"],
            exit_plan=exit_plan,
            data={"reviewed_on": days(0), "next_review_date": days(367)},
        )
    exit_plan.refresh_from_db()
    assert exit_plan.next_review_date == days(20)
