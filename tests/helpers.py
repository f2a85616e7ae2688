"""Test helpers: hand-made events in the event schema, and command lines run as a user would."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.control import ControlRecord, Gazetteer, Source
from geo.events import EVENT_COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_module(module: str, *args: str | Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` from the repository root, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def make_events(rows: list[dict]) -> gpd.GeoDataFrame:
    """Events with schema defaults for any column a test does not care about."""
    defaults = {
        "event_id_cnty": "",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Actor A",
        "actor2": "Actor B",
        "admin1": "Shan",
        "admin2": "",
        "admin3": "",
        "location": "Somewhere",
        "geo_precision": 1,
        "fatalities": 0,
        "source": "Test fixture",
        "notes": "test fixture, not a real event",
        "source_url": "",
    }
    records = []
    for index, row in enumerate(rows):
        record = {**defaults, "event_id_cnty": f"TEST{index}", **row}
        record["event_date"] = pd.Timestamp(record["event_date"])
        records.append(record)
    frame = pd.DataFrame(records)
    columns = [c for c in EVENT_COLUMNS if c in frame.columns] + [c for c in frame.columns if c not in EVENT_COLUMNS]
    return gpd.GeoDataFrame(
        frame[columns], geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=4326
    )


def control_gazetteer() -> Gazetteer:
    """Two fixture towns and townships (not real P-codes): Town A seats Township A; Township B has no seat."""
    towns = pd.DataFrame(
        {
            "town_pcode": ["T-A", "T-B"],
            "name_en": ["Town A", "Town B"],
            "name_my": ["", ""],
            "township_pcode": ["TS-A", "TS-B"],
            "township_en": ["Township A", "Township B"],
            "latitude": [23.0, 24.0],
            "longitude": [98.0, 97.0],
            "rank": [3, 4],
        }
    )
    townships = gpd.GeoDataFrame(
        {
            "pcode": ["TS-A", "TS-B"],
            "name_en": ["Township A", "Township B"],
            "seat_town_pcode": ["T-A", None],
        },
        geometry=[box(97.8, 22.8, 98.2, 23.2), box(96.8, 23.8, 97.2, 24.2)],
        crs=4326,
    )
    return Gazetteer(towns, townships)


def control_history() -> list[ControlRecord]:
    """Fixture records (not real events) on the fixture gazetteer: Town A taken, Township B contested and claimed."""
    source = (Source("Fixture report, not a real source", "https://example.org/fixture", None),)

    def held(record_id: str, kind: str, pcode: str, controller: str, day: str, **extra: str) -> ControlRecord:
        return ControlRecord(
            record_id,
            kind,
            pcode,
            pcode,
            controller,
            extra.get("status", "held"),  # type: ignore[arg-type]
            extra.get("confidence", "assessed"),
            date.fromisoformat(day),
            source,  # type: ignore[arg-type]
        )

    return [
        held("f1", "town", "T-A", "sac", "2023-01-01"),
        held("f2", "town", "T-B", "sac", "2023-01-01"),
        held("f3", "town", "T-A", "MNDAA: Myanmar National Democratic Alliance Army", "2023-11-05"),
        held("f4", "township", "TS-B", "kia", "2023-12-01", status="contested", confidence="claimed"),
    ]
