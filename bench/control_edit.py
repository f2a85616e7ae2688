"""The cost of one control edit: the store write, and the page's work to show it (SYNTHETIC history).

The shipped cited history is padded with SYNTHETIC records (ids ``SYN-``, source "SYNTHETIC benchmark
data") on random gazetteer towns and townships, to 1k, 10k and 100k records. For each size, in a fresh
store, it times what a save costs:

* ``write``: ``SqliteStore.add_record`` (one BEGIN IMMEDIATE transaction with the version check, WAL, full sync);
* ``reread``: ``store.records()`` after the write, which reads only the new row (records are
  append-only); a page run without an edit reuses the control map and the layer's JSON;
* ``control``: ``control_map`` on the page's date with "changes since" (control on the date, changes,
  every place's timeline for playback);
* ``layer``: the control layer's JSON for the browser.

Run: ``.venv/bin/python bench/control_edit.py [--sizes 1000,10000]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.control import ControlRecord, Gazetteer, Source, control_map, read_history_csv
from geo.controllers import GROUPS
from geo.store import SHIPPED_HISTORY, SqliteStore
from layers.control import LAYER

SOURCE = (Source("SYNTHETIC benchmark data", "", None),)
AS_OF, SINCE = date(2024, 1, 31), date(2023, 10, 26)


def synthetic_records(count: int, places: Gazetteer, seed: int = 1) -> list[ControlRecord]:
    """``count`` SYNTHETIC records on real gazetteer P-codes, dated 2021-2025."""
    random = np.random.default_rng(seed)
    towns, townships = list(places.towns["town_pcode"]), list(places.townships["pcode"])
    records = []
    for index in range(count):
        kind = "town" if random.random() < 0.7 else "township"
        pcode = str(random.choice(towns if kind == "town" else townships))
        records.append(
            ControlRecord(
                record_id=f"SYN-{index}",
                place_kind=kind,
                place_pcode=pcode,
                place_name=pcode,
                controller=GROUPS[int(random.integers(len(GROUPS) - 1))].id,
                status="held",
                confidence="assessed" if random.random() < 0.6 else "claimed",
                valid_from=date(2021, 2, 1) + timedelta(days=int(random.integers(5 * 365))),
                sources=SOURCE,
                note="SYNTHETIC: not a real assessment",
                editor="SYNTHETIC benchmark",
                recorded_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
        )
    return records


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """Median seconds of ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(size: int, places: Gazetteer, shipped: list[ControlRecord]) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="control-bench-") as folder:
        store = SqliteStore(Path(folder) / "control.sqlite")
        store.import_records(shipped + synthetic_records(max(size - len(shipped), 0), places))
        place = ("township", "MMR015011")
        before = len(store.records())  # the page has read the store before the edit
        writes, rereads = [], []
        for number in range(9):
            edit = replace(shipped[0], record_id=f"SYN-edit-{number}", place_kind="township", place_pcode=place[1])
            start = time.perf_counter()
            store.add_record(replace(edit, editor="SYNTHETIC benchmark"), based_on=store.place_version(place))
            written = time.perf_counter()
            store.records()
            writes.append(written - start)
            rereads.append(time.perf_counter() - written)
        records = store.records()
        control = control_map(records, AS_OF, places, since=SINCE)
        return {
            "records": before,
            "write": statistics.median(writes),
            "reread": statistics.median(rereads),
            "control": best_of(3, lambda: control_map(records, AS_OF, places, since=SINCE)),
            "layer": best_of(3, lambda: LAYER._timeline_json(control)),
            "places": len(control.timeline),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="history sizes (records), comma-separated")
    args = parser.parse_args(argv)
    places, shipped = Gazetteer.load(), read_history_csv(SHIPPED_HISTORY).records
    print("| records | places drawn | write (ms) | reread (ms) | control (ms) | layer JSON (ms) | edit to map (ms) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in (int(text) for text in args.sizes.split(",")):
        row = measure(size, places, shipped)
        total = row["write"] + row["reread"] + row["control"] + row["layer"]
        cells = [row[key] * 1000 for key in ("write", "reread", "control", "layer")] + [total * 1000]
        print(f"| {row['records']:,} | {row['places']:,} | " + " | ".join(f"{cell:.1f}" for cell in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
