"""Every writer of the controlled-drug register lives in services/register.py (ADR 0006):
no other module of beacon/ creates a RegisterEntry."""

import re
from pathlib import Path

BEACON = Path(__file__).resolve().parents[4] / "beacon"
WRITER = BEACON / "delivery" / "services" / "register.py"

# Ways of creating an entry: the constructor, the manager's create, a reverse relation's
# create (provider.register_entries.create), and a bulk_create of entries.
CREATES_AN_ENTRY = re.compile(
    r"(?<!class )\bRegisterEntry\s*\("
    r"|\bRegisterEntry\s*\.\s*(?:objects|_default_manager)\s*\.\s*(?:create|bulk_create|get_or_create|update_or_create)\b"
    r"|\.register_entries(?:_as_driver)?\s*\.\s*(?:create|bulk_create|get_or_create|update_or_create)\b"
    r"|\bbulk_create\s*\(\s*\[?\s*RegisterEntry\b"
)


def register_writers(root: Path) -> list[str]:
    """`path:line` of each place under `root` (tests and migrations left out) that creates a
    register entry."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if CREATES_AN_ENTRY.search(line):
                found.append(f"{path.relative_to(root.parent).as_posix()}:{number}")
    return found


def test_only_the_register_services_create_register_entries():
    outside = [w for w in register_writers(BEACON) if not w.startswith(_relative(WRITER) + ":")]
    assert outside == []


def test_the_register_services_are_found_writing():
    assert any(w.startswith(_relative(WRITER) + ":") for w in register_writers(BEACON))


def test_a_planted_writer_is_caught(tmp_path):
    app = tmp_path / "beacon" / "delivery"
    app.mkdir(parents=True)
    (app / "sneaky.py").write_text(
        "def hand_over(stop):\n"
        "    return RegisterEntry(provider=stop.provider, kind='handed_to_driver')\n"
    )
    (app / "bulk.py").write_text("RegisterEntry.objects.bulk_create(entries)\n")
    (app / "related.py").write_text("provider.register_entries.create(kind='received')\n")
    (app / "listed.py").write_text("Model.objects.bulk_create([RegisterEntry(**row)])\n")
    tests = app / "tests"
    tests.mkdir()
    (tests / "test_ok.py").write_text("RegisterEntry(kind='received')\n")
    assert register_writers(tmp_path / "beacon") == [
        "beacon/delivery/bulk.py:1",
        "beacon/delivery/listed.py:1",
        "beacon/delivery/related.py:1",
        "beacon/delivery/sneaky.py:2",
    ]


def _relative(path: Path) -> str:
    return path.relative_to(BEACON.parent).as_posix()
