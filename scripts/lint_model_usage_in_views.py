#!/usr/bin/env python
"""Flag bare `Model.objects` in views and API modules (DESIGN.md: load through the provider).

Views and API endpoints must reach records through the signed-in user's provider
(`request.provider.clients…`) or a selector, so a forgotten filter can never show
one provider's records to another. Exits 1 and names each offending line.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "beacon"


def checked_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        named_as_view = path.name.endswith(("views.py", "api.py"))
        if named_as_view or "views" in path.parent.name or path.parent.name == "api":
            files.append(path)
    return sorted(files)


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: bare .{node.attr}")
    return found


def main() -> int:
    problems = [problem for path in checked_files() for problem in offences(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} bare model manager use(s) in views/API: "
            "load records through request.provider or a selector."
        )
        return 1
    print(f"Model usage lint: {len(checked_files())} view/API modules clean.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
