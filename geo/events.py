"""Conflict-event schema and importers (file access in :mod:`geo.eventfile`, row checks
in :mod:`geo.rowchecks`).

Every importer returns an :class:`ImportResult` holding the accepted events as a
GeoDataFrame in EPSG:4326 and one :class:`RowError` per problem found, so that a
bad row is reported and dropped while every good row of the same file survives.
Problems that make the whole file unusable raise :class:`EventFileError`.

Row numbers (``RowError.row``) are what the user finds in the file:

* CSV: the physical line number, the header being line 1. Blank lines and
  quoted notes that span several lines are counted, so the number is the line an
  editor shows where the record starts.
* GeoJSON: the 0-based index into the ``features`` array, shown as
  ``features[3]`` (the JSON-pointer / ``jq`` convention).

Normalisation decisions:

* ``admin1`` holds the state/region name ("Shan-North" -> "Shan", UCDP's
  "Sagaing region" -> "Sagaing"); the text as written stays in ``admin1_raw``.
* ``event_date`` keeps the calendar date only. ISO timestamps are cut to their
  date part without time-zone conversion, because ACLED and UCDP dates are
  local dates and converting "2023-11-13T00:00:00Z" could move the day.
* Dates before 1989-01-01 (the start of UCDP GED, and well before ACLED's
  Myanmar coverage) or after today are rejected as typos.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.acled import CODED_COLUMNS, actor_type_labels, blank_na, interaction_labels
from geo.eventfile import EventFileError, check_field_sizes, read_csv_table, read_text
from geo.geocode import fill_admin_from_position, place_rows_without_coordinates, place_sources
from geo.geojson_input import declared_crs, feature_collection, parse_json
from geo.limits import MAX_COLUMNS, MAX_EVENT_FILE_BYTES, MAX_FEATURES
from geo.rowchecks import LineAccount, RowChecks, RowError, check_coordinates, check_date, check_whole, per_unique

EVENT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "source",
    "notes",
    "source_url",
)
"""Schema columns in output order; ``source_url`` is optional in input files."""

PASSTHROUGH_COLUMNS: tuple[str, ...] = ("geo_placement",)
"""Optional text kept as written (or as :mod:`geo.geocode` sets it): how an approximate point was placed."""

EXTRA_COLUMNS: tuple[str, ...] = ("admin1_raw", "source_file", *CODED_COLUMNS, "admin_from_position")
"""Added after the schema columns: admin1 as written, the file's name, ACLED's actor types and
interaction as words (:mod:`geo.acled`; empty for files without them), and whether admin2/admin3
were filled from the township at the point (:func:`geo.geocode.fill_admin_from_position`)."""

TEXT_COLUMNS: tuple[str, ...] = (
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "source",
    "notes",
    "source_url",
)
"""Free-text columns in which ACLED's literal "NA" means empty."""

EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
)

FORMATS: tuple[str, ...] = ("acled", "ucdp", "geojson", "csv")
ACLED_REQUIRED: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c != "source_url")
"""A real ACLED export always has these; a partial file should use format csv."""

UCDP_REQUIRED: tuple[str, ...] = (
    "id",
    "date_start",
    "date_end",
    "side_a",
    "side_b",
    "latitude",
    "longitude",
    "best",
    "adm_1",
    "adm_2",
    "where_coordinates",
    "type_of_violence",
    "source_article",
    "where_prec",
)

UCDP_VIOLENCE: dict[str, tuple[str, str]] = {
    "1": ("Battles", "state-based"),
    "2": ("Battles", "non-state"),
    "3": ("Violence against civilians", "one-sided"),
}
"""UCDP type_of_violence -> (event_type, label used in sub_event_type)."""

