"""The shipped control history (geo/data/control_history.csv): schema, sources, dates, MIMU P-codes, consistency."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import sqlite3
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

from geo.control import CSV_COLUMNS
from geo.controllers import GROUPS

REPO = Path(__file__).resolve().parent.parent
HISTORY = REPO / "geo" / "data" / "control_history.csv"
BUILD_SCRIPT = REPO / "geo" / "data" / "build_control_history.py"
COLUMNS = list(CSV_COLUMNS)
"""The build script writes the columns the model reads (geo/control.py owns the schema)."""
GROUP_IDS = {group.id for group in GROUPS} - {"other"}
RECORD_FIELDS = [c for c in COLUMNS if c not in ("source_name", "source_url", "source_date")]
OPERATION_1027 = date(2023, 10, 27)


def load_rows() -> list[dict[str, str]]:
    with HISTORY.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_control_history", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return load_rows()


def test_the_build_script_writes_the_models_schema_and_groups() -> None:
    """The script runs without the project on its path, so it keeps its own copies: they must agree."""
    script = load_build_script()
    assert list(script.COLUMNS) == COLUMNS
    assert set(script.GROUP_IDS) == GROUP_IDS


@pytest.fixture(scope="module")
def records(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Rows grouped by record_id (a record with several sources has one row per source)."""
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["record_id"]].append(row)
    return grouped


@pytest.fixture(scope="module")
def mimu() -> dict[str, str]:
    """MIMU English names by town and township P-code, read straight from mm-geo-coder's database."""
    module = pytest.importorskip("mm_geo_coder")
    db = Path(module.__file__).parent / "database" / "mimu_geo_data_public.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        found = connection.execute(
            "SELECT town_pcode, town_eng FROM wards UNION SELECT township_pcode, township_eng FROM wards"
        ).fetchall()
    return dict(found)


def test_every_row_fills_the_schema_with_allowed_values(rows: list[dict[str, str]]) -> None:
    assert len(rows) > 80
    for line, row in enumerate(rows, start=2):
        for column in COLUMNS:
            assert row[column].strip() or column == "source_date", f"line {line}: {column} empty"
        assert row["place_kind"] in ("town", "township"), line
        assert row["status"] in ("held", "contested", "unknown"), line
        assert row["confidence"] in ("assessed", "claimed"), line
        assert row["controller"] in GROUP_IDS or row["controller"] in ("Brotherhood Alliance", "Chin Brotherhood"), line


def test_every_source_is_a_named_http_address(rows: list[dict[str, str]]) -> None:
    for line, row in enumerate(rows, start=2):
        parts = urlsplit(row["source_url"])
        assert parts.scheme in ("http", "https") and parts.netloc, f"line {line}: {row['source_url']!r}"
        assert row["source_name"].strip(), f"line {line}"


def test_every_record_has_a_dated_source_published_on_or_after_its_date(
    records: dict[str, list[dict[str, str]]],
) -> None:
    for record_id, record_rows in records.items():
        valid_from = date.fromisoformat(record_rows[0]["valid_from"])
        published = [date.fromisoformat(r["source_date"]) for r in record_rows if r["source_date"]]
        assert published, f"{record_id}: no source with a publication date"
        assert all(valid_from <= day <= date.today() for day in published), record_id


def test_dates_cover_the_seed_period_and_start_the_day_before_operation_1027(
    records: dict[str, list[dict[str, str]]],
) -> None:
    days = sorted(date.fromisoformat(rows[0]["valid_from"]) for rows in records.values())
    assert days[0] == date(2023, 10, 26)
    assert any(day == OPERATION_1027 for day in days)
    assert any(date(2024, 3, 1) <= day <= date(2024, 3, 31) for day in days)


