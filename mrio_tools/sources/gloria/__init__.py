"""GLORIA (release 059): the multi-regional supply-use table read in chunks, made symmetric, with fossil CO2.

Source: the Global MRIO Lab's GLORIA database (University of Sydney, IELab; Lenzen et al. 2022,
Economic Systems Research 34:1; labels read by `mrio_tools.sources.gloria_labels`). 164 regions x
120 sectors, 1990-2028 (later years nowcast), thousand USD at current basic prices.

Files, as the publisher ships them per year (names as in pymrio 0.7's ``parse_gloria_sut``, layout
from the read-me's sheet ``MR-SUT structure``), all in the ``--data`` folder:

- ``GLORIA_ReadMe_059.xlsx``: the labels; their order is the tables' order;
- ``GLORIA_MRIOs_59_YYYY.zip`` (or the folder it unpacks to) with headerless CSVs named
  ``<date>_120secMother_AllCountries_002_<M>-Results_YYYY_059_Markup001(full).csv``: ``T`` (the
  MR-SUT, 2RS x 2RS: per region its S industries then its S products; industry rows hold the
  domestic supply in the region's product columns, product rows the use by every region's
  industries), ``Y`` (2RS x 6R: final use of products by each region's six categories), ``V``
  (6R x 2RS: value added of each region's industries);
- ``GLORIA_SatelliteAccounts_059_YYYY.zip`` with ``TQ`` (satellites x 2RS, by industry) and ``YQ``
  (satellites x 6R, direct emissions of final demand).

``Markup001`` is the basic-price layer (read-me, sheet ``Valuations``: 1 basic prices, 2 trade
margins, 3 transport margins, 4 taxes on products, 5 subsidies on products); only it is read.
pymrio 0.7 reads ``Markup005`` for "purchasers' prices", which by that sheet is the subsidies layer.

What this reader adds to pymrio's parser: pymrio builds the 2RS-square T (39,360 square, 12.4 GB
of float64) and its V/U slices in pandas, copies included; here each CSV streams in row chunks
(`stream.row_chunks`) into one preallocated RS x RS float64 array for U (3.1 GB at full size) and
R small S x S supply blocks, every cell outside the published structure is checked to be zero
(a cell that is not is an error naming the line), and the symmetric table is made in U's memory
(`construct`, Eurostat 2008 ch. 11 models D and B; formulas there).

CO2 (stressor ``CO2``, kt; the read-me's unit ``kilotonnes``): the row
``co2_excl_short_cycle_org_c_total_<I>_consistent`` (CO2 excluding short-cycle organic carbon, i.e.
fossil and process CO2) minus that family's IPCC 2006 land rows ``3B1`` ... ``3B5`` and ``3B4&6``
(land use, land-use change and forestry), with I = EDGAR (option ``co2_inventory=edgar``, satellite
rows 2147 and 2196-2200 of release 059) or OECD (``oecd``, rows 4922 and 4971-4975). Short-cycle
organic carbon (``co2_org_short_cycle_c``: biomass burning, biogenic) is excluded. Industry rows
from TQ, households and other final demand from YQ (F_Y).

Regions: the read-me's acronyms are ISO 3166 alpha-3 except ``SDS`` (South Sudan, renamed ``SSD``),
GLORIA's own ``DYE`` (former Democratic Yemen, kept; empty after 1990) and the four rest-of
regions ``XAM`` (Rest of Americas), ``XEU`` (Rest of Europe), ``XAF`` (Rest of Africa), ``XAS``
(Rest of Asia-Pacific), kept under these codes (docs/methods.md, "Country groups and regions").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Literal, get_args

from mrio_tools.errors import DataFileError, YearNotAvailableError
from mrio_tools.mrio.container import MRIO
from mrio_tools.sources.gloria.construct import CONSTRUCT_MODELS, Construct
from mrio_tools.sources.gloria.stream import Member
from mrio_tools.sources.spec import SourceOption, SourceRequest, SourceSpec, need

VERSION: Final = "059"
README: Final = f"GLORIA_ReadMe_{VERSION}.xlsx"
MONETARY_UNIT: Final = "k USD"
PRICE_BASIS: Final = "current prices (basic prices, Markup001)"
#: which inventory's CO2 rows (see the module docstring)
Co2Inventory = Literal["edgar", "oecd"]
#: the CO2 family read, and its land rows (IPCC 2006 category 3B) taken out
CO2_FAMILY: Final = "co2_excl_short_cycle_org_c"
LAND_CODES: Final = ("3B1", "3B2", "3B3", "3B4&6", "3B5")
#: read-me acronyms that are not ISO 3166 alpha-3, with what they are; renamed ones map to ISO3
REGION_RENAMES: Final[Mapping[str, str]] = {"SDS": "SSD"}
GLORIA_OWN_REGIONS: Final[Mapping[str, str]] = {
    "XAM": "Rest of Americas",
    "XEU": "Rest of Europe",
    "XAF": "Rest of Africa",
    "XAS": "Rest of Asia-Pacific",
    "DYE": "former Democratic Yemen (Aden); empty after 1990",
}
CITATION: Final = (
    "Lenzen M. et al. (2022), Implementing the material footprint to measure progress towards SDGs 8 "
    "and 12, Nature Sustainability 5:157; GLORIA release 059, IELab, University of Sydney"
)
_MRIO_ARCHIVE = re.compile(r"^GLORIA_MRIOs_59_(\d{4})(\.zip)?$")
_MATRICES: Final = {"T": "mrio", "Y": "mrio", "V": "mrio", "TQ": "satellites", "YQ": "satellites"}


def member_suffix(matrix: str, year: int) -> str:
    """The end of the CSV name of `matrix` (T, Y, V, TQ, YQ) for `year` (basic prices)."""
    return f"_120secMother_AllCountries_002_{matrix}-Results_{year}_{VERSION}_Markup001(full).csv"


def _containers(data_dir: Path, year: int) -> dict[str, Path]:
    return {
        "mrio": data_dir / f"GLORIA_MRIOs_59_{year}",
        "satellites": data_dir / f"GLORIA_SatelliteAccounts_{VERSION}_{year}",
    }


def available_years(data_dir: Path) -> list[int]:
    """Years with a ``GLORIA_MRIOs_59_YYYY.zip`` (or its folder) in `data_dir`."""
    if not data_dir.is_dir():
        raise DataFileError(
            f"{data_dir}: not a folder. Fix: pass the folder holding {README} and the yearly zips"
        )
    return sorted({int(m[1]) for p in data_dir.iterdir() if (m := _MRIO_ARCHIVE.match(p.name))})


def _find(data_dir: Path, year: int, matrix: str) -> Member:
    base = _containers(data_dir, year)[_MATRICES[matrix]]
    suffix = member_suffix(matrix, year)
    archive = base.with_name(base.name + ".zip")
    if archive.is_file():
        import zipfile

        try:
            with zipfile.ZipFile(archive) as z:
                names = [n for n in z.namelist() if n.endswith(suffix)]
        except zipfile.BadZipFile as exc:
            raise DataFileError(f"{archive}: not a zip archive ({exc}). Fix: download it again") from exc
        where = str(archive)
    elif base.is_dir():
        names = sorted(str(p.relative_to(base)) for p in base.rglob("*" + suffix))
        where = str(base)
    else:
        raise YearNotAvailableError(
            f"{data_dir}: no {archive.name} (nor its folder) for {year}; years here: "
            f"{available_years(data_dir) or 'none'}. Fix: download it (mrio-tools download --source gloria)"
        )
    if len(names) != 1:
        raise DataFileError(
            f"{where}: {len(names)} files end with {suffix!r} (expected one: {matrix}-Results {year}). "
            "Fix: keep the publisher's archive unchanged"
        )
    return Member(archive, names[0]) if archive.is_file() else Member(base / names[0])


def table_files(data_dir: Path, year: int) -> list[Path]:
    """The raw files a year is read from (the read-me, the two archives or the CSVs)."""
    members = [_find(data_dir, year, m) for m in _MATRICES]
    return [data_dir / README, *sorted({m.path for m in members})]


def co2_rows(satellites: Any, inventory: Co2Inventory) -> tuple[int, list[int], list[str]]:
    """(total row number, land row numbers, their names) of the CO2 definition in the read-me's list."""
    suffix = f"_{inventory.upper()}_consistent"
    by_name = dict(zip(satellites["name"], satellites["number"], strict=True))
    total_name = f"{CO2_FAMILY}_total{suffix}"
    land_names = [f"{CO2_FAMILY}_{code}{suffix}" for code in LAND_CODES]
    missing = [n for n in (total_name, *land_names) if n not in by_name]
    if missing:
        raise DataFileError(
            f"{README}, sheet 'Satellites': no row {missing[0]!r}. Fix: pass the release 059 read-me"
        )
    units = dict(zip(satellites["number"], satellites["unit"], strict=True))
    rows = [int(by_name[n]) for n in (total_name, *land_names)]
    wrong = [n for n, r in zip((total_name, *land_names), rows, strict=True) if units[r] != "kilotonnes"]
    if wrong:
        raise DataFileError(f"{README}, sheet 'Satellites': {wrong[0]!r} is not in kilotonnes")
    return rows[0], rows[1:], [total_name, *land_names]


