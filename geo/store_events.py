"""Events, imports, syncs and deletions in the store: the parts both backends share.

Events are stored once per ``event_id_cnty`` (ACLED's key) with the columns the page
shows and the enrichment made at import (state, distances). An upsert adds new ids and
rewrites an id only when one of its values changed, so a sync reports added, changed
and unchanged rows truthfully. A deletion removes the event and leaves a row in
``event_deletion`` saying which id, when and why. Filters are SQL: the WHERE clause is
built here with named parameters (``:name``, understood by sqlite3 and SQLAlchemy alike);
each backend adds its own bounding-box test and aggregation SQL.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.events import EVENT_COLUMNS
from geo.filters import EventFilter
from geo.stats import NEAR_BORDER_KM, Summary

BBox = tuple[float, float, float, float]
"""west, south, east, north in degrees (EPSG:4326)."""

_NOT_TEXT = ("event_date", "latitude", "longitude", "geo_precision", "fatalities")
TEXT_COLUMNS = (*(c for c in EVENT_COLUMNS if c not in _NOT_TEXT), "admin1_raw", "state", "nearest_crossing")
NUMBER_COLUMNS = ("km_to_china_border", "km_to_nearest_crossing")
STORED_EVENT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    *(c for c in TEXT_COLUMNS if c != "event_id_cnty"),
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    *NUMBER_COLUMNS,
    "acled_timestamp",
)
"""Columns of the ``event`` table, in this order (the PostGIS table adds ``geom``)."""

UPSERT_BATCH = 5_000
SUMMARY_SQL = (
    "SELECT COUNT(*), COALESCE(SUM(fatalities), 0), COUNT(DISTINCT NULLIF(state, '')), "
    "COALESCE(SUM(CASE WHEN km_to_china_border <= :near_km THEN 1 ELSE 0 END), 0) FROM event WHERE {where}"
)
"""The headline figures (:func:`geo.stats.summarise`) in one query both backends run."""
NO_FILTER = EventFilter()


@dataclass(frozen=True)
class EventChanges:
    added: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class ImportLog:
    """One file or sync page loaded into the store, with its row report."""

    name: str
    accepted: int
    rejected: int
    report: str
    editor: str
    imported_at: datetime


@dataclass(frozen=True)
class SyncLog:
    """One run of the ACLED sync."""

    synced_at: datetime
    source: str
    added: int
    changed: int
    deleted: int
    newest_timestamp: int | None
    editor: str


@dataclass(frozen=True)
class EventFacets:
    """What the filter widgets offer, asked of the database instead of loading every event."""

    count: int
    first: date | None
    last: date | None
    actors: tuple[str, ...]
    sub_event_types: tuple[str, ...] = ()
    admin1_raw: tuple[str, ...] = ()


FACETS_SQL = (
    "SELECT COUNT(*), MIN(event_date), MAX(event_date) FROM event",
    "SELECT actor1 FROM event WHERE actor1 <> '' UNION SELECT actor2 FROM event WHERE actor2 <> '' ORDER BY 1",
    "SELECT DISTINCT sub_event_type FROM event WHERE sub_event_type <> '' ORDER BY 1",
    "SELECT DISTINCT admin1_raw FROM event WHERE admin1_raw <> '' ORDER BY 1",
)


def facets(totals: tuple[Any, ...], *choices: Iterable[tuple[Any, ...]]) -> EventFacets:
    """The facets from the rows of :data:`FACETS_SQL`, in its order."""
    first, last = (None if d is None else date.fromisoformat(str(d)) for d in totals[1:])
    return EventFacets(int(totals[0]), first, last, *(tuple(row[0] for row in rows) for rows in choices))


@dataclass(frozen=True)
class EventDeletion:
    event_id_cnty: str
    deleted_at: datetime
    reason: str


def event_rows(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Events as one parameter dict per row, in the stored columns (missing enrichment: empty/NULL)."""
    frame = pd.DataFrame(index=events.index)
    for column in TEXT_COLUMNS:
        values = events[column] if column in events.columns else pd.Series("", index=events.index)
        frame[column] = values.astype("string").fillna("").astype(object)
    frame["event_date"] = pd.to_datetime(events["event_date"]).dt.strftime("%Y-%m-%d")
    for column in ("latitude", "longitude"):
        frame[column] = events[column].astype(float)
    for column in ("geo_precision", "fatalities"):
        frame[column] = events[column].astype("int64")
    for column in NUMBER_COLUMNS:
        values = events[column].astype(float) if column in events.columns else pd.Series(np.nan, index=events.index)
        frame[column] = values.astype(object).where(values.notna(), None)
    stamps = events["acled_timestamp"] if "acled_timestamp" in events.columns else pd.Series(None, index=events.index)
    frame["acled_timestamp"] = stamps.astype(object).where(stamps.notna(), None)
    frame["acled_timestamp"] = [None if v is None else int(v) for v in frame["acled_timestamp"]]
    return frame[list(STORED_EVENT_COLUMNS)].to_dict("records")


