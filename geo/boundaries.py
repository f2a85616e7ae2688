"""Load the shipped boundary layers as validated GeoDataFrames in EPSG:4326.

Every loader fails with a :class:`BoundaryDataError` naming the file and the feature
when the data cannot be trusted (missing file, wrong CRS, empty or invalid geometry),
so a broken rebuild never reaches the map as a silently wrong picture.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.validation import explain_validity

from geo.stats import border_zones

DATA_DIR = Path(__file__).resolve().parent / "data"
WGS84 = "EPSG:4326"
EQUAL_AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in m²

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
POINT = frozenset({"Point"})

CONFLICT_STATES = ("Shan", "Rakhine", "Chin")
DISPLAY_TOLERANCE_DEG = 0.01
CHINA_BORDER_ISO3 = "CHN"


class BoundaryDataError(ValueError):
    """A boundary file that cannot be used, with the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def read_layer(
    path: Path,
    geometry_types: Collection[str],
    required_columns: Sequence[str] = ("name",),
) -> gpd.GeoDataFrame:
    """Read a vector file and check CRS, columns and every geometry."""
    path = Path(path)
    if not path.is_file():
        raise BoundaryDataError(path, "file not found")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable data
        raise BoundaryDataError(path, f"cannot be read as a vector file ({exc})") from exc
    if frame.crs is None:
        raise BoundaryDataError(path, "has no coordinate reference system; expected EPSG:4326")
    if frame.crs.to_epsg() != 4326:
        raise BoundaryDataError(path, f"CRS is {frame.crs.to_string()}; expected EPSG:4326 (longitude/latitude)")
    if frame.empty:
        raise BoundaryDataError(path, "holds no features")
    missing = [column for column in required_columns if column not in frame.columns]
    if missing:
        raise BoundaryDataError(path, f"missing required properties: {', '.join(missing)}")
    problems = [_geometry_problem(geom, geometry_types) for geom in frame.geometry]
    bad = [
        f"feature {index} ({frame.iloc[index].get('name', '?')}): {problem}"
        for index, problem in enumerate(problems)
        if problem
    ]
    if bad:
        raise BoundaryDataError(path, "bad geometry in " + "; ".join(bad))
    return frame


def _geometry_problem(geom: shapely.Geometry | None, allowed: Collection[str]) -> str | None:
    if geom is None or geom.is_empty:
        return "empty geometry"
    if geom.geom_type not in allowed:
        return f"geometry is {geom.geom_type}; expected {' or '.join(sorted(allowed))}"
    if not geom.is_valid:
        return f"invalid geometry ({explain_validity(geom)})"
    return None


def load_states(path: Path = DATA_DIR / "myanmar_states.geojson") -> gpd.GeoDataFrame:
    """Myanmar's 15 states and regions (`name`, `kind`)."""
    return read_layer(path, POLYGONAL, ("name", "kind"))


def load_yunnan(path: Path = DATA_DIR / "yunnan.geojson") -> gpd.GeoDataFrame:
    """Yunnan province of China."""
    return read_layer(path, POLYGONAL)


def load_countries(path: Path = DATA_DIR / "countries.geojson") -> gpd.GeoDataFrame:
    """National outlines of Myanmar and its neighbours (`name`, `iso3`), for context."""
    return read_layer(path, POLYGONAL, ("name", "iso3"))


def load_borders(path: Path = DATA_DIR / "international_borders.geojson") -> gpd.GeoDataFrame:
    """Myanmar's land borders (`name`, `countries`, `neighbour_iso3`, `length_km`)."""
    return read_layer(path, LINEAR, ("name", "countries", "neighbour_iso3", "length_km"))


def load_crossings(path: Path = DATA_DIR / "border_crossings.geojson") -> gpd.GeoDataFrame:
    """Main border crossings (`name`, `source` and the towns either side)."""
    return read_layer(path, POINT, ("name", "myanmar_town", "neighbour_town", "neighbour_country", "source"))


def area_km2(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Area of each feature in km², measured in an equal-area CRS."""
    return frame.to_crs(EQUAL_AREA_CRS).area / 1e6


@dataclass(frozen=True)
class Boundaries:
    """All reference geography the map draws, loaded once."""

    states: gpd.GeoDataFrame
    yunnan: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    borders: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Boundaries:
        return cls(
            states=load_states(data_dir / "myanmar_states.geojson"),
            yunnan=load_yunnan(data_dir / "yunnan.geojson"),
            countries=load_countries(data_dir / "countries.geojson"),
            borders=load_borders(data_dir / "international_borders.geojson"),
            crossings=load_crossings(data_dir / "border_crossings.geojson"),
        )

    @property
    def china_border(self) -> shapely.Geometry:
        """The China–Myanmar border as one (Multi)LineString."""
        lines = self.borders[self.borders["neighbour_iso3"] == CHINA_BORDER_ISO3]
        return shapely.union_all(lines.geometry.values)

    @cached_property
    def display_countries(self) -> gpd.GeoDataFrame:
        """The backdrop outlines simplified for the web map, shared edges kept shared.

        At 0.01° (about 1 km) the file the browser receives shrinks about threefold; the
        states, borders and static exports keep full resolution.
        """
        simplified = self.countries.copy()
        simplified.geometry = shapely.coverage_simplify(self.countries.geometry.values, DISPLAY_TOLERANCE_DEG)
        return simplified

    @cached_property
    def china_border_zones(self) -> gpd.GeoDataFrame:
        """Bands 10/25/50 km from the China border on Myanmar's side (computed once)."""
        return border_zones(self.china_border, self.states)
