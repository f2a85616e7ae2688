"""Control of towns and townships over time: records, control on a date, changes, CSV/GeoJSON.

A :class:`ControlRecord` says that a place (a town or a township, by MIMU P-code) is
held by a controller (a group id of :mod:`geo.controllers`, or an armed group's own
name, shown as "other") from ``valid_from``, with a status, a confidence, sources and
a note. History is never overwritten: a correction is a new record naming the record
it corrects in ``corrects``; the corrected record then counts on no date.

Control on a date, per place: the record with the latest ``valid_from`` on or before
it; ties go to the later ``recorded_at``, then to the later record in the history's
order. A township follows its seat town unless the township has its own record.

CSV schema (the shipped ``geo/data/control_history.csv`` and exports), one header row::

    record_id, place_kind, place_pcode, place_name, controller, status, confidence,
    valid_from, source_name, source_url, source_date, note

* ``place_kind``: ``town`` or ``township``; ``place_pcode``: the MIMU P-code
  (``towns.csv`` ``town_pcode`` or ``townships.geojson`` ``pcode``).
* ``controller``: a group id (sac, mndaa, tnla, aa, kia, uwsa, sspp, rcss, cnf,
  chinland, pdf, contested, unknown), an alias (e.g. ACLED's "AA: Arakan Army"), or
  another armed group's own name.
* ``status``: held | contested | unknown; ``confidence``: assessed | claimed.
* Dates are ``YYYY-MM-DD``; ``source_url`` is http(s); every record has at least
  one source with a name.
* **Several sources: repeat the record_id on extra rows**, one source per row. An
  extra row may leave the other fields empty; any it fills must equal the first row's.
* Exports add three columns, optional on import: ``corrects`` (the record_id a
  correction replaces), ``editor`` and ``recorded_at`` (ISO date-time, UTC).

Bad rows are reported with file, line and field (:class:`geo.rowchecks.RowError`);
good rows are kept.

Command line: ``python -m geo.control --asof YYYY-MM-DD [--json] [--store PATH]``
prints control per town and per township on that date (see :func:`main`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import shapely

from geo.controllers import controller_group, controller_label
from geo.guard import cli_edge
from geo.rowchecks import RowError

PLACE_KINDS = ("town", "township")
STATUSES = ("held", "contested", "unknown")
CONFIDENCES = ("assessed", "claimed")
CSV_COLUMNS = (
    "record_id",
    "place_kind",
    "place_pcode",
    "place_name",
    "controller",
    "status",
    "confidence",
    "valid_from",
    "source_name",
    "source_url",
    "source_date",
    "note",
)
EXPORT_COLUMNS = (*CSV_COLUMNS, "corrects", "editor", "recorded_at")
RECORD_FIELDS = ("place_kind", "place_pcode", "place_name", "controller", "status", "confidence", "valid_from", "note")
SHIPPED_EDITOR = "shipped history"
EARLIEST_CONTROL_DATE = date(1948, 1, 4)
"""Independence: no record of control in this map's sense starts earlier."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

PlaceKey = tuple[str, str]


class ControlRecordError(ValueError):
    """A record that breaks the model's rules; ``field`` names the culprit."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"{field_name}: {message}")


@dataclass(frozen=True)
class Source:
    """Where an assessment comes from."""

    name: str
    url: str = ""
    date: date | None = None


@dataclass(frozen=True)
class ControlRecord:
    """One assessment of who holds one place from one date (see module doc)."""

    record_id: str
    place_kind: Literal["town", "township"]
    place_pcode: str
    place_name: str
    controller: str
    status: Literal["held", "contested", "unknown"]
    confidence: Literal["assessed", "claimed"]
    valid_from: date
    sources: tuple[Source, ...]
    note: str = ""
    corrects: str | None = None
    editor: str = SHIPPED_EDITOR
    recorded_at: datetime = EPOCH

    @property
    def place(self) -> PlaceKey:
        return (self.place_kind, self.place_pcode)

    @property
    def label(self) -> str:
        """Controller as a reader sees it: "Arakan Army (AA)", "Contested", or an actor's own name."""
        if self.status != "held":
            return (
                self.status.capitalize()
                if self.controller in ("", self.status)
                else f"{self.status.capitalize()} ({controller_label(self.controller)})"
            )
        return controller_label(self.controller)

    @property
    def group(self) -> str:
        """The colour group: the controller's, or the status for an unknown place."""
        if self.status == "unknown":
            return "unknown"
        group = controller_group(self.controller).id
        return "contested" if group == "unknown" and self.status == "contested" else group

    def source_text(self) -> str:
        return "; ".join(
            " ".join(part for part in (s.name, s.url, s.date.isoformat() if s.date else "") if part)
            for s in self.sources
        )