def test_pcodes_and_names_are_mimus(rows: list[dict[str, str]], mimu: dict[str, str]) -> None:
    for line, row in enumerate(rows, start=2):
        pcode = row["place_pcode"]
        assert pcode in mimu, f"line {line}: {pcode} is not a MIMU P-code"
        assert len(pcode) == (12 if row["place_kind"] == "town" else 9), (
            f"line {line}: {pcode} is not a {row['place_kind']}"
        )
        assert mimu[pcode].removesuffix(" Town") == row["place_name"], f"line {line}"


def test_rows_of_one_record_agree(records: dict[str, list[dict[str, str]]]) -> None:
    for record_id, record_rows in records.items():
        first = {field: record_rows[0][field] for field in RECORD_FIELDS}
        for row in record_rows[1:]:
            assert {field: row[field] for field in RECORD_FIELDS} == first, record_id
        assert len({r["source_url"] for r in record_rows}) == len(record_rows), f"{record_id}: a source repeated"


def test_no_two_records_for_one_place_and_date_disagree_without_a_note(
    records: dict[str, list[dict[str, str]]],
) -> None:
    by_place_day: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for record_rows in records.values():
        first = record_rows[0]
        by_place_day[(first["place_kind"], first["place_pcode"], first["valid_from"])].append(first)
    for key, same_day in by_place_day.items():
        verdicts = {(r["controller"], r["status"]) for r in same_day}
        assert len(verdicts) == 1 or all(r["note"].strip() for r in same_day), key


def test_every_town_that_changes_hands_has_a_sourced_baseline(records: dict[str, list[dict[str, str]]]) -> None:
    history: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record_rows in records.values():
        if record_rows[0]["place_kind"] == "town":
            history[record_rows[0]["place_pcode"]].append(record_rows[0])
    for pcode, town_records in history.items():
        first = min(town_records, key=lambda r: r["valid_from"])
        assert first["valid_from"] == "2023-10-26", pcode
        assert (first["controller"], first["status"]) == ("sac", "held"), pcode
        assert first["note"].startswith("Baseline: held by the military before Operation 1027"), pcode


def test_seed_period_changes_include_the_towns_the_issue_names(records: dict[str, list[dict[str, str]]]) -> None:
    changed = {
        rows[0]["place_name"]
        for rows in records.values()
        if rows[0]["controller"] != "sac"
        and OPERATION_1027 <= date.fromisoformat(rows[0]["valid_from"]) <= date(2024, 3, 31)
    }
    expected = {"Chinshwehaw", "Hseni", "Kunlong", "Monekoe", "Namhsan", "Kutkai", "Laukkaing", "Pauktaw", "Paletwa"}
    assert expected | {"Minbya", "Mrauk-U", "Kyauktaw", "Rihkhawdar"} <= changed


def test_build_refuses_a_record_that_breaks_a_rule() -> None:
    """The build names the record and field instead of writing a bad row."""
    script = load_build_script()
    names = script.mimu_names(script.MIMU_DB)
    good = next(r for r in script.RECORDS if r.pcode == "MMR015022702" and r.controller == "mndaa")
    script.check((good,), names)
    broken = {
        "place_pcode": dataclasses.replace(good, mimu_name="Lashio Town"),
        "controller": dataclasses.replace(good, controller="MNDAA army"),
        "source_url": dataclasses.replace(good, sources=(script.Source("x", "javascript:alert(1)", "2023-11-15"),)),
        "source_date": dataclasses.replace(good, sources=(script.Source("x", "https://example.org/a", "2023-10-01"),)),
        "publication date": dataclasses.replace(good, sources=(script.Source("x", "https://example.org/a", ""),)),
        "valid_from": dataclasses.replace(good, valid_from="2023-01-01"),
    }
    for field, record in broken.items():
        with pytest.raises(SystemExit, match=rf"record {record.record_id}: .*{field}"):
            script.check((record,), names)
    with pytest.raises(SystemExit, match="same place and date"):
        script.check((good, dataclasses.replace(good, controller="tnla")), names)
