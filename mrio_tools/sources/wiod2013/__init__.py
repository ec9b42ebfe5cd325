"""The WIOD 2013 release: world input-output tables 1995-2011, 40 countries + RoW x 35 sectors, M USD.

Source: World Input-Output Database, 2013 release (Timmer et al. 2015, Review of International
Economics 23:575). Two file forms are read, whichever the data folder holds:

- the publisher's yearly workbooks ``wiotYY_row_apr12.xlsx`` (1995-2007) and ``wiotYY_row_sep12.xlsx``
  (2008-2011; any ``wiotYY_row_<mon><yy>.xlsx`` is accepted): one sheet, six header rows (row 5 the
  country, row 6 the WIOD code ``c1``..``c35`` of each column), four label columns (A ISIC Rev.3 code,
  B name, C country, D WIOD code), the 1435 x 1435 intermediate block from cell E7, then 41 x 5 final
  demand columns (``c37``, ``c38``, ``c39``, ``c41``, ``c42`` per consuming country) and one column of
  gross output; below the intermediate rows follow the rows ``r60`` (total intermediate consumption)
  ... ``r69`` (output at basic prices), with taxes less subsidies, the cif/fob adjustment, direct
  purchases, value added and international transport margins in between (layout facts from pymrio
  0.7's ``parse_wiod`` and from published scripts that read these files);
- the R data package ``wiod`` 0.4.0 form ``wiot_YYYY.RData``: one list ``wiot_YYYY`` with unlabelled
  ``inter`` (n x n), ``final`` (n x 5R), ``output`` (n), ``countries`` (R) and ``industries`` (35), in
  the same region-major order as the workbooks, values in whole M USD (layout as described in
  ../shared/data/README.md, section wiod2013, and checked on the files).

Gross output is x = Z1 + Y1 (docs/methods.md, notation); the published output column is kept only to
report how far it is from that sum (``notes["output_residual"]``). The tables carry no emissions:
``F`` and ``F_Y`` are empty; emissions are attached by the concordance module (docs/methods.md,
"Emissions from another classification (concordance)").

Modules: `layout` (codes, names, units, the folder's files), `rdata_form` and `xlsx_form` (the two
file forms), `read` (one year as an `MRIO`, the output gap), `download` (the publisher's workbooks).
The registry entry `SPEC` is at the bottom of this file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from mrio_tools.choices import OUTPUT_GAP_TREATMENTS
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.spec import ExtensionParts, SourceOption, SourceRequest, SourceSpec, need
from mrio_tools.sources.wiod2013.download import download_wiod2013, wiod2013_url
from mrio_tools.sources.wiod2013.layout import (
    BASE_URL,
    CATEGORY_NAMES,
    SECTOR_CODES,
    WIOD2013_YEARS,
    Wiod2013Blocks,
    _file_for_year,
    available_years,
    wiod2013_sectors,
)
from mrio_tools.sources.wiod2013.read import output_residual, read_wiod2013, read_wiod2013_blocks, table_file


# ------------------------------------------------------------------ the registry entry
def _years(request: SourceRequest) -> list[int]:
    return available_years(need(request, "data"))


def _files(request: SourceRequest, year: int) -> list[Path]:
    from mrio_tools.sources.wiod_env import jrc_workbook

    return [table_file(need(request, "data"), year), jrc_workbook(need(request, "emissions"))]


def _parts(
    request: SourceRequest, options: Mapping[str, str | None]
) -> tuple[Callable[[int], MRIO], Callable[[MRIO], MRIO], tuple[int, ...]]:
    """The table reader, the one attach closure of the JRC CO2 (read once), and the CO2 years."""
    from mrio_tools.sources.wiod_env import attach_jrc_co2_table, jrc_co2_once

    data = need(request, "data")
    workbook, co2 = jrc_co2_once(need(request, "emissions"))
    output_gap = options["output_gap"] or "by_file_form"

    def read_table(year: int) -> MRIO:
        return read_wiod2013(data, year, output_gap=output_gap)  # type: ignore[arg-type]

    def attach(mrio: MRIO) -> MRIO:
        return attach_jrc_co2_table(mrio, co2, fold_missing=True, file_name=workbook.name)

    return read_table, attach, tuple(sorted(int(y) for y in co2["year"].unique()))


def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    read_table, attach, _ = _parts(request, options)

    def read_wiod_year(year: int) -> MRIO:
        return attach(read_table(year))

    return read_wiod_year


def _extension(request: SourceRequest, options: Mapping[str, str | None]) -> ExtensionParts:
    from mrio_tools.sources.wiod_env import REST_OF_WORLD

    read_table, attach, co2_years = _parts(request, options)
    return ExtensionParts(
        table_years=tuple(_years(request)),
        emission_years=co2_years,
        read_table=read_table,
        attach_emissions=attach,
        rest_of_world=(REST_OF_WORLD,),
    )


OUTPUT_GAP = SourceOption(
    name="output_gap",
    choices=OUTPUT_GAP_TREATMENTS,
    default=None,
    help="how the gap between published gross output and Z1 + Y1 of a rounded table is treated "
    "(docs/methods.md, 'The output gap of rounded tables')",
    default_help="scale_rows for the rounded R package copy, recompute for the publisher's workbooks",
)

SPEC = SourceSpec(
    name="wiod2013",
    description="WIOD 2013 release tables 1995-2011 (R package or publisher xlsx) in --data, "
    "with the JRC CO2 accounts (2000-2016) in --emissions",
    needs=("data", "emissions"),
    years=_years,
    files=_files,
    open=_open,
    options=(OUTPUT_GAP,),
    sensitivity=("output_gap", "scale_rows", "residual_category"),
    extension=_extension,
)

__all__ = [
    "BASE_URL",
    "CATEGORY_NAMES",
    "OUTPUT_GAP",
    "SECTOR_CODES",
    "SPEC",
    "WIOD2013_YEARS",
    "Wiod2013Blocks",
    "_file_for_year",
    "available_years",
    "download_wiod2013",
    "output_residual",
    "read_wiod2013",
    "read_wiod2013_blocks",
    "wiod2013_sectors",
    "wiod2013_url",
]
