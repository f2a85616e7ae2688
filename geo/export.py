"""Downloadable data: filtered events as GeoJSON/CSV and visible fronts as GeoJSON.

Every function returns UTF-8 bytes so the page can hand them to a download button
and the CLI can write them unchanged. Dates are written as YYYY-MM-DD, Burmese and
Chinese text is kept as is (no ``\\u`` escapes), and missing values become JSON
``null`` or an empty CSV cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.events import EVENT_COLUMNS

WGS84 = "EPSG:4326"
COORDINATE_COLUMNS = ("latitude", "longitude")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME_CHARS = re.compile(r"[^a-z0-9]+")
MAX_LAYER_PART = 80


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: dates as YYYY-MM-DD, NaN/NaT as None, numpy as Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date().isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        return frame.to_crs(WGS84)
    return frame


def _feature_collection(frame: gpd.GeoDataFrame | None, columns: Sequence[str] | None) -> bytes:
    """RFC 7946 GeoJSON; ``columns`` picks and orders the properties (None: all but geometry)."""
    features: list[dict[str, Any]] = []
    if frame is not None and not frame.empty:
        frame = _to_wgs84(frame)
        names = [c for c in frame.columns if c != frame.geometry.name] if columns is None else list(columns)
        for row, geom in zip(frame.to_dict("records"), frame.geometry, strict=True):
            features.append(
                {
                    "type": "Feature",
                    "properties": {name: _plain(row.get(name)) for name in names},
                    "geometry": None if geom is None or geom.is_empty else shapely.geometry.mapping(geom),
                }
            )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _with_coordinates(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Latitude/longitude columns filled from the point geometry where absent."""
    events = _to_wgs84(events)
    if all(column in events.columns for column in COORDINATE_COLUMNS):
        return events
    events = events.copy()
    events["latitude"] = events.geometry.y
    events["longitude"] = events.geometry.x
    return events


def events_to_geojson(events: gpd.GeoDataFrame | None) -> bytes:
    """Events as a GeoJSON FeatureCollection with the ACLED columns as properties."""
    if events is None:
        return _feature_collection(None, EVENT_COLUMNS)
    return _feature_collection(_with_coordinates(events), EVENT_COLUMNS)


def _csv_cell(value: Any) -> str:
    """Text for one cell; text that a spreadsheet would run as a formula is quoted with '."""
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, str):
        return "'" + plain if plain.startswith(FORMULA_PREFIXES) else plain
    return str(plain)


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with text a spreadsheet would run as a formula quoted with ', as the CSV export
    writes it: for tables on the page, whose own download button saves exactly what is shown."""
    safe = frame.copy()
    for name in safe.columns:
        values = safe[name]
        if values.dtype.kind in "OSU" or isinstance(values.dtype, pd.StringDtype):
            text = values.astype(object)
            formula = text.map(lambda value: isinstance(value, str) and value.startswith(FORMULA_PREFIXES))
            safe[name] = text.where(~formula.astype(bool), "'" + text.where(formula.astype(bool), ""))
    return safe


def events_to_csv(events: gpd.GeoDataFrame | None) -> bytes:
    """Events as CSV with exactly the ACLED columns in ACLED order (UTF-8, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EVENT_COLUMNS)
    if events is not None and not events.empty:
        events = _with_coordinates(events)
        columns = [events[c] if c in events.columns else pd.Series([None] * len(events)) for c in EVENT_COLUMNS]
        for values in zip(*(column.tolist() for column in columns), strict=True):
            writer.writerow([_csv_cell(value) for value in values])
    return buffer.getvalue().encode("utf-8")


def fronts_to_geojson(fronts: gpd.GeoDataFrame | None) -> bytes:
    """Front lines/areas as GeoJSON with all their attributes."""
    return _feature_collection(fronts, None)


def _slug(text: str) -> str:
    return _UNSAFE_NAME_CHARS.sub("-", text.casefold()).strip("-")


def snapshot_filename(
    kind: str,
    period: tuple[dt.date, dt.date] | None,
    layer_ids: Iterable[str],
    ext: str,
) -> str:
    """A descriptive, filesystem-safe name: ``myanmar-<kind>_<layers>_<start>_<end>.<ext>``.

    Only lower-case ASCII letters, digits, ``-``, ``_`` and one ``.`` survive, so the
    name is safe on every OS and in a Content-Disposition header.
    """
    parts = [f"myanmar-{_slug(kind) or 'export'}"]
    layers = "-".join(slug for slug in (_slug(layer_id) for layer_id in layer_ids) if slug)
    if layers:
        parts.append(layers[:MAX_LAYER_PART].rstrip("-"))
    if period is not None:
        parts += [period[0].isoformat(), period[1].isoformat()]
    extension = _slug(ext) or "bin"
    return "_".join(parts) + "." + extension
