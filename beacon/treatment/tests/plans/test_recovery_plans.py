"""Recovery plans written with the client: goals in their words, actions, reviews, the rules."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.core.tests.factories import TeamFactory
from beacon.core.tests.helpers import form_as_sent
from beacon.treatment.models import PlanAction, PlanGoal, PlanReview, RecoveryPlan
from beacon.treatment.services import plans as services
from beacon.treatment.tests.factories import (
    PlanActionFactory,
    PlanGoalFactory,
    RecoveryPlanFactory,
    TreatmentEpisodeFactory,
    date_input,
    days,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def robin(users, team):
    return ClientFactory(
        provider=team.provider,
        team=team,
        keyworker=users["keyworker"],
        first_name="Robin",
        last_name="Fellwood",
        preferred_name="Robs",
    )


@pytest.fixture
def episode(robin):
    return TreatmentEpisodeFactory(client=robin, start_date=days(-90))


@pytest.fixture
def plan(episode):
    return RecoveryPlanFactory(episode=episode, agreed_on=days(-60), next_review_date=days(30))


def create(episode, actor, *, data=None, goals=None, actions=()):
    return services.recovery_plan_create(
        actor=actor,
        episode=episode,
        data={
            "agreed_on": days(-1),
            "next_review_date": days(90),
            "written_with_client": True,
            **(data or {}),
        },
        goals=[{"text": "Stay off heroin", "in_clients_words": True}] if goals is None else goals,
        actions=actions,
    )


# The service's rules


def test_plan_is_saved_with_its_goal_and_action_and_each_is_audited(episode, users):
    action = {"text": "See the GP", "owner": "client", "due_date": days(10)}
    plan = create(episode, users["keyworker"], actions=[action])
    assert plan.client == episode.client and plan.provider == episode.provider
    assert [g.text for g in plan.goals.all()] == ["Stay off heroin"]
    assert [a.text for a in plan.actions.all()] == ["See the GP"]
    audited = AuditEntry.objects.filter(action="create", client=episode.client)
    assert set(audited.values_list("object_type", flat=True)) == {
        "treatment.RecoveryPlan",
        "treatment.PlanGoal",
        "treatment.PlanAction",
    }


def test_plan_needs_at_least_one_goal(episode, users):
    with pytest.raises(ValidationError) as error:
        create(episode, users["keyworker"], goals=[])
    assert "at least one goal" in str(error.value.message_dict["goal_text"])
    assert not RecoveryPlan.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"agreed_on": days(1)}, "agreed_on", "cannot be in the future"),
        ({"agreed_on": days(-91)}, "agreed_on", "before treatment started"),
        ({"next_review_date": days(-2)}, "next_review_date", "before the plan was agreed"),
    ],
)
def test_plan_dates_are_checked(episode, users, data, field, message):
    with pytest.raises(ValidationError) as error:
        create(episode, users["keyworker"], data=data)
    assert message in str(error.value.message_dict[field])
    assert not RecoveryPlan.objects.exists()


def test_action_cannot_be_due_before_the_plan_was_agreed_and_nothing_is_saved(episode, users):
    action = {"text": "See the GP", "owner": "client", "due_date": days(-5)}
    with pytest.raises(ValidationError) as error:
        create(episode, users["keyworker"], actions=[action])
    assert "before the plan was agreed" in str(error.value.message_dict["action_due_date"])
    assert not RecoveryPlan.objects.exists() and not PlanGoal.objects.exists()


def test_goal_longer_than_the_limit_is_refused(episode, users):
    with pytest.raises(ValidationError) as error:
        create(episode, users["keyworker"], goals=[{"text": "x" * 1001}])
    assert "goal_text" in error.value.message_dict
    assert not RecoveryPlan.objects.exists()


def test_no_plan_for_a_discharged_episode(robin, users):
    ended = TreatmentEpisodeFactory(client=robin, discharged=True)
    with pytest.raises(ValidationError, match="its plans cannot change"):
        create(ended, users["keyworker"])


def test_a_new_plan_replaces_the_current_one_which_then_cannot_change(plan, users):
    keyworker = users["keyworker"]
    with pytest.raises(ValidationError, match="before the current one"):
        create(plan.episode, keyworker, data={"agreed_on": days(-61)})
    newer = create(plan.episode, keyworker)
    with pytest.raises(ValidationError, match="A newer recovery plan replaces this one"):
        services.plan_goal_add(actor=keyworker, plan=plan, data={"text": "Another"})
    services.plan_goal_add(actor=keyworker, plan=newer, data={"text": "Another"})
    assert newer.goals.count() == 2


def test_goal_is_marked_achieved_once_on_a_real_past_date(plan, users):
    goal = plan.goals.get()
    keyworker = users["keyworker"]
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.plan_goal_achieved(actor=keyworker, goal=goal, achieved_on=days(1))
    with pytest.raises(ValidationError, match="before the plan was agreed"):
        services.plan_goal_achieved(actor=keyworker, goal=goal, achieved_on=days(-61))
    services.plan_goal_achieved(actor=keyworker, goal=goal, achieved_on=days(0))
    assert PlanGoal.objects.get().achieved_on == days(0)
    with pytest.raises(ValidationError, match="was marked achieved on"):
        services.plan_goal_achieved(actor=keyworker, goal=goal, achieved_on=days(0))


def test_action_is_added_and_marked_done_with_checked_dates(plan, users):
    keyworker = users["keyworker"]
    with pytest.raises(ValidationError, match="due before the plan was agreed"):
        services.plan_action_add(
            actor=keyworker,
            plan=plan,
            data={"text": "Call housing", "owner": "keyworker", "due_date": days(-61)},
        )
    action = services.plan_action_add(
        actor=keyworker,
        plan=plan,
        data={"text": "Call housing", "owner": "keyworker", "due_date": days(3)},
    )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.plan_action_done(actor=keyworker, action=action, done_on=days(1))
    with pytest.raises(ValidationError, match="before the plan was agreed"):
        services.plan_action_done(actor=keyworker, action=action, done_on=days(-61))
    services.plan_action_done(actor=keyworker, action=action, done_on=days(0))
    assert PlanAction.objects.get().done_on == days(0)


def test_action_towards_a_goal_of_another_plan_is_refused(plan, users):
    elsewhere = PlanGoalFactory()
    with pytest.raises(ValidationError, match="Choose a goal of this plan"):
        services.plan_action_add(
            actor=users["keyworker"],
            plan=plan,
            data={"text": "Call", "owner": "client", "due_date": days(3), "goal": elsewhere},
        )


def review(plan, actor, **data):
    return services.plan_review_record(
        actor=actor,
        plan=plan,
        data={"reviewed_on": days(0), "notes": "Going well", "next_review_date": days(60), **data},
    )


def test_review_moves_the_plans_next_review_date(plan, users):
    review(plan, users["keyworker"])
    plan.refresh_from_db()
    assert plan.next_review_date == days(60)
    assert PlanReview.objects.get().reviewed_by == users["keyworker"]
    entry = AuditEntry.objects.get(object_type="treatment.PlanReview")
    assert entry.client == plan.client and "next review" in entry.detail


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reviewed_on": days(1)}, "reviewed_on", "cannot be in the future"),
        ({"reviewed_on": days(-61)}, "reviewed_on", "before the plan was agreed"),
        ({"next_review_date": days(0)}, "next_review_date", "must be after this one"),
    ],
)
def test_review_dates_are_checked(plan, users, data, field, message):
    with pytest.raises(ValidationError) as error:
        review(plan, users["keyworker"], **data)
    assert message in str(error.value.message_dict[field])
    plan.refresh_from_db()
    assert plan.next_review_date == days(30) and not PlanReview.objects.exists()


def test_review_cannot_be_before_the_last_review(plan, users):
    review(plan, users["keyworker"], reviewed_on=days(-10), next_review_date=days(20))
    with pytest.raises(ValidationError, match="before the last review"):
        review(plan, users["keyworker"], reviewed_on=days(-20))


# Pages

VALID = {
    "written_with_client": "yes",
    "goal_text": "Get my kids back at weekends",
    "goal_in_clients_words": "yes",
    "action_text": "Ring the family court adviser",
    "action_owner": "client",
}


@pytest.fixture
def form_data():
    return {
        **VALID,
        **date_input("agreed_on", days(0)),
        **date_input("next_review_date", days(90)),
        **date_input("action_due_date", days(14)),
    }


def test_keyworker_writes_a_plan_and_sees_the_goal_in_the_clients_words(
    web_as, robin, episode, form_data
):
    http = web_as("keyworker")
    response = http.post(reverse("treatment:plan_create", args=[robin.client_number]), form_data)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("treatment:plan", args=[robin.client_number])
    plan = RecoveryPlan.objects.get()
    assert plan.written_with_client and plan.next_review_date == days(90)
    page = http.get(response.headers["Location"])
    assert "In Robs's words" in page.text
    assert "“Get my kids back at weekends”" in page.text
    assert "Ring the family court adviser" in page.text


def test_a_goal_not_in_the_clients_words_is_shown_plainly(web_as, robin, episode, form_data):
    http = web_as("keyworker")
    form_data["goal_in_clients_words"] = "no"
    form_data["written_with_client"] = "no"
    http.post(reverse("treatment:plan_create", args=[robin.client_number]), form_data)
    page = http.get(reverse("treatment:plan", args=[robin.client_number]))
    assert not RecoveryPlan.objects.get().written_with_client
    assert "Get my kids back at weekends" in page.text
    assert "“Get my kids" not in page.text and "words" not in page.text.split("Goals")[1]


def test_a_plan_without_an_action_is_fine(web_as, robin, episode, form_data):
    for name in ("action_text", "action_owner"):
        form_data.pop(name)
    for part in ("day", "month", "year"):
        form_data.pop(f"action_due_date[{part}]")
    web_as("keyworker").post(
        reverse("treatment:plan_create", args=[robin.client_number]), form_data
    )
    assert RecoveryPlan.objects.get().actions.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goal_text": ""}, "Enter goal"),
        ({"goal_text": "x" * 1001}, "Goal must be 1000 characters or fewer"),
        ({"action_text": "y" * 501}, "First action must be 500 characters or fewer"),
        (date_input("agreed_on", days(1)), "cannot be in the future"),
        (date_input("next_review_date", days(-1)), "cannot be before the plan was agreed"),
        (date_input("action_due_date", days(-1)), "cannot be due before the plan was agreed"),
        ({"action_owner": ""}, "Say who does the action"),
        ({"agreed_on[month]": ""}, "Date agreed must include a month"),
        ({"written_with_client": "maybe"}, "Select yes or no"),
    ],
)
def test_bad_plan_input_gets_a_message_and_saves_nothing(
    web_as, robin, episode, form_data, changes, message
):
    response = web_as("keyworker").post(
        reverse("treatment:plan_create", args=[robin.client_number]), {**form_data, **changes}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    assert not RecoveryPlan.objects.exists() and not PlanGoal.objects.exists()


def test_no_plan_form_without_an_open_episode(web_as, robin, form_data):
    http = web_as("keyworker")
    url = reverse("treatment:plan_create", args=[robin.client_number])
    assert "No open treatment episode" in http.get(url).text
    http.post(url, form_data)
    assert not RecoveryPlan.objects.exists()


def test_goals_and_actions_are_added_and_marked_done_through_the_pages(web_as, plan):
    http = web_as("keyworker")
    http.post(
        reverse("treatment:plan_goal_add", args=[plan.pk]),
        {"text": "Walk the dog every day", "in_clients_words": "yes"},
    )
    http.post(
        reverse("treatment:plan_action_add", args=[plan.pk]),
        {
            "text": "Find a dog walking group",
            "owner": "keyworker",
            **date_input("due_date", days(7)),
        },
    )
    goal = plan.goals.get(text="Walk the dog every day")
    action = plan.actions.get()
    assert action.owner == "keyworker" and action.due_date == days(7)
    http.post(
        reverse("treatment:plan_goal_achieved", args=[plan.pk, goal.pk]),
        date_input("done_on", days(0)),
    )
    http.post(
        reverse("treatment:plan_action_done", args=[plan.pk, action.pk]),
        date_input("done_on", days(-1)),
    )
    goal.refresh_from_db()
    action.refresh_from_db()
    assert goal.achieved_on == days(0) and action.done_on == days(-1)
    page = http.get(reverse("treatment:plan_detail", args=[plan.pk]))
    assert "Achieved" in page.text and "Find a dog walking group" in page.text


def test_marking_done_in_the_future_saves_nothing(web_as, plan):
    action = PlanActionFactory(plan=plan)
    response = web_as("keyworker").post(
        reverse("treatment:plan_action_done", args=[plan.pk, action.pk]),
        date_input("done_on", days(1)),
    )
    assert "cannot be in the future" in response.text
    action.refresh_from_db()
    assert action.done_on is None


def test_review_page_moves_the_next_review_date(web_as, plan):
    http = web_as("keyworker")
    response = http.post(
        reverse("treatment:plan_review_add", args=[plan.pk]),
        {
            **date_input("reviewed_on", days(0)),
            "notes": "Using less",
            **date_input("next_review_date", days(45)),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.next_review_date == days(45)
    assert (
        "Using less" in http.get(reverse("treatment:plan", args=[plan.client.client_number])).text
    )


def test_review_notes_have_a_limit(web_as, plan):
    response = web_as("keyworker").post(
        reverse("treatment:plan_review_add", args=[plan.pk]),
        {
            **date_input("reviewed_on", days(0)),
            "notes": "n" * 2001,
            **date_input("next_review_date", days(45)),
        },
    )
    assert "must be 2000 characters or fewer" in response.text and not PlanReview.objects.exists()


def test_opening_a_plan_is_audited_as_a_read(web_as, plan, users):
    web_as("nurse").get(reverse("treatment:plan", args=[plan.client.client_number]))
    entry = AuditEntry.objects.get(action="view", client=plan.client)
    assert entry.username == users["nurse"].username and entry.detail == "recovery plan"


def test_nurse_reads_but_cannot_write_a_plan(web_as, plan, form_data):
    http = web_as("nurse")
    number = plan.client.client_number
    assert http.get(reverse("treatment:plan", args=[number])).status_code == 200
    assert http.post(reverse("treatment:plan_create", args=[number]), form_data).status_code == 403
    response = http.post(reverse("treatment:plan_goal_add", args=[plan.pk]), {"text": "More"})
    assert response.status_code == 403
    assert RecoveryPlan.objects.count() == 1 and plan.goals.count() == 1


def test_prescriber_may_write_a_plan(web_as, robin, episode, form_data):
    response = web_as("prescriber").post(
        reverse("treatment:plan_create", args=[robin.client_number]), form_data
    )
    assert response.status_code == 302 and RecoveryPlan.objects.count() == 1


def test_keyworker_of_another_team_cannot_open_or_change_the_plan(web_as, plan, make_user):
    stranger = make_user("keyworker", username="kw-other", team=TeamFactory(provider=plan.provider))
    http = web_as(stranger)
    assert http.get(reverse("treatment:plan_detail", args=[plan.pk])).status_code == 403
    response = http.post(reverse("treatment:plan_goal_add", args=[plan.pk]), {"text": "Sneaky"})
    assert response.status_code == 403 and plan.goals.count() == 1


@pytest.mark.parametrize("role", ["driver", "volunteer", "commissioner"])
def test_roles_without_client_records_are_refused(web_as, plan, role, form_data):
    http = web_as(role)
    number = plan.client.client_number
    assert http.get(reverse("treatment:plan", args=[number])).status_code == 403
    assert http.post(reverse("treatment:plan_create", args=[number]), form_data).status_code == 403
    assert RecoveryPlan.objects.count() == 1


def test_plan_of_another_provider_is_not_found(web_as, other_provider):
    elsewhere = RecoveryPlanFactory(
        episode=TreatmentEpisodeFactory(client=ClientFactory(provider=other_provider))
    )
    assert (
        web_as("manager").get(reverse("treatment:plan_detail", args=[elsewhere.pk])).status_code
        == 404
    )


def test_replaced_plan_shows_as_no_longer_in_force(web_as, plan, users):
    create(plan.episode, users["keyworker"])
    page = web_as("keyworker").get(reverse("treatment:plan_detail", args=[plan.pk]))
    assert "no longer in force" in page.text and "Add a goal" not in page.text
    current = reverse("treatment:plan", args=[plan.client.client_number])
    assert f'<a href="{current}">See the current plan</a>' in page.text


def test_a_plan_sent_untouched_says_nothing_about_the_client_taking_part(web_as, robin, episode):
    # H-94: "written with the client" and "in the client's own words" are the client's
    # answers, so the form starts with neither ticked and asks for both.
    url = reverse("treatment:plan_create", args=[robin.client_number])
    http = web_as("keyworker")
    untouched = form_as_sent(http.get(url).text)

    response = http.post(
        url,
        {
            **untouched,
            **date_input("next_review_date", days(90)),
            "goal_text": "Get my kids back at weekends",
        },
    )

    assert "written_with_client" not in untouched and "goal_in_clients_words" not in untouched
    assert response.status_code == 200
    assert "Select yes or no" in response.text
    assert not RecoveryPlan.objects.exists()


def test_a_goal_added_untouched_is_not_called_the_clients_words(web_as, plan):
    url = reverse("treatment:plan_goal_add", args=[plan.pk])
    http = web_as("keyworker")
    untouched = form_as_sent(http.get(url).text)

    response = http.post(url, {**untouched, "text": "Walk the dog every day"})

    assert "in_clients_words" not in untouched
    assert "Select yes or no" in response.text
    assert not plan.goals.filter(text="Walk the dog every day").exists()


def test_a_plan_review_more_than_a_year_ahead_is_refused(episode, plan, users):
    # H-95: a review date typed ten years ahead would leave the plan unreviewed.
    with pytest.raises(ValidationError) as refused:
        create(episode, users["keyworker"], data={"next_review_date": days(367)})
    assert refused.value.message_dict["next_review_date"] == ["Review date must be within a year"]
    with pytest.raises(ValidationError, match="Review date must be within a year"):
        review(plan, users["keyworker"], next_review_date=days(367))
    plan.refresh_from_db()
    assert plan.next_review_date == days(30) and not PlanReview.objects.exists()
    assert review(plan, users["keyworker"], next_review_date=days(365)).next_review_date == days(
        365
    )


def test_the_plan_page_refuses_a_review_ten_years_ahead(web_as, robin, episode, form_data):
    form_data.update(date_input("next_review_date", days(3653)))
    response = web_as("keyworker").post(
        reverse("treatment:plan_create", args=[robin.client_number]), form_data
    )
    assert "Review date must be within a year" in response.text
    assert not RecoveryPlan.objects.exists()


def test_the_goal_counts_its_characters_and_text_over_the_limit_is_kept_not_cut(
    web_as, robin, episode, form_data
):
    # H-96: a browser's maxlength cuts pasted text silently; the character count and the
    # server's refusal say so and keep every word typed.
    http = web_as("keyworker")
    url = reverse("treatment:plan_create", args=[robin.client_number])
    page = http.get(url).text
    assert 'data-module="nhsuk-character-count"' in page and 'data-maxlength="1000"' in page
    assert not re.search(r"\smaxlength=", page)
    typed = "I want to " + "see my kids " * 90
    response = http.post(url, {**form_data, "goal_text": typed})
    assert "Goal must be 1000 characters or fewer" in response.text
    assert typed.strip() in html.unescape(response.text)
    assert not RecoveryPlan.objects.exists()


def test_the_page_title_says_error_only_when_the_form_came_back_with_errors(
    web_as, robin, episode, form_data
):
    http = web_as("keyworker")
    url = reverse("treatment:plan_create", args=[robin.client_number])
    assert "<title>Error: " not in http.get(url).text
    response = http.post(url, {**form_data, "goal_text": ""})
    assert "<title>Error: " in response.text
    # The summary's line is the message alone when it names its field.
    assert re.search(r'href="#id_goal_text"[^>]*>\s*Enter goal\s*</a>', response.text)
