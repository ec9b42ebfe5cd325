"""Shared test set-up: a deterministic hypothesis profile and the location of ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("mrio", derandomize=True, deadline=None, max_examples=40, print_blob=True)
settings.load_profile("mrio")

#: real published data beside the project (see ../shared/data/README.md), absent on users' machines;
#: MRIO_TOOLS_SHARED_DATA points elsewhere (a clone in a temporary folder, for example)
SHARED_DATA = Path(
    os.environ.get("MRIO_TOOLS_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real-data folder, or a skip that says why the test cannot run."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data folder {SHARED_DATA} is absent (it exists only in the project's workplace; "
            "set MRIO_TOOLS_SHARED_DATA to use another folder)"
        )
    return SHARED_DATA