def check_record(record: ControlRecord) -> ControlRecord:
    """The record if it keeps the model's rules, else :class:`ControlRecordError`."""
    if not record.record_id.strip():
        raise ControlRecordError("record_id", "is required")
    if record.place_kind not in PLACE_KINDS:
        raise ControlRecordError("place_kind", f"{record.place_kind!r} is not one of {', '.join(PLACE_KINDS)}")
    if not record.place_pcode.strip():
        raise ControlRecordError("place_pcode", "is required")
    if not record.controller.strip():
        raise ControlRecordError("controller", "is required")
    if record.status not in STATUSES:
        raise ControlRecordError("status", f"{record.status!r} is not one of {', '.join(STATUSES)}")
    if record.confidence not in CONFIDENCES:
        raise ControlRecordError("confidence", f"{record.confidence!r} is not one of {', '.join(CONFIDENCES)}")
    if not record.sources:
        raise ControlRecordError("source_name", "at least one source is required")
    for source in record.sources:
        if not source.name.strip():
            raise ControlRecordError("source_name", "is required")
        check_url(source.url)
    if not EARLIEST_CONTROL_DATE <= record.valid_from <= date.today():
        raise ControlRecordError(
            "valid_from", f"{record.valid_from} is not between {EARLIEST_CONTROL_DATE} and today (a typo?)"
        )
    if record.corrects == record.record_id:
        raise ControlRecordError("corrects", "a record cannot correct itself")
    return record


def check_url(url: str) -> str:
    """An http(s) URL or empty; anything else (javascript:, file:) is refused."""
    if url and (urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc):
        raise ControlRecordError("source_url", f"{url!r} is not an http(s) address")
    return url


# --- control on a date ---------------------------------------------------------------


def in_force(records: Sequence[ControlRecord]) -> list[tuple[int, ControlRecord]]:
    """Records not replaced by a correction, with their position in the history."""
    corrected = {record.corrects for record in records if record.corrects}
    return [(order, record) for order, record in enumerate(records) if record.record_id not in corrected]


def control_on(records: Sequence[ControlRecord], day: date) -> dict[PlaceKey, ControlRecord]:
    """Per place with a record on or before ``day``: the record in force (see module doc)."""
    latest: dict[PlaceKey, tuple[tuple[date, datetime, int], ControlRecord]] = {}
    for order, record in in_force(records):
        if record.valid_from > day:
            continue
        key = (record.valid_from, record.recorded_at, order)
        if record.place not in latest or key > latest[record.place][0]:
            latest[record.place] = (key, record)
    return {place: found for place, (_, found) in latest.items()}


def place_history(records: Sequence[ControlRecord], place: PlaceKey) -> list[ControlRecord]:
    """Every record of a place, corrected ones included, newest ``valid_from`` first."""
    mine = [(order, record) for order, record in enumerate(records) if record.place == place]
    mine.sort(key=lambda item: (item[1].valid_from, item[1].recorded_at, item[0]), reverse=True)
    return [record for _, record in mine]


@dataclass(frozen=True)
class PlaceControl:
    """Control of one place on a date; ``record`` is the township's seat town's when ``via_seat``."""

    kind: str
    pcode: str
    name: str
    record: ControlRecord
    via_seat: bool = False


@dataclass
class Gazetteer:
    """The places control can be recorded for (``geo.gazetteer`` frames, or test fixtures)."""

    towns: pd.DataFrame
    townships: gpd.GeoDataFrame
    seat_of: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        seats = self.townships.dropna(subset=["seat_town_pcode"])
        self.seat_of = dict(zip(seats["pcode"], seats["seat_town_pcode"], strict=True))

    @classmethod
    def load(cls) -> Gazetteer:
        from geo import gazetteer

        return cls(gazetteer.load_towns(), gazetteer.load_townships())