def events_frame(rows: list[dict[str, Any]] | pd.DataFrame) -> gpd.GeoDataFrame:
    """Stored rows back as the importer's GeoDataFrame (event_date as datetime, points)."""
    frame = pd.DataFrame(rows, columns=list(STORED_EVENT_COLUMNS))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    for column in ("latitude", "longitude", *NUMBER_COLUMNS):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in ("geo_precision", "fatalities"):
        frame[column] = frame[column].astype("int64")
    frame["acled_timestamp"] = pd.array(frame["acled_timestamp"], dtype="Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326")


def _in_list(column: str, name: str, values: Iterable[str], params: dict[str, Any]) -> str:
    names = []
    for number, value in enumerate(sorted(values)):
        params[f"{name}_{number}"] = value
        names.append(f":{name}_{number}")
    return f"{column} IN ({', '.join(names)})" if names else "FALSE"


def where_clause(event_filter: EventFilter, *, date_cast: str = "") -> tuple[str, dict[str, Any]]:
    """The filter as an SQL condition on the ``event`` table, with its named parameters.

    ``date_cast`` turns the ISO date parameters into the column's type (``CAST(... AS date)``
    for PostgreSQL; SQLite compares ISO text).
    """
    params: dict[str, Any] = {}
    conditions = ["TRUE"]
    cast = (lambda p: f"CAST({p} AS {date_cast})") if date_cast else (lambda p: p)
    if event_filter.start is not None:
        params["start"] = event_filter.start.isoformat()
        conditions.append(f"event_date >= {cast(':start')}")
    if event_filter.end is not None:
        params["end"] = event_filter.end.isoformat()
        conditions.append(f"event_date <= {cast(':end')}")
    if event_filter.event_types is not None:
        conditions.append(_in_list("event_type", "type", event_filter.event_types, params))
    if event_filter.actors is not None:
        actor1 = _in_list("actor1", "actor", event_filter.actors, params)
        conditions.append(f"({actor1} OR {actor1.replace('actor1', 'actor2', 1)})")
    if event_filter.states is not None:
        conditions.append(_in_list("state", "state", event_filter.states, params))
    if event_filter.min_fatalities > 0:
        params["min_fatalities"] = event_filter.min_fatalities
        conditions.append("fatalities >= :min_fatalities")
    if event_filter.sub_event_types is not None:
        conditions.append(_in_list("sub_event_type", "subtype", event_filter.sub_event_types, params))
    if event_filter.admin1_raw is not None:
        conditions.append(_in_list("admin1_raw", "admin1", event_filter.admin1_raw, params))
    if event_filter.interactions is not None:
        conditions.append("FALSE")  # ACLED's interaction is not stored: as in memory, no event has one to match
    if event_filter.actor_text:
        escaped = re.sub(r"([\\%_])", r"\\\1", event_filter.actor_text.lower())
        params["actor_text"] = f"%{escaped}%"
        like = "LOWER({}) LIKE :actor_text ESCAPE '\\'"
        conditions.append(f"({like.format('actor1')} OR {like.format('actor2')})")
    return " AND ".join(conditions), params


def check_bbox(bbox: BBox) -> BBox:
    west, south, east, north = bbox
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(f"bbox: {bbox} is not west < east, south < north in degrees")
    return bbox