def read_gloria(data_dir: Path, year: int, *, construct: Construct, co2_inventory: Co2Inventory) -> MRIO:
    """Read GLORIA 059 for `year` from `data_dir` as a symmetric `MRIO` (k USD) with stressor CO2 (kt).

    `construct` (required: a scientific choice) picks the construction of the symmetric table
    (`construct.construct_in_place`); `co2_inventory` the EDGAR- or OECD-consistent CO2 rows (module
    docstring). Raises `YearNotAvailableError` for a year without files and `DataFileError` naming the
    file, line and fix where a file departs from the published layout.
    """
    from mrio_tools.sources.gloria.read import read_blocks

    if construct not in get_args(Construct):
        raise ValueError(f"construct={construct!r}; use one of {', '.join(get_args(Construct))}")
    if co2_inventory not in get_args(Co2Inventory):
        raise ValueError(f"co2_inventory={co2_inventory!r}; use one of {', '.join(get_args(Co2Inventory))}")
    data_dir = Path(data_dir)
    members = {m: _find(data_dir, year, m) for m in _MATRICES}
    return read_blocks(data_dir / README, members, year, construct=construct, co2_inventory=co2_inventory)


# ------------------------------------------------------------------ the registry entry
def _open(request: SourceRequest, options: Mapping[str, str | None]) -> Callable[[int], MRIO]:
    data = need(request, "data")
    construct, inventory = options["construct"], options["co2_inventory"]
    return lambda year: read_gloria(data, year, construct=construct, co2_inventory=inventory)  # type: ignore[arg-type]


