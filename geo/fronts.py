"""Fronts: front lines and areas that users upload or analysts draw, valid between two dates.

Control of towns and townships is not a front: it lives in :mod:`geo.control`, and
territory-change events become control records there (:mod:`geo.derive_control`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.enrich import WGS84
from geo.eventfile import EventFileError, read_text
from geo.geojson_input import (
    declared_crs,
    feature_collection,
    geometry_structure_problem,
    lonlat_problem,
    parse_json,
    to_wgs84,
)
from geo.limits import MAX_FIELD_CHARS, MAX_FRONT_FEATURES, MAX_FRONTS_FILE_BYTES, MAX_VERTICES, printable
from geo.rowchecks import LineAccount, RowError

TERRITORY_CHANGES = ("Non-state actor overtakes territory", "Government regains territory")
FRONT_COLUMNS = ("front", "actor", "status", "valid_from", "valid_to", "source", "notes")
FRONT_GEOMETRIES = frozenset({"Polygon", "MultiPolygon", "LineString", "MultiLineString"})


class FrontsFileError(ValueError):
    """A fronts file that cannot be loaded at all."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


@dataclass
class FrontsImport:
    """Valid fronts and the features that were rejected, with reasons."""

    fronts: gpd.GeoDataFrame
    rejected: list[RowError]
    path: Path
    features_read: int = 0

    @property
    def lines(self) -> LineAccount:
        """Every feature read is accepted or rejected."""
        rejected = len({error.row for error in self.rejected})
        return LineAccount("feature", self.features_read, len(self.fronts), rejected)

    def report(self, *, full_path: bool = True) -> str:
        """Counts, then one line per problem; ``full_path=False`` names the file alone (an upload)."""
        name = self.path if full_path else self.path.name
        lines = [
            f"{name}: {self.features_read} features, accepted {len(self.fronts)}, "
            f"rejected {len({e.row for e in self.rejected})}"
        ]
        return "\n".join(lines + [str(error) for error in self.rejected])


def empty_fronts() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({column: pd.Series(dtype="object") for column in FRONT_COLUMNS}, geometry=[], crs=WGS84)
    frame["valid_from"] = pd.Series(dtype="datetime64[ns]")
    frame["valid_to"] = pd.Series(dtype="datetime64[ns]")
    return frame


def fronts_as_of(fronts: gpd.GeoDataFrame, as_of: date) -> gpd.GeoDataFrame:
    """Fronts valid on ``as_of``: started on or before it and not ended before it."""
    day = pd.Timestamp(as_of)
    started = fronts["valid_from"] <= day
    not_ended = fronts["valid_to"].isna() | (fronts["valid_to"] >= day)
    return fronts[started & not_ended]


def _parse_day(value: object) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = pd.to_datetime(str(value), errors="coerce", utc=True)
    return None if pd.isna(parsed) else parsed.tz_localize(None).normalize()


def read_fronts_geojson(path: Path | str, *, max_bytes: int = MAX_FRONTS_FILE_BYTES) -> FrontsImport:
    """Load user-supplied fronts; bad features are rejected with their index and field.

    A ``crs`` member naming another CRS is reprojected to WGS 84; without one, coordinates
    outside longitude/latitude range (projected metres, or latitude first) reject the feature.
    """
    path = Path(path)
    try:
        text = read_text(path, max_bytes)
    except EventFileError as exc:
        raise FrontsFileError(path, exc.message) from exc
    document = parse_json(path, text, FrontsFileError)
    features = feature_collection(path, document, FrontsFileError, MAX_FRONT_FEATURES)
    crs = declared_crs(path, document, FrontsFileError)
    reproject = None if crs is None else to_wgs84(crs)
    rows, geometries, rejected = [], [], []
    for index, feature in enumerate(features):
        problems, row, geometry = _check_front(index, feature, reproject)
        if problems:
            rejected += problems
        else:
            rows.append(row)
            geometries.append(geometry)
    if not rows:
        return FrontsImport(empty_fronts(), rejected, path, len(features))
    fronts = gpd.GeoDataFrame(rows, geometry=geometries, crs=WGS84)
    for column in ("valid_from", "valid_to"):
        fronts[column] = pd.to_datetime(fronts[column])
    return FrontsImport(fronts, rejected, path, len(features))


def _read_geometry(raw: object, reproject: Callable[[BaseGeometry], BaseGeometry] | None) -> tuple[object, str, str]:
    """(geometry, "", "") or (None, value, reason) for a feature's ``geometry`` member."""
    problem = geometry_structure_problem(raw, FRONT_GEOMETRIES, "(Multi)LineString or (Multi)Polygon", MAX_VERTICES)
    if problem is not None:
        return None, *problem
    try:
        geometry = shape(raw)
    except (TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as exc:
        return None, "", f"cannot be read ({printable(str(exc))[:80]})"
    if reproject is not None:
        geometry = reproject(geometry)
    if geometry.is_empty:
        return None, geometry.geom_type, "is empty"
    lonlat = lonlat_problem(geometry)
    if lonlat is not None:
        return None, geometry.geom_type, lonlat
    if not geometry.is_valid:
        return None, geometry.geom_type, "is not a valid geometry"
    return geometry, "", ""


def _check_front(
    index: int, feature: object, reproject: Callable[[BaseGeometry], BaseGeometry] | None = None
) -> tuple[list[RowError], dict, object]:
    def problem(field: str, value: object, reason: str) -> RowError:
        return RowError(index, field, "" if value is None else printable(str(value))[:80], reason, unit="feature")

    if not isinstance(feature, dict):
        return [problem("feature", feature, "is not a GeoJSON feature")], {}, None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return [problem("properties", properties, "is not an object")], {}, None
    problems: list[RowError] = []
    geometry, value, reason = _read_geometry(feature.get("geometry"), reproject)
    if geometry is None:
        problems.append(problem("geometry", value, reason))
    for required in ("front", "actor"):
        if not str(properties.get(required) or "").strip():
            problems.append(problem(required, None, "is required"))
    for column in FRONT_COLUMNS:
        if len(str(properties.get(column) or "")) > MAX_FIELD_CHARS:
            problems.append(
                problem(column, str(properties[column])[:60], f"is longer than {MAX_FIELD_CHARS:,} characters")
            )
    valid_from = _parse_day(properties.get("valid_from"))
    if valid_from is None:
        problems.append(problem("valid_from", properties.get("valid_from"), "is not a date"))
    raw_to = properties.get("valid_to")
    valid_to = _parse_day(raw_to)
    if raw_to not in (None, "") and valid_to is None:
        problems.append(problem("valid_to", raw_to, "is not a date (leave empty for ongoing)"))
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(problem("valid_to", raw_to, f"is before valid_from {valid_from.date()}"))
    row = {column: printable(str(properties.get(column) or "")) for column in FRONT_COLUMNS}
    row["valid_from"], row["valid_to"] = valid_from, valid_to
    return problems, row, geometry
