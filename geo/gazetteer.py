"""Myanmar's towns and townships (MIMU place codes) and a spelling-tolerant place search.

The data is built by geo/data/build_gazetteer.py (see geo/data/SOURCES.md). Place names reach us in many
romanisations (Laukkai/Laukkaing, Mong Ko/Monekoe, Hseni/Hsenwi, Kyaukphyu/Kyaukpyu) and in Burmese script, so
:func:`find_places` compares normalised phonetic keys with rapidfuzz instead of exact strings; the few variants no
normaliser can reach are in geo/data/place_aliases.csv, each with the source that uses the spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

DATA_DIR = Path(__file__).resolve().parent / "data"
TOWNS_FILE = DATA_DIR / "towns.csv"
TOWNSHIPS_FILE = DATA_DIR / "townships.geojson"
CROSSINGS_FILE = DATA_DIR / "border_crossings.geojson"
ALIASES_FILE = DATA_DIR / "place_aliases.csv"

TOWN_COLUMNS = (
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
)
TOWNSHIP_COLUMNS = ("pcode", "name_en", "name_my", "district_en", "state_pcode", "state_en", "seat_town_pcode")
MIN_SCORE = 80.0  # rapidfuzz ratio (0-100) of the normalised keys; below it a name is a different place
PREFIX_SCORE = 85.0  # a typed beginning ("Lauk") of a longer name: found, but below any full-name match
MIN_PREFIX = 3  # letters (of the normalised key) before prefixes count
LOOKUP_CHUNK = 200_000  # points per township lookup; bounds memory on large imports
NEAREST_TOWNSHIP_DEGREES = 0.05  # about 5 km: points just off the generalised coast still get their township
KIND_ORDER = {"town": 0, "crossing": 1, "township": 2}

MYANMAR_SCRIPT = re.compile(r"[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
BURMESE_SUFFIXES = ("မြို့နယ်ခွဲ", "မြို့နယ်", "မြို့")  # sub-township, township, town
ENGLISH_SUFFIXES = re.compile(r"\b(?:sub-?township|township|town|city|tsp)\b")
# Romanisations of the same Burmese and Shan sounds, applied in this order to both the query and the names.
SOUND_RULES = (
    ("hs", "s"),
    ("hp", "p"),
    ("ht", "t"),
    ("hk", "k"),
    ("ph", "p"),
    ("kh", "k"),
    ("th", "t"),
    ("mone", "mong"),
    ("moe", "mong"),
    ("oe", "o"),
    ("ee", "i"),
    ("ou", "u"),
)


class GazetteerDataError(ValueError):
    """A gazetteer file that cannot be used, with the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class PlaceMatch:
    """One place found by :func:`find_places`; pcode is the MIMU P-code (None for a border crossing)."""

    kind: str
    name_en: str
    name_my: str
    pcode: str | None
    latitude: float
    longitude: float
    score: float


def load_towns() -> pd.DataFrame:
    """MIMU towns with township, district, state, position and rank (1 capital ... 4 other town)."""
    return _towns().copy()


def load_townships() -> gpd.GeoDataFrame:
    """MIMU township areas (EPSG:4326) with names, district, state and seat town P-code."""
    return _townships().copy()


@cache
def _towns() -> pd.DataFrame:
    if not TOWNS_FILE.is_file():
        raise GazetteerDataError(TOWNS_FILE, "file not found; run geo/data/build_gazetteer.py")
    towns = pd.read_csv(TOWNS_FILE, dtype={"rank": "int64"}, keep_default_na=False, na_values=[""])
    missing = [column for column in TOWN_COLUMNS if column not in towns.columns]
    if missing:
        raise GazetteerDataError(TOWNS_FILE, f"missing columns: {', '.join(missing)}")
    bad = towns["latitude"].isna() | towns["longitude"].isna() | ~towns["rank"].between(1, 4)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise GazetteerDataError(TOWNS_FILE, f"line {row}: latitude, longitude or rank missing or out of range")
    return towns