def places_on(records: Sequence[ControlRecord], day: date, places: Gazetteer) -> dict[PlaceKey, PlaceControl]:
    """Control of every town with a record and every township with its own or its seat town's."""
    control = control_on(records, day)
    town_names = dict(zip(places.towns["town_pcode"], places.towns["name_en"], strict=True))
    result: dict[PlaceKey, PlaceControl] = {}
    for (kind, pcode), record in control.items():
        name = town_names.get(pcode, record.place_name) if kind == "town" else record.place_name
        result[(kind, pcode)] = PlaceControl(kind, pcode, name, record)
    for township in places.townships.itertuples():
        if ("township", township.pcode) in result:
            result[("township", township.pcode)] = replace(result[("township", township.pcode)], name=township.name_en)
            continue
        seat = places.seat_of.get(township.pcode)
        if seat is not None and ("town", seat) in control:
            result[("township", township.pcode)] = PlaceControl(
                "township", township.pcode, township.name_en, control[("town", seat)], via_seat=True
            )
    return result


@dataclass(frozen=True)
class Change:
    """A place whose control differs between two dates, and the records dated in between."""

    kind: str
    pcode: str
    name: str
    before: ControlRecord | None
    after: ControlRecord | None
    records: tuple[ControlRecord, ...]

    @property
    def before_label(self) -> str:
        return self.before.label if self.before else "no record"

    @property
    def after_label(self) -> str:
        return self.after.label if self.after else "no record"


def changes_between(records: Sequence[ControlRecord], since: date, until: date, places: Gazetteer) -> list[Change]:
    """Places whose controller or status on ``until`` differs from that on ``since``."""
    before, after = places_on(records, since, places), places_on(records, until, places)
    in_between = [r for _, r in in_force(records) if since < r.valid_from <= until]
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        old_state = (old.record.controller, old.record.status) if old else None
        new_state = (new.record.controller, new.record.status) if new else None
        if old_state == new_state:
            continue
        shown = new or old
        assert shown is not None
        sources = {shown.record.place} | ({old.record.place} if old else set())
        made_by = tuple(sorted((r for r in in_between if r.place in sources), key=lambda r: r.valid_from))
        changes.append(Change(key[0], key[1], shown.name, old and old.record, new and new.record, made_by))
    return changes


def control_timeline(records: Sequence[ControlRecord], places: Gazetteer) -> dict[PlaceKey, list[ControlRecord]]:
    """Per place, the records in force from each change on, oldest first, in one pass over the history.

    A township without a record of its own lists its seat town's records until its own first one. The
    record in force on a day is the last entry with ``valid_from`` on or before it (as :func:`places_on`).
    """
    ordered = sorted(in_force(records), key=lambda item: (item[1].valid_from, item[1].recorded_at, item[0]))
    townships_of: dict[str, list[str]] = {}
    for township, seat in places.seat_of.items():
        townships_of.setdefault(seat, []).append(township)
    timeline: dict[PlaceKey, list[ControlRecord]] = {}
    own_record: set[PlaceKey] = set()

    def add(place: PlaceKey, record: ControlRecord) -> None:
        entries = timeline.setdefault(place, [])
        if entries and entries[-1].valid_from == record.valid_from:
            entries.pop()  # the same day: the later record wins, as on that day
        entries.append(record)

    for _, record in ordered:
        own_record.add(record.place)
        add(record.place, record)
        if record.place_kind == "town":
            for township in townships_of.get(record.place_pcode, ()):
                if ("township", township) not in own_record:
                    add(("township", township), record)
    return timeline


def in_force_on(entries: Sequence[ControlRecord], day: date) -> ControlRecord | None:
    """The timeline entry in force on ``day`` (None before the first)."""
    found = None
    for entry in entries:
        if entry.valid_from > day:
            break
        found = entry
    return found


@dataclass(frozen=True)
class PlaceTimeline:
    """A drawable place and its timeline, for the browser to restyle on each playback step."""

    kind: str
    pcode: str
    name: str
    geometry: object
    entries: tuple[ControlRecord, ...]


