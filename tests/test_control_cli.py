"""``python -m geo.control`` and the snapshot CLI's control layer, run as a user would."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from geo.control import ControlRecord, Source
from geo.store import open_store
from tests.helpers import run_module

# Real gazetteer P-codes (towns.csv, townships.geojson); the records themselves are test fixtures.
LAUKKAING, LAUKKAING_TOWNSHIP = "MMR015022701", "MMR015022"
KUTKAI, KUTKAI_TOWNSHIP = "MMR015011701", "MMR015011"
FIXTURE_SOURCE = (Source("test fixture, not a real report", "https://example.org/fixture", None),)


def fixture_record(record_id: str, kind: str, pcode: str, controller: str, day: str, **extra: str) -> ControlRecord:
    return ControlRecord(
        record_id,
        kind,  # type: ignore[arg-type]
        pcode,
        pcode,
        controller,
        extra.get("status", "held"),  # type: ignore[arg-type]
        extra.get("confidence", "assessed"),  # type: ignore[arg-type]
        date.fromisoformat(day),
        FIXTURE_SOURCE,
    )


def fixture_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    open_store(path, seed=None).import_records(
        [
            fixture_record("a", "town", LAUKKAING, "sac", "2023-01-01"),
            fixture_record("b", "town", LAUKKAING, "MNDAA: Myanmar National Democratic Alliance Army", "2024-01-05"),
            fixture_record("c", "township", KUTKAI_TOWNSHIP, "contested", "2023-11-20", status="contested"),
        ]
    )
    return path


def test_control_cli_json_lists_towns_and_townships_on_the_date(tmp_path: Path) -> None:
    store = fixture_store(tmp_path)
    result = run_module("geo.control", "--asof", "2024-01-31", "--json", "--store", store)
    assert result.returncode == 0, result.stderr
    assert "Laukkaing [MMR015022701]: MNDAA, assessed, since 2024-01-05" in result.stdout
    snapshot = json.loads(result.stdout.strip().splitlines()[-1])
    (town,) = snapshot["towns"]
    assert town["name"] == "Laukkaing" and town["township_pcode"] == LAUKKAING_TOWNSHIP
    assert (town["controller"], town["status"], town["confidence"], town["since"]) == (
        "MNDAA: Myanmar National Democratic Alliance Army",
        "held",
        "assessed",
        "2024-01-05",
    )
    assert 23.5 < town["latitude"] < 24.0 and 98.5 < town["longitude"] < 99.0
    assert "test fixture" in town["source"]
    townships = {row["pcode"]: row for row in snapshot["townships"]}
    assert townships[LAUKKAING_TOWNSHIP]["controller"] == "MNDAA: Myanmar National Democratic Alliance Army"
    assert townships[LAUKKAING_TOWNSHIP]["via_seat_town"] is True
    assert townships[KUTKAI_TOWNSHIP]["status"] == "contested"
    assert set(townships[KUTKAI_TOWNSHIP]) >= {"pcode", "name", "controller", "status", "since"}


def test_control_cli_before_any_record_and_on_bad_input(tmp_path: Path) -> None:
    store = fixture_store(tmp_path)
    early = run_module("geo.control", "--asof", "2022-01-01", "--json", "--store", store)
    assert json.loads(early.stdout.strip().splitlines()[-1]) == {"towns": [], "townships": []}
    bad = run_module("geo.control", "--asof", "31/01/2024", "--store", store)
    assert bad.returncode == 2 and "--asof" in bad.stderr
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("not a database\n" * 200)
    refused = run_module("geo.control", "--asof", "2024-01-31", "--store", not_a_store)
    assert refused.returncode == 2 and "notes.txt cannot be opened as a control store" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_snapshot_cli_draws_control_and_changes_since(tmp_path: Path) -> None:
    store = fixture_store(tmp_path)
    out = tmp_path / "control.svg"
    result = run_module(
        "layers.snapshot",
        "--out", out, "--layers", "states,control", "--asof", "2024-01-31", "--since", "2023-10-26",
        "--bbox", "97,22,100,24.5", "--store", store,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    for label in ("MNDAA", "Contested: hatched", "Changed since 2023-10-26"):
        assert label in svg
    refused = run_module("layers.snapshot", "--out", tmp_path / "x.png", "--layers", "states", "--since", "2023-10-26")
    assert refused.returncode == 2 and "add the control layer" in refused.stderr
