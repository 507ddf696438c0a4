"""Every file a docstring, comment or document names exists: moving a module without
updating what points at it fails here."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A path inside the repository as people write it: beacon/delivery/services/register.py,
# docs/adr/0006-one-shape-for-every-app.md, tests/system/conftest.py.
NAMED_PATH = re.compile(
    r"(?<![\w./-])((?:beacon|docs|tests|scripts|bench)/[\w./-]*?\w\.(?:py|md|html|json|js|css))\b"
)
# A module in the shape the layout replaced (runsheet_services.py).
OLD_SHAPE = re.compile(
    r"\b(?!test_)\w+_(?:services|views|selectors|forms|api|schemas|presenters|models)\.py\b"
)
# Files of other projects that documents cite (dtos-manage-breast-screening's views).
ELSEWHERE = {"appointment_note_views.py"}
# Tests that plant files in a temporary folder name files that exist only there.
PLANTING = {"test_layout_lint.py", "test_layer_contract.py", "test_register_writers.py"}
FOLDERS = ("beacon", "docs", "tests", "scripts", "bench")
SKIPPED = {"node_modules", ".venv", "var", "migrations", ".git", "staticfiles", "__pycache__"}


def sources() -> list[Path]:
    files = [ROOT / "README.md"]
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".html", ".js"} and not SKIPPED & set(path.parts):
                files.append(path)
    return [
        path
        for path in files
        if path.resolve() != Path(__file__).resolve() and path.name not in PLANTING
    ]


def app_of(path: Path) -> Path | None:
    parts = path.relative_to(ROOT).parts
    return ROOT / parts[0] / parts[1] if parts[0] == "beacon" and len(parts) > 2 else None


def broken_names(text: str, app: Path | None = None) -> list[str]:
    """The files `text` names that do not exist in the repository (or, for a file of an
    app, in that app: `tests/register/…` written inside beacon/delivery/)."""
    missing = [
        match.group(1)
        for match in NAMED_PATH.finditer(text)
        if not (ROOT / match.group(1)).exists()
        and not (app is not None and (app / match.group(1)).exists())
    ]
    missing += [
        match.group(0)
        for match in OLD_SHAPE.finditer(text)
        if match.group(0) not in ELSEWHERE
        and not any(any(ROOT.glob(f"{folder}/**/{match.group(0)}")) for folder in FOLDERS)
    ]
    return missing


def test_the_check_catches_a_missing_file():
    text = "See beacon/delivery/nowhere.py, frobnicate_services.py and beacon/core/audit.py."
    assert broken_names(text) == ["beacon/delivery/nowhere.py", "frobnicate_services.py"]


def test_every_named_file_exists():
    problems = [
        f"{path.relative_to(ROOT)}: names {name}, which does not exist"
        for path in sources()
        for name in broken_names(path.read_text(), app_of(path))
    ]
    assert problems == []
