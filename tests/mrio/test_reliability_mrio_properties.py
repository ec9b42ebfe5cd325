"""Random invalid systems: each corruption is rejected with `ValidationError` naming the culprit.

A valid random system (tests/systems.py, built with numpy alone) is corrupted in one way drawn by
hypothesis; the expected culprit (cell, label, stressor) is worked out here from the corruption, not
from mrio_tools.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from systems import make_mrio, random_arrays

from mrio_tools import MRIO
from mrio_tools.errors import ValidationError

SIZES = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3))


def _system(seed: int, sizes: tuple[int, int, int, int]) -> tuple[MRIO, dict[str, np.ndarray]]:
    regions, sectors, categories, stressors = sizes
    arrays = random_arrays(seed, regions, sectors, categories, stressors)
    return make_mrio(arrays, regions, sectors, categories), arrays


def _rejects(mrio: MRIO, **blocks: Any) -> str:
    with pytest.raises(ValidationError) as err:
        dataclasses.replace(mrio, **blocks)
    return str(err.value)


@given(
    seed=st.integers(0, 10_000),
    sizes=SIZES,
    block=st.sampled_from(["Z", "Y", "F", "F_Y"]),
    bad=st.sampled_from([np.nan, np.inf, -np.inf]),
    data=st.data(),
)
def test_nan_and_inf_name_block_and_cell(
    seed: int, sizes: tuple[int, int, int, int], block: str, bad: float, data: st.DataObject
) -> None:
    mrio, _ = _system(seed, sizes)
    frame: pd.DataFrame = getattr(mrio, block).copy()
    i = data.draw(st.integers(0, frame.shape[0] - 1))
    j = data.draw(st.integers(0, frame.shape[1] - 1))
    frame.iloc[i, j] = bad
    message = _rejects(mrio, **{block: frame})
    assert f"MRIO block {block}: 1 NaN or infinite values" in message
    assert f"({frame.index[i]!r}, {frame.columns[j]!r})" in message


@given(seed=st.integers(0, 10_000), sizes=SIZES, data=st.data(), size=st.floats(1e-6, 1e12))
def test_negative_intermediate_flow_names_seller_and_buyer(
    seed: int, sizes: tuple[int, int, int, int], data: st.DataObject, size: float
) -> None:
    mrio, _ = _system(seed, sizes)
    Z = mrio.Z.copy()
    n = Z.shape[0]
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    Z.iloc[i, j] = -size
    message = _rejects(mrio, Z=Z)
    assert "MRIO block Z: 1 negative intermediate flows" in message
    assert f"{tuple(Z.index[i])} -> {tuple(Z.columns[j])}" in message


@given(seed=st.integers(0, 10_000), sizes=SIZES, data=st.data(), extra=st.floats(1.0, 1e6))
def test_negative_gross_output_names_the_sector(
    seed: int, sizes: tuple[int, int, int, int], data: st.DataObject, extra: float
) -> None:
    mrio, arrays = _system(seed, sizes)
    i = data.draw(st.integers(0, mrio.Z.shape[0] - 1))
    Y = mrio.Y.copy()
    x_i = arrays["Z"][i].sum() + arrays["Y"][i].sum()  # numpy, from the generator's arrays
    Y.iloc[i, 0] -= x_i + extra  # now x_i = -extra
    message = _rejects(mrio, Y=Y)
    assert "gross output x = Z1 + Y1 is negative for" in message
    assert repr(Y.index[i]) in message or str(Y.index[i]) in message


@given(seed=st.integers(0, 10_000), sizes=SIZES, data=st.data(), over=st.floats(1e-3, 2.0))
def test_a_column_sum_at_least_one_names_the_buyer(
    seed: int, sizes: tuple[int, int, int, int], data: st.DataObject, over: float
) -> None:
    mrio, arrays = _system(seed, sizes)
    n = mrio.Z.shape[0]
    if n < 2:
        return  # one sector: raising its own input raises its output too
    j = data.draw(st.integers(0, n - 1))
    i = data.draw(st.integers(0, n - 2))
    i = i if i < j else i + 1  # a seller other than the buyer j: x_j stays as it is
    x = arrays["Z"].sum(axis=1) + arrays["Y"].sum(axis=1)
    column = arrays["Z"][:, j].sum()
    Z = mrio.Z.copy()
    Z.iloc[i, j] += x[j] * (1 + over) - column  # column j's inputs now exceed x_j by `over`
    message = _rejects(mrio, Z=Z)
    assert "columns of A = Z x^-1 sum to >= 1" in message
    assert repr(Z.columns[j]) in message


@given(seed=st.integers(0, 10_000), sizes=SIZES, data=st.data(), size=st.floats(1e-9, 1e12))
def test_negative_emission_names_the_stressor(
    seed: int, sizes: tuple[int, int, int, int], data: st.DataObject, size: float
) -> None:
    mrio, _ = _system(seed, sizes)
    block = data.draw(st.sampled_from(["F", "F_Y"]))
    frame: pd.DataFrame = getattr(mrio, block).copy()
    i = data.draw(st.integers(0, frame.shape[0] - 1))
    j = data.draw(st.integers(0, frame.shape[1] - 1))
    frame.iloc[i, j] = -size
    message = _rejects(mrio, **{block: frame})
    assert f"MRIO block {block}: stressor {frame.index[i]!r} (kg) is negative in 1 cells" in message
    assert repr(frame.columns[j]) in message


@given(
    seed=st.integers(0, 10_000),
    sizes=SIZES,
    target=st.sampled_from(["Y rows", "F columns", "Z columns", "F_Y columns", "F_Y rows"]),
    data=st.data(),
)
def test_mismatched_labels_name_the_position(
    seed: int, sizes: tuple[int, int, int, int], target: str, data: st.DataObject
) -> None:
    mrio, _ = _system(seed, sizes)
    block, axis = target.split()
    frame: pd.DataFrame = getattr(mrio, block).copy()
    labels = frame.index if axis == "rows" else frame.columns
    k = data.draw(st.integers(0, len(labels) - 1))
    if isinstance(labels, pd.MultiIndex):
        tuples = list(labels)
        tuples[k] = (tuples[k][0], "renamed")
        new = pd.MultiIndex.from_tuples(tuples, names=labels.names)
    else:
        values = list(labels)
        values[k] = "renamed"
        new = pd.Index(values, name=labels.name)
    frame = frame.set_axis(new, axis=0 if axis == "rows" else 1)
    message = _rejects(mrio, **{block: frame})
    assert f"MRIO block {block}:" in message
    assert "renamed" in message


@given(seed=st.integers(0, 10_000), sizes=SIZES, data=st.data())
def test_duplicate_stressor_is_named(
    seed: int, sizes: tuple[int, int, int, int], data: st.DataObject
) -> None:
    mrio, _ = _system(seed, sizes)
    if len(mrio.F.index) < 2:
        return
    k = data.draw(st.integers(1, len(mrio.F.index) - 1))
    labels = list(mrio.F.index)
    labels[k] = labels[0]
    index = pd.Index(labels, name="stressor")
    message = _rejects(mrio, F=mrio.F.set_axis(index), F_Y=mrio.F_Y.set_axis(index))
    assert f"MRIO block F: duplicate stressor labels {labels[0]}" in message
