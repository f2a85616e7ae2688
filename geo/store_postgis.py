"""The team backend: the store's interface on PostgreSQL + PostGIS (``DATABASE_URL=postgresql://...``).

Several app processes share one database; each process holds one SQLAlchemy connection
pool per URL (:func:`engine`), never a copy of the data: the page asks for the events it
shows (dates, types, actors, states, the map's box through the GiST index on ``geom``)
and the per-state and weekly counts are SQL. The schema is made and upgraded by Alembic
(``geo/migrations``) when a process first opens the store, under an advisory lock so two
processes starting together migrate once.

Writes to the control history take a table lock for the length of one transaction, so an
edit's version check and its insert see the same state (two editors: the second is refused
with :class:`geo.store.StaleEditError`, as in the embedded store).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from geo.control import ControlRecord, PlaceKey, check_record
from geo.filters import EventFilter
from geo.fronts import empty_fronts
from geo.stats import NEAR_BORDER_KM, Summary
from geo.store import RECORD_COLUMNS, ControlStore, ImportSummary, StaleEditError, _record, _row
from geo.store_events import (
    FACETS_SQL,
    NO_FILTER,
    STORED_EVENT_COLUMNS,
    SUMMARY_SQL,
    UPDATED_COLUMNS,
    BBox,
    EventChanges,
    EventDeletion,
    EventFacets,
    ImportLog,
    SyncLog,
    _per_state,
    _weekly,
    changed_condition,
    check_bbox,
    event_rows,
    events_frame,
    facets,
    where_clause,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 72_617_001
"""pg_advisory_xact_lock key held while a process migrates the schema."""
POOL_SIZE, POOL_OVERFLOW = 10, 30
"""Connections per process: 20 concurrent page sessions exhausted 5 + 5 in bench/team.py."""

_engines: dict[str, Engine] = {}


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` or ``postgres://`` as SQLAlchemy's psycopg 3 URL."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"DATABASE_URL: {url.split('@')[-1]!r} is not a postgresql:// URL")


def engine(url: str) -> Engine:
    """This process's pool for ``url`` (made once, shared by every session of the process)."""
    key = sqlalchemy_url(url)
    if key not in _engines:
        _engines[key] = sa.create_engine(key, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_pre_ping=True)
    return _engines[key]