CONSTRUCT = SourceOption(
    name="construct",
    choices=get_args(Construct),
    default="industry_by_industry",
    help="how the symmetric table is made from the supply-use table: "
    + "; ".join(f"{k}: {v}" for k, v in CONSTRUCT_MODELS.items()),
)
CO2_INVENTORY = SourceOption(
    name="co2_inventory",
    choices=get_args(Co2Inventory),
    default="edgar",
    help=f"which satellite rows give CO2: {CO2_FAMILY}_total_<EDGAR|OECD>_consistent minus its land rows "
    "(IPCC 3B); kt",
)

SPEC = SourceSpec(
    name="gloria",
    description=f"GLORIA release {VERSION} (164 regions x 120 sectors, k USD, 1990-2028): {README} and the "
    "yearly GLORIA_MRIOs_59_YYYY.zip + GLORIA_SatelliteAccounts_059_YYYY.zip in --data",
    needs=("data",),
    years=lambda request: available_years(need(request, "data")),
    files=lambda request, year: table_files(need(request, "data"), year),
    open=_open,
    options=(CONSTRUCT, CO2_INVENTORY),
)

__all__ = [
    "CITATION",
    "GLORIA_OWN_REGIONS",
    "SPEC",
    "Co2Inventory",
    "available_years",
    "co2_rows",
    "member_suffix",
    "read_gloria",
    "table_files",
]
