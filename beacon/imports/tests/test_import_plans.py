"""Recovery plans: every plan of an episode, with all its goals, actions and reviews,
through treatment's plan services, and a refusal named on its own row."""

import pytest

from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder
from beacon.imports.tests.factories import ago, one_client_files, write_files
from beacon.treatment.models import PlanAction, PlanGoal, PlanReview, RecoveryPlan

pytestmark = pytest.mark.django_db


def _plan_files() -> dict:
    files = one_client_files()
    files["recovery_plans"] = [
        {
            "recovery_plan_id": "RP1",
            "client_id": "C1",
            "episode_id": "E1",
            "agreed_on": ago(710),
            "next_review_date": ago(620),
        },
        {
            "recovery_plan_id": "RP2",
            "client_id": "C1",
            "episode_id": "E1",
            "agreed_on": ago(400),
            "next_review_date": ago(310),
            "written_with_client": "no",
        },
    ]
    files["plan_goals"] = [
        {"plan_goal_id": "G1", "client_id": "C1", "recovery_plan_id": "RP1", "text": "Stay well"},
        {
            "plan_goal_id": "G2",
            "client_id": "C1",
            "recovery_plan_id": "RP1",
            "text": "Get back to work",
            "in_clients_words": "no",
            "achieved_on": ago(500),
        },
        {"plan_goal_id": "G3", "client_id": "C1", "recovery_plan_id": "RP2", "text": "Cut down"},
    ]
    files["plan_actions"] = [
        {
            "plan_action_id": "A1",
            "client_id": "C1",
            "recovery_plan_id": "RP1",
            "plan_goal_id": "G2",
            "text": "See the employment adviser",
            "owner": "client",
            "due_date": ago(690),
            "done_on": ago(692),
        },
        {
            "plan_action_id": "A2",
            "client_id": "C1",
            "recovery_plan_id": "RP2",
            "text": "Review the dose",
            "owner": "prescriber",
            "due_date": ago(380),
        },
    ]
    files["plan_reviews"] = [
        {
            "plan_review_id": "PR1",
            "client_id": "C1",
            "recovery_plan_id": "RP1",
            "reviewed_on": ago(620),
            "next_review_date": ago(530),
            "notes": "Going well",
        }
    ]
    return files


def test_every_plan_is_imported_with_all_its_goals_actions_and_reviews(manager, tmp_path):
    result = history_import_run(
        actor=manager,
        files=CsvFolder(write_files(tmp_path, _plan_files())),
        source="Old",
        dry_run=False,
    )
    assert result.saved, result.problems
    first, second = RecoveryPlan.objects.order_by("agreed_on")
    assert [g.text for g in first.goals.order_by("pk")] == ["Stay well", "Get back to work"]
    achieved = PlanGoal.objects.get(text="Get back to work")
    assert achieved.achieved_on.isoformat() == ago(500) and not achieved.in_clients_words
    assert not second.written_with_client
    action = PlanAction.objects.get(text="See the employment adviser")
    assert action.goal == achieved and action.done_on.isoformat() == ago(692)
    assert PlanAction.objects.get(text="Review the dose").plan == second
    assert PlanReview.objects.get().plan == first
    assert first.next_review_date.isoformat() == ago(530)  # set by its review
    assert result.counts["plan_goal"] == 3 and result.counts["plan_review"] == 1


def test_a_plan_row_the_plan_rules_refuse_is_named_and_its_goals_not_reported_again(
    manager, tmp_path
):
    files = _plan_files()
    files["recovery_plans"][1]["next_review_date"] = ago(-400)  # more than a year ahead
    files["plan_actions"][0]["due_date"] = ago(900)  # before its plan was agreed
    result = history_import_run(
        actor=manager,
        files=CsvFolder(write_files(tmp_path, files)),
        source="Old",
        dry_run=True,
    )
    found = {(p.file, p.row, p.column) for p in result.problems}
    assert found == {
        ("recovery_plans", 3, "next_review_date"),
        ("plan_actions", 2, "due_date"),
    }, result.problems
    assert RecoveryPlan.objects.count() == 0
