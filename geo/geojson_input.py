"""Reading GeoJSON from users: the document-level limits and the per-feature geometry checks
shared by the event and fronts importers.

A problem with the whole document raises the caller's error type (it takes the path and a
message); a problem with one feature is returned as a reason, so only that feature is rejected.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from geo.limits import MAX_JSON_DEPTH, printable

FileError = Callable[[Path, str], Exception]

WGS84_NAMES = ("CRS84", "EPSG:4326", "EPSG::4326", "EPSG:4979", "WGS84", "WGS 84")
POSITION_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
"""How many arrays wrap a geometry type's positions (beyond the coordinates array itself)."""

REGION = (85.0, 5.0, 110.0, 35.0)
"""Myanmar and its neighbours (west, south, east, north): a geometry outside lon/lat range that
lands in here once its two numbers are swapped was written latitude first."""

MAX_CRS_NAME = 200


def parse_json(path: Path, text: str, error: FileError) -> Any:
    """The parsed document; invalid or too deeply nested JSON raises ``error``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise error(path, f"nests arrays or objects deeper than {MAX_JSON_DEPTH} levels") from exc
    if json_depth(document) > MAX_JSON_DEPTH:
        raise error(path, f"nests arrays or objects deeper than {MAX_JSON_DEPTH} levels")
    return document


def json_depth(value: Any) -> int:
    """Deepest nesting of lists and dicts (as json.loads makes them), level by level without
    recursion; stops past the limit. A million features take about half a second."""
    level = [value] if type(value) in (dict, list) else []
    deepest = 0
    while level and deepest <= MAX_JSON_DEPTH:
        deepest += 1
        inner = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                if type(child) is dict or type(child) is list:
                    inner.append(child)
        level = inner
    return deepest


def feature_collection(path: Path, document: Any, error: FileError, max_features: int) -> list[Any]:
    """The ``features`` array of a FeatureCollection within the feature limit."""
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    if kind != "FeatureCollection":
        raise error(path, f"is not a GeoJSON FeatureCollection (top-level type is {printable(str(kind))[:40]!r})")
    features = document.get("features")
    if not isinstance(features, list):
        raise error(path, "has no 'features' array")
    if not features:
        raise error(path, "has no features")
    if len(features) > max_features:
        raise error(path, f"has {len(features):,} features, more than the {max_features:,} allowed")
    return features


def declared_crs(path: Path, document: dict, error: FileError) -> pyproj.CRS | None:
    """The CRS a (pre-RFC 7946) ``crs`` member names; None for none or WGS 84 lon/lat."""
    member = document.get("crs")
    if member is None:
        return None
    properties = member.get("properties") if isinstance(member, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise error(path, "has a 'crs' member without a name; remove it (GeoJSON is WGS 84 longitude/latitude)")
    shown = printable(name)[:80]
    if name.upper().replace(" ", "").endswith(tuple(n.replace(" ", "") for n in WGS84_NAMES)):
        return None
    if len(name) > MAX_CRS_NAME:
        raise error(path, f"declares a CRS name longer than {MAX_CRS_NAME} characters")
    try:
        crs = pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError as exc:
        raise error(path, f"declares CRS {shown!r}, which is not known; reproject to WGS 84 lon/lat") from exc
    return None if crs.equals(pyproj.CRS("OGC:CRS84"), ignore_axis_order=True) else crs


def to_wgs84(crs: pyproj.CRS) -> Callable[[BaseGeometry], BaseGeometry]:
    """Reprojects a geometry from ``crs`` to longitude/latitude."""
    transformer = pyproj.Transformer.from_crs(crs, "OGC:CRS84", always_xy=True)

    def reproject(geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))

    return reproject


def geometry_structure_problem(
    geometry: Any, allowed: frozenset[str], wanted: str, max_vertices: int
) -> tuple[str, str] | None:
    """(value, reason) when ``geometry`` is not a readable geometry of an ``allowed`` type (named
    by ``wanted``) with at least one and at most ``max_vertices`` [x, y] number positions."""
    if geometry is None:
        return "", "is missing"
    if not isinstance(geometry, dict):
        return printable(str(geometry))[:60], "is not a GeoJSON geometry object"
    kind = geometry.get("type")
    if kind not in allowed:
        return printable(str(kind))[:60], f"must be a {wanted}"
    depth = POSITION_DEPTH[kind]
    level = [geometry.get("coordinates")]
    for _ in range(depth):
        if not all(isinstance(part, list) for part in level):
            return kind, "has coordinates nested the wrong way for its type"
        level = [child for part in level for child in part]
        if len(level) > max_vertices:
            break
    if not level:
        return kind, "is empty (no coordinates)"
    if len(level) > max_vertices:
        return kind, f"has more than {max_vertices:,} points"
    for position in level:
        if not isinstance(position, list) or len(position) < 2 or not all(_is_number(value) for value in position[:2]):
            return kind, f"has a position that is not [longitude, latitude] numbers: {printable(str(position))[:40]}"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def lonlat_problem(geometry: BaseGeometry) -> str | None:
    """Why a geometry cannot be longitude/latitude: projected metres or latitude written first."""
    west, south, east, north = geometry.bounds
    if west >= -180 and east <= 180 and south >= -90 and north <= 90:
        return None
    region_w, region_s, region_e, region_n = REGION
    if region_w <= south and north <= region_e and region_s <= west and east <= region_n:
        return "has latitude before longitude (GeoJSON positions are [longitude, latitude])"
    return (
        f"has coordinates outside longitude/latitude range (x {west:.6g}..{east:.6g}, y {south:.6g}..{north:.6g}): "
        "projected metres? reproject to WGS 84 or declare the file's crs"
    )
