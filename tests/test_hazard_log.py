"""Every test the clinical hazard log names as a control exists, so the log cannot point at
a test that was renamed or deleted."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.md"


def named_tests() -> list[tuple[str, str]]:
    """(file, test) pairs from `path::test` and the `::test` that follow a path in a cell."""
    pairs = []
    for line in LOG.read_text().splitlines():
        if not line.startswith("| H-"):
            continue
        current = None
        for match in re.finditer(r"`([\w/.]+\.py)?::(test_\w+)`|`([\w/.]+\.py)`", line):
            path, test, bare = match.groups()
            if bare:
                current = bare
                continue
            current = path or current
            pairs.append((current, test))
    return pairs


def test_the_hazard_log_names_tests():
    assert len(named_tests()) > 30


def test_every_test_the_hazard_log_names_exists():
    missing = [
        f"{path}::{test}"
        for path, test in named_tests()
        if path is None
        or not (ROOT / path).exists()
        or not re.search(rf"^def {test}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]
    assert missing == []
