#!/usr/bin/env python
"""Check that every app keeps the one shape of docs/adr/0006-one-shape-for-every-app.md.

An app is flat (one module per kind) or packaged (every kind a package with the same
concept module names), never a mix; no module is named `<concept>_<kind>.py`; URL
patterns live in `urls.py` only; only `models/__init__.py` re-exports. Exits 1 and
names each offence.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "beacon"

# The kinds that are one module in a flat app and a package of concept modules in a
# packaged one.
PACKAGE_KINDS = (
    "models",
    "services",
    "selectors",
    "presenters",
    "views",
    "api",
    "schemas",
    "forms",
)
# Every kind a file name may end in; `<concept>_<kind>.py` is the shape the ADR replaced.
NAMED_KINDS = (*PACKAGE_KINDS, "rules", "urls", "admin", "factories", "matrix")
# Folders that are not Django apps' own code.
SKIPPED_PARTS = {"migrations", "jinja2", "static", "templates", "__pycache__", "management"}


def apps(root: Path) -> list[Path]:
    """The Django apps under root: folders with an apps.py."""
    return sorted(path.parent for path in root.glob("*/apps.py"))


def _python_files(app: Path) -> list[Path]:
    return sorted(
        path for path in app.rglob("*.py") if not SKIPPED_PARTS & set(path.relative_to(app).parts)
    )


def prefixed_modules(app: Path) -> list[str]:
    found = []
    for path in _python_files(app):
        stem = path.stem
        if stem.startswith("test_") or "_" not in stem:
            continue
        concept, kind = stem.rsplit("_", 1)
        if kind in NAMED_KINDS:
            found.append(
                f"{_name(path)}: a <concept>_<kind>.py module; make it the {concept} module "
                f"of {kind}, or the {concept} folder of tests"
            )
    return found


def mixed_kinds(app: Path) -> list[str]:
    found = []
    packaged = [kind for kind in PACKAGE_KINDS if (app / kind / "__init__.py").exists()]
    for kind in PACKAGE_KINDS:
        module, package = app / f"{kind}.py", app / kind / "__init__.py"
        if module.exists() and package.exists():
            found.append(f"{_name(app)}: both {kind}.py and {kind}/")
        elif module.exists() and packaged:
            found.append(
                f"{_name(module)}: {_name(app)} is packaged ({', '.join(packaged)}/), "
                f"so {kind} is a package too"
            )
    return found


def stray_urlpatterns(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "urls.py" or SKIPPED_PARTS & set(path.relative_to(root).parts):
            continue
        if "tests" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
                found.append(f"{_name(path)}:{node.lineno}: urlpatterns belong in urls.py")
    return found


def reexports(app: Path) -> list[str]:
    found = []
    for kind in PACKAGE_KINDS:
        init = app / kind / "__init__.py"
        if kind == "models" or not init.exists():
            continue
        tree = ast.parse(init.read_text(), filename=str(init))
        if any(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body):
            found.append(f"{_name(init)}: only models/ re-exports; import the concept module")
    return found


def _name(path: Path) -> str:
    return path.relative_to(ROOT.parent).as_posix()


def offences(root: Path | None = None) -> list[str]:
    root = root or ROOT
    found = []
    for app in apps(root):
        found += prefixed_modules(app) + mixed_kinds(app) + reexports(app)
    return found + stray_urlpatterns(root)


def main() -> int:
    problems = offences()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layout offence(s): see docs/adr/0006-one-shape-for-every-app.md")
        return 1
    print(f"Layout lint: {len(apps(ROOT))} apps in one shape.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