class _Connection(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


SQLITE_EVENT_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS event (
    event_id_cnty TEXT PRIMARY KEY,
    event_date TEXT NOT NULL,
    {", ".join(f"{c} TEXT NOT NULL" for c in TEXT_COLUMNS if c != "event_id_cnty")},
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    geo_precision INTEGER NOT NULL,
    fatalities INTEGER NOT NULL,
    km_to_china_border REAL,
    km_to_nearest_crossing REAL,
    acled_timestamp INTEGER
);
CREATE INDEX IF NOT EXISTS event_date_index ON event (event_date);
CREATE INDEX IF NOT EXISTS event_position ON event (longitude, latitude);
CREATE TABLE IF NOT EXISTS event_deletion (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id_cnty TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS import_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    report TEXT NOT NULL,
    editor TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    synced_at TEXT NOT NULL,
    source TEXT NOT NULL,
    added INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    newest_timestamp INTEGER,
    editor TEXT NOT NULL
);
"""

UPDATED_COLUMNS = [c for c in STORED_EVENT_COLUMNS if c != "event_id_cnty"]


def changed_condition(different: str) -> str:
    """SQL true when any stored column differs from the incoming row (``different``: IS NOT / IS DISTINCT FROM)."""
    stored = ", ".join(f"event.{c}" for c in UPDATED_COLUMNS)
    incoming = ", ".join(f"excluded.{c}" for c in UPDATED_COLUMNS)
    return f"({stored}) {different} ({incoming})"


UPSERT_EVENT = (
    f"INSERT INTO event ({', '.join(STORED_EVENT_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in STORED_EVENT_COLUMNS)}) "
    f"ON CONFLICT (event_id_cnty) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in UPDATED_COLUMNS)} "
    f"WHERE {changed_condition('IS NOT')}"
)
"""Upsert that rewrites an existing id only when a value changed (SQLite spelling: ``IS NOT``)."""


def existing_ids(connection: _Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            r[0] for r in connection.execute(f"SELECT event_id_cnty FROM event WHERE event_id_cnty IN ({marks})", chunk)
        )
    return found


class SqliteEventStore:
    """Event methods of :class:`geo.store.SqliteStore` (it supplies ``_connect`` and ``_write``)."""

    _connect: Any
    _write: Any

    def upsert_events(self, events: pd.DataFrame) -> EventChanges:
        rows = event_rows(events)
        with self._write() as connection:
            present = existing_ids(connection, [r["event_id_cnty"] for r in rows])
            before = connection.total_changes
            connection.executemany(UPSERT_EVENT, rows)
            written = connection.total_changes - before
        added = sum(r["event_id_cnty"] not in present for r in rows)
        return EventChanges(added, written - added, len(rows) - written)

    def delete_events(self, event_ids: Iterable[str], reason: str) -> list[str]:
        ids = sorted(set(event_ids))
        now = datetime.now(UTC).isoformat()
        with self._write() as connection:
            gone = sorted(existing_ids(connection, ids))
            connection.executemany("DELETE FROM event WHERE event_id_cnty = ?", [(i,) for i in gone])
            connection.executemany(
                "INSERT INTO event_deletion (event_id_cnty, deleted_at, reason) VALUES (?, ?, ?)",
                [(i, now, reason) for i in gone],
            )
        return gone

    def events(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> gpd.GeoDataFrame:
        where, params = self._where(event_filter, bbox)
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(STORED_EVENT_COLUMNS)} FROM event WHERE {where} ORDER BY event_date, event_id_cnty",
                params,
            ).fetchall()
        return events_frame([dict(r) for r in rows])

    def counts_per_state(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        where, params = self._where(event_filter, bbox)
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT state, COUNT(*) AS events, SUM(fatalities) AS fatalities FROM event WHERE {where} "
                "GROUP BY state ORDER BY events DESC, fatalities DESC, state",
                params,
            ).fetchall()
        return _per_state([tuple(r) for r in rows])

    def weekly_counts(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        where, params = self._where(event_filter, bbox)
        monday = "date(event_date, '-' || ((CAST(strftime('%w', event_date) AS INTEGER) + 6) % 7) || ' days')"
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT {monday} AS week, event_type, COUNT(*) FROM event WHERE {where} GROUP BY week, event_type",
                params,
            ).fetchall()
        return _weekly([tuple(r) for r in rows])

    def event_summary(self, event_filter: EventFilter = NO_FILTER) -> Summary:
        where, params = self._where(event_filter, None)
        with self._connect() as connection:
            row = connection.execute(SUMMARY_SQL.format(where=where), params | {"near_km": NEAR_BORDER_KM}).fetchone()
        return Summary(*(int(value) for value in row))

    def event_facets(self) -> EventFacets:
        with self._connect() as connection:
            totals = connection.execute(FACETS_SQL[0]).fetchone()
            return facets(tuple(totals), *(connection.execute(sql).fetchall() for sql in FACETS_SQL[1:]))

    def newest_acled_timestamp(self) -> int | None:
        with self._connect() as connection:
            return connection.execute("SELECT MAX(acled_timestamp) FROM event").fetchone()[0]

    def deletions(self) -> list[EventDeletion]:
        with self._connect() as connection:
            rows = connection.execute("SELECT event_id_cnty, deleted_at, reason FROM event_deletion ORDER BY seq")
            return [EventDeletion(r[0], datetime.fromisoformat(r[1]), r[2]) for r in rows]

    def log_import(self, log: ImportLog) -> None:
        with self._write() as connection:
            connection.execute(
                "INSERT INTO import_log (name, accepted, rejected, report, editor, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (log.name, log.accepted, log.rejected, log.report, log.editor, log.imported_at.isoformat()),
            )

    def imports(self) -> list[ImportLog]:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT name, accepted, rejected, report, editor, imported_at FROM import_log ORDER BY seq"
            ).fetchall()
        return [ImportLog(*tuple(r)[:5], datetime.fromisoformat(r[5])) for r in rows]

    def log_sync(self, log: SyncLog) -> None:
        with self._write() as connection:
            connection.execute(
                "INSERT INTO sync_log (synced_at, source, added, changed, deleted, newest_timestamp, editor) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    log.synced_at.isoformat(),
                    log.source,
                    log.added,
                    log.changed,
                    log.deleted,
                    log.newest_timestamp,
                    log.editor,
                ),
            )

    def syncs(self) -> list[SyncLog]:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT synced_at, source, added, changed, deleted, newest_timestamp, editor FROM sync_log ORDER BY seq"
            ).fetchall()
        return [SyncLog(datetime.fromisoformat(r[0]), *tuple(r)[1:]) for r in rows]

    @staticmethod
    def _where(event_filter: EventFilter, bbox: BBox | None) -> tuple[str, dict[str, Any]]:
        where, params = where_clause(event_filter)
        if bbox is not None:
            params.update(zip(("west", "south", "east", "north"), check_bbox(bbox), strict=True))
            where += " AND longitude BETWEEN :west AND :east AND latitude BETWEEN :south AND :north"
        return where, params


def _per_state(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of (state, events, fatalities) as :func:`geo.stats.per_state` shapes them."""
    from geo.stats import OUTSIDE

    frame = pd.DataFrame(rows, columns=["state", "events", "fatalities"])
    frame["state"] = frame["state"].replace("", OUTSIDE).fillna(OUTSIDE)
    frame = frame.groupby("state", sort=False)[["events", "fatalities"]].sum().astype("int64")
    return frame.sort_values(["events", "fatalities"], ascending=False, kind="stable")


def _weekly(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of (week's Monday, event_type, count) as :func:`geo.stats.weekly_timeline` shapes them."""
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows, columns=["week", "event_type", "events"])
    frame["week"] = pd.to_datetime(frame["week"])
    table = frame.pivot_table(index="week", columns="event_type", values="events", aggfunc="sum", fill_value=0)
    weeks = pd.date_range(table.index.min(), table.index.max(), freq="W-MON", name="week")
    table = table.reindex(weeks, fill_value=0).astype("int64")
    table.columns = pd.Index(np.asarray(table.columns, dtype=object), name="event_type")
    return table


def iter_chunks(rows: list[dict[str, Any]], size: int = UPSERT_BATCH) -> Iterator[list[dict[str, Any]]]:
    for first in range(0, len(rows), size):
        yield rows[first : first + size]
