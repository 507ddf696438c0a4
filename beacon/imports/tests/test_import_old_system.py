"""The generator's old-system export: the dry run names each planted fault exactly, and the
fixed export imports whole."""

import csv

import pytest
from django.urls import reverse

from beacon.core.presenters import date_uk
from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder
from bench.old_system import write_old_system

pytestmark = pytest.mark.django_db


def test_a_clean_old_system_export_imports_with_no_problems(manager, old_system):
    result = history_import_run(
        actor=manager, files=CsvFolder(old_system), source="OldCase", dry_run=False
    )
    print(result.counts)
    assert result.problems == []
    assert result.saved
    assert manager.provider.clients.count() == 12


def test_the_dry_run_names_each_planted_fault_exactly_and_saves_nothing(manager, tmp_path):
    planted = write_old_system(tmp_path / "faulty", clients=12, seed=3, faults=True)
    result = history_import_run(
        actor=manager, files=CsvFolder(tmp_path / "faulty"), source="OldCase", dry_run=True
    )
    found = {(p.file, p.row, p.column) for p in result.problems}
    assert found == {(f.file, f.row, f.column) for f in planted}
    assert len(planted) == 6
    assert not result.saved
    assert manager.provider.clients.count() == 0


@pytest.mark.parametrize(
    ("seed", "clients", "faults"),
    [(1, 30, False), (2, 12, True), (5, 20, True)],
)
def test_the_generators_export_holds_no_fault_but_the_planted_ones(
    manager, tmp_path, seed, clients, faults
):
    """Whatever the seed and size, the dry run reports the planted faults and nothing else:
    no TOP, plan or prescription a real system would not have exported (seed 1 with 30
    clients once wrote a review TOP the day after its episode's exit TOP)."""
    planted = write_old_system(tmp_path / "export", clients=clients, seed=seed, faults=faults)
    result = history_import_run(
        actor=manager, files=CsvFolder(tmp_path / "export"), source="OldCase", dry_run=True
    )
    found = [(p.file, p.row, p.column, p.reason) for p in result.problems]
    planted_at = {(f.file, f.row, f.column) for f in planted}
    assert [problem for problem in found if problem[:3] not in planted_at] == []
    assert {problem[:3] for problem in found} == planted_at
    assert bool(planted) == faults


@pytest.mark.parametrize("seed", range(1, 9))
def test_the_generators_tops_come_start_then_reviews_then_exit(tmp_path, seed):
    """Each episode's TOPs in the files: one start, reviews after it, and the exit (if it
    has ended) after every review, not on the same day (seed 4 once wrote both one day)."""
    write_old_system(tmp_path, clients=60, seed=seed)
    stages: dict[str, list[tuple[str, str]]] = {}
    with (tmp_path / "tops.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stages.setdefault(row["episode_id"], []).append((row["completed_on"], row["stage"]))
    assert len(stages) > 60
    for episode, tops in stages.items():
        assert len({on for on, _stage in tops}) == len(tops), (episode, tops)
        in_date_order = [stage for _on, stage in sorted(tops)]  # ISO dates: text is date order
        assert in_date_order[0] == "start" and in_date_order.count("start") == 1, tops
        if "exit" in in_date_order:
            assert in_date_order[-1] == "exit" and in_date_order.count("exit") == 1, tops


def test_with_the_faults_fixed_everything_is_saved_and_the_journey_and_caseload_show_it(
    manager, tmp_path, web_as
):
    write_old_system(tmp_path / "faulty", clients=12, seed=3, faults=True)
    fixed = tmp_path / "fixed"
    write_old_system(fixed, clients=12, seed=3)  # the same history, the four rows corrected
    result = history_import_run(
        actor=manager, files=CsvFolder(fixed), source="OldCase", dry_run=False
    )
    assert result.saved and result.problems == []
    client = (
        manager.provider.clients.filter(episodes__discharge_date__isnull=True)
        .order_by("pk")
        .first()
    )
    page = (
        web_as(manager)
        .get(reverse("treatment:journey", kwargs={"client_number": client.client_number}))
        .content.decode()
    )
    for referral in client.referrals.all():
        assert date_uk(referral.referral_date) in page
    caseload = web_as(client.keyworker).get(reverse("treatment:caseload")).content.decode()
    assert client.last_name.upper() in caseload  # the caseload shows SURNAME, First