PLAIN_ALIASES: dict[str, tuple[str, ...]] = {
    "event_date": ("event_date", "date"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
}
"""Accepted column names for plain CSV, preferred name first."""

PLAIN_REQUIRED: tuple[str, ...] = ("event_date", "latitude", "longitude", "event_type")
"""event_type is required too: the map colours and filters by it."""

DEFAULT_GEO_PRECISION = "3"
"""Plain CSV/GeoJSON without geo_precision claim only the coarsest precision."""

_ADMIN1_DIRECTION = re.compile(r"[\s-]+(?:north|south|east|west)$", re.IGNORECASE)
_ADMIN1_SUFFIX = re.compile(r"\s+(?:state|region|division|union territory)$", re.IGNORECASE)
ADMIN1_SPELLINGS: dict[str, str] = {
    "arakan": "Rakhine",
    "karen": "Kayin",
    "karenni": "Kayah",
    "irrawaddy": "Ayeyarwady",
    "pegu": "Bago",
    "magwe": "Magway",
    "tenasserim": "Tanintharyi",
    "rangoon": "Yangon",
    "naypyidaw": "Nay Pyi Taw",
    "naypyitaw": "Nay Pyi Taw",
    "nay pyi taw": "Nay Pyi Taw",
}
"""Older or variant names (UCDP, hand-made files) -> the names ACLED uses."""


@dataclass
class ImportResult:
    """Accepted events, the problems that rejected rows, and the totals."""

    events: gpd.GeoDataFrame
    rejected: list[RowError]
    path: Path
    format: str
    rows_in_file: int
    lines: LineAccount | None = None
    """Where every physical line (CSV) or feature (GeoJSON) went; None for imports cached before it."""

    @property
    def accepted(self) -> int:
        return len(self.events)

    @property
    def rejected_rows(self) -> int:
        """Rows rejected; a row with several problems counts once."""
        return len({error.row for error in self.rejected})

    def report(self, max_problems: int = 50, *, full_path: bool = True) -> str:
        """Human-readable summary: counts, then one line per problem. ``full_path=False``
        names the file alone, as for an upload saved under a temporary folder."""
        noun = "features" if self.format == "geojson" else "data rows"
        lines = [
            f"{self.path if full_path else self.path.name} ({self.format}): {self.rows_in_file} {noun}, "
            f"accepted {self.accepted}, rejected {self.rejected_rows}"
        ]
        if self.lines is not None and self.lines.unit == "line":
            lines.append(str(self.lines))
        lines += [str(error) for error in self.rejected[:max_problems]]
        if len(self.rejected) > max_problems:
            lines.append(f"... and {len(self.rejected) - max_problems} more")
        return "\n".join(lines)

    def summary_dict(self, max_problems: int | None = None) -> dict[str, Any]:
        """The report as plain data for JSON output."""
        shown = self.rejected if max_problems is None else self.rejected[:max_problems]
        return {
            "path": str(self.path),
            "format": self.format,
            "rows": self.rows_in_file,
            "accepted": self.accepted,
            "rejected": self.rejected_rows,
            "problem_count": len(self.rejected),
            "lines": None if self.lines is None else self.lines.as_dict(),
            "problems": [error.as_dict() for error in shown],
        }


def _normalise_distinct(text: pd.Series) -> pd.Series:
    text = text.str.strip().str.replace(_ADMIN1_DIRECTION, "", regex=True)
    text = text.str.replace(_ADMIN1_SUFFIX, "", regex=True).str.strip()
    respelled = text.str.casefold().map(ADMIN1_SPELLINGS)
    return respelled.where(respelled.notna(), text).astype(str)


def normalise_admin1(values: pd.Series) -> pd.Series:
    """State/region name from ACLED ("Shan-North") or UCDP ("Shan state") text."""
    return per_unique(values.fillna("").astype(str), _normalise_distinct).astype(str)


def _require(path: Path, columns: Any, required: tuple[str, ...], fmt: str) -> None:
    missing = [name for name in required if name not in set(columns)]
    if missing:
        hint = " (use format csv for a partial file)" if fmt == "acled" else ""
        raise EventFileError(path, f"missing required columns for {fmt}: {', '.join(missing)}{hint}")


def _finish(
    frame: pd.DataFrame,
    checks: RowChecks,
    path: Path,
    fmt: str,
    names: Mapping[str, str],
    *,
    strict: bool,
    skip_coordinates: np.ndarray | None = None,
) -> ImportResult:
    """Validate a frame already mapped onto the schema, then build the result.

    ``frame`` holds every schema column as strings; ``names`` maps schema columns
    to the column names the user sees in their file, for the messages. ``strict``
    (ACLED, UCDP) rejects empty ids, fatalities and precision; lenient formats
    fill fatalities 0 and geo_precision 3.
    """
    names = {column: names.get(column, column) for column in EVENT_COLUMNS}
    skip = np.zeros(len(frame), dtype=bool) if skip_coordinates is None else skip_coordinates
    dates = check_date(checks, frame["event_date"], names["event_date"])
    lat, lon = check_coordinates(checks, frame, names, skip)

    types = frame["event_type"].str.strip()
    canonical = per_unique(types, lambda distinct: distinct.str.casefold().map({t.casefold(): t for t in EVENT_TYPES}))
    checks.add(types == "", names["event_type"], types, "is missing")
    checks.add(
        canonical.isna() & (types != ""),
        names["event_type"],
        types,
        "is not one of " + ", ".join(EVENT_TYPES),
    )

    fatalities = check_whole(checks, frame["fatalities"], names["fatalities"], default=None if strict else "0")
    checks.add(fatalities < 0, names["fatalities"], frame["fatalities"], "is negative")

    precision = check_whole(
        checks,
        frame["geo_precision"],
        names["geo_precision"],
        default=None if strict else DEFAULT_GEO_PRECISION,
    )
    checks.add(
        precision.notna() & ~precision.isin([1, 2, 3]),
        names["geo_precision"],
        frame["geo_precision"],
        "is not 1, 2 or 3",
    )

    ids = frame["event_id_cnty"].str.strip()
    checks.add(ids == "", names["event_id_cnty"], ids, "is missing")
    repeated = ids.duplicated(keep="first") & (ids != "")
    if repeated.any():
        first_row = pd.Series(checks.rows, index=ids.index).groupby(ids).transform("first")
        checks.add(repeated, names["event_id_cnty"], ids, "duplicates the id first seen on " + checks.label(first_row))

    keep = ~checks.rejected_mask()
    # Column by column, each taken out of ``frame`` as it is copied: a whole-frame copy
    # would hold every text column twice at the memory peak of a large import.
    everything = bool(keep.all())
    out = pd.DataFrame(
        {column: frame.pop(column) if everything else frame.pop(column)[keep] for column in EVENT_COLUMNS},
        copy=False,
    )
    for column in PASSTHROUGH_COLUMNS:
        out[column] = frame.pop(column) if everything else frame.pop(column)[keep]
    for column in TEXT_COLUMNS:
        out[column] = blank_na(out[column])
    out["event_id_cnty"] = ids[keep]
    out["event_date"] = dates[keep]
    out["event_type"] = canonical[keep].astype(str)
    out["latitude"] = lat[keep]
    out["longitude"] = lon[keep]
    out["geo_precision"] = precision[keep].astype("int64")
    out["fatalities"] = fatalities[keep].astype("int64")
    out["admin1_raw"] = out["admin1"]
    out["admin1"] = normalise_admin1(out["admin1"])
    out["source_file"] = pd.Series(path.name, index=out.index, dtype="category")  # one value: one copy of it
    for column in CODED_COLUMNS:
        coded = frame.pop(column) if column in frame.columns else pd.Series("", index=frame.index, dtype=object)
        out[column] = blank_na(coded.fillna("").astype(str) if everything else coded[keep].fillna("").astype(str))
    out["inter1"] = actor_type_labels(out["inter1"])
    out["inter2"] = actor_type_labels(out["inter2"])
    out["interaction"] = interaction_labels(out["interaction"])
    events = gpd.GeoDataFrame(
        out.reset_index(drop=True),
        geometry=gpd.points_from_xy(lon[keep], lat[keep]),
        crs="EPSG:4326",
    )
    return ImportResult(events, checks.errors(), path, fmt, len(frame), checks.account(keep))


# ---------------------------------------------------------------- importers


def _schema_frame(table: pd.DataFrame, sources: Mapping[str, str]) -> pd.DataFrame:
    """Schema columns taken from ``table`` (renamed via ``sources``), "" if absent."""
    return pd.DataFrame(
        {
            column: table[sources.get(column, column)] if sources.get(column, column) in table.columns else ""
            for column in (*EVENT_COLUMNS, *PASSTHROUGH_COLUMNS)
        },
        index=table.index,
    ).astype(str)


def read_acled_csv(path: Path | str, *, max_bytes: int = MAX_EVENT_FILE_BYTES) -> ImportResult:
    """ACLED export as downloaded: any column order and header case, extra columns
    ignored, dates in ISO or '13 November 2023' form."""
    path = Path(path)
    table, checks = read_csv_table(path, max_bytes)
    _require(path, table.columns, ACLED_REQUIRED, "acled")
    frame = _schema_frame(table, {})
    for column in CODED_COLUMNS:
        if column in table.columns:
            frame[column] = table[column]
    del table  # the schema frame shares its columns; only it may keep them alive
    return _finish(frame, checks, path, "acled", {}, strict=True)


def read_ucdp_csv(path: Path | str, *, max_bytes: int = MAX_EVENT_FILE_BYTES) -> ImportResult:
    """UCDP GED CSV mapped onto the ACLED-style schema.

    type_of_violence 1/2 -> Battles, 3 -> Violence against civilians;
    fatalities = ``best``; where_prec 1 -> geo_precision 1, 2-3 (near a known
    place / second-order admin area) -> 2, 4-7 (first-order admin area or
    coarser) -> 3. Messages name UCDP's own columns.
    """
    path = Path(path)
    table, checks = read_csv_table(path, max_bytes)
    _require(path, table.columns, UCDP_REQUIRED, "ucdp")

    violence = table["type_of_violence"].str.strip()
    checks.add(
        ~violence.isin(list(UCDP_VIOLENCE)),
        "type_of_violence",
        violence,
        "is not 1, 2 or 3 (state-based, non-state, one-sided)",
    )
    label = violence.map({k: v[1] for k, v in UCDP_VIOLENCE.items()})
    prec_text = table["where_prec"].str.strip()
    prec = pd.to_numeric(prec_text, errors="coerce")
    checks.add(
        ~prec.isin(range(1, 8)) & (prec_text != ""),
        "where_prec",
        prec_text,
        "is not one of 1..7",
    )
    geo_precision = pd.Series(
        np.select([prec == 1, (prec >= 2) & (prec <= 3), prec <= 7], ["1", "2", "3"], ""),
        index=table.index,
    ).where(prec.isin(range(1, 8)), prec_text)

    start, end = table["date_start"].str.strip(), table["date_end"].str.strip()
    notes = "UCDP GED type_of_violence=" + violence + " (" + label.fillna("?") + ")"
    span = (end != "") & (end.str.slice(0, 10) != start.str.slice(0, 10))
    notes = notes.where(~span, notes + "; date_start=" + start + ", date_end=" + end)
    ids = table["id"].str.strip()

    frame = _schema_frame(
        table,
        {
            "event_date": "date_start",
            "actor1": "side_a",
            "actor2": "side_b",
            "admin1": "adm_1",
            "admin2": "adm_2",
            "location": "where_coordinates",
            "fatalities": "best",
            "source": "source_article",
        },
    )
    frame["event_id_cnty"] = ("UCDP-" + ids).where(ids != "", "")
    frame["event_type"] = violence.map({k: v[0] for k, v in UCDP_VIOLENCE.items()})
    frame["event_type"] = frame["event_type"].fillna("").astype(str)
    frame["sub_event_type"] = ("UCDP: " + label).fillna("")
    frame["geo_precision"] = geo_precision
    frame["notes"] = notes
    names = {
        "event_id_cnty": "id",
        "event_date": "date_start",
        "event_type": "type_of_violence",
        "fatalities": "best",
        "geo_precision": "where_prec",
    }
    return _finish(frame, checks, path, "ucdp", names, strict=True)


def _resolve_plain(path: Path, columns: Any, fmt: str, with_coordinates: bool) -> dict[str, str]:
    """Schema column -> column used in the file, raising if a required one is absent."""
    present = set(columns)
    sources: dict[str, str] = {}
    missing = []
    for column in PLAIN_REQUIRED:
        if column in ("latitude", "longitude") and not with_coordinates:
            continue
        options = PLAIN_ALIASES.get(column, (column,))
        found = next((name for name in options if name in present), None)
        if found is None:
            missing.append(" or ".join(options))
        else:
            sources[column] = found
    if missing:
        raise EventFileError(path, f"missing required columns for {fmt}: {'; '.join(missing)}")
    return sources


def _lenient_frame(table: pd.DataFrame, sources: Mapping[str, str], rows: pd.Series) -> pd.DataFrame:
    """Schema frame for hand-made files; rows without an id get '<prefix><row>'."""
    frame = _schema_frame(table, sources)
    ids = frame["event_id_cnty"].str.strip()
    frame["event_id_cnty"] = ids.where(ids != "", rows)
    return frame


def read_plain_csv(path: Path | str, *, max_bytes: int = MAX_EVENT_FILE_BYTES) -> ImportResult:
    """Any CSV with a date, coordinates and an event type.

    Required: event_date (or ``date``), latitude (``lat``, ``y``), longitude
    (``lon``, ``lng``, ``long``, ``x``) and event_type. Other schema columns are
    optional: text defaults to "", fatalities to 0, geo_precision to 3 (no
    precision claimed), and a missing event_id_cnty becomes '<file stem>-L<line>'.
    A file that names places (``location``/``town``, ``admin3``/``township``) may
    leave coordinates out: such rows are placed by :mod:`geo.geocode` or rejected.
    """
    path = Path(path)
    table, checks = read_csv_table(path, max_bytes)
    places = place_sources(table.columns)
    sources = _resolve_plain(path, table.columns, "csv", with_coordinates=not places)
    for column in ("latitude", "longitude"):
        sources.setdefault(column, next((n for n in PLAIN_ALIASES[column] if n in table.columns), column))
    sources = {**places, **sources}
    generated = path.stem + "-L" + pd.Series(checks.rows, index=table.index).astype(str)
    frame = _lenient_frame(table, sources, generated)
    del table  # the schema frame shares its columns; only it may keep them alive
    states = normalise_admin1(frame["admin1"]) if places else None
    unplaced = place_rows_without_coordinates(frame, checks, sources, states) if places else None
    return _finish(frame, checks, path, "csv", sources, strict=False, skip_coordinates=unplaced)


def _geojson_features(path: Path, text: str) -> list[Any]:
    document = parse_json(path, text, EventFileError)
    features = feature_collection(path, document, EventFileError, MAX_FEATURES)
    crs = declared_crs(path, document, EventFileError)
    if crs is not None:
        raise EventFileError(path, f"declares CRS {crs.srs!r}; event GeoJSON must be WGS 84 lon/lat")
    return features


def _point_coordinates(feature: Any) -> tuple[str, str, str, str]:
    """(problem field, value, reason, '') or ('', '', lon, lat) for one feature."""
    if not isinstance(feature, dict):
        return "feature", str(feature)[:60], "is not a GeoJSON Feature object", ""
    if not isinstance(feature.get("properties"), dict | None):
        return "properties", str(feature["properties"])[:60], "is not an object", ""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return "geometry", "", "is missing (feature has no geometry)", ""
    kind = geometry.get("type")
    if kind != "Point":
        return "geometry", str(kind), "is not a Point (only point events are supported)", ""
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return "geometry", json.dumps(coords), "has no [longitude, latitude] numbers", ""
    return "", "", repr(float(coords[0])), repr(float(coords[1]))


def _as_text(column: pd.Series) -> pd.Series:
    """JSON property values as strings, null as "" (numbers are re-parsed later)."""
    values = column.astype(object)
    return values.where(values.notna(), "").astype(str)


def _properties(feature: Any) -> dict[str, Any]:
    """A feature's properties, {} where there are none or they are not an object (reported elsewhere)."""
    found = feature.get("properties") if isinstance(feature, dict) else None
    return found if isinstance(found, dict) else {}


def read_events_geojson(path: Path | str, *, max_bytes: int = MAX_EVENT_FILE_BYTES) -> ImportResult:
    """FeatureCollection of Point features whose properties follow the schema.

    Coordinates come from the geometry (any latitude/longitude properties are
    ignored); defaults and required properties are those of :func:`read_plain_csv`
    minus the coordinate columns. Rows are numbered by 0-based feature index.
    """
    path = Path(path)
    features = _geojson_features(path, read_text(path, max_bytes))
    properties = [_properties(feature) for feature in features]
    names = {name for found in properties for name in found}
    if len(names) > MAX_COLUMNS:
        raise EventFileError(path, f"has {len(names):,} distinct properties, more than the {MAX_COLUMNS} allowed")
    table = pd.DataFrame(properties, index=range(len(features)), dtype=object)  # keep -1 as "-1"
    headers = [str(name).strip().casefold() for name in table.columns]
    doubled = sorted({name for name in headers if headers.count(name) > 1})
    if doubled:
        raise EventFileError(path, f"properties appear twice: {', '.join(doubled)}")
    table.columns = headers
    table = table.apply(_as_text) if len(table.columns) else table
    sources = _resolve_plain(path, table.columns, "geojson", with_coordinates=False)

    rows = np.arange(len(features))
    checks = RowChecks(rows, "feature")
    parts = pd.DataFrame(
        [_point_coordinates(feature) for feature in features],
        columns=["field", "value", "a", "b"],
        index=table.index,
    )
    bad_geometry = (parts["field"] != "").to_numpy()
    for name, group in parts[bad_geometry].groupby("field"):
        mask = np.zeros(len(rows), dtype=bool)
        mask[group.index.to_numpy()] = True
        checks.add(mask, str(name), parts["value"], parts["a"], unreadable=name in ("feature", "properties"))
    check_field_sizes(checks, table)

    generated = path.stem + "-F" + pd.Series(rows, index=table.index).astype(str)
    frame = _lenient_frame(table, sources, generated)
    frame["longitude"] = parts["a"].where(~bad_geometry, "")
    frame["latitude"] = parts["b"].where(~bad_geometry, "")
    return _finish(frame, checks, path, "geojson", sources, strict=False, skip_coordinates=bad_geometry)


def sniff_format(path: Path | str) -> str:
    """Guess the format from the extension and the header line."""
    path = Path(path)
    if path.suffix.casefold() in (".geojson", ".json"):
        return "geojson"
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return "csv"  # the reader reports the file-level problem
    header = next(csv.reader(io.StringIO(head.splitlines()[0] if head else "")), [])
    columns = {name.strip().casefold() for name in header}
    if {"date_start", "side_a"} <= columns:
        return "ucdp"
    if "event_id_cnty" in columns:
        return "acled"
    return "csv"


READERS = {
    "acled": read_acled_csv,
    "ucdp": read_ucdp_csv,
    "geojson": read_events_geojson,
    "csv": read_plain_csv,
}


def read_events(
    path: Path | str,
    format: str | None = None,
    *,
    max_bytes: int = MAX_EVENT_FILE_BYTES,
) -> ImportResult:
    """Load an event file in ``format`` (acled, ucdp, geojson, csv) or a sniffed one."""
    fmt = sniff_format(path) if format is None else format.casefold()
    if fmt not in READERS:
        raise EventFileError(path, f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    result = READERS[fmt](path, max_bytes=max_bytes)
    return replace(result, events=fill_admin_from_position(result.events))
