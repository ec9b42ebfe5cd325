"""The store of parsed tables: hit, miss on a changed file or option, never a half-written entry."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio
import pytest

from mrio_tools.series.run import load_table
from mrio_tools.series.store import Store, make_key, mrio_from_files, mrio_to_files
from mrio_tools.sources.demo import read_demo
from mrio_tools.sources.registry import SourceRequest


def assert_same_mrio(a: object, b: object) -> None:
    for block in ("Z", "Y", "F", "F_Y"):
        pd.testing.assert_frame_equal(getattr(a, block), getattr(b, block), check_exact=True)
    for field in ("monetary_unit", "stressor_units", "source", "version", "year", "price_basis"):
        assert getattr(a, field) == getattr(b, field)


def test_an_mrio_round_trips_through_the_files(tmp_path: Path) -> None:
    mrio = read_demo(2003)
    mrio_to_files(mrio, tmp_path)
    back = mrio_from_files(tmp_path)
    assert_same_mrio(mrio, back)
    assert mrio.population is not None and back.population is not None
    pd.testing.assert_series_equal(mrio.population, back.population, check_exact=True)
    assert back.notes["demonstration_data"] is True


@pytest.fixture()
def save(tmp_path: Path) -> Path:
    pymrio.load_test().save_all(tmp_path / "save")
    return tmp_path / "save"


def test_hit_after_miss_and_miss_on_a_changed_file(save: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    request = SourceRequest(source="pymrio", data=save)
    first, parsed = load_table(request, 2005, cache)
    assert parsed
    second, parsed = load_table(request, 2005, cache)
    assert not parsed
    assert_same_mrio(first, second)
    # change one number of Z in the raw file: the key changes, the table is parsed again
    z_file = save / "Z.txt"
    raw = pd.read_csv(z_file, sep="\t", header=[0, 1], index_col=[0, 1])
    raw.iloc[0, 1] = raw.iloc[0, 1] * 2
    raw.to_csv(z_file, sep="\t")
    third, parsed = load_table(request, 2005, cache)
    assert parsed
    assert third.Z.iloc[0, 1] == pytest.approx(2 * first.Z.iloc[0, 1], rel=1e-9)
    assert len(list((cache / "tables").iterdir())) == 2


def test_miss_on_a_changed_option(save: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    picked = SourceRequest(source="pymrio", data=save, stressor=["emission_type1 - air"])
    summed = SourceRequest(
        source="pymrio", data=save, stressor=["emission_type1 - air", "emission_type2 - water"]
    )
    a, parsed_a = load_table(picked, 2005, cache)
    b, parsed_b = load_table(summed, 2005, cache)
    assert parsed_a and parsed_b
    assert list(a.stressors) != list(b.stressors)
    assert not load_table(picked, 2005, cache)[1]


def test_keys_follow_contents_and_parts(tmp_path: Path) -> None:
    f = tmp_path / "raw.bin"
    f.write_bytes(b"one")
    k1 = make_key(files=[f], parts={"source": "x", "options": {"output_gap": "scale_rows"}})
    k2 = make_key(files=[f], parts={"source": "x", "options": {"output_gap": "residual_category"}})
    assert k1 != k2
    os.utime(f, ns=(1, 1))  # a touched but unchanged file keeps its key
    assert make_key(files=[f], parts={"source": "x", "options": {"output_gap": "scale_rows"}}) == k1
    f.write_bytes(b"two")
    assert make_key(files=[f], parts={"source": "x", "options": {"output_gap": "scale_rows"}}) != k1


def test_no_half_written_entry_after_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    mrio = read_demo(2001)

    def crash_midway(mrio: object, folder: Path) -> None:
        np.savez(folder / "blocks.npz", Z=np.zeros(1))  # part of the entry is on disk ...
        raise KeyboardInterrupt  # ... when the run is stopped

    monkeypatch.setattr("mrio_tools.series.store.mrio_to_files", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        store.save("k", mrio)
    assert not store.has("k") and store.load("k") is None
    assert list((tmp_path / "tables").iterdir()) == []  # the temporary folder is gone too
    monkeypatch.undo()
    store.save("k", mrio)
    loaded = store.load("k")
    assert loaded is not None
    assert_same_mrio(mrio, loaded)


def test_a_killed_writer_leaves_only_an_unused_temporary_folder(tmp_path: Path) -> None:
    # a SIGKILL cannot run `finally`: what it leaves is a '.part-*' folder, which is never served
    store = Store(tmp_path)
    (tmp_path / "tables" / ".part-abc").mkdir(parents=True)
    mrio_to_files(read_demo(2002), tmp_path / "tables" / ".part-abc")
    assert not store.has(".part-abc".removeprefix(".part-"))
    assert store.load("abc") is None
