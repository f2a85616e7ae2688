"""Where control records, analyst-drawn fronts and events live: one interface, SQLite by default.

:class:`ControlStore` is the interface the page, the CLI and the tests use; with
``DATABASE_URL=postgresql://...`` :func:`open_store` returns the PostGIS backend
(:mod:`geo.store_postgis`), which implements the same methods for a team. :class:`SqliteStore`
is the default: one file, ``control.sqlite``, in ``$MYANMAR_CONFLICT_MAP_DATA``
(default ``~/.local/share/myanmar-conflict-map``), in WAL mode with full syncs, every
write one ``BEGIN IMMEDIATE`` transaction, so a crash mid-write leaves the store as it
was before that write.

Optimistic concurrency: the version of a place is the ``record_id`` of the record
most recently stored for it (None before the first). An edit names the version its
editor saw; if another edit has been stored for the place since, the edit is refused
with :class:`StaleEditError`, never stored over the other.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.boundaries import DATA_DIR
from geo.control import ControlRecord, PlaceKey, Source, check_record, read_history_csv
from geo.filters import EventFilter
from geo.fronts import empty_fronts
from geo.stats import Summary
from geo.store_events import (
    NO_FILTER,
    SQLITE_EVENT_SCHEMA,
    BBox,
    EventChanges,
    EventDeletion,
    EventFacets,
    ImportLog,
    SqliteEventStore,
    SyncLog,
)

DATA_ENV = "MYANMAR_CONFLICT_MAP_DATA"
DATABASE_URL_ENV = "DATABASE_URL"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "myanmar-conflict-map"
STORE_FILE = "control.sqlite"
SHIPPED_HISTORY = DATA_DIR / "control_history.csv"


class StoreError(RuntimeError):
    """A store that cannot be opened: not a database, or a file that is not ours."""


class StaleEditError(RuntimeError):
    """An edit made against a version of a place that is no longer the latest."""


@dataclass(frozen=True)
class ImportSummary:
    added: int
    already_present: int


class ControlStore(ABC):
    """Control history and fronts, shared by every session and process that opens it."""

    location: str

    @abstractmethod
    def records(self) -> list[ControlRecord]:
        """Every record, in the order stored (oldest first)."""

    @abstractmethod
    def place_version(self, place: PlaceKey) -> str | None:
        """The record_id most recently stored for ``place`` (None: none yet)."""

    @abstractmethod
    def add_record(self, record: ControlRecord, based_on: str | None) -> ControlRecord:
        """Store an edit made when the place's version was ``based_on``; StaleEditError if it moved on."""

    @abstractmethod
    def import_records(self, records: Iterable[ControlRecord]) -> ImportSummary:
        """Store a whole history at once (all or nothing); records already present are skipped."""

    @abstractmethod
    def fronts(self) -> gpd.GeoDataFrame:
        """Analyst-drawn fronts in the :func:`geo.fronts.empty_fronts` columns."""

    @abstractmethod
    def add_front(self, front: gpd.GeoDataFrame, editor: str) -> None:
        """Store drawn fronts (one row each, with valid_from/valid_to and source)."""

    @abstractmethod
    def upsert_events(self, events: pd.DataFrame) -> EventChanges:
        """Add events by ``event_id_cnty``; an existing id is rewritten only if a value changed."""

    @abstractmethod
    def delete_events(self, event_ids: Iterable[str], reason: str) -> list[str]:
        """Remove these events (ids not stored are ignored); each removal is logged. Returns the ids removed."""

    @abstractmethod
    def events(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> gpd.GeoDataFrame:
        """The stored events passing the filter (and inside ``bbox``), oldest first."""

    @abstractmethod
    def counts_per_state(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        """Events and fatalities per state, counted by the database (as :func:`geo.stats.per_state`)."""

    @abstractmethod
    def weekly_counts(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        """Events per week (Monday) and type, counted by the database (as :func:`geo.stats.weekly_timeline`)."""

    @abstractmethod
    def event_summary(self, event_filter: EventFilter = NO_FILTER) -> Summary:
        """Events, fatalities, states and events near the China border, counted by the database
        (as :func:`geo.stats.summarise`)."""

    @abstractmethod
    def event_facets(self) -> EventFacets:
        """How many events, their first and last dates, and every actor named (for the filter widgets)."""

    @abstractmethod
    def newest_acled_timestamp(self) -> int | None:
        """The largest ACLED ``timestamp`` stored: where an incremental sync starts."""

    @abstractmethod
    def deletions(self) -> list[EventDeletion]:
        """Every event removal, oldest first."""

    @abstractmethod
    def log_import(self, log: ImportLog) -> None:
        """Keep an import's row report."""

    @abstractmethod
    def imports(self) -> list[ImportLog]:
        """Every import logged, oldest first."""

    @abstractmethod
    def log_sync(self, log: SyncLog) -> None:
        """Keep a sync's counts."""

    @abstractmethod
    def syncs(self) -> list[SyncLog]:
        """Every sync logged, oldest first."""


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV) or DEFAULT_DATA_DIR)


def store_location() -> str:
    """Where :func:`open_store` opens by default: ``$DATABASE_URL``, else the data directory's file."""
    return os.environ.get(DATABASE_URL_ENV) or str(data_dir() / STORE_FILE)


def open_store(path: Path | str | None = None, *, seed: Path | None = SHIPPED_HISTORY) -> ControlStore:
    """The store at ``path`` (a ``postgresql://`` URL, a file, or a directory holding ``control.sqlite``;
    default: ``$DATABASE_URL`` if set, else :func:`data_dir`), seeded from the shipped history when it
    has no records yet."""
    url = str(path) if path is not None else os.environ.get(DATABASE_URL_ENV, "")
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        from geo.store_postgis import PostgisStore

        store: ControlStore = PostgisStore.open(url)
    else:
        target = Path(path) if path is not None else data_dir()
        if target.is_dir() or path is None:
            target = target / STORE_FILE
        try:
            store = SqliteStore(target)
        except (sqlite3.DatabaseError, OSError) as error:
            raise StoreError(f"{target} cannot be opened as a control store: {error}") from error
    if seed is not None and seed.is_file() and not store.records():
        history = read_history_csv(seed)
        if history.rejected:
            raise ValueError(f"shipped history has bad rows:\n{history.report()}")
        store.import_records(history.records)
    return store


SCHEMA = """
CREATE TABLE IF NOT EXISTS control_record (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    place_kind TEXT NOT NULL CHECK (place_kind IN ('town', 'township')),
    place_pcode TEXT NOT NULL,
    place_name TEXT NOT NULL,
    controller TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'contested', 'unknown')),
    confidence TEXT NOT NULL CHECK (confidence IN ('assessed', 'claimed')),
    valid_from TEXT NOT NULL,
    sources TEXT NOT NULL,
    note TEXT NOT NULL,
    corrects TEXT,
    editor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS control_record_place ON control_record (place_kind, place_pcode, seq);
CREATE TABLE IF NOT EXISTS front (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    front TEXT NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    source TEXT NOT NULL,
    notes TEXT NOT NULL,
    geometry_wkb BLOB NOT NULL,
    editor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
"""
RECORD_COLUMNS = (
    "record_id",
    "place_kind",
    "place_pcode",
    "place_name",
    "controller",
    "status",
    "confidence",
    "valid_from",
    "sources",
    "note",
    "corrects",
    "editor",
    "recorded_at",
)

INSERT_RECORD = (
    f"INSERT INTO control_record ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(RECORD_COLUMNS))})"
)


def _row(record: ControlRecord) -> tuple[object, ...]:
    sources = [[s.name, s.url, s.date.isoformat() if s.date else None] for s in record.sources]
    return (
        record.record_id,
        record.place_kind,
        record.place_pcode,
        record.place_name,
        record.controller,
        record.status,
        record.confidence,
        record.valid_from.isoformat(),
        json.dumps(sources, ensure_ascii=False),
        record.note,
        record.corrects,
        record.editor,
        record.recorded_at.isoformat(),
    )


def _record(row: sqlite3.Row) -> ControlRecord:
    return ControlRecord(
        record_id=row["record_id"],
        place_kind=row["place_kind"],
        place_pcode=row["place_pcode"],
        place_name=row["place_name"],
        controller=row["controller"],
        status=row["status"],
        confidence=row["confidence"],
        valid_from=date.fromisoformat(row["valid_from"]),
        sources=tuple(
            Source(name, url, date.fromisoformat(day) if day else None) for name, url, day in json.loads(row["sources"])
        ),
        note=row["note"],
        corrects=row["corrects"],
        editor=row["editor"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
    )


class SqliteStore(SqliteEventStore, ControlStore):
    """The embedded default (see module doc). One connection per call: safe across threads and processes.

    Records are append-only, so :meth:`records` keeps what it has read and asks the file only for
    rows stored since (by any process): a page run with no new edit converts nothing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        self._read: list[ControlRecord] = []
        self._last_seq = 0
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA + SQLITE_EVENT_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA synchronous=FULL")
        try:
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, taking the write lock at once so checks and writes see the same state."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def records(self) -> list[ControlRecord]:
        with self._lock, self._connect() as connection:
            rows = connection.execute(
                f"SELECT seq, {', '.join(RECORD_COLUMNS)} FROM control_record WHERE seq > ? ORDER BY seq",
                (self._last_seq,),
            ).fetchall()
            if rows:
                self._read = self._read + [_record(row) for row in rows]
                self._last_seq = rows[-1]["seq"]
            return list(self._read)

    def place_version(self, place: PlaceKey) -> str | None:
        with self._connect() as connection:
            return self._version(connection, place)

    @staticmethod
    def _version(connection: sqlite3.Connection, place: PlaceKey) -> str | None:
        row = connection.execute(
            "SELECT record_id FROM control_record WHERE place_kind = ? AND place_pcode = ? ORDER BY seq DESC LIMIT 1",
            place,
        ).fetchone()
        return None if row is None else row["record_id"]

    def add_record(self, record: ControlRecord, based_on: str | None) -> ControlRecord:
        check_record(record)
        with self._write() as connection:
            current = self._version(connection, record.place)
            if current != based_on:
                latest = connection.execute(
                    "SELECT editor, recorded_at FROM control_record WHERE record_id = ?", (current,)
                ).fetchone()
                raise StaleEditError(
                    f"{record.place_name or record.place_pcode} was changed by {latest['editor']} at "
                    f"{latest['recorded_at']} (record {current}) after you opened it; your edit was not saved. "
                    "Reload the place's history and make your edit again."
                )
            if (
                record.corrects
                and not connection.execute(
                    "SELECT 1 FROM control_record WHERE record_id = ?", (record.corrects,)
                ).fetchone()
            ):
                raise ValueError(f"corrects: no record {record.corrects!r} in the store")
            connection.execute(INSERT_RECORD, _row(record))
        return record

    def import_records(self, records: Iterable[ControlRecord]) -> ImportSummary:
        rows = [_row(check_record(record)) for record in records]
        with self._write() as connection:
            before = connection.total_changes
            connection.executemany(INSERT_RECORD.replace("INSERT", "INSERT OR IGNORE", 1), rows)
            added = connection.total_changes - before
        return ImportSummary(added, len(rows) - added)

    def fronts(self) -> gpd.GeoDataFrame:
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT front, actor, status, valid_from, valid_to, source, notes, geometry_wkb FROM front ORDER BY seq"
            ).fetchall()
        if not rows:
            return empty_fronts()
        frame = pd.DataFrame([dict(row) for row in rows])
        geometry = shapely.from_wkb(frame.pop("geometry_wkb").to_numpy())
        fronts = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        for column in ("valid_from", "valid_to"):
            fronts[column] = pd.to_datetime(fronts[column])
        return fronts

    def add_front(self, front: gpd.GeoDataFrame, editor: str) -> None:
        now = datetime.now(UTC).isoformat()
        rows = [
            (
                str(row.front),
                str(row.actor),
                str(row.status or ""),
                pd.Timestamp(row.valid_from).date().isoformat(),
                None if pd.isna(row.valid_to) else pd.Timestamp(row.valid_to).date().isoformat(),
                str(row.source or ""),
                str(row.notes or ""),
                shapely.to_wkb(row.geometry),
                editor,
                now,
            )
            for row in front.itertuples()
        ]
        with self._write() as connection:
            connection.executemany(
                "INSERT INTO front (front, actor, status, valid_from, valid_to, source, notes, geometry_wkb, editor, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
