"""The import-linter contract in pyproject.toml fails the build on an upward import."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def project_contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def run(config: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), str(config), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def plant(tmp_path: Path, imports: dict[str, str]) -> Path:
    """A copy of Beacon's layers as empty apps, each module importing what `imports` says,
    checked by the project's own contract; returns the config file."""
    contract = project_contract()["contracts"][0]
    package = tmp_path / "beacon"
    apps = [app.strip(" ()") for layer in contract["layers"] for app in layer.split("|")]
    for layer in apps:
        (package / layer / "tests").mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
        (package / layer / "tests" / "__init__.py").write_text("")
        (package / layer / "models.py").write_text(imports.get(layer, ""))
        (package / layer / "tests" / "test_it.py").write_text(imports.get(f"{layer}.tests", ""))
    (package / "__init__.py").write_text("")
    layers = ", ".join(f'"{layer}"' for layer in contract["layers"])
    ignored = ", ".join(f'"{rule}"' for rule in contract["ignore_imports"])
    config = tmp_path / "contract.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "beacon"\n\n[[tool.importlinter.contracts]]\n'
        f'name = "layers"\ntype = "layers"\ncontainers = ["beacon"]\nlayers = [{layers}]\n'
        f'ignore_imports = [{ignored}]\nunmatched_ignore_imports_alerting = "none"\n'
    )
    return config


def test_downward_imports_keep_the_contract(tmp_path):
    config = plant(tmp_path, {"delivery": "import beacon.prescribing.models\n"})
    result = run(config, tmp_path)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    config = plant(tmp_path, {"treatment": "import beacon.prescribing.models\n"})
    result = run(config, tmp_path)
    assert result.returncode == 1
    assert "beacon.treatment is not allowed to import beacon.prescribing" in result.stdout


def test_core_importing_an_app_breaks_the_contract(tmp_path):
    config = plant(tmp_path, {"core": "import beacon.delivery.models\n"})
    result = run(config, tmp_path)
    assert result.returncode == 1
    assert "beacon.core is not allowed to import beacon.delivery" in result.stdout


def test_tests_may_import_any_app(tmp_path):
    config = plant(tmp_path, {"core.tests": "import beacon.delivery.models\n"})
    assert run(config, tmp_path).returncode == 0


def test_beacon_keeps_the_contract():
    result = run(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout
