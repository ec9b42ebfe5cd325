"""The store of parsed tables: hit, miss on a changed file or option, never a half-written entry."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
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
        np.save(folder / "Z.npy", np.zeros(1))  # part of the entry is on disk ...
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


def test_rows_reads_the_stored_tables_size_and_nothing_for_a_missing_entry(tmp_path: Path) -> None:
    store = Store(tmp_path)
    mrio = read_demo(2001)
    assert store.rows("k") is None
    store.save("k", mrio)
    assert store.rows("k") == len(mrio.Z.index) == 48  # pymrio's test system: 6 regions x 8 sectors
    (tmp_path / "tables" / "k" / "Z.npy").write_bytes(b"not an array")
    assert store.rows("k") is None


def test_a_killed_writer_leaves_only_an_unused_temporary_folder(tmp_path: Path) -> None:
    # a SIGKILL cannot run `finally`: what it leaves is a '.part-*' folder, which is never served
    store = Store(tmp_path)
    (tmp_path / "tables" / ".part-abc").mkdir(parents=True)
    mrio_to_files(read_demo(2002), tmp_path / "tables" / ".part-abc")
    assert not store.has(".part-abc".removeprefix(".part-"))
    assert store.load("abc") is None


# ----------------------------------------------------------------- damaged entries (issues 20 and 21)
def _edit_a_unit(entry: Path) -> None:
    """Change one stressor unit in the entry's JSON (what a careless hand edit would do)."""
    path = entry / "mrio.json"
    content = json.loads(path.read_text(encoding="utf-8"))
    units = content["description"]["stressor_units"]
    units[next(iter(units))] = "t"
    path.write_text(json.dumps(content), encoding="utf-8")


def _flip_a_byte(entry: Path) -> None:
    """Flip the last byte of Z.npy (inside the numbers, past the .npy header)."""
    path = entry / "Z.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(entry: Path) -> None:
    path = entry / "F.npy"
    path.write_bytes(path.read_bytes()[:-8])


def _remove_an_array(entry: Path) -> None:
    (entry / "Y.npy").unlink()


def _only_entry(cache: Path) -> Path:
    entries = [p for p in (cache / "tables").iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1
    return entries[0]


def test_entries_are_uncompressed_npy_files_with_their_checksums(save: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_table(SourceRequest(source="pymrio", data=save), 2005, cache)
    entry = _only_entry(cache)
    content = json.loads((entry / "mrio.json").read_text(encoding="utf-8"))
    for block in ("Z", "Y", "F", "F_Y"):
        path = entry / f"{block}.npy"
        # the recorded checksum is the SHA-256 of the file as hashlib computes it here, independently
        assert content["checksums"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert np.load(path, mmap_mode="r").dtype == np.float64  # memory-mappable: plain .npy
    description = json.dumps(content["description"], sort_keys=True).encode()
    assert content["checksums"]["description"] == hashlib.sha256(description).hexdigest()


@pytest.mark.parametrize("damage", [_edit_a_unit, _flip_a_byte, _truncate, _remove_an_array])
def test_a_damaged_entry_is_named_set_aside_and_rebuilt(
    damage: Callable[[Path], None], save: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    request = SourceRequest(source="pymrio", data=save)
    clean, _ = load_table(request, 2005, cache)
    entry = _only_entry(cache)
    damage(entry)
    capsys.readouterr()
    rebuilt, parsed = load_table(request, 2005, cache)
    assert parsed  # a miss: read again from the raw files
    assert_same_mrio(clean, rebuilt)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and entry.name in err
    aside = [p for p in (cache / "tables").iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].name.startswith(entry.name)  # kept, not deleted
    assert (entry / "mrio.json").is_file()  # the replacement is in place
    again, parsed = load_table(request, 2005, cache)
    assert not parsed and capsys.readouterr().err == ""
    assert_same_mrio(clean, again)


def _series(save: Path, cache: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mrio_tools", "series", "--source", "pymrio", "--data", str(save)]
    command += ["--years", "2005", "--cache", str(cache), "--out-dir", str(out), "--no-progress"]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("damage", [_edit_a_unit, _flip_a_byte])
def test_cli_series_rebuilds_a_damaged_store_entry(
    damage: Callable[[Path], None], save: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = _series(save, cache, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    entry = _only_entry(cache)
    damage(entry)
    damaged = _series(save, cache, tmp_path / "damaged")
    assert damaged.returncode == 0, damaged.stderr
    notes = [line for line in damaged.stderr.splitlines() if "damaged" in line]
    assert len(notes) == 1 and entry.name in notes[0] and "rebuilding" in notes[0]
    clean = _series(save, tmp_path / "clean-cache", tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr
    for name in ("accounts.csv", "flows.csv"):
        assert (tmp_path / "damaged" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
