"""World maps: the country boundaries that ship with the package, and the choropleth of the gap per capita.

The boundaries are Natural Earth 4.1.0 admin-0 countries at 1:110m (public domain), taken from the
TopoJSON of the npm package world-atlas 2.0.2 (ISC licence; notice in
`mrio_tools/data/boundaries/LICENSE`) and converted once by `convert_boundaries` into a compact
GeoJSON keyed by ISO 3166-1 alpha-3 codes (`iso3`), so maps work on an offline install.
"""

from __future__ import annotations

import importlib
import itertools
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import TwoSlopeNorm
from matplotlib.patches import Patch

from mrio_tools.io.output import atomic_write

if TYPE_CHECKING:
    import geopandas as gpd

#: a shapely geometry (shapely ships no type information)
BaseGeometry = Any

BOUNDARIES: Final = "countries-110m.geojson"
#: areas without an ISO numeric code in the source: mapped by name where an ISO3 exists (Kosovo: XKX);
#: N. Cyprus and Somaliland stay without a code (drawn as "no data")
_NAMED: Final = {"Kosovo": "XKX"}


def split_at_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    """A (multi)polygon whose rings jump across longitude +-180 (Russia, Fiji in world-atlas) cut there.

    world-atlas draws on the sphere, so such rings wrap; on a flat map they would draw a band across
    the world. Each jumping polygon is unwrapped (negative longitudes + 360) and cut at 180; the part
    beyond is moved back by -360. Other polygons are returned as they are.
    """
    shapely: Any = importlib.import_module("shapely")
    affinity: Any = importlib.import_module("shapely.affinity")
    Polygon, MultiPolygon, box = shapely.Polygon, shapely.MultiPolygon, shapely.box
    translate, unary_union = affinity.translate, shapely.union_all

    def jumps(ring: Any) -> bool:
        xs = [x for x, _ in ring.coords]
        return any(abs(b - a) > 180 for a, b in itertools.pairwise(xs))

    def fix(polygon: BaseGeometry) -> BaseGeometry:
        if not jumps(polygon.exterior):
            return polygon

        def shift(ring: Any) -> list[tuple[float, float]]:
            return [(x + 360 if x < 0 else x, y) for x, y in ring.coords]

        unwrapped = Polygon(shift(polygon.exterior), [shift(r) for r in polygon.interiors]).buffer(0)
        west = unwrapped.intersection(box(-180, -90, 180, 90))
        east = translate(unwrapped.intersection(box(180, -90, 540, 90)), xoff=-360)
        return unary_union([west, east])

    if isinstance(geometry, Polygon):
        return fix(geometry)
    if isinstance(geometry, MultiPolygon):
        return unary_union([fix(p) for p in geometry.geoms])
    return geometry


def convert_boundaries(topojson: Path, dest: Path, *, decimals: int = 2) -> Path:
    """Write the TopoJSON `topojson` (world-atlas layout, ISO numeric `id`) as a compact GeoJSON.

    Each feature keeps `name` and gets `iso3` (country_converter, ISO numeric -> ISO3); polygons that
    wrap across longitude 180 are cut there (`split_at_antimeridian`); coordinates are rounded to
    `decimals` (0.01 degree is below the 1:110m scale's resolution). Antarctica is left out.
    """
    import country_converter as coco
    import geopandas as gpd

    frame = gpd.read_file(topojson, layer="countries").set_crs(4326, allow_override=True)
    frame = frame[frame["name"] != "Antarctica"]
    frame = frame.set_geometry([split_at_antimeridian(g) for g in frame.geometry], crs=4326)
    numeric = [int(i) if isinstance(i, str) and i.isdigit() else 0 for i in frame["id"]]
    iso3 = coco.convert(numeric, src="ISOnumeric", to="ISO3", not_found=None)
    frame["iso3"] = [
        code if isinstance(code, str) and len(code) == 3 else _NAMED.get(str(name))
        for code, name in zip(iso3, frame["name"], strict=True)
    ]
    collection = json.loads(frame[["iso3", "name", "geometry"]].to_json(drop_id=True))

    def rounded(coords: Any) -> Any:
        if isinstance(coords[0], list):
            return [rounded(c) for c in coords]
        return [round(coords[0], decimals), round(coords[1], decimals)]

    for feature in collection["features"]:
        feature["geometry"]["coordinates"] = rounded(feature["geometry"]["coordinates"])
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    return atomic_write(dest, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_boundaries() -> gpd.GeoDataFrame:
    """The packaged country boundaries (columns `iso3`, `name`, `geometry`; WGS 84)."""
    import geopandas as gpd

    resource = resources.files("mrio_tools") / "data" / "boundaries" / BOUNDARIES
    with resources.as_file(resource) as path:
        frame = gpd.read_file(path)
    return frame.set_crs(4326, allow_override=True)


def plot_choropleth(
    ax: Axes,
    boundaries: gpd.GeoDataFrame,
    values: pd.Series,
    *,
    unit: str,
    labels: dict[str, str],
    extended_label: str | None = None,
    cmap: str = "PuOr_r",
) -> Axes:
    """Colour each country by `values` (indexed by ISO3), diverging around 0; negatives also dotted.

    `labels` holds the legend texts: `positive`, `negative`, `no_data`, `colorbar`. Countries without
    a value are light grey. `extended_label` (for an estimated year, naming its basis) hatches every
    country with a value and adds a legend entry.
    """
    world = boundaries[boundaries["iso3"] != "ATA"]
    joined = world.assign(value=world["iso3"].map(values))
    known = joined[joined["value"].notna()]
    missing = joined[joined["value"].isna()]
    missing.plot(ax=ax, color="0.88", edgecolor="white", linewidth=0.3)
    if not known.empty:
        finite = known["value"].to_numpy(dtype=float)
        bound = float(np.nanmax(np.abs(finite))) or 1.0
        norm = TwoSlopeNorm(vcenter=0.0, vmin=-bound, vmax=bound)
        known.plot(
            ax=ax,
            column="value",
            cmap=cmap,
            norm=norm,
            edgecolor="0.3",
            linewidth=0.3,
            legend=True,
            legend_kwds={
                "label": f"{labels['colorbar']} [{unit}]",
                "shrink": 0.6,
                "orientation": "horizontal",
            },
        )
        negative = known[known["value"] < 0]
        if not negative.empty:
            negative.plot(ax=ax, facecolor="none", edgecolor="0.25", hatch="....", linewidth=0.0)
        if extended_label is not None:
            known.plot(ax=ax, facecolor="none", edgecolor="0.45", hatch="///", linewidth=0.0)
    ax.set_axis_off()
    ax.set_aspect("equal")
    handles = [
        Patch(facecolor="white", edgecolor="0.3", label=labels["positive"]),
        Patch(facecolor="white", edgecolor="0.3", hatch="....", label=labels["negative"]),
        Patch(facecolor="0.88", edgecolor="white", label=labels["no_data"]),
    ]
    if extended_label is not None:
        handles.append(Patch(facecolor="white", edgecolor="0.45", hatch="///", label=extended_label))
    ax.legend(
        handles=handles,
        loc="lower left",
        fontsize=7,
        frameon=False,
    )
    return ax
