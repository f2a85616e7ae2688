"""Fronts: front lines and areas that users upload or analysts draw, valid between two dates.

Control of towns and townships is not a front: it lives in :mod:`geo.control`, and
territory-change events become control records there (:mod:`geo.derive_control`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from geo.enrich import WGS84
from geo.rowchecks import RowError

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

    def report(self, *, full_path: bool = True) -> str:
        """Counts, then one line per problem; ``full_path=False`` names the file alone (an upload)."""
        name = self.path if full_path else self.path.name
        lines = [f"{name}: accepted {len(self.fronts)}, rejected {len({e.row for e in self.rejected})}"]
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


def read_fronts_geojson(path: Path | str) -> FrontsImport:
    """Load user-supplied fronts; bad features are rejected with their index and field."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise FrontsFileError(path, "file not found") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrontsFileError(path, f"not a UTF-8 GeoJSON file ({exc})") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FrontsFileError(path, "expected a GeoJSON FeatureCollection")
    features = document.get("features") or []
    if not features:
        raise FrontsFileError(path, "holds no features")
    rows, geometries, rejected = [], [], []
    for index, feature in enumerate(features):
        problems, row, geometry = _check_front(index, feature)
        if problems:
            rejected += problems
        else:
            rows.append(row)
            geometries.append(geometry)
    if not rows:
        return FrontsImport(empty_fronts(), rejected, path)
    fronts = gpd.GeoDataFrame(rows, geometry=geometries, crs=WGS84)
    for column in ("valid_from", "valid_to"):
        fronts[column] = pd.to_datetime(fronts[column])
    return FrontsImport(fronts, rejected, path)


def _check_front(index: int, feature: object) -> tuple[list[RowError], dict, object]:
    def problem(field: str, value: object, reason: str) -> RowError:
        return RowError(index, field, "" if value is None else str(value), reason, unit="feature")

    if not isinstance(feature, dict):
        return [problem("feature", feature, "is not a GeoJSON feature")], {}, None
    properties = feature.get("properties") or {}
    problems: list[RowError] = []
    geometry = None
    try:
        geometry = shape(feature["geometry"]) if feature.get("geometry") else None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problems.append(problem("geometry", "", f"cannot be read ({exc})"))
    if geometry is None and not problems:
        problems.append(problem("geometry", None, "is missing"))
    elif geometry is not None and geometry.geom_type not in FRONT_GEOMETRIES:
        problems.append(problem("geometry", geometry.geom_type, "must be a (Multi)LineString or (Multi)Polygon"))
    elif geometry is not None and not geometry.is_valid:
        problems.append(problem("geometry", geometry.geom_type, "is not a valid geometry"))
    for required in ("front", "actor"):
        if not str(properties.get(required) or "").strip():
            problems.append(problem(required, None, "is required"))
    valid_from = _parse_day(properties.get("valid_from"))
    if valid_from is None:
        problems.append(problem("valid_from", properties.get("valid_from"), "is not a date"))
    raw_to = properties.get("valid_to")
    valid_to = _parse_day(raw_to)
    if raw_to not in (None, "") and valid_to is None:
        problems.append(problem("valid_to", raw_to, "is not a date (leave empty for ongoing)"))
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(problem("valid_to", raw_to, f"is before valid_from {valid_from.date()}"))
    row = {column: str(properties.get(column) or "") for column in FRONT_COLUMNS}
    row["valid_from"], row["valid_to"] = valid_from, valid_to
    return problems, row, geometry
