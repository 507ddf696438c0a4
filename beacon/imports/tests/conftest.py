"""Fixtures of the imports tests: the manager who imports, and old-system files."""

import pytest

from bench.old_system import write_old_system


@pytest.fixture
def manager(users):
    return users["manager"]


@pytest.fixture
def old_system(tmp_path):
    """A small clean old-system export (the generator's, without faults)."""
    folder = tmp_path / "exported"
    write_old_system(folder, clients=12, seed=3)
    return folder