MAP_COLUMNS = (
    "pcode", "name", "controller", "label", "group", "status", "confidence", "since", "source", "changed", "editor",
)  # fmt: skip


@dataclass(frozen=True)
class ControlMap:
    """What the control layer draws: towns (points) and townships (areas) with their control on
    ``as_of``; ``changed`` marks places whose control differs from that on ``since``."""

    towns: gpd.GeoDataFrame
    townships: gpd.GeoDataFrame
    as_of: date
    since: date | None = None
    changes: tuple[Change, ...] = ()
    timeline: tuple[PlaceTimeline, ...] = ()
    undrawn: tuple[str, ...] = ()
    """Places with records that the gazetteer has no point or outline for ("Manton (town MMR015019701)")."""


def control_map(
    records: Sequence[ControlRecord], as_of: date, places: Gazetteer, since: date | None = None
) -> ControlMap:
    """The control layer's data for ``as_of`` (and the changes since ``since``, when given)."""
    control = places_on(records, as_of, places)
    changes = tuple(changes_between(records, since, as_of, places)) if since is not None else ()
    changed = {(change.kind, change.pcode) for change in changes}
    geometry_of = _geometries(places)
    frames: dict[str, tuple[list[dict], list[object]]] = {"town": ([], []), "township": ([], [])}
    for (kind, pcode), held in control.items():
        geometry = geometry_of.get((kind, pcode))
        if geometry is None:
            continue  # a place missing from the gazetteer has nowhere to be drawn; the CLI still lists it
        record = held.record
        frames[kind][0].append(
            {
                "pcode": pcode,
                "name": held.name,
                "controller": record.controller,
                "label": record.label,
                "group": record.group,
                "status": record.status,
                "confidence": record.confidence,
                "since": record.valid_from.isoformat(),
                "source": record.source_text(),
                "changed": (kind, pcode) in changed,
                "editor": record.editor,
            }
        )
        frames[kind][1].append(geometry)

    def frame(kind: str) -> gpd.GeoDataFrame:
        rows, geometries = frames[kind]
        table = pd.DataFrame(rows, columns=list(MAP_COLUMNS))
        return gpd.GeoDataFrame(table, geometry=geometries, crs="EPSG:4326")

    names = {key: held.name for key, held in control.items()}
    town_names = dict(zip(places.towns["town_pcode"], places.towns["name_en"], strict=True))
    township_names = dict(zip(places.townships["pcode"], places.townships["name_en"], strict=True))
    timeline = tuple(
        PlaceTimeline(
            kind,
            pcode,
            names.get((kind, pcode)) or (town_names if kind == "town" else township_names).get(pcode, pcode),
            geometry_of[(kind, pcode)],
            tuple(entries),
        )
        for (kind, pcode), entries in sorted(control_timeline(records, places).items())
        if (kind, pcode) in geometry_of
    )
    undrawn = tuple(
        sorted({f"{r.place_name} ({r.place_kind} {r.place_pcode})" for r in records if r.place not in geometry_of})
    )
    return ControlMap(frame("town"), frame("township"), as_of, since, changes, timeline, undrawn)


def _geometries(places: Gazetteer) -> dict[PlaceKey, object]:
    """Town points and township areas by place key."""
    points = shapely.points(places.towns["longitude"].astype(float), places.towns["latitude"].astype(float))
    found: dict[PlaceKey, object] = {
        ("town", str(p)): g for p, g in zip(places.towns["town_pcode"], points, strict=True)
    }
    for pcode, area in zip(places.townships["pcode"], places.townships.geometry, strict=True):
        found[("township", str(pcode))] = area
    return found


# --- CSV and GeoJSON -----------------------------------------------------------------


@dataclass
class HistoryImport:
    """Records read from a file and the rows that were rejected."""

    records: list[ControlRecord]
    rejected: list[RowError]
    path: Path

    def report(self) -> str:
        bad_rows = len({error.row for error in self.rejected})
        lines = [f"{self.path.name}: accepted {len(self.records)} records, rejected {bad_rows} rows"]
        return "\n".join(lines + [f"{self.path.name}: {error}" for error in self.rejected])


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ControlRecordError(name, f"{text!r} is not a YYYY-MM-DD date") from None