def migrate(db: Engine) -> None:
    """Bring the schema to the newest Alembic revision (once, whoever gets the lock first)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.begin() as connection:
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


INSERT_RECORD = (
    f"INSERT INTO control_record ({', '.join(RECORD_COLUMNS)}) VALUES ("
    + ", ".join(
        {"valid_from": "CAST(:valid_from AS date)", "sources": "CAST(:sources AS jsonb)"}.get(
            c, f"CAST(:{c} AS timestamptz)" if c == "recorded_at" else f":{c}"
        )
        for c in RECORD_COLUMNS
    )
    + ")"
)
SELECT_RECORDS = f"SELECT {', '.join(RECORD_COLUMNS)} FROM control_record"

UPSERT_FROM_INCOMING = (
    f"INSERT INTO event ({', '.join(STORED_EVENT_COLUMNS)}, geom) "
    f"SELECT {', '.join(STORED_EVENT_COLUMNS)}, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) FROM incoming "
    f"ON CONFLICT (event_id_cnty) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in [*UPDATED_COLUMNS, 'geom'])} "
    f"WHERE {changed_condition('IS DISTINCT FROM')}"
)
"""Upsert from the COPY-filled temp table; an existing id is rewritten only when a value changed."""


def _as_record(row: sa.RowMapping) -> ControlRecord:
    values = dict(row)
    values["valid_from"] = values["valid_from"].isoformat()
    values["recorded_at"] = values["recorded_at"].isoformat()
    values["sources"] = json.dumps(values["sources"])
    return _record(values)  # type: ignore[arg-type]


class PostgisStore(ControlStore):
    """The store on a shared PostgreSQL + PostGIS database (see module doc)."""

    def __init__(self, db: Engine) -> None:
        self.db = db
        self.location = db.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str) -> PostgisStore:
        db = engine(url)
        migrate(db)
        return cls(db)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.db.connect() as connection:
            yield connection

    # -------------------------------------------------------------- control history

    def records(self) -> list[ControlRecord]:
        with self._read() as connection:
            return [_as_record(r) for r in connection.execute(sa.text(f"{SELECT_RECORDS} ORDER BY seq")).mappings()]

    def place_version(self, place: PlaceKey) -> str | None:
        with self._read() as connection:
            return self._version(connection, place)

    @staticmethod
    def _version(connection: Connection, place: PlaceKey) -> str | None:
        return connection.execute(
            sa.text(
                "SELECT record_id FROM control_record WHERE place_kind = :kind AND place_pcode = :pcode "
                "ORDER BY seq DESC LIMIT 1"
            ),
            {"kind": place[0], "pcode": place[1]},
        ).scalar()

    def add_record(self, record: ControlRecord, based_on: str | None) -> ControlRecord:
        check_record(record)
        with self.db.begin() as connection:
            connection.execute(sa.text("LOCK TABLE control_record IN SHARE ROW EXCLUSIVE MODE"))
            current = self._version(connection, record.place)
            if current != based_on:
                latest = connection.execute(
                    sa.text("SELECT editor, recorded_at FROM control_record WHERE record_id = :id"), {"id": current}
                ).one()
                raise StaleEditError(
                    f"{record.place_name or record.place_pcode} was changed by {latest.editor} at "
                    f"{latest.recorded_at.isoformat()} (record {current}) after you opened it; your edit was not "
                    "saved. Reload the place's history and make your edit again."
                )
            if (
                record.corrects
                and not connection.execute(
                    sa.text("SELECT 1 FROM control_record WHERE record_id = :id"), {"id": record.corrects}
                ).first()
            ):
                raise ValueError(f"corrects: no record {record.corrects!r} in the store")
            connection.execute(sa.text(INSERT_RECORD), dict(zip(RECORD_COLUMNS, _row(record), strict=True)))
        return record

    def import_records(self, records: Iterable[ControlRecord]) -> ImportSummary:
        rows = [dict(zip(RECORD_COLUMNS, _row(check_record(r)), strict=True)) for r in records]
        added = 0
        with self.db.begin() as connection:
            connection.execute(sa.text("LOCK TABLE control_record IN SHARE ROW EXCLUSIVE MODE"))
            statement = sa.text(INSERT_RECORD + " ON CONFLICT (record_id) DO NOTHING")
            for row in rows:
                added += connection.execute(statement, row).rowcount
        return ImportSummary(added, len(rows) - added)

    # ---------------------------------------------------------------------- fronts

    def fronts(self) -> gpd.GeoDataFrame:
        with self._read() as connection:
            frame = pd.read_sql(
                sa.text(
                    "SELECT front, actor, status, valid_from, valid_to, source, notes, ST_AsBinary(geom) AS wkb "
                    "FROM front ORDER BY seq"
                ),
                connection,
            )
        if frame.empty:
            return empty_fronts()
        geometry = shapely.from_wkb([bytes(b) for b in frame.pop("wkb")])
        fronts = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        for column in ("valid_from", "valid_to"):
            fronts[column] = pd.to_datetime(fronts[column])
        return fronts

    def add_front(self, front: gpd.GeoDataFrame, editor: str) -> None:
        now = datetime.now(UTC)
        rows = [
            {
                "front": str(row.front),
                "actor": str(row.actor),
                "status": str(row.status or ""),
                "valid_from": pd.Timestamp(row.valid_from).date(),
                "valid_to": None if pd.isna(row.valid_to) else pd.Timestamp(row.valid_to).date(),
                "source": str(row.source or ""),
                "notes": str(row.notes or ""),
                "wkb": shapely.to_wkb(row.geometry),
                "editor": editor,
                "recorded_at": now,
            }
            for row in front.itertuples()
        ]
        with self.db.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO front (front, actor, status, valid_from, valid_to, source, notes, geom, editor, "
                    "recorded_at) VALUES (:front, :actor, :status, :valid_from, :valid_to, :source, :notes, "
                    "ST_GeomFromWKB(:wkb, 4326), :editor, :recorded_at)"
                ),
                rows,
            )

    # ---------------------------------------------------------------------- events

    def upsert_events(self, events: pd.DataFrame) -> EventChanges:
        """COPY into a temp table, then one INSERT ... ON CONFLICT: fast enough for millions of rows."""
        rows = event_rows(events)
        with self.db.begin() as connection:
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(
                f"CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT {', '.join(STORED_EVENT_COLUMNS)} "
                "FROM event WITH NO DATA"
            )
            with cursor.copy(f"COPY incoming ({', '.join(STORED_EVENT_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(row[c] for c in STORED_EVENT_COLUMNS))
            cursor.execute(
                "SELECT COUNT(*) FROM incoming WHERE NOT EXISTS "
                "(SELECT 1 FROM event WHERE event.event_id_cnty = incoming.event_id_cnty)"
            )
            added = cursor.fetchone()[0]
            cursor.execute(UPSERT_FROM_INCOMING)
            written = cursor.rowcount
        return EventChanges(added, written - added, len(rows) - written)

    def delete_events(self, event_ids: Iterable[str], reason: str) -> list[str]:
        with self.db.begin() as connection:
            gone = sorted(
                connection.execute(
                    sa.text("DELETE FROM event WHERE event_id_cnty = ANY(:ids) RETURNING event_id_cnty"),
                    {"ids": sorted(set(event_ids))},
                ).scalars()
            )
            if gone:
                connection.execute(
                    sa.text(
                        "INSERT INTO event_deletion (event_id_cnty, deleted_at, reason) VALUES (:id, :at, :reason)"
                    ),
                    [{"id": i, "at": datetime.now(UTC), "reason": reason} for i in gone],
                )
        return gone

    @staticmethod
    def _where(event_filter: EventFilter, bbox: BBox | None) -> tuple[str, dict[str, Any]]:
        where, params = where_clause(event_filter, date_cast="date")
        if bbox is not None:
            params.update(zip(("west", "south", "east", "north"), check_bbox(bbox), strict=True))
            where += " AND geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)"
        return where, params

    def events(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> gpd.GeoDataFrame:
        where, params = self._where(event_filter, bbox)
        with self._read() as connection:
            rows = connection.execute(
                sa.text(
                    f"SELECT {', '.join(STORED_EVENT_COLUMNS)} FROM event WHERE {where} "
                    "ORDER BY event_date, event_id_cnty"
                ),
                params,
            ).all()
        return events_frame(pd.DataFrame(rows, columns=list(STORED_EVENT_COLUMNS)))

    def counts_per_state(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        where, params = self._where(event_filter, bbox)
        with self._read() as connection:
            rows = connection.execute(
                sa.text(f"SELECT state, COUNT(*), SUM(fatalities) FROM event WHERE {where} GROUP BY state"), params
            ).all()
        return _per_state([tuple(r) for r in rows])

    def weekly_counts(self, event_filter: EventFilter = NO_FILTER, bbox: BBox | None = None) -> pd.DataFrame:
        where, params = self._where(event_filter, bbox)
        with self._read() as connection:
            rows = connection.execute(
                sa.text(
                    f"SELECT CAST(date_trunc('week', event_date) AS date) AS week, event_type, COUNT(*) FROM event "
                    f"WHERE {where} GROUP BY week, event_type"
                ),
                params,
            ).all()
        return _weekly([tuple(r) for r in rows])

    def event_summary(self, event_filter: EventFilter = NO_FILTER) -> Summary:
        where, params = self._where(event_filter, None)
        with self._read() as connection:
            row = connection.execute(
                sa.text(SUMMARY_SQL.format(where=where)), params | {"near_km": NEAR_BORDER_KM}
            ).one()
        return Summary(*(int(value) for value in row))

    def event_facets(self) -> EventFacets:
        with self._read() as connection:
            totals = connection.execute(sa.text(FACETS_SQL[0])).one()
            return facets(tuple(totals), *(connection.execute(sa.text(sql)).all() for sql in FACETS_SQL[1:]))

    def newest_acled_timestamp(self) -> int | None:
        with self._read() as connection:
            return connection.execute(sa.text("SELECT MAX(acled_timestamp) FROM event")).scalar()

    def deletions(self) -> list[EventDeletion]:
        with self._read() as connection:
            rows = connection.execute(
                sa.text("SELECT event_id_cnty, deleted_at, reason FROM event_deletion ORDER BY seq")
            ).all()
        return [EventDeletion(*r) for r in rows]

    # ------------------------------------------------------------ imports and syncs

    def log_import(self, log: ImportLog) -> None:
        with self.db.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO import_log (name, accepted, rejected, report, editor, imported_at) "
                    "VALUES (:name, :accepted, :rejected, :report, :editor, :imported_at)"
                ),
                log.__dict__,
            )

    def imports(self) -> list[ImportLog]:
        with self._read() as connection:
            rows = connection.execute(
                sa.text("SELECT name, accepted, rejected, report, editor, imported_at FROM import_log ORDER BY seq")
            ).all()
        return [ImportLog(*r) for r in rows]

    def log_sync(self, log: SyncLog) -> None:
        with self.db.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO sync_log (synced_at, source, added, changed, deleted, newest_timestamp, editor) "
                    "VALUES (:synced_at, :source, :added, :changed, :deleted, :newest_timestamp, :editor)"
                ),
                log.__dict__,
            )

    def syncs(self) -> list[SyncLog]:
        with self._read() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT synced_at, source, added, changed, deleted, newest_timestamp, editor FROM sync_log "
                    "ORDER BY seq"
                )
            ).all()
        return [SyncLog(*r) for r in rows]