def _read_layer(path: Path, geometry_types: set[str], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    """A shipped GeoJSON layer, checked for CRS, columns and geometry (geo.boundaries imports the importers,
    which use this module, so its reader cannot be used here)."""
    if not path.is_file():
        raise GazetteerDataError(path, "file not found; run geo/data/build_gazetteer.py and build_crossings.py")
    frame = gpd.read_file(path)
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise GazetteerDataError(path, f"CRS is {frame.crs}; expected EPSG:4326")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise GazetteerDataError(path, f"missing properties: {', '.join(missing)}")
    bad = ~frame.geometry.geom_type.isin(geometry_types) | ~frame.geometry.is_valid
    if bad.any():
        raise GazetteerDataError(path, f"feature {int(np.flatnonzero(bad.to_numpy())[0])}: bad or invalid geometry")
    return frame


@cache
def _townships() -> gpd.GeoDataFrame:
    return _read_layer(TOWNSHIPS_FILE, {"Polygon", "MultiPolygon"}, TOWNSHIP_COLUMNS)


def spelled_key(name: str) -> str:
    """A name as typed, minus case, accents, spaces, hyphens and 'town'/'township' (Burmese: spaces and suffixes)."""
    text = unicodedata.normalize("NFC", str(name)).replace("\u200b", "").strip()
    if MYANMAR_SCRIPT.search(text):
        text = re.sub(r"\s+", "", text)
        for suffix in BURMESE_SUFFIXES:
            text = text.removesuffix(suffix)
        return text
    latin = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ENGLISH_SUFFIXES.sub(" ", latin))


def normalise(name: str) -> str:
    """A comparison key: :func:`spelled_key`, and for Latin script the sound rules (Hsenwi ~ Seni)."""
    latin = spelled_key(name)
    if MYANMAR_SCRIPT.search(latin):
        return latin
    for spelled, sound in SOUND_RULES:
        latin = latin.replace(spelled, sound)
    return re.sub(r"n$", "m", latin)  # final nasal: Namhkam/Namhkan


def name_variants(name: str) -> list[str]:
    """A MIMU name and its bracketed alternative: 'Manhlyoe (Manhero)' -> whole, 'Manhlyoe', 'Manhero'."""
    parts = [part.strip() for part in re.split(r"[()]", name) if part.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@dataclass(frozen=True)
class _Place:
    kind: str
    name_en: str
    name_my: str
    pcode: str | None
    latitude: float
    longitude: float
    rank: int


@cache
def _search_index() -> tuple[list[str], list[str], list[_Place]]:
    """Every searchable sound key and spelled key with the place it names (once per name and alias)."""
    keys: list[str] = []
    spelled: list[str] = []
    places: list[_Place] = []
    by_pcode: dict[str, _Place] = {}

    def add(names: list[str], place: _Place) -> None:
        for name in names:
            key = normalise(name)
            if key:
                keys.append(key)
                spelled.append(spelled_key(name))
                places.append(place)

    for town in _towns().itertuples(index=False):
        place = _Place("town", town.name_en, town.name_my, town.town_pcode, town.latitude, town.longitude, town.rank)
        by_pcode[town.town_pcode] = place
        add([*name_variants(town.name_en), town.name_my], place)
    centres = shapely.point_on_surface(_townships().geometry.to_numpy())
    for township, centre in zip(_townships().itertuples(index=False), centres, strict=True):
        place = _Place("township", township.name_en, township.name_my, township.pcode, centre.y, centre.x, 3)
        by_pcode[township.pcode] = place
        add([*name_variants(township.name_en), township.name_my], place)
    crossings = _read_layer(CROSSINGS_FILE, {"Point"}, ("name", "myanmar_town", "neighbour_town"))
    for crossing in crossings.itertuples(index=False):
        place = _Place("crossing", crossing.name, "", None, crossing.geometry.y, crossing.geometry.x, 2)
        add([crossing.name, crossing.myanmar_town, crossing.neighbour_town], place)
    for alias in _aliases().itertuples(index=False):
        add([alias.alias], by_pcode[alias.pcode])
    return keys, spelled, places


@cache
def _aliases() -> pd.DataFrame:
    """Spelling variants no normaliser reaches, each naming the P-code it stands for and where it is used."""
    aliases = pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)
    towns = set(_towns()["town_pcode"])
    townships = set(_townships()["pcode"])
    for line, alias in enumerate(aliases.itertuples(index=False), start=2):
        if alias.pcode not in towns | townships:
            raise GazetteerDataError(ALIASES_FILE, f"line {line}: pcode {alias.pcode!r} is not in the gazetteer")
        if not alias.alias.strip() or not alias.source.strip():
            raise GazetteerDataError(ALIASES_FILE, f"line {line}: alias and source must not be empty")
    return aliases


