"""The MRIO container rejects bad blocks with messages that name the culprit, and allows zero output."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from systems import make_mrio, random_arrays

from mrio_tools import MRIO, ValidationError


@pytest.fixture
def good() -> MRIO:
    return make_mrio(random_arrays(0, 3, 2, 2, 1), 3, 2, 2)


def test_metadata_carries_provenance(good: MRIO) -> None:
    meta = good.metadata
    assert meta["source"] == "test" and meta["year"] == 2000 and meta["monetary_unit"] == "M EUR"
    assert meta["stressor_units"] == {"e0": "kg"}
    assert list(good.regions) == ["r0", "r1", "r2"] and list(good.sectors) == ["s0", "s1"]


def test_mismatched_labels_between_blocks(good: MRIO) -> None:
    F = good.F.copy()
    F.columns = pd.MultiIndex.from_tuples(
        [("r0", "s0"), ("r0", "XX"), *F.columns[2:]], names=["region", "sector"]
    )
    with pytest.raises(ValidationError, match=r"block F.*position 1.*'XX'"):
        dataclasses.replace(good, F=F)


def test_duplicate_labels(good: MRIO) -> None:
    F = pd.concat([good.F, good.F])
    with pytest.raises(ValidationError, match=r"block F: duplicate stressor labels e0"):
        dataclasses.replace(good, F=F, F_Y=pd.concat([good.F_Y, good.F_Y]))


def test_nan_names_the_cell(good: MRIO) -> None:
    Y = good.Y.copy()
    Y.iloc[3, 1] = np.nan
    with pytest.raises(ValidationError, match=r"block Y: 1 NaN or infinite.*\('r1', 's1'\).*\('r0', 'c1'\)"):
        dataclasses.replace(good, Y=Y)


def test_infinite_value(good: MRIO) -> None:
    F = good.F.copy()
    F.iloc[0, 2] = np.inf
    with pytest.raises(ValidationError, match=r"block F: 1 NaN or infinite.*\('r1', 's0'\)"):
        dataclasses.replace(good, F=F)


def test_negative_gross_output(good: MRIO) -> None:
    Y = good.Y.copy()
    Y.loc[("r2", "s1"), ("r2", "c0")] = -1e9
    with pytest.raises(ValidationError, match=r"gross output.*negative.*\('r2', 's1'\)"):
        dataclasses.replace(good, Y=Y)


def test_columns_of_A_summing_to_one_or_more(good: MRIO) -> None:
    Z = good.Z.copy()
    label = ("r1", "s0")
    own_use = Z.loc[label, label]
    Z[label] *= 50  # inputs of r1/s0 far above its output, which stays as it was:
    Z.loc[label, label] = own_use  # its own row (sales) is unchanged
    with pytest.raises(ValidationError, match=r"columns of A.*sum to >= 1.*\('r1', 's0'\)"):
        dataclasses.replace(good, Z=Z)


def test_all_zero_region(good: MRIO) -> None:
    Z, Y, F, F_Y = good.Z.copy(), good.Y.copy(), good.F.copy(), good.F_Y.copy()
    Z.loc["r1", :] = 0.0
    Z.loc[:, "r1"] = 0.0
    Y.loc["r1", :] = 0.0
    Y.loc[:, "r1"] = 0.0
    F.loc[:, "r1"] = 0.0
    with pytest.raises(ValidationError, match=r"region 'r1' is all zero"):
        dataclasses.replace(good, Z=Z, Y=Y, F=F, F_Y=F_Y)


def test_region_without_output_that_consumes_is_allowed(good: MRIO) -> None:
    """A region whose sectors all have zero output (so it is the one scanned for being all zero) but
    whose final demand buys from others is not all zero: accepted, its sectors reported."""
    Z, Y, F = good.Z.copy(), good.Y.copy(), good.F.copy()
    Z.loc["r1", :] = 0.0
    Z.loc[:, "r1"] = 0.0
    Y.loc["r1", :] = 0.0
    F.loc[:, "r1"] = 0.0
    assert (Y.loc[:, "r1"].to_numpy() != 0).any()
    table = dataclasses.replace(good, Z=Z, Y=Y, F=F)
    assert table.zero_output_sectors == [("r1", "s0"), ("r1", "s1")]


def test_zero_output_sector_is_allowed_and_reported(good: MRIO) -> None:
    Z, Y, F = good.Z.copy(), good.Y.copy(), good.F.copy()
    label = ("r2", "s0")
    Z.loc[label, :] = 0.0
    Z.loc[:, label] = 0.0
    Y.loc[label, :] = 0.0
    F.loc[:, label] = 0.0
    table = dataclasses.replace(good, Z=Z, Y=Y, F=F)
    assert table.zero_output_sectors == [label]
    assert table.metadata["zero_output_sectors"] == [list(label)]


def test_emissions_on_a_zero_output_sector(good: MRIO) -> None:
    Z, Y = good.Z.copy(), good.Y.copy()
    label = ("r2", "s0")
    Z.loc[label, :] = 0.0
    Z.loc[:, label] = 0.0
    Y.loc[label, :] = 0.0
    with pytest.raises(ValidationError, match=r"emissions on sectors with zero gross output: \('r2', 's0'\)"):
        dataclasses.replace(good, Z=Z, Y=Y)


def test_zero_output_sector_that_buys_inputs(good: MRIO) -> None:
    Z, Y, F = good.Z.copy(), good.Y.copy(), good.F.copy()
    label = ("r0", "s1")
    Z.loc[label, :] = 0.0
    Y.loc[label, :] = 0.0
    F.loc[:, label] = 0.0
    with pytest.raises(ValidationError, match=r"zero gross output buy intermediate inputs: \('r0', 's1'\)"):
        dataclasses.replace(good, Z=Z, Y=Y, F=F)


def test_missing_stressor_unit(good: MRIO) -> None:
    with pytest.raises(ValidationError, match=r"no unit for stressors e0"):
        dataclasses.replace(good, stressor_units={})


def test_wrong_level_names(good: MRIO) -> None:
    Z = good.Z.copy()
    Z.index = Z.index.set_names(["country", "industry"])
    with pytest.raises(ValidationError, match=r"block Z: index levels are named \['country', 'industry'\]"):
        dataclasses.replace(good, Z=Z)


def test_sectors_must_repeat_per_region(good: MRIO) -> None:
    rows = pd.MultiIndex.from_tuples(
        [("r0", "s0"), ("r0", "s1"), ("r1", "s1"), ("r1", "s0"), ("r2", "s0"), ("r2", "s1")],
        names=["region", "sector"],
    )
    Z = good.Z.set_axis(rows, axis=0).set_axis(rows, axis=1)
    with pytest.raises(ValidationError, match=r"region-major.*position 2"):
        dataclasses.replace(good, Z=Z)


def test_population_must_cover_every_region(good: MRIO) -> None:
    population = pd.Series([1.0, 2.0], index=pd.Index(["r0", "r1"], name="region"))
    with pytest.raises(ValidationError, match=r"block population.*missing r2"):
        dataclasses.replace(good, population=population)


def test_with_notes_shares_the_blocks_and_leaves_the_table_unchanged(
    good: MRIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mrio_tools.mrio.container as container

    calls: list[MRIO] = []
    monkeypatch.setattr(container, "validate", calls.append)
    noted = container.with_notes(good, {"source_options": {"output_gap": "scale_rows"}})
    assert not calls  # a note that no check reads: the table is not checked again
    assert noted.notes["source_options"] == {"output_gap": "scale_rows"}
    assert "source_options" not in good.notes
    assert noted.Z is good.Z and noted.F is good.F and noted.year == good.year
    assert noted.metadata["source_options"] == {"output_gap": "scale_rows"}


def test_with_notes_checks_again_when_a_checked_note_changes(good: MRIO) -> None:
    from mrio_tools.mrio.container import SIGNED_STRESSORS, with_notes

    with pytest.raises(ValidationError, match=r"signed_stressors names stressors not in F: nope"):
        with_notes(good, {SIGNED_STRESSORS: {"nope": "net removals"}})