def _moment(text: str) -> datetime:
    if not text.strip():
        return EPOCH
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ControlRecordError("recorded_at", f"{text!r} is not an ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _source(row: dict[str, str]) -> Source:
    source_date = (row.get("source_date") or "").strip()
    return Source(
        (row.get("source_name") or "").strip(),
        check_url((row.get("source_url") or "").strip()),
        _day(source_date, "source_date") if source_date else None,
    )


def record_from_row(row: dict[str, str]) -> ControlRecord:
    """One record from a CSV row (or GeoJSON properties) holding one source."""
    text = {key: (row.get(key) or "").strip() for key in EXPORT_COLUMNS}
    return check_record(
        ControlRecord(
            record_id=text["record_id"],
            place_kind=text["place_kind"],  # type: ignore[arg-type]  # checked by check_record
            place_pcode=text["place_pcode"],
            place_name=text["place_name"],
            controller=text["controller"],
            status=text["status"],  # type: ignore[arg-type]
            confidence=text["confidence"],  # type: ignore[arg-type]
            valid_from=_day(text["valid_from"], "valid_from"),
            sources=(_source(row),),
            note=text["note"],
            corrects=text["corrects"] or None,
            editor=text["editor"] or SHIPPED_EDITOR,
            recorded_at=_moment(text["recorded_at"]),
        )
    )


def read_history_csv(path: Path | str) -> HistoryImport:
    """Records from a control-history CSV (schema in the module doc)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ControlRecordError("header", f"{path}: missing column(s) {', '.join(missing)}")
        rows = [(reader.line_num, row) for row in reader]
    return _records_from_rows(rows, path, unit="line")


def _records_from_rows(rows: Iterable[tuple[int, dict[str, str]]], path: Path, unit: str) -> HistoryImport:
    records: dict[str, ControlRecord] = {}
    rejected: list[RowError] = []
    for line, row in rows:
        record_id = (row.get("record_id") or "").strip()
        try:
            if record_id in records:
                records[record_id] = _extra_source(records[record_id], row)
            else:
                records[record_id] = record_from_row(row)
        except ControlRecordError as error:
            value = str(row.get(error.field, "") or "")
            reason = str(error).split(": ", 1)[1]
            rejected.append(RowError(line, error.field, value, reason, unit=unit))
    return HistoryImport(list(records.values()), rejected, path)


def _extra_source(record: ControlRecord, row: dict[str, str]) -> ControlRecord:
    first = to_rows(record)[0]
    for column in RECORD_FIELDS:
        value = (row.get(column) or "").strip()
        if value and value != first[column]:
            raise ControlRecordError(column, f"differs from record {record.record_id}'s first row ({first[column]!r})")
    return check_record(replace(record, sources=(*record.sources, _source(row))))


def to_rows(record: ControlRecord) -> list[dict[str, str]]:
    """CSV rows of a record: one per source."""
    base = {
        "record_id": record.record_id,
        "place_kind": record.place_kind,
        "place_pcode": record.place_pcode,
        "place_name": record.place_name,
        "controller": record.controller,
        "status": record.status,
        "confidence": record.confidence,
        "valid_from": record.valid_from.isoformat(),
        "note": record.note,
        "corrects": record.corrects or "",
        "editor": record.editor,
        "recorded_at": record.recorded_at.isoformat(),
    }
    return [
        {**base, "source_name": s.name, "source_url": s.url, "source_date": s.date.isoformat() if s.date else ""}
        for s in record.sources
    ]


def history_csv(records: Iterable[ControlRecord]) -> str:
    """The whole history as CSV text (export schema: the module doc's columns plus three)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerows(to_rows(record))
    return out.getvalue()


def history_geojson(records: Iterable[ControlRecord], places: Gazetteer) -> dict:
    """The whole history as a FeatureCollection: towns as points, townships as areas.

    Properties hold the record's fields with ``sources`` as a list; a place missing from
    the gazetteer has a null geometry.
    """
    towns = places.towns.set_index("town_pcode")
    areas = places.townships.set_index("pcode").geometry
    features = []
    for record in records:
        geometry = None
        if record.place_kind == "town" and record.place_pcode in towns.index:
            town = towns.loc[record.place_pcode]
            geometry = {"type": "Point", "coordinates": [float(town["longitude"]), float(town["latitude"])]}
        elif record.place_kind == "township" and record.place_pcode in areas.index:
            geometry = shapely.geometry.mapping(areas.loc[record.place_pcode])
        first = to_rows(record)[0]
        properties = {column: first[column] for column in EXPORT_COLUMNS if not column.startswith("source_")}
        properties["sources"] = [
            {"name": s.name, "url": s.url, "date": s.date.isoformat() if s.date else ""} for s in record.sources
        ]
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def read_history_geojson(path: Path | str) -> HistoryImport:
    """Records from a GeoJSON written by :func:`history_geojson` (geometry is ignored: the P-code decides)."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ControlRecordError("file", f"{path}: not a UTF-8 GeoJSON file ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise ControlRecordError("file", f"{path}: expected a GeoJSON FeatureCollection")
    rows = []
    for index, feature in enumerate(document["features"]):
        properties = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        sources = properties.get("sources") or [{}]
        for source in sources if isinstance(sources, list) else [{}]:
            row = {key: str(value) for key, value in properties.items() if key != "sources" and value is not None}
            if isinstance(source, dict):
                row.update(source_name=str(source.get("name") or ""), source_url=str(source.get("url") or ""))
                row["source_date"] = str(source.get("date") or "")
            rows.append((index, row))
    return _records_from_rows(rows, path, unit="feature")


# --- command line --------------------------------------------------------------------


def snapshot_json(control: dict[PlaceKey, PlaceControl], places: Gazetteer) -> dict[str, list[dict]]:
    """Towns and townships as plain objects (the CLI's ``--json`` and the page's tables)."""
    towns = places.towns.set_index("town_pcode")
    town_rows, township_rows = [], []
    for (kind, pcode), held in sorted(control.items(), key=lambda item: (item[0][0], item[1].name)):
        record = held.record
        common = {
            "controller": record.controller,
            "controller_label": record.label,
            "status": record.status,
            "confidence": record.confidence,
            "since": record.valid_from.isoformat(),
            "source": record.source_text(),
            "record_id": record.record_id,
        }
        if kind == "town":
            town = towns.loc[pcode] if pcode in towns.index else None
            town_rows.append(
                {
                    "name": held.name,
                    "pcode": pcode,
                    "latitude": None if town is None else float(town["latitude"]),
                    "longitude": None if town is None else float(town["longitude"]),
                    "township_pcode": None if town is None else str(town["township_pcode"]),
                    **common,
                }
            )
        else:
            township_rows.append({"pcode": pcode, "name": held.name, "via_seat_town": held.via_seat, **common})
    return {"towns": town_rows, "townships": township_rows}


@cli_edge("python -m geo.control")
def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.control --asof YYYY-MM-DD [--json] [--store PATH]``."""
    from geo.store import StoreError, open_store

    parser = argparse.ArgumentParser(
        prog="python -m geo.control", description="Control per town and township on a date."
    )
    parser.add_argument("--asof", required=True, type=date.fromisoformat, help="the date, YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="end with one JSON object (towns, townships)")
    parser.add_argument("--store", type=Path, help="a store file (default: $MYANMAR_CONFLICT_MAP_DATA/control.sqlite)")
    args = parser.parse_args(argv)
    try:
        store = open_store(args.store)
    except StoreError as error:
        parser.error(str(error))
    records = store.records()
    places = Gazetteer.load()
    snapshot = snapshot_json(places_on(records, args.asof, places), places)
    print(f"Control on {args.asof.isoformat()} ({len(records)} records in {store.location})")
    for title, rows in (("Towns", snapshot["towns"]), ("Townships", snapshot["townships"])):
        print(f"{title}: {len(rows)}")
        for row in rows:
            seat = " (follows its seat town)" if row.get("via_seat_town") else ""
            held = f"{row['controller_label']}, {row['confidence']}, since {row['since']}"
            print(f"  {row['name']} [{row['pcode']}]: {held}{seat}")
    if args.json:
        print(json.dumps(snapshot, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
