"""Shared test set-up: a deterministic hypothesis profile and the location of ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("mrio", derandomize=True, deadline=None, max_examples=40, print_blob=True)
settings.load_profile("mrio")

#: real published data beside the project (see ../shared/data/README.md); absent on users' machines
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real-data folder, or a skip that says why the test cannot run."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (it exists only in the project's workplace)")
    return SHARED_DATA
