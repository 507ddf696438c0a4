"""The lint that keeps views and API loading records through the provider."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "lint_model_usage_in_views.py"
spec = importlib.util.spec_from_file_location("lint_model_usage", SCRIPT)
lint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lint)


def test_flags_bare_objects_in_a_view(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("from x import Client\n\ndef page(request):\n    return Client.objects.all()\n")
    lint.ROOT = tmp_path
    assert lint.offences(view) == [
        "tmp:4: bare .objects".replace("tmp", view.relative_to(tmp_path.parent).as_posix())
    ]


def test_accepts_loading_through_the_provider(tmp_path):
    view = tmp_path / "views.py"
    view.write_text("def page(request):\n    return request.provider.clients.all()\n")
    lint.ROOT = tmp_path
    assert lint.offences(view) == []


def test_project_views_and_api_are_clean():
    lint.ROOT = SCRIPT.parent.parent / "beacon"
    assert [p for f in lint.checked_files() for p in lint.offences(f)] == []
    assert any(f.name == "api.py" for f in lint.checked_files())


def test_any_module_named_like_views_is_checked():
    lint.ROOT = SCRIPT.parent.parent / "beacon"
    names = {f.name for f in lint.checked_files()}
    assert {"views.py", "api.py"} <= names
    # Modules of views/ and api/ packages (beacon/delivery/views/setup.py…) are checked too.
    paths = {f.relative_to(lint.ROOT).as_posix() for f in lint.checked_files()}
    assert {
        "delivery/views/setup.py",
        "delivery/views/planning.py",
        "delivery/api/setup.py",
    } <= paths
