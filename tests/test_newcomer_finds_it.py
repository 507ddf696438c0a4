"""A newcomer finds each of these from folder and file names alone (docs/adr/0006): the
test fails when the thing moves away from where its name says it is."""

import ast
import importlib
from pathlib import Path

from beacon.delivery.tests.register.test_register_writers import register_writers

ROOT = Path(__file__).resolve().parents[1]
BEACON = ROOT / "beacon"


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    names |= {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return names


def test_who_may_see_a_client_record_is_in_clients_rules():
    rules = BEACON / "clients" / "rules.py"
    assert {"can_view_client", "clients_visible_to"} <= defined_names(rules)
    assert '"clients.view_client"' in rules.read_text()
    # Every other app asks that one predicate instead of writing its own.
    for other in BEACON.glob("*/rules.py"):
        if other != rules:
            assert "can_view_client" not in defined_names(other), other


def test_the_three_missed_doses_rule_is_in_prescribing_safety():
    safety = BEACON / "prescribing" / "safety.py"
    assert {"consecutive_missed_days", "needs_review"} <= defined_names(safety)
    users = [
        path.relative_to(ROOT).as_posix()
        for path in BEACON.rglob("*.py")
        if "tests" not in path.parts and "BEACON_OST_MISSED_DAYS_FOR_REVIEW" in path.read_text()
    ]
    assert sorted(users) == ["beacon/prescribing/safety.py", "beacon/settings.py"]


def test_every_writer_of_the_controlled_drug_register_is_the_register_services():
    files = {writer.split(":")[0] for writer in register_writers(BEACON)}
    assert files == {"beacon/delivery/services/register.py"}


def test_the_drivers_run_sheet_tests_are_in_delivery_tests_runsheet():
    folder = BEACON / "delivery" / "tests" / "runsheet"
    tests = sorted(path.name for path in folder.glob("test_*.py"))
    assert "test_runsheet.py" in tests and "test_runsheet_api.py" in tests
    module = importlib.import_module("beacon.delivery.tests.runsheet.test_runsheet")
    assert any(name.startswith("test_driver") for name in dir(module))
