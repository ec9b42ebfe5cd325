"""The embedded demonstration data: six made-up regions, 1990-2019, built from pymrio's test system.

DEMONSTRATION DATA, NOT REAL COUNTRIES. The regions are called "Demo A" ... "Demo F" so that no
figure can be read as a country result. The base is the small test MRIO that ships with pymrio
(6 regions x 8 sectors, 7 final-demand categories, two made-up emission stressors in kg); each year
1990-2019 is derived from it by fixed, documented rules so that every time-series figure has
something to show:

- technical coefficients A of the base table are kept for all years;
- final demand of consuming region s grows at a fixed rate per region, with a small cycle;
- emission intensities F x^-1 (and household direct emissions) fall at a fixed rate per region;
- gross output solves (I - A) x = Y 1 for the year's final demand, and Z = A x^.

Nothing here is measured; the numbers illustrate the tool only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from mrio_tools.errors import YearNotAvailableError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.spec import SourceRequest, SourceSpec

DEMO_YEARS = tuple(range(1990, 2020))
BASE_YEAR = 2005
DEMO_LABEL = "DEMONSTRATION DATA (synthetic regions, not real countries)"

_REGIONS = {f"reg{i}": f"Demo {c}" for i, c in enumerate("ABCDEF", start=1)}
#: yearly growth of final demand and yearly fall of emission intensity, per region (made up)
_DEMAND_GROWTH = {
    "Demo A": 0.015,
    "Demo B": 0.065,
    "Demo C": 0.02,
    "Demo D": 0.045,
    "Demo E": 0.01,
    "Demo F": 0.03,
}
_INTENSITY_FALL = {
    "Demo A": 0.025,
    "Demo B": 0.045,
    "Demo C": 0.02,
    "Demo D": 0.03,
    "Demo E": 0.03,
    "Demo F": 0.015,
}
_POPULATION_GROWTH = {
    "Demo A": 0.003,
    "Demo B": 0.008,
    "Demo C": 0.004,
    "Demo D": 0.015,
    "Demo E": 0.0,
    "Demo F": 0.012,
}
_STRESSORS = {
    ("emission_type1", "air"): "demo emission 1 (air)",
    ("emission_type2", "water"): "demo emission 2 (water)",
}


def available_years() -> list[int]:
    """Years the demonstration data covers."""
    return list(DEMO_YEARS)


def _base() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series, str]:
    import pymrio  # a dependency; imported here so that importing mrio_tools stays light

    test = pymrio.load_test()
    rename = {"region": _REGIONS, "sector": {"manufactoring": "manufacturing"}}

    def relabel(index: pd.Index) -> pd.Index:
        frame = index.to_frame(index=False)
        for level, mapping in rename.items():
            if level in frame:
                frame[level] = frame[level].replace(mapping)
        return pd.MultiIndex.from_frame(frame)

    Z = test.Z.set_axis(relabel(test.Z.index), axis=0).set_axis(relabel(test.Z.columns), axis=1)
    Y = test.Y.set_axis(relabel(test.Y.index), axis=0).set_axis(relabel(test.Y.columns), axis=1)
    stressor_index = pd.Index([_STRESSORS[label] for label in test.emissions.F.index], name="stressor")
    F = test.emissions.F.set_axis(stressor_index, axis=0).set_axis(Z.index, axis=1)
    F_Y = test.emissions.F_Y.set_axis(stressor_index, axis=0).set_axis(Y.columns, axis=1)
    population = test.population.iloc[0].rename(index=_REGIONS).rename_axis("region").astype(float)
    return Z, Y, F, F_Y, population, str(pymrio.__version__)


def read_demo(year: int) -> MRIO:
    """The demonstration MRIO of `year` (1990-2019). See the module docstring for how it is made."""
    from mrio_tools.leontief.factorize import factorize, inverse_output  # scipy: only when read

    if year not in DEMO_YEARS:
        raise YearNotAvailableError(
            f"the demonstration data covers {DEMO_YEARS[0]}-{DEMO_YEARS[-1]}; year {year} is not among them"
        )
    Z0, Y0, F0, FY0, population0, pymrio_version = _base()
    t = year - BASE_YEAR
    x0 = Z0.to_numpy().sum(axis=1) + Y0.to_numpy().sum(axis=1)
    cycle = 1.0 + 0.03 * np.sin(0.7 * t)

    demand_factor = Y0.columns.get_level_values("region").map(lambda r: (1 + _DEMAND_GROWTH[r]) ** t * cycle)
    Y = Y0 * np.asarray(demand_factor, dtype=float)
    sectors_per_region = len(Z0.index.get_level_values("sector").unique())
    system = factorize(Z0.to_numpy(), x0, block_size=sectors_per_region, method="dense")
    x = system.solve(Y.to_numpy().sum(axis=1))
    A = Z0.to_numpy() * inverse_output(x0)
    Z = pd.DataFrame(A * x, index=Z0.index, columns=Z0.columns)

    def intensity(regions: pd.Index) -> np.ndarray:
        return np.asarray(regions.map(lambda r: (1 - _INTENSITY_FALL[r]) ** t), dtype=float)

    F = pd.DataFrame(
        F0.to_numpy() * inverse_output(x0) * x * intensity(F0.columns.get_level_values("region")),
        index=F0.index,
        columns=F0.columns,
    )
    F_Y = FY0 * (np.asarray(demand_factor, dtype=float) * intensity(FY0.columns.get_level_values("region")))
    population = population0 * np.asarray(population0.index.map(lambda r: (1 + _POPULATION_GROWTH[r]) ** t))
    return MRIO(
        Z=Z,
        Y=Y,
        F=F,
        F_Y=F_Y,
        monetary_unit="M USD",
        stressor_units=dict.fromkeys(F.index, "kg"),
        source="demo",
        version=f"derived from pymrio {pymrio_version} test system",
        year=year,
        price_basis="not applicable (synthetic)",
        population=population,
        notes={
            "demonstration_data": True,
            "label": DEMO_LABEL,
            "derivation": "mrio_tools.sources.demo: base A kept, demand grows, intensities fall per region",
            "base_year_of_derivation": BASE_YEAR,
        },
    )


# ------------------------------------------------------------------ the registry entry
def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    return read_demo


SPEC = SourceSpec(
    name="demo",
    description="embedded DEMONSTRATION data (synthetic regions 'Demo A'-'Demo F', 1990-2019); no --data",
    needs=(),
    years=lambda request: available_years(),
    files=lambda request, year: [],
    open=_open,
)