def find_places(query: str, limit: int = 10, *, prefix: bool = True) -> list[PlaceMatch]:
    """Towns, townships and crossings whose name (English, Burmese or a known variant) is like the query.

    Best first: by score, then the kind the query names ("... township", "... town"), then bigger places
    (lower town rank), then towns before crossings and townships. With ``prefix`` a query of three or more
    letters (as typed, before the sound rules) also finds the names it begins, scored PREFIX_SCORE; the
    importer turns that off, because a truncated name must not place an event.
    """
    key = normalise(query)
    if not key or limit <= 0:
        return []
    keys, spelled, places = _search_index()
    hits = [
        (score, index)
        for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=None)
    ]
    typed = spelled_key(query)
    if prefix and len(typed) >= MIN_PREFIX:
        hits += [(PREFIX_SCORE, index) for index, name in enumerate(spelled) if name.startswith(typed)]
    best: dict[tuple[str, str | None, str], tuple[float, _Place]] = {}
    for score, index in hits:
        place = places[index]
        identity = (place.kind, place.pcode, place.name_en)
        if identity not in best or score > best[identity][0]:
            best[identity] = (score, place)
    wanted = _kind_named_in(query)
    ranked = sorted(
        best.values(),
        key=lambda hit: (-hit[0], hit[1].kind != wanted, hit[1].rank, KIND_ORDER[hit[1].kind], hit[1].name_en),
    )
    return [
        PlaceMatch(p.kind, p.name_en, p.name_my, p.pcode, float(p.latitude), float(p.longitude), round(score, 1))
        for score, p in ranked[:limit]
    ]


def _kind_named_in(query: str) -> str | None:
    """'township' or 'town' when the query says so (in English or Burmese), else None."""
    text = query.casefold()
    if re.search(r"\btownship\b|\btsp\b", text) or "မြို့နယ်" in text:
        return "township"
    if re.search(r"\btown\b", text) or "မြို့" in text:
        return "town"
    return None


@cache
def _township_tree() -> shapely.STRtree:
    """Spatial index of the prepared township areas (prepared: point tests ~4x faster on 1M points)."""
    areas = _townships().geometry.to_numpy().copy()
    shapely.prepare(areas)
    return shapely.STRtree(areas)


def _township_indices(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Row of the township containing (or within NEAREST_TOWNSHIP_DEGREES of) each point, -1 for none."""
    finite = np.isfinite(lon) & np.isfinite(lat)
    points = shapely.points(np.where(finite, lon, 0.0), np.where(finite, lat, 0.0))
    points[~finite] = None
    found = np.full(len(points), -1, dtype=np.int64)
    tree = _township_tree()
    point_index, township_index = tree.query(points, predicate="intersects")
    order = np.lexsort((township_index, point_index))
    point_index, township_index = point_index[order], township_index[order]
    first = np.unique(point_index, return_index=True)[1]
    found[point_index[first]] = township_index[first]
    outside = np.flatnonzero((found < 0) & finite)
    if len(outside):
        # A prepared "within distance" test first: the nearest search is slow for points far from any township.
        close = np.unique(tree.query(points[outside], predicate="dwithin", distance=NEAREST_TOWNSHIP_DEGREES)[0])
        outside = outside[close]
        near_points, near_townships = tree.query_nearest(
            points[outside], max_distance=NEAREST_TOWNSHIP_DEGREES, all_matches=False
        )
        found[outside[near_points]] = near_townships
    return found


def township_at(longitude: np.ndarray | pd.Series, latitude: np.ndarray | pd.Series) -> pd.DataFrame:
    """The township (pcode, name, district, state) of each point; empty strings where none is within ~5 km.

    Points on a shared edge take the first township in P-code order; points just outside the generalised outline
    (a coastal village, a border post) take the nearest township within NEAREST_TOWNSHIP_DEGREES. Points are
    looked up in chunks so a million-row import does not hold a million shapely points at once.
    """
    townships = _townships()
    lon, lat = np.asarray(longitude, dtype=float), np.asarray(latitude, dtype=float)
    found = np.full(len(lon), -1, dtype=np.int64)
    for start in range(0, len(lon), LOOKUP_CHUNK):
        chunk = slice(start, start + LOOKUP_CHUNK)
        found[chunk] = _township_indices(lon[chunk], lat[chunk])
    table = townships[["pcode", "name_en", "district_en", "state_en"]].fillna("")
    table.columns = ["township_pcode", "township_en", "district_en", "state_en"]
    result = table.iloc[np.where(found >= 0, found, 0)].reset_index(drop=True)
    result.loc[found < 0, :] = ""
    return result
