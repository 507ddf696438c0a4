"""The recovery plan and exit plan API, and what it shares with the TOP API: who may read and
record, validation, audit. The tests of the TOP endpoints alone are in
beacon/treatment/tests/tops/test_api.py."""

import pytest
from django.test import Client as HttpClient

from beacon.core.models import AuditEntry
from beacon.core.tests.helpers import audit_entries, error_fields, post_json
from beacon.treatment.models import (
    ExitPlan,
    ExitPlanReview,
    PlanGoal,
    PlanReview,
    RecoveryPlan,
    TreatmentOutcomesProfile,
)
from beacon.treatment.tests.api_calls import API, iso, new_top, url
from beacon.treatment.tests.factories import (
    ExitPlanFactory,
    RecoveryPlanFactory,
    TreatmentEpisodeFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

READERS = ["keyworker", "prescriber", "nurse", "manager"]
NON_READERS = ["driver", "volunteer", "commissioner"]
PLAN_WRITERS = ["keyworker", "prescriber", "manager"]
NOT_PLAN_WRITERS = ["nurse", "driver", "volunteer", "commissioner"]


@pytest.fixture
def plan(episode, users):
    """Agreed 60 days ago, next reviewed in 30 days, with one goal."""
    return RecoveryPlanFactory(
        episode=episode,
        agreed_on=days_ago(60),
        next_review_date=days_ago(-30),
        created_by=users["keyworker"],
    )


@pytest.fixture
def exit_plan(episode):
    return ExitPlanFactory(episode=episode, agreed_on=days_ago(60), next_review_date=days_ago(-30))


NEW_PLAN = {
    "agreed_on": iso(10),
    "next_review_date": iso(-80),
    "written_with_client": True,
    "goals": [
        {"text": "Stop using on top of my script", "in_clients_words": True},
        {"text": "See my kids every week", "in_clients_words": True},
    ],
    "actions": [{"text": "Book the parenting group", "owner": "keyworker", "due_date": iso(-7)}],
}
NEW_REVIEW = {"reviewed_on": iso(1), "next_review_date": iso(-90), "notes": "Going well"}
NEW_EXIT_PLAN = {
    "agreed_on": iso(5),
    "intended_duration_weeks": 26,
    "client_view": "I want to be off it by the summer",
    "next_review_date": iso(-60),
    "steps": [{"planned_from": iso(-14), "description": "Reduce methadone to 40 mg daily"}],
}


# Who may read -----------------------------------------------------------------------------


def read_paths(record, plan) -> list[str]:
    return [
        url(record, "plans"),
        f"{API}/plans/{plan.pk}",
        url(record, "exit-plan"),
        url(record, "tops"),
    ]


@pytest.mark.parametrize("role", READERS)
def test_clinical_and_manager_tokens_read_plans_exit_plan_and_tops(
    api_as, record, plan, exit_plan, top, role
):
    http = api_as(role)
    for path in read_paths(record, plan):
        assert http.get(path).status_code == 200, path


@pytest.mark.parametrize("role", NON_READERS)
def test_driver_volunteer_and_commissioner_tokens_read_none_of_them(
    api_as, record, plan, exit_plan, top, role
):
    http = api_as(role)
    for path in read_paths(record, plan):
        response = http.get(path)
        assert response.status_code == 403, path
        assert response.json() == {"detail": "Your role does not allow this"}


def test_keyworker_of_another_team_reads_none_of_them_and_nothing_is_audited(
    api_as, record, plan, exit_plan, top, keyworker_of_another_team
):
    http = api_as(keyworker_of_another_team)
    for path in read_paths(record, plan):
        assert http.get(path).status_code == 403, path
    assert audit_entries(AuditEntry.Action.VIEW, keyworker_of_another_team) == []


def test_token_of_another_provider_gets_404(api_as, record, plan, exit_plan, top, outsider):
    http = api_as(outsider)
    for path in read_paths(record, plan):
        assert http.get(path).status_code == 404, path
    assert post_json(http, f"{API}/plans/{plan.pk}/reviews", NEW_REVIEW).status_code == 404
    assert post_json(http, url(record, "tops"), new_top()).status_code == 404
    assert PlanReview.objects.count() == 0
    assert TreatmentOutcomesProfile.objects.count() == 1


def test_request_without_a_token_or_with_a_bad_one_is_401(record, plan):
    assert HttpClient().get(url(record, "plans")).status_code == 401
    bad = HttpClient(headers={"Authorization": "Bearer not-a-token"})
    assert bad.get(f"{API}/plans/{plan.pk}").status_code == 401
    assert post_json(bad, url(record, "tops"), new_top()).status_code == 401


def test_exit_plan_read_is_404_when_the_open_episode_has_none(api_as, record, episode):
    assert api_as("keyworker").get(url(record, "exit-plan")).status_code == 404


# Who may record ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", PLAN_WRITERS)
def test_keyworker_prescriber_and_manager_write_a_recovery_plan(api_as, record, episode, role):
    response = post_json(api_as(role), url(record, "plans"), NEW_PLAN)
    assert response.status_code == 201
    body = response.json()
    assert [goal["text"] for goal in body["goals"]] == [goal["text"] for goal in NEW_PLAN["goals"]]
    assert body["actions"][0]["owner"] == "keyworker"
    assert (body["episode_id"], body["current"], body["client_number"]) == (
        episode.pk,
        True,
        record.client_number,
    )


@pytest.mark.parametrize("role", NOT_PLAN_WRITERS)
def test_other_roles_cannot_write_a_plan_or_review_one(api_as, record, plan, exit_plan, role):
    http = api_as(role)
    assert post_json(http, url(record, "plans"), NEW_PLAN).status_code == 403
    assert post_json(http, f"{API}/plans/{plan.pk}/reviews", NEW_REVIEW).status_code == 403
    assert post_json(http, url(record, "exit-plan/reviews"), NEW_REVIEW).status_code == 403
    assert RecoveryPlan.objects.count() == 1
    assert PlanReview.objects.count() == ExitPlanReview.objects.count() == 0


@pytest.mark.parametrize("role", PLAN_WRITERS)
def test_keyworker_prescriber_and_manager_agree_an_exit_plan(api_as, record, episode, role):
    response = post_json(api_as(role), url(record, "exit-plan"), NEW_EXIT_PLAN)
    assert response.status_code == 201
    assert response.json()["steps"][0]["description"] == "Reduce methadone to 40 mg daily"
    assert ExitPlan.objects.get().episode == episode


def test_nurse_cannot_agree_an_exit_plan(api_as, record, episode):
    assert post_json(api_as("nurse"), url(record, "exit-plan"), NEW_EXIT_PLAN).status_code == 403
    assert ExitPlan.objects.count() == 0


def test_keyworker_of_another_team_cannot_record_for_the_client(
    api_as, record, episode, keyworker_of_another_team
):
    http = api_as(keyworker_of_another_team)
    assert post_json(http, url(record, "plans"), NEW_PLAN).status_code == 403
    assert post_json(http, url(record, "tops"), new_top()).status_code == 403
    assert RecoveryPlan.objects.count() == TreatmentOutcomesProfile.objects.count() == 0


# What the endpoints do --------------------------------------------------------------------


def test_a_new_plan_replaces_the_current_one(api_as, record, plan):
    http = api_as("keyworker")
    assert post_json(http, url(record, "plans"), NEW_PLAN).status_code == 201
    listed = http.get(url(record, "plans")).json()
    assert [(p["id"] == plan.pk, p["current"]) for p in listed] == [(False, True), (True, False)]


def test_plan_review_sets_the_plans_next_review_date(api_as, plan, users):
    response = post_json(api_as("prescriber"), f"{API}/plans/{plan.pk}/reviews", NEW_REVIEW)
    assert response.status_code == 201
    assert response.json()["reviewed_by"] == users["prescriber"].username
    plan.refresh_from_db()
    assert plan.next_review_date.isoformat() == NEW_REVIEW["next_review_date"]
    assert (
        api_as("nurse").get(f"{API}/plans/{plan.pk}").json()["reviews"][0]["notes"] == "Going well"
    )


def test_exit_plan_is_read_and_reviewed(api_as, record, exit_plan):
    http = api_as("keyworker")
    assert http.get(url(record, "exit-plan")).json()["intended_duration_weeks"] == 26
    response = post_json(http, url(record, "exit-plan/reviews"), NEW_REVIEW)
    assert response.status_code == 201
    exit_plan.refresh_from_db()
    assert exit_plan.next_review_date.isoformat() == NEW_REVIEW["next_review_date"]
    assert [r["notes"] for r in http.get(url(record, "exit-plan")).json()["reviews"]] == [
        "Going well"
    ]


def test_exit_plan_review_without_an_exit_plan_is_404(api_as, record, episode):
    response = post_json(api_as("keyworker"), url(record, "exit-plan/reviews"), NEW_REVIEW)
    assert response.status_code == 404
    assert ExitPlanReview.objects.count() == 0


# Validation: 422 naming the field, nothing saved ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goals": []}, "goals"),
        ({"goals": [{"text": "   "}]}, "goals.0.text"),
        ({"goals": [{"text": "x" * 1001}]}, "goals.0.text"),
        ({"actions": [{"text": "Call", "owner": "cat", "due_date": iso(0)}]}, "actions.0.owner"),
        (
            {"actions": [{"text": "Call", "owner": "client", "due_date": iso(30)}]},
            "action_due_date",
        ),
        ({"agreed_on": iso(100)}, "agreed_on"),  # before treatment started
        ({"agreed_on": iso(-1)}, "agreed_on"),
        ({"agreed_on": "10/01/2025"}, "agreed_on"),
        ({"next_review_date": iso(20)}, "next_review_date"),
        ({"written_with_client": "yes"}, "written_with_client"),
        ({"mood": "hopeful"}, "mood"),
    ],
)
def test_invalid_plan_is_refused_naming_the_field(api_as, record, episode, changes, field):
    response = post_json(api_as("keyworker"), url(record, "plans"), {**NEW_PLAN, **changes})
    assert field in error_fields(response)
    assert RecoveryPlan.objects.count() == PlanGoal.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


