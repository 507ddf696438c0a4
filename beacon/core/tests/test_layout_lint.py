"""The layout lint (scripts/lint_layout.py) catches each way an app can leave the one shape."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "lint_layout.py"
spec = importlib.util.spec_from_file_location("lint_layout", SCRIPT)
lint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lint)


def app(root: Path, name: str, files: dict[str, str]) -> Path:
    """Plant an app called `name` under root with the given files (path → text)."""
    folder = root / name
    for relative, text in {"apps.py": "", "__init__.py": "", **files}.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def offences(tmp_path: Path) -> list[str]:
    lint.ROOT = tmp_path / "beacon"
    return lint.offences()


def test_a_flat_app_passes(tmp_path):
    app(tmp_path / "beacon", "shop", {"models.py": "", "services.py": "", "views.py": ""})
    assert offences(tmp_path) == []


def test_a_packaged_app_passes(tmp_path):
    app(
        tmp_path / "beacon",
        "shop",
        {
            "models/__init__.py": "from .orders import Order\n",
            "models/orders.py": "",
            "services/__init__.py": '"""Writes."""\n',
            "services/orders.py": "",
            "tests/orders/test_orders.py": "",
            "urls.py": "urlpatterns = []\n",
        },
    )
    assert offences(tmp_path) == []


def test_flags_a_concept_prefixed_module(tmp_path):
    app(tmp_path / "beacon", "shop", {"runsheet_services.py": "", "tests/test_api.py": ""})
    assert offences(tmp_path) == [
        "beacon/shop/runsheet_services.py: a <concept>_<kind>.py module; make it the "
        "runsheet module of services, or the runsheet folder of tests"
    ]


def test_flags_an_app_with_both_services_module_and_package(tmp_path):
    app(tmp_path / "beacon", "shop", {"services.py": "", "services/__init__.py": ""})
    assert "beacon/shop: both services.py and services/" in offences(tmp_path)


def test_flags_a_flat_kind_module_in_a_packaged_app(tmp_path):
    app(tmp_path / "beacon", "shop", {"views/__init__.py": "", "api.py": ""})
    assert offences(tmp_path) == [
        "beacon/shop/api.py: beacon/shop is packaged (views/), so api is a package too"
    ]


def test_flags_urlpatterns_outside_urls(tmp_path):
    app(tmp_path / "beacon", "shop", {"views.py": "urlpatterns = []\n"})
    assert offences(tmp_path) == ["beacon/shop/views.py:1: urlpatterns belong in urls.py"]


def test_flags_a_reexporting_kind_package(tmp_path):
    app(
        tmp_path / "beacon",
        "shop",
        {"services/__init__.py": "from .orders import order_create\n", "models/__init__.py": ""},
    )
    assert offences(tmp_path) == [
        "beacon/shop/services/__init__.py: only models/ re-exports; import the concept module"
    ]


def test_beacon_itself_keeps_the_one_shape():
    lint.ROOT = SCRIPT.parent.parent / "beacon"
    assert lint.offences() == []
