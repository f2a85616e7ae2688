"""The store on both backends (SQLite and PostGIS): restart, seeding, two editors, fronts; a crash mid-write
(SQLite). Events, imports and syncs: tests/test_store_events.py."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from geo.control import history_csv
from geo.store import STORE_FILE, SqliteStore, StaleEditError, open_store
from tests.helpers import REPO_ROOT
from tests.test_control import record


def edit(record_id: str, controller: str, editor: str) -> object:
    return record(record_id, "T-A", controller, "2023-11-05", editor=editor, recorded_at=datetime.now(UTC))


def test_records_survive_a_restart_in_order(store_location: str) -> None:
    store = open_store(store_location, seed=None)
    store.add_record(record("1", "T-A", "sac", "2023-01-01"), based_on=None)
    store.add_record(record("2", "T-A", "aa", "2023-11-05", corrects="1"), based_on="1")
    reopened = open_store(store_location, seed=None)
    assert reopened.records() == store.records()
    assert [r.record_id for r in reopened.records()] == ["1", "2"]
    assert reopened.place_version(("town", "T-A")) == "2"


def test_the_data_directory_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYANMAR_CONFLICT_MAP_DATA", str(tmp_path / "data"))
    store = open_store(seed=None)
    assert store.location == str(tmp_path / "data" / STORE_FILE)
    with sqlite3.connect(store.location) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_directory_holds_the_store_file(tmp_path: Path) -> None:
    assert open_store(tmp_path, seed=None).location == str(tmp_path / STORE_FILE)


def test_database_url_switches_to_postgis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nobody@127.0.0.1/x")
    assert isinstance(open_store(seed=None), SqliteStore), "only postgresql:// URLs switch backend"


def test_an_empty_store_is_seeded_once_from_a_history_file(store_location: str, tmp_path: Path) -> None:
    seed = tmp_path / "history.csv"
    seed.write_text(history_csv([record("1", "T-A", "sac", "2023-01-01"), record("2", "T-B", "aa", "2023-11-05")]))
    assert len(open_store(store_location, seed=seed).records()) == 2
    store = open_store(store_location, seed=seed)
    assert len(store.records()) == 2
    summary = store.import_records([record("2", "T-B", "aa", "2023-11-05"), record("3", "T-B", "kia", "2023-12-01")])
    assert (summary.added, summary.already_present) == (1, 1)


def test_a_stale_edit_from_a_second_editor_is_refused_with_a_message(store_location: str) -> None:
    first, second = open_store(store_location, seed=None), open_store(store_location, seed=None)
    first.add_record(record("0", "T-A", "sac", "2023-01-01"), based_on=None)
    seen_by_both = first.place_version(("town", "T-A"))
    assert second.place_version(("town", "T-A")) == seen_by_both == "0"
    assert [r.record_id for r in first.records()] == ["0"]  # read once: later reads take only new rows
    first.add_record(edit("by-ana", "mndaa", "Ana"), based_on=seen_by_both)
    with pytest.raises(StaleEditError, match=r"changed by Ana .*record by-ana.*not saved"):
        second.add_record(edit("by-ben", "tnla", "Ben"), based_on=seen_by_both)
    assert [r.record_id for r in second.records()] == ["0", "by-ana"]
    second.add_record(edit("by-ben", "tnla", "Ben"), based_on=second.place_version(("town", "T-A")))
    assert [r.editor for r in first.records()][1:] == ["Ana", "Ben"]


def test_racing_editors_on_one_version_store_exactly_one_edit(store_location: str) -> None:
    open_store(store_location, seed=None).add_record(record("0", "T-A", "sac", "2023-01-01"), based_on=None)
    barrier, outcomes = threading.Barrier(6), []

    def editor(number: int) -> None:
        store = open_store(store_location, seed=None)
        barrier.wait()
        try:
            store.add_record(edit(f"e{number}", "aa", f"editor {number}"), based_on="0")
            outcomes.append("saved")
        except StaleEditError:
            outcomes.append("refused")

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["saved"]
    assert len(open_store(store_location, seed=None).records()) == 2


def test_a_correction_must_name_a_stored_record(store_location: str) -> None:
    store = open_store(store_location, seed=None)
    with pytest.raises(ValueError, match="no record 'missing'"):
        store.add_record(record("1", "T-A", "aa", "2023-11-05", corrects="missing"), based_on=None)
    assert store.records() == []


WRITER = """
import sys
from dataclasses import replace
from geo.store import SqliteStore
from tests.test_control import record
template = record("x", "T-A", "aa", "2023-11-05", note="n" * 400)
records = [replace(template, record_id=f"bulk-{i}", place_pcode=f"T-{i}") for i in range(400_000)]
print("importing", flush=True)
SqliteStore(__import__("pathlib").Path(sys.argv[1])).import_records(records)
print("done", flush=True)
"""


def test_killing_a_writer_mid_import_leaves_the_store_as_before(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = SqliteStore(path)
    store.import_records([record(str(n), f"T-{n}", "sac", "2023-01-01") for n in range(10)])
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "importing"
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 60
    while (not wal.exists() or wal.stat().st_size < 8_000_000) and time.monotonic() < deadline:
        time.sleep(0.01)  # the transaction is spilling pages into the WAL: it is mid-write
    assert writer.poll() is None, "the writer finished before it could be killed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    reopened = SqliteStore(path)
    assert [r.record_id for r in reopened.records()] == [str(n) for n in range(10)]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.add_record(replace(record("after", "T-0", "aa", "2023-11-05")), based_on="0")
    assert len(reopened.records()) == 11


def test_drawn_fronts_are_stored_with_dates_and_source(store_location: str) -> None:
    store = open_store(store_location, seed=None)
    front = gpd.GeoDataFrame(
        {
            "front": ["Lashio approach"],
            "actor": ["MNDAA"],
            "status": ["drawn"],
            "valid_from": [date(2023, 11, 1)],
            "valid_to": [None],
            "source": ["Fixture report"],
            "notes": [""],
        },
        geometry=[LineString([(97.7, 22.9), (97.8, 23.0)])],
        crs=4326,
    )
    store.add_front(front, editor="Ana")
    loaded = open_store(store_location, seed=None).fronts()
    assert list(loaded["front"]) == ["Lashio approach"]
    assert loaded["valid_from"].iloc[0].date() == date(2023, 11, 1) and loaded["valid_to"].isna().all()
    assert loaded.geometry.iloc[0].equals(front.geometry.iloc[0])
