"""One convention for a form sent back with errors: 200, the form, its errors and what was
typed, on every form view of every app (the driver's forms once answered 400)."""

import ast
from pathlib import Path

import beacon

ROOT = Path(beacon.__file__).parent
# Pages that are not a form sent back: too many sign-in attempts from one address; a
# survey link used, expired or never made.
NOT_A_FORM = {("core/views.py", 429), ("voice/views.py", 404)}


def _view_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and (path.name == "views.py" or "views" in path.parent.parts)
    )


def _client_error_statuses(node: ast.AST) -> set[int]:
    return {
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, int) and 400 <= sub.value < 500
    }


def _page_renders_with_client_errors(path: Path) -> list[tuple[int, int]]:
    """(line, status) of each page rendered (render() or a page helper) with a 4xx status."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id != "render" and not node.func.id.startswith("_"):
            continue
        for keyword in node.keywords:
            if keyword.arg == "status":
                found += [(node.lineno, s) for s in _client_error_statuses(keyword.value)]
    return found


def test_the_walk_reads_the_views_of_every_app():
    apps = {path.relative_to(ROOT).parts[0] for path in _view_modules()}

    assert {"clients", "treatment", "prescribing", "delivery", "contacts", "core"} <= apps


def test_no_form_view_answers_its_errors_with_a_client_error_status():
    found = {
        f"{path.relative_to(ROOT)}:{line}": status
        for path in _view_modules()
        for line, status in _page_renders_with_client_errors(path)
        if (str(path.relative_to(ROOT)), status) not in NOT_A_FORM
    }

    assert found == {}