def test_plan_for_a_client_with_no_open_episode_is_refused(api_as, record):
    TreatmentEpisodeFactory(client=record, discharged=True)
    response = post_json(api_as("keyworker"), url(record, "plans"), NEW_PLAN)
    assert error_fields(response) == [None]
    assert "no open treatment episode" in response.json()["errors"][0]["message"]
    assert RecoveryPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reviewed_on": iso(61)}, "reviewed_on"),  # before the plan was agreed
        ({"reviewed_on": iso(-1)}, "reviewed_on"),
        ({"next_review_date": iso(1)}, "next_review_date"),
        ({"notes": "x" * 2001}, "notes"),
    ],
)
def test_invalid_plan_review_is_refused_and_the_plan_is_unchanged(api_as, plan, changes, field):
    path = f"{API}/plans/{plan.pk}/reviews"
    response = post_json(api_as("keyworker"), path, {**NEW_REVIEW, **changes})
    assert field in error_fields(response)
    assert PlanReview.objects.count() == 0
    plan.refresh_from_db()
    assert plan.next_review_date == days_ago(-30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"intended_duration_weeks": 0}, "intended_duration_weeks"),
        ({"intended_duration_weeks": 521}, "intended_duration_weeks"),
        ({"intended_duration_weeks": "26"}, "intended_duration_weeks"),
        ({"steps": [{"planned_from": iso(30), "description": "Reduce"}]}, "step_planned_from"),
        ({"steps": [{"planned_from": iso(0), "description": " "}]}, "steps.0.description"),
        ({"client_view": "x" * 2001}, "client_view"),
        ({"next_review_date": iso(6)}, "next_review_date"),
    ],
)
def test_invalid_exit_plan_is_refused_naming_the_field(api_as, record, episode, changes, field):
    response = post_json(
        api_as("prescriber"), url(record, "exit-plan"), {**NEW_EXIT_PLAN, **changes}
    )
    assert field in error_fields(response)
    assert ExitPlan.objects.count() == 0


