"""A solved MRIO year: (I - A) factorised once, with f, y, X and the multipliers m, shared by every method.

Implements docs/methods.md, "Solving without inverting". With A = Z x^-1, f = F x^-1 (k x n)
and y_s the final demand of consuming region s summed over its K categories (y = [y_1 ... y_R], n x R):

- X = (I - A)^-1 y        output of every (region, sector) caused by each consuming region (n x R)
- m^T = (I - A)^-T f^T    total (upstream) emission multipliers (k x n), solved on first use
- E[:, r, s] = sum_{i in r} f_i X[i, s]   origin-destination embodied emissions (k x R x R)

(I - A) is factorised once (`leontief.factorize.factorize`) and kept in `SolvedYear.system`, so later
methods (EEBT, TCBA, SDA, Ghosh, extension of years) solve with it again (`system.solve`,
`system.solve_transposed`, `system.solve_domestic`, `SolvedYear.domestic_embodied`) without a second
factorisation; a decomposition takes two `SolvedYear` objects (`check_same_layout` first).
L = (I - A)^-1 is never formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mrio_tools.choices import SolverMethod
from mrio_tools.errors import ValidationError, listed
from mrio_tools.leontief.factorize import LeontiefSystem, factorize, inverse_output
from mrio_tools.mrio.container import MRIO

Array = NDArray[np.float64]


def _read_only(a: Array) -> Array:
    """`a`, marked read-only: a solved year's arrays are shared by every method that reads them."""
    a.flags.writeable = False
    return a


# eq=False: equality and hashing by identity (fields hold arrays); not slotted, so that
# cached_property can store its value in the instance __dict__ of the frozen object
@dataclass(frozen=True, eq=False)
class SolvedYear:
    """One MRIO year with (I - A) factorised and output by consuming region solved. Build with `solve_year`.

    Arrays are in table order: rows (region, sector) region-major, n = R S; columns of `y` and `X`
    are the consuming regions in `regions` order. The arrays it computes are read-only (shared).
    """

    mrio: MRIO
    #: (I - A) factorised, for further solves (docs/methods.md, "Solving without inverting")
    system: LeontiefSystem = field(repr=False)
    #: direct emission intensities f = F x^-1 (k x n), 0 in columns with x = 0
    f: Array = field(repr=False)
    #: final demand by consuming region, y[:, s] = sum of the K categories of s (n x R)
    y: Array = field(repr=False)
    #: output by consuming region X = (I - A)^-1 y (n x R)
    X: Array = field(repr=False)

    # ------------------------------------------------------------------ sizes and labels
    @property
    def regions(self) -> pd.Index:
        """Regions in table order (the R blocks of rows, the columns of `y`, `X` and `E`)."""
        return self.mrio.regions

    @property
    def stressors(self) -> list[str]:
        """Stressor labels in table order (the k rows of `f`, `m`, `F` and `E`)."""
        return list(self.mrio.stressors)

    @property
    def R(self) -> int:
        """Number of regions."""
        return len(self.mrio.regions)

    @property
    def S(self) -> int:
        """Number of sectors per region."""
        return len(self.mrio.sectors)

    @property
    def K(self) -> int:
        """Number of final-demand categories per region."""
        return len(self.mrio.categories)

    @property
    def k(self) -> int:
        """Number of stressors."""
        return len(self.mrio.stressors)

    @property
    def n(self) -> int:
        """Number of (region, sector) rows, R S."""
        return self.R * self.S

    def rows(self, region: int) -> slice:
        """The rows (and columns of Z) of region number `region`."""
        return slice(region * self.S, (region + 1) * self.S)

    # ------------------------------------------------------------------ table blocks as arrays
    @property
    def Z(self) -> Array:
        """Inter-industry flows Z (n x n), the array that `system` holds (not a copy)."""
        return self.system.Z

    @cached_property
    def x(self) -> Array:
        """Gross output x = Z 1 + Y 1 (n)."""
        return self.mrio.gross_output.to_numpy()

    @cached_property
    def F(self) -> Array:
        """Direct emissions of industries F (k x n)."""
        return self.mrio.F.to_numpy(dtype=np.float64)

    @cached_property
    def F_Y(self) -> Array:
        """Direct emissions of final demand F_Y (k x R K)."""
        return self.mrio.F_Y.to_numpy(dtype=np.float64)

    @cached_property
    def F_region(self) -> Array:
        """Direct emissions of each region's industries, sum_{i in r} F_i (k x R)."""
        out: Array = self.F.reshape(self.k, self.R, self.S).sum(axis=2)
        return _read_only(out)

    @cached_property
    def F_Y_region(self) -> Array:
        """Direct emissions of each region's final demand (households), F_Y summed over categories (k x R)."""
        out: Array = self.F_Y.reshape(self.k, self.R, self.K).sum(axis=2)
        return _read_only(out)

    # ------------------------------------------------------------------ solved quantities
    @cached_property
    def m(self) -> Array:
        """Total emission multipliers m (k x n), m^T = (I - A)^-T f^T: k transposed solves, done once."""
        if not self.k:
            return np.zeros((0, self.n))
        return _read_only(self.system.solve_transposed(self.f.T).T)

    @cached_property
    def E(self) -> Array:
        """Origin-destination embodied emissions E[:, r, s] = sum_{i in r} f_i X[i, s] (k x R x R)."""
        R, S = self.R, self.S
        out: Array = np.einsum("krs,rsd->krd", self.f.reshape(self.k, R, S), self.X.reshape(R, S, R))
        return _read_only(out)

    @cached_property
    def E_domestic(self) -> Array:
        """The diagonal of E: emissions of each region caused by its own final demand, E[:, r, r] (k x R)."""
        R = self.R
        return self.E[:, np.arange(R), np.arange(R)]

    @cached_property
    def x_exp(self) -> Array:
        """Output driven by final demand abroad: rows of r of sum_{s != r} X[:, s] (n).

        docs/methods.md, "Technology-adjusted CBA": EEE_r = f_r x^exp_r.
        """
        out: Array = self.X.sum(axis=1)
        for r in range(self.R):
            out[self.rows(r)] -= self.X[self.rows(r), r]
        return _read_only(out)

    # ------------------------------------------------------------------ trade
    @cached_property
    def sales(self) -> Array:
        """What each (region, sector) sells to each buying region, intermediate plus final (n x R).

        sales[i, s] = sum_{j in s} Z[i, j] + y_s[i] (= Z_rs 1 + Y_rs 1 on the rows i of region r).
        """
        out: Array = self.Z.reshape(self.n, self.R, self.S).sum(axis=2) + self.y
        return _read_only(out)

    @cached_property
    def e(self) -> Array:
        """Gross exports of each (region, sector) to all other regions, intermediate plus final (n).

        e[i] = sum_{s != r(i)} sales[i, s]; the vector e_r of docs/methods.md ("Export carbon intensity")
        is e on the rows of r and 0 elsewhere.
        """
        sold_abroad = self.sales.copy()
        for r in range(self.R):
            sold_abroad[self.rows(r), r] = 0.0
        out: Array = sold_abroad.sum(axis=1)
        return _read_only(out)

    @cached_property
    def e_region(self) -> Array:
        """Gross exports of each region, 1'e_r (R)."""
        out: Array = self.e.reshape(self.R, self.S).sum(axis=1)
        return _read_only(out)

    def domestic_embodied(self, region: int, B: Array) -> Array:
        """f_r (I - A_rr)^-1 B for region number `region`: emissions on r's territory, domestic technology.

        B is S x c (or an S-vector) of demands on r's sectors; the result is k x c (or k). Used by the
        domestic export intensity (B = e_r) and by EEBT (B = Z_rs 1 + Y_rs 1), docs/methods.md.
        """
        rows = self.rows(region)
        return self.f[:, rows] @ self.system.solve_domestic(region, B, transposed=False)


