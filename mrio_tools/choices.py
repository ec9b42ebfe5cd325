"""Every scientific and run choice of mrio_tools, defined once.

Each choice is a ``Literal``; its allowed values are read with ``typing.get_args`` wherever they are
needed (argparse ``choices``, registry options, checks and error messages), so that a new value is
added in one place. The methods behind them: docs/methods.md.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

#: factorisation of (I - A): dense LU, the block iteration over per-region factors, GMRES preconditioned
#: by the domestic blocks, a sparse direct LU, or picked by the table's size and structure
#: (docs/methods.md, "Solving without inverting")
SolverMethod = Literal["auto", "dense", "block", "krylov", "sparse"]

#: how the gap between published gross output and Z1 + Y1 of a rounded table is treated
#: (docs/methods.md, "The output gap of rounded tables")
OutputGapTreatment = Literal["recompute", "scale_rows", "residual_category"]
#: a treatment, or the default that depends on the file form (scale_rows for rounded copies)
OutputGap = Literal["recompute", "scale_rows", "residual_category", "by_file_form"]
OUTPUT_GAP_TREATMENTS: Final[tuple[OutputGapTreatment, ...]] = get_args(OutputGapTreatment)

#: how a year of a series was made (docs/methods.md, "Years outside the tables (extension)"), in
#: order of how much is estimated
Basis = Literal["table", "table+scaled_emissions", "scaled_table+emissions", "scaled_table+scaled_emissions"]
BASES: Final[tuple[Basis, ...]] = get_args(Basis)
#: the basis of a year read from a real table with its real sector emissions
TABLE_BASIS: Final[Basis] = "table"
#: the bases of estimated years (everything but ``table``)
EXTENDED_BASES: Final[tuple[Basis, ...]] = BASES[1:]

#: where the emission benchmark of an estimated year may lie: with a table, or the nearest year with
#: sector emissions (docs/methods.md, "Years outside the tables (extension)")
EmissionBenchmarks = Literal["with_table", "nearest"]

#: what a rest-of-world total of a national table is: the table's World row, or the sum of countries
#: (docs/methods.md, "Years outside the tables (extension)")
WorldTotal = Literal["world_row", "sum_of_countries"]

#: where the table's rest-of-world region goes in a grouping: its non-member group, or its own group
#: (docs/methods.md, "Country groups and regions")
RestOfWorldGroup = Literal["other", "own"]
#: OECD membership basis: members in each year (accession year), or today's members for all years
#: (docs/methods.md, "Country groups and regions")
OecdMembership = Literal["in_year", "current"]

#: emissions principle of the accounts: the source as published (residence, for the JRC accounts), or
#: each region scaled to its territorial inventory total (docs/methods.md, "Emissions principle:
#: residence or territorial"; mrio_tools.mrio.principle)
EmissionsPrinciple = Literal["residence", "territorial"]

#: EXIOBASE aggregate stressor selection: fossil CO2 rows summed, or every stressor row
StressorSet = Literal["fossil_co2", "all"]

#: a yes/no option of a source reader
YesNo = Literal["no", "yes"]

#: language of the report
Lang = Literal["en", "zh"]
LANGS: Final[tuple[Lang, ...]] = get_args(Lang)

#: which view of sector transfers: by emitting sector (final-demand view, f_i X[i, s]) or by traded
#: product (trade view, EEBT) (docs/methods.md, "Sector transfers")
TransferView = Literal["emitting_sector", "product"]

#: prices of an export-intensity decomposition: the table's current prices, or constant prices by a
#: deflator (docs/methods.md, "Export carbon intensity", "Structural decomposition (SDA) of a change")
Prices = Literal["current", "constant"]

#: EXIOBASE 3 table form: industry-by-industry or product-by-product (docs/sources.md, "EXIOBASE 3")
ExiobaseSystem = Literal["pxp", "ixi"]
#: OECD ICIO's split regions (CN1/CN2 of China, MX1/MX2 of Mexico): summed into CHN and MEX, or kept
IcioSplitRegions = Literal["aggregate", "keep"]
#: which emissions an OECD ICIO table gets: the OECD TECO2 sheet, or a user CSV (emissions_csv layout)
IcioEmissions = Literal["teco2", "csv"]
#: the GWP100 set of the GHG stressor (CO2 equivalents): IPCC AR6 (default) or AR5
GwpSet = Literal["AR6", "AR5"]
#: the money of a table's flows: as the publisher ships it, or converted to USD with a user rate file
Currency = Literal["source", "USD"]
#: Eora26 valuation: basic prices or purchasers' prices (the publisher ships both)
EoraPrice = Literal["bp", "pp"]
