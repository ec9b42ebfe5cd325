"""Bad MRIO contents of issue 13 (signs of Z and F, units), each with a named error.

Moved from tests/test_reliability.py (assertions unchanged); docs/reliability.md names each test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from systems import make_mrio, random_arrays

from mrio_tools import MRIO
from mrio_tools.errors import UnitError, ValidationError
from mrio_tools.mrio.stressors import define_stressors
from mrio_tools.units import to_unit


@pytest.fixture
def good() -> MRIO:
    return make_mrio(random_arrays(3, 2, 3, 2, 2), 2, 3, 2)


# ------------------------------------------------------------------ 1. signs of Z and F
def test_negative_intermediate_flow_names_the_cell(good: MRIO) -> None:
    Z = good.Z.copy()
    Z.iloc[1, 4] = -3000.0  # (r0, s1) sells -3000 to (r1, s1)
    with pytest.raises(ValidationError, match=r"Z: 1 negative intermediate flows") as err:
        dataclasses.replace(good, Z=Z)
    assert "('r0', 's1') -> ('r1', 's1') = -3000 M EUR" in str(err.value)
    assert "allow_negative_intermediate" in str(err.value)


def test_negative_intermediate_flow_allowed_when_documented(good: MRIO) -> None:
    Z = good.Z.copy()
    Z.iloc[1, 4] = -0.5  # small enough to keep every A column sum below 1
    reason = "publisher's manual, section 4: negative entries are statistical adjustments"
    mrio = dataclasses.replace(good, Z=Z, notes={"allow_negative_intermediate": reason})
    assert mrio.metadata["allow_negative_intermediate"] == reason
    with pytest.raises(ValidationError, match=r"not a text"):
        dataclasses.replace(good, Z=Z, notes={"allow_negative_intermediate": True})


def test_negative_final_demand_is_allowed(good: MRIO) -> None:
    # changes in inventories (WIOD c42) and GFCF (c41) are negative in the real tables
    Y = good.Y.copy()
    Y.iloc[0, 1] = -1.0
    assert dataclasses.replace(good, Y=Y).Y.iloc[0, 1] == -1.0


def test_negative_emission_is_an_error_naming_the_stressor(good: MRIO) -> None:
    F = good.F.copy()
    F.iloc[0, 2] = -1e12
    with pytest.raises(ValidationError, match=r"F: stressor 'e0' \(kg\) is negative in 1 cells") as err:
        dataclasses.replace(good, F=F)
    assert "('r0', 's2') = -1e+12 kg" in str(err.value)
    F_Y = good.F_Y.copy()
    F_Y.iloc[1, 0] = -5.0
    with pytest.raises(ValidationError, match=r"F_Y: stressor 'e1'"):
        dataclasses.replace(good, F_Y=F_Y)


def test_declared_signed_and_monetary_stressors_may_be_negative(good: MRIO) -> None:
    F = good.F.copy()
    F.iloc[0, 2] = -10.0
    declared = dataclasses.replace(good, F=F, notes={"signed_stressors": {"e0": "net land-use CO2"}})
    assert declared.F.iloc[0, 2] == -10.0
    money = dataclasses.replace(good, F=F, stressor_units={"e0": "M EUR", "e1": "kg"})
    assert money.F.iloc[0, 2] == -10.0  # taxes less subsidies (EXIOBASE value added) are signed
    with pytest.raises(ValidationError, match=r"names stressors not in F: CO2"):
        dataclasses.replace(good, notes={"signed_stressors": {"CO2": "x"}})


def test_real_tables_have_no_negative_intermediate_flows(shared_data: Path) -> None:
    """WIOD 2013 1995-2011 inter blocks and the EXIOBASE aggregate Z: all entries >= 0 (read here with
    rdata and pandas directly, not with mrio_tools), while WIOD final demand has negative entries."""
    import rdata

    negatives_y = 0
    for year in (1995, 2011):
        raw = rdata.conversion.convert(
            rdata.parser.parse_file(shared_data / "wiod2013" / f"wiot_{year}.RData"),
            {**rdata.conversion.DEFAULT_CLASS_MAP, "iot": lambda value, attrs: value},
        )[f"wiot_{year}"]
        assert np.asarray(raw["inter"]).min() >= 0
        negatives_y += int((np.asarray(raw["final"]) < 0).sum())
    assert negatives_y > 0
    z = pd.read_csv(shared_data / "exiobase3_agg" / "PS7_Z.txt", sep="\t", header=[0, 1], index_col=[0, 1])
    assert z.to_numpy().min() >= 0


# ------------------------------------------------------------------------- 5. units
def test_unit_conversion_names_the_stressors_and_units() -> None:
    table = pd.DataFrame(
        {
            "account": ["PBA", "PBA", "PBA"],
            "stressor": ["CO2", "water", "land"],
            "unit": ["kt", "Mm3", "km2"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(UnitError) as err:
        to_unit(table, "Mt")
    text = str(err.value)
    assert "water in 'Mm3'" in text and "land in 'km2'" in text and "CO2 in 'kt'" in text


def test_stressor_definition_names_rows_and_units(good: MRIO) -> None:
    mrio = dataclasses.replace(good, stressor_units={"e0": "kg", "e1": "Mm3"})
    with pytest.raises(
        UnitError, match=r"stressor 'total': row 'e1' is in 'Mm3'.*'e0' in 'kg', 'e1' in 'Mm3'"
    ):
        define_stressors(mrio, {"total": ["e0", "e1"]}, unit="kt")