def test_exit_plan_is_refused_for_a_client_not_on_substitution(api_as, record):
    TreatmentEpisodeFactory(client=record)
    response = post_json(api_as("keyworker"), url(record, "exit-plan"), NEW_EXIT_PLAN)
    assert error_fields(response) == [None]
    assert ExitPlan.objects.count() == 0


def test_second_exit_plan_for_an_episode_is_refused(api_as, record, exit_plan):
    response = post_json(api_as("keyworker"), url(record, "exit-plan"), NEW_EXIT_PLAN)
    assert error_fields(response) == [None]
    assert list(ExitPlan.objects.all()) == [exit_plan]


# Audit ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("plans", "recovery plans"),
        ("plan", "recovery plan"),
        ("exit-plan", "exit plan"),
        ("tops", "treatment outcomes profiles"),
    ],
)
def test_every_read_writes_a_view_entry_for_the_client_on_the_api_channel(
    api_as, record, plan, exit_plan, top, users, path, detail
):
    target = f"{API}/plans/{plan.pk}" if path == "plan" else url(record, path)
    assert api_as("nurse").get(target).status_code == 200
    [entry] = audit_entries(AuditEntry.Action.VIEW, users["nurse"])
    assert entry.client == record
    assert entry.channel == AuditEntry.Channel.API
    assert entry.detail.startswith(detail)


def test_writes_are_audited_by_their_services_on_the_api_channel(api_as, record, episode, users):
    http = api_as("manager")
    post_json(http, url(record, "plans"), NEW_PLAN)
    post_json(http, url(record, "exit-plan"), NEW_EXIT_PLAN)
    post_json(http, url(record, "tops"), new_top(stage="start", completed_on=iso(80)))
    entries = audit_entries(AuditEntry.Action.CREATE, users["manager"])
    created = {entry.object_type for entry in entries}
    assert {
        "treatment.RecoveryPlan",
        "treatment.PlanGoal",
        "treatment.PlanAction",
        "treatment.ExitPlan",
        "treatment.ExitPlanStep",
        "treatment.TreatmentOutcomesProfile",
    } == created
    assert {(entry.client_id, entry.channel) for entry in entries} == {
        (record.pk, AuditEntry.Channel.API)
    }