def solve_year(mrio: MRIO, *, solver: SolverMethod) -> SolvedYear:
    """Factorise (I - A) of `mrio` once and solve X = (I - A)^-1 y.

    docs/methods.md, "Solving without inverting".

        f = F x^-1 (k x n; 0 where x = 0), y = [y_1 ... y_R] with y_s = Y summed over the categories of
        consuming region s (n x R), X = (I - A)^-1 y (n x R, R solves against one factorisation). The
        multipliers m^T = (I - A)^-T f^T are solved on first use of `SolvedYear.m`.

        `solver` picks the factorisation (`leontief.factorize.factorize`, one of
        `choices.SolverMethod`); it changes speed and memory, not results (every solve is checked
        against its residual tolerance).
    """
    R, S, K = len(mrio.regions), len(mrio.sectors), len(mrio.categories)
    n = R * S
    Z = mrio.Z.to_numpy(dtype=np.float64)
    x = mrio.gross_output.to_numpy()
    f = mrio.F.to_numpy(dtype=np.float64) * inverse_output(x)
    y = mrio.Y.to_numpy(dtype=np.float64).reshape(n, R, K).sum(axis=2)
    system = factorize(Z, x, block_size=S, method=solver, labels=list(mrio.Z.index))
    X = system.solve(y)
    return SolvedYear(mrio=mrio, system=system, f=_read_only(f), y=_read_only(y), X=_read_only(X))


def check_same_layout(a: SolvedYear, b: SolvedYear) -> None:
    """Raise `ValidationError` unless `a` and `b` have the same regions, sectors, categories and stressors.

    Decompositions of a change between two years (docs/methods.md, "Structural decomposition") subtract
    their arrays element by element, which is meaningful only on the same layout.
    """
    for name in ("regions", "sectors", "categories", "stressors"):
        first, second = getattr(a.mrio, name), getattr(b.mrio, name)
        if not first.equals(second):
            only_a = listed(first.difference(second).tolist()) or "none"
            only_b = listed(second.difference(first).tolist()) or "none"
            raise ValidationError(
                f"solved years {a.mrio.source} {a.mrio.year} and {b.mrio.source} {b.mrio.year} differ in "
                f"their {name} (only in the first: {only_a}; only in the second: {only_b}; otherwise the "
                f"order differs). Fix: aggregate or reorder both tables onto the same {name} first"
            )
