"""Tests of the concordance file reader, the output-share allocation and `attach_emissions`.

Expected values are computed by hand in the comments (docs/methods.md, "Emissions from another
classification (concordance)"): F_table[r, j] = sum_i F_src[r, i] x[r, j] / sum_{j' linked to i} x[r, j'].
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mrio_tools import MRIO
from mrio_tools.errors import ConcordanceError, DataFileError, UnitError, ValidationError
from mrio_tools.mrio.allocation import Allocation, allocate
from mrio_tools.mrio.attach import attach_emissions
from mrio_tools.mrio.concordance import (
    Concordance,
    concordance_from_frame,
    read_concordance,
    shipped_concordance,
)

SECTORS = ["t1", "t2", "t3"]

#: s1 -> t1, t2 (fallback t3); s2 -> t3; s3 -> all three
CONCORDANCE_CSV = """source_sector,target_sector,role,note
s1,t1,primary,first half of s1
s1,t2,primary,second half of s1
s1,t3,fallback,used where t1 and t2 have no output
s2,t3,primary,
s3,t1,primary,spread over everything
s3,t2,primary,
s3,t3,primary,
"""


def _write(tmp_path: Path, text: str, name: str = "conc.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def concordance(tmp_path: Path) -> Concordance:
    return read_concordance(_write(tmp_path, CONCORDANCE_CSV))


def output(by_region: dict[str, list[float]]) -> pd.Series:
    """Gross output x indexed (region, sector), region-major like a table."""
    index = pd.MultiIndex.from_product([list(by_region), SECTORS], names=["region", "sector"])
    return pd.Series(np.concatenate([by_region[r] for r in by_region]), index=index, dtype=float)


def emissions(values: dict[tuple[str, str], float]) -> pd.Series:
    index = pd.MultiIndex.from_tuples(list(values), names=["region", "source_sector"])
    return pd.Series(list(values.values()), index=index, dtype=float, name="CO2")


def allocated(result: Allocation) -> pd.Series:
    """The allocated values (the field is named like pandas' .values, which ruff's PD011 flags)."""
    return result.values  # noqa: PD011


# ------------------------------------------------------------------ reader
def test_read_concordance_reads_links_roles_and_notes(concordance: Concordance, tmp_path: Path) -> None:
    assert concordance.source_sectors == ("s1", "s2", "s3")
    assert concordance.targets("s1", "primary") == ("t1", "t2")
    assert concordance.targets("s1", "fallback") == ("t3",)
    assert concordance.targets("s2", "fallback") == ()
    assert concordance.links[0].note == "first half of s1"
    assert concordance.links[3].note == ""
    assert concordance.source == str(tmp_path / "conc.csv")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("s1,t1,primary,\ns1,,primary,\n", r"line 3: empty target_sector"),
        ("s1,t1,primary,\n,t2,primary,\n", r"line 3: empty source_sector"),
        ("s1,t1,primary,\ns1,t2,,\n", r"line 3: empty role"),
        ("s1,t1,primary,\ns1,t2,secondary,\n", r"line 3: role 'secondary' for s1 -> t2"),
        (
            "s1,t1,primary,\ns2,t2,primary,\ns1,t1,fallback,\n",
            r"line 4: duplicate link s1 -> t1 \(first on line 2\)",
        ),
        ("s1,t1,primary,\ns2,t2,fallback,\n", r"source sectors s2 have fallback links but no primary link"),
    ],
)
def test_read_concordance_rejects_bad_rows(tmp_path: Path, body: str, expected: str) -> None:
    path = _write(tmp_path, "source_sector,target_sector,role,note\n" + body)
    with pytest.raises(ConcordanceError, match=expected) as err:
        read_concordance(path)
    assert str(path) in str(err.value)


def test_read_concordance_rejects_wrong_header_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConcordanceError, match=r"columns are \['from', 'to', 'role', 'note'\]"):
        read_concordance(_write(tmp_path, "from,to,role,note\ns1,t1,primary,\n"))
    with pytest.raises(DataFileError, match=r"nope\.csv: concordance file not found"):
        read_concordance(tmp_path / "nope.csv")


def test_concordance_from_frame_validates_like_the_file_reader() -> None:
    frame = pd.DataFrame(
        [["s1", "t1", "primary", "a"], ["s1", "t1", "primary", "b"]],
        columns=["source_sector", "target_sector", "role", "note"],
    )
    with pytest.raises(ConcordanceError, match=r"my table, line 3: duplicate link s1 -> t1"):
        concordance_from_frame(frame, source="my table")


def test_shipped_wiod_concordance_covers_both_classifications() -> None:
    conc = shipped_concordance("wiod2016_to_wiod2013")
    assert conc.source == "mrio_tools/data/concordances/wiod2016_to_wiod2013.csv"
    assert len(conc.source_sectors) == 56
    assert set(conc.target_sectors) == {f"c{i}" for i in range(1, 36)}
    one_to_many = [s for s in conc.source_sectors if len(conc.targets(s, "primary")) > 1]
    assert one_to_many  # C13-C15, C33, E37-E39
    for link in conc.links:
        if link.source_sector in one_to_many or link.role == "fallback":
            assert link.note, f"{link.source_sector} -> {link.target_sector} needs a note"
    with pytest.raises(ConcordanceError, match=r"no shipped concordance 'x'; available"):
        shipped_concordance("x")


# ------------------------------------------------------------- allocation
def test_shares_match_hand_computation(concordance: Concordance) -> None:
    x = output({"A": [10, 30, 60], "B": [50, 0, 50]})
    e = emissions(
        {("A", "s1"): 8, ("A", "s2"): 5, ("A", "s3"): 20, ("B", "s1"): 4, ("B", "s2"): 1, ("B", "s3"): 10}
    )
    result = allocate(e, concordance, x, rest_of_world=None, fold_missing=False)
    # A: s1 8 * (10, 30)/40 = (2, 6); s2 5 -> t3; s3 20 * (10, 30, 60)/100 = (2, 6, 12)
    # B: s1 4 * (50, 0)/50 = (4, 0); s2 1 -> t3; s3 10 * (50, 0, 50)/100 = (5, 0, 5)
    expected = [4.0, 12.0, 17.0, 9.0, 0.0, 6.0]
    np.testing.assert_allclose(allocated(result).to_numpy(), expected, rtol=1e-14)
    assert allocated(result).index.equals(x.index)
    assert allocated(result).name == "CO2"
    assert result.report["fallback_cases"] == []
    assert result.report["folded_regions"] == {}
    assert result.report["totals_before"] == {"A": 33.0, "B": 15.0}
    assert result.report["totals_after"] == pytest.approx({"A": 33.0, "B": 15.0}, rel=1e-14)
    json.dumps(result.report)  # plain data: it goes into metadata files


def test_result_follows_the_table_order_not_the_emission_order(concordance: Concordance) -> None:
    x = output({"B": [1, 1, 2], "A": [1, 3, 0]})
    e = emissions({("A", "s3"): 4, ("B", "s3"): 4})
    result = allocate(e, concordance, x, rest_of_world=None, fold_missing=False)
    # B: 4 * (1, 1, 2)/4; A: 4 * (1, 3, 0)/4
    assert list(allocated(result).index) == list(x.index)
    np.testing.assert_allclose(allocated(result).to_numpy(), [1, 1, 2, 1, 3, 0], rtol=1e-14)


def test_fallback_used_where_every_primary_target_has_no_output(concordance: Concordance) -> None:
    x = output({"A": [10, 30, 60], "B": [0, 0, 40]})
    e = emissions({("A", "s1"): 8, ("B", "s1"): 3, ("B", "s2"): 1})
    result = allocate(e, concordance, x, rest_of_world=None, fold_missing=False)
    # A uses t1, t2 (2, 6); B's t1, t2 have no output, so s1 goes to the fallback t3: 3 + s2's 1
    np.testing.assert_allclose(allocated(result).to_numpy(), [2, 6, 0, 0, 0, 4], rtol=1e-14)
    assert result.report["fallback_cases"] == [
        {
            "region": "B",
            "source_sector": "s1",
            "emissions": 3.0,
            "primary_targets": ["t1", "t2"],
            "fallback_targets": ["t3"],
            "allocated": {"t3": 3.0},
        }
    ]


def test_fallback_targets_are_output_weighted_and_skip_zero_output(tmp_path: Path) -> None:
    conc = read_concordance(
        _write(
            tmp_path, "source_sector,target_sector,role,note\ns,t1,primary,\ns,t2,fallback,\ns,t3,fallback,\n"
        )
    )
    x = output({"A": [0, 10, 30], "B": [0, 0, 5]})
    result = allocate(
        emissions({("A", "s"): 8, ("B", "s"): 2}), conc, x, rest_of_world=None, fold_missing=False
    )
    # A: 8 * (10, 30)/40 = (2, 6); B: t2 has no output either, so all 2 go to t3
    np.testing.assert_allclose(allocated(result).to_numpy(), [0, 2, 6, 0, 0, 2], rtol=1e-14)
    assert [c["allocated"] for c in result.report["fallback_cases"]] == [{"t2": 2.0, "t3": 6.0}, {"t3": 2.0}]


def test_zero_emissions_need_no_producing_target(concordance: Concordance) -> None:
    x = output({"A": [0, 0, 0], "B": [1, 1, 1]})
    e = emissions({("A", "s1"): 0.0, ("B", "s1"): 2.0})
    result = allocate(e, concordance, x, rest_of_world=None, fold_missing=False)
    np.testing.assert_allclose(allocated(result).to_numpy(), [0, 0, 0, 1, 1, 0], rtol=1e-14)
    assert result.report["fallback_cases"] == []


def test_missing_regions_are_folded_into_rest_of_world(concordance: Concordance) -> None:
    x = output({"A": [10, 30, 60], "RoW": [20, 20, 60]})
    e = emissions({("A", "s2"): 5, ("RoW", "s1"): 4, ("CHE", "s1"): 6, ("NOR", "s3"): 10})
    result = allocate(e, concordance, x, rest_of_world="RoW", fold_missing=True)
    # RoW: s1 (4 + 6) * (20, 20)/40 = (5, 5); s3 10 * (20, 20, 60)/100 = (2, 2, 6)
    np.testing.assert_allclose(allocated(result).to_numpy(), [0, 0, 5, 7, 7, 6], rtol=1e-14)
    assert result.report["folded_regions"] == {"CHE": "RoW", "NOR": "RoW"}
    assert result.report["rest_of_world"] == "RoW"
    assert result.report["totals_before"] == {"A": 5.0, "RoW": 4.0, "CHE": 6.0, "NOR": 10.0}
    assert result.report["totals_after"] == pytest.approx({"A": 5.0, "RoW": 20.0}, rel=1e-14)


def test_negative_output_counts_as_no_output_and_is_reported(concordance: Concordance) -> None:
    x = output({"A": [-1, 30, 60]})
    result = allocate(emissions({("A", "s1"): 6}), concordance, x, rest_of_world=None, fold_missing=False)
    np.testing.assert_allclose(allocated(result).to_numpy(), [0, 6, 0], rtol=1e-14)
    assert result.report["negative_output_treated_as_zero"] == [["A", "t1"]]


@pytest.mark.parametrize("seed", range(6))
def test_totals_preserved_and_nothing_on_zero_output(seed: int) -> None:
    rng = np.random.default_rng(seed)
    regions = [f"r{i}" for i in range(5)]
    targets = [f"t{j}" for j in range(7)]
    sources = [f"s{i}" for i in range(9)]
    rows = []
    for s in sources:
        linked = rng.choice(targets[1:], size=rng.integers(1, 4), replace=False)
        rows += [[s, t, "primary", ""] for t in linked]
        rows.append([s, "t0", "fallback", ""])  # t0 always produces, below
    conc = concordance_from_frame(
        pd.DataFrame(rows, columns=["source_sector", "target_sector", "role", "note"]), source="random"
    )
    x_values = rng.lognormal(3, 2, (len(regions), len(targets))) * (
        rng.random((len(regions), len(targets))) > 0.4
    )
    x_values[:, 0] = rng.lognormal(3, 1, len(regions))
    x = pd.Series(
        x_values.ravel(), index=pd.MultiIndex.from_product([regions, targets], names=["region", "sector"])
    )
    e_values = rng.lognormal(0, 4, (len(regions), len(sources)))  # from ~1e-5 to ~1e5
    e = pd.Series(
        e_values.ravel(),
        index=pd.MultiIndex.from_product([regions, sources], names=["region", "source_sector"]),
    )
    result = allocate(e, conc, x, rest_of_world=None, fold_missing=False)
    after = allocated(result).groupby(level="region").sum().reindex(regions).to_numpy()
    before = e_values.sum(axis=1)
    np.testing.assert_allclose(after, before, rtol=1e-9, atol=0)
    assert (allocated(result).to_numpy()[x_values.ravel() == 0] == 0).all()
    assert (allocated(result).to_numpy() >= 0).all()


# ----------------------------------------------------------- bad inputs
def test_unmapped_source_sector_is_named(concordance: Concordance) -> None:
    x = output({"A": [1, 1, 1]})
    with pytest.raises(
        ConcordanceError, match=r"source sectors s9 of the emissions are not in the concordance"
    ):
        allocate(
            emissions({("A", "s1"): 1, ("A", "s9"): 2}),
            concordance,
            x,
            rest_of_world=None,
            fold_missing=False,
        )


def test_target_the_table_lacks_is_named(tmp_path: Path) -> None:
    conc = read_concordance(
        _write(tmp_path, "source_sector,target_sector,role,note\ns1,t1,primary,\ns1,t7,primary,\n")
    )
    with pytest.raises(ConcordanceError, match=r"target sectors t7 are not sectors of the table"):
        allocate(
            emissions({("A", "s1"): 1}),
            conc,
            output({"A": [1, 1, 1]}),
            rest_of_world=None,
            fold_missing=False,
        )


def test_countries_the_table_lacks_are_listed_with_the_fix(concordance: Concordance) -> None:
    x = output({"A": [1, 1, 1], "RoW": [1, 1, 1]})
    e = emissions({("A", "s1"): 1, ("RoW", "s1"): 1, ("CHE", "s1"): 1, ("HRV", "s2"): 1, ("NOR", "s1"): 1})
    with pytest.raises(
        ConcordanceError,
        match=r"regions the table does not have: CHE, HRV, NOR\. Fix: pass fold_missing=True",
    ):
        allocate(e, concordance, x, rest_of_world="RoW", fold_missing=False)
    with pytest.raises(ConcordanceError, match=r"cannot fold CHE, HRV, NOR into rest_of_world=None"):
        allocate(e, concordance, x, rest_of_world=None, fold_missing=True)
    with pytest.raises(ConcordanceError, match=r"cannot fold CHE, HRV, NOR into rest_of_world='ROW'"):
        allocate(e, concordance, x, rest_of_world="ROW", fold_missing=True)


def test_all_targets_and_fallbacks_without_output_names_region_and_sector(concordance: Concordance) -> None:
    x = output({"A": [1, 1, 1], "B": [0, 0, 0]})
    e = emissions({("A", "s1"): 1, ("B", "s1"): 2.5})
    with pytest.raises(
        ConcordanceError, match=r"zero gross output: B s1 \(2\.5; primary \['t1', 't2'\], fallback \['t3'\]\)"
    ):
        allocate(e, concordance, x, rest_of_world=None, fold_missing=False)
    e = emissions({("A", "s2"): 1, ("B", "s2"): 1})  # s2 has no fallback at all
    with pytest.raises(ConcordanceError, match=r"B s2 \(1; primary \['t3'\], fallback \[\]\)"):
        allocate(e, concordance, x, rest_of_world=None, fold_missing=False)


def test_table_region_without_emission_data_is_an_error(concordance: Concordance) -> None:
    x = output({"A": [1, 1, 1], "B": [1, 1, 1]})
    with pytest.raises(ConcordanceError, match=r"no data for table regions B"):
        allocate(emissions({("A", "s1"): 1}), concordance, x, rest_of_world=None, fold_missing=False)


def test_wrongly_labelled_inputs(concordance: Concordance) -> None:
    x = output({"A": [1, 1, 1]})
    e = emissions({("A", "s1"): 1})
    with pytest.raises(ValidationError, match=r"emissions is indexed by \['region', 'sector'\]"):
        allocate(e.rename_axis(["region", "sector"]), concordance, x, rest_of_world=None, fold_missing=False)
    with pytest.raises(ValidationError, match=r"emissions has NaN or infinite values at \('A', 's1'\)"):
        allocate(e * np.nan, concordance, x, rest_of_world=None, fold_missing=False)


# ------------------------------------------------------- attach_emissions
def small_mrio(stressors: dict[str, list[float]] | None = None) -> MRIO:
    """Regions A and RoW x sectors t1..t3, categories hh and gov; A's t2 produces nothing."""
    rows = pd.MultiIndex.from_product([["A", "RoW"], SECTORS], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([["A", "RoW"], ["hh", "gov"]], names=["region", "category"])
    Z = np.full((6, 6), 1.0)
    Z[1, :] = 0.0
    Z[:, 1] = 0.0
    Y = np.full((6, 4), 10.0)
    Y[1, :] = 0.0
    stressors = stressors or {}
    index = pd.Index(list(stressors), name="stressor", dtype=object)
    return MRIO(
        Z=pd.DataFrame(Z, index=rows, columns=rows),
        Y=pd.DataFrame(Y, index=rows, columns=cols),
        F=pd.DataFrame(
            np.array(list(stressors.values())).reshape(len(stressors), 6), index=index, columns=rows
        ),
        F_Y=pd.DataFrame(np.zeros((len(stressors), 4)), index=index, columns=cols),
        monetary_unit="M EUR",
        stressor_units=dict.fromkeys(stressors, "kg"),
        source="test",
        version="small",
        year=2010,
        price_basis="current",
    )


def _attach(mrio: MRIO, concordance: Concordance, *, households: pd.Series | None, **kw: object) -> MRIO:
    args: dict[str, object] = dict(
        stressor="CO2",
        unit="kt",
        industry=emissions({("A", "s1"): 8, ("A", "s2"): 2, ("RoW", "s3"): 9, ("CHE", "s2"): 3}),
        households=households,
        household_category="hh" if households is not None else None,
        concordance=concordance,
        rest_of_world="RoW",
        fold_missing=True,
        principle="residence",
        source_note="made-up test data",
    )
    args.update(kw)
    return attach_emissions(mrio, **args)  # type: ignore[arg-type]


def test_attach_emissions_adds_one_stressor_row_to_F_and_F_Y(concordance: Concordance) -> None:
    base = small_mrio({"X": [1, 0, 1, 1, 1, 1]})
    households = pd.Series({"A": 4.0, "RoW": 5.0, "CHE": 1.5}).rename_axis("region")
    out = _attach(base, concordance, households=households)
    # x = Z1 + Y1 = 5 + 40 = 45 for every sector but A's t2 (0). A: s1 8 -> t1 only (t2 has no
    # output); s2 2 -> t3. RoW: s3 9 split evenly (equal outputs); CHE's s2 3 -> RoW's t3.
    # So A: (8, 0, 2); RoW: (3, 3, 6)
    np.testing.assert_allclose(out.F.loc["CO2"].to_numpy(), [8, 0, 2, 3, 3, 6], rtol=1e-14)
    np.testing.assert_array_equal(out.F.loc["X"].to_numpy(), base.F.loc["X"].to_numpy())
    # households: A 4 in (A, hh); RoW 5 + CHE 1.5 in (RoW, hh); gov columns 0
    np.testing.assert_allclose(out.F_Y.loc["CO2"].to_numpy(), [4, 0, 6.5, 0], rtol=1e-14)
    np.testing.assert_array_equal(out.F_Y.loc["X"].to_numpy(), [0, 0, 0, 0])
    assert dict(out.stressor_units) == {"X": "kg", "CO2": "kt"}
    note = out.notes["emissions"]["CO2"]
    assert (note["principle"], note["unit"], note["source"]) == ("residence", "kt", "made-up test data")
    assert note["concordance"] == concordance.source
    assert note["allocation_report"]["folded_regions"] == {"CHE": "RoW"}
    assert note["households"]["folded_regions"] == {"CHE": "RoW"}
    assert note["households"]["category"] == "hh"
    json.dumps(out.metadata)
    # per region, industry + households equals the input totals (CHE inside RoW)
    total = out.F.loc["CO2"].groupby(level="region").sum() + out.F_Y.loc["CO2"].groupby(level="region").sum()
    assert total.to_dict() == pytest.approx({"A": 8 + 2 + 4, "RoW": 9 + 3 + 5 + 1.5}, rel=1e-12)
    assert base.F.index.tolist() == ["X"]  # the input is unchanged


def test_attach_emissions_without_households_and_on_an_empty_F(concordance: Concordance) -> None:
    out = _attach(small_mrio(), concordance, households=None, principle="territorial")
    assert out.F.index.tolist() == ["CO2"] and out.F_Y.index.tolist() == ["CO2"]
    np.testing.assert_array_equal(out.F_Y.loc["CO2"].to_numpy(), [0, 0, 0, 0])
    assert out.notes["emissions"]["CO2"]["principle"] == "territorial"
    twice = _attach(out, concordance, households=None, stressor="CO2 again")
    assert set(twice.notes["emissions"]) == {"CO2", "CO2 again"}


def test_attach_emissions_rejects_bad_choices(concordance: Concordance) -> None:
    mrio = small_mrio({"CO2": [0] * 6})
    households = pd.Series({"A": 1.0, "RoW": 1.0}).rename_axis("region")
    with pytest.raises(ValidationError, match=r"stressor 'CO2' is already in F"):
        _attach(mrio, concordance, households=None)
    with pytest.raises(
        ValidationError, match=r"principle 'production' is not one of \['residence', 'territorial'\]"
    ):
        _attach(small_mrio(), concordance, households=None, principle="production")
    with pytest.raises(UnitError, match=r"cannot convert 'M EUR' to 'kg'"):
        _attach(small_mrio(), concordance, households=None, unit="M EUR")
    with pytest.raises(ValidationError, match=r"households and household_category go together"):
        _attach(small_mrio(), concordance, households=households, household_category=None)
    with pytest.raises(ValidationError, match=r"household_category 'c37' is not a final-demand category"):
        _attach(small_mrio(), concordance, households=households, household_category="c37")


def test_attach_emissions_lists_household_countries_the_table_lacks(concordance: Concordance) -> None:
    households = pd.Series({"A": 1.0, "RoW": 1.0, "NOR": 2.0}).rename_axis("region")
    industry = emissions({("A", "s1"): 8, ("RoW", "s3"): 9})
    with pytest.raises(
        ConcordanceError, match=r"household emissions has regions the table does not have: NOR"
    ):
        _attach(small_mrio(), concordance, households=households, industry=industry, fold_missing=False)
