"""`python -m geo.validate` as a user runs it: exit codes, text and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo import validate
from geo.boundaries import BoundaryDataError
from tests.helpers import REPO_ROOT, run_module

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "events"
STATES = FIXTURES / "test_states_boxes.geojson"


def many_bad_rows(tmp_path: Path, bad: int) -> Path:
    lines = ["date,lat,lon,event_type"]
    lines += ["2023-11-13,23.9,97.9,Battles"] * 3
    lines += [f"2023-11-13,{91 + i},97.9,Battles" for i in range(bad)]
    path = tmp_path / "many_bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_help_documents_the_options() -> None:
    done = run_module("geo.validate", "--help")
    assert done.returncode == 0
    for option in ("--format", "--json", "--states", "acled", "ucdp", "geojson"):
        assert option in done.stdout


def test_json_output_is_one_object_with_the_promised_keys() -> None:
    done = run_module("geo.validate", FIXTURES / "acled_text_dates.csv", "--json", "--states", STATES)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["accepted"] == 4
    assert summary["rejected"] == 0
    assert summary["problems"] == []
    # three events fall in the Shan box; the Bago one lies outside both boxes
    assert summary["by_state"] == {"Shan": 3, "(outside Myanmar)": 1}
    # admin1 matches for the three Shan rows; "Bago" vs outside disagrees
    assert summary["admin1_agreement"] == pytest.approx(0.75)


def test_json_lists_every_problem(tmp_path: Path) -> None:
    done = run_module("geo.validate", many_bad_rows(tmp_path, 60), "--json", "--states", STATES)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["accepted"], summary["rejected"]) == (3, 60)
    assert len(summary["problems"]) == 60
    assert summary["problems"][0] == {
        "line": 5,
        "unit": "line",
        "field": "lat",
        "value": "91",
        "reason": "is outside -90..90",
    }
    assert summary["admin1_agreement"] is None  # the plain CSV has no admin1


def test_text_output_caps_the_problem_list(tmp_path: Path) -> None:
    done = run_module("geo.validate", many_bad_rows(tmp_path, 60), "--states", STATES)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "accepted 3, rejected 60" in out
    assert "line 5, field lat: '91' is outside -90..90" in out
    assert "line 54, field lat" in out and "line 55, field lat" not in out
    assert "... and 10 more" in out
    assert "Shan  3" in out


def test_text_output_reports_states_and_agreement() -> None:
    done = run_module("geo.validate", FIXTURES / "multilingual.csv", "--states", STATES)
    assert done.returncode == 0, done.stderr
    assert "accepted 2, rejected 0" in done.stdout
    assert "Shan  2" in done.stdout
    assert "100.0% of rows that have admin1" in done.stdout


def test_format_option_overrides_sniffing() -> None:
    done = run_module("geo.validate", FIXTURES / "acled_iso.csv", "--format", "csv", "--json", "--states", STATES)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "csv"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("absent.csv", None, "file not found"),
        ("latin.csv", "date,lat,lon,event_type\n2023-11-13,23.9,97.9,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("feature.geojson", b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_file_level_error_exits_2_with_one_line(
    tmp_path: Path, name: str, content: bytes | str | None, fragment: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = run_module("geo.validate", path, "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and fragment in lines[0]


def test_unreadable_states_file_exits_2(tmp_path: Path) -> None:
    done = run_module("geo.validate", FIXTURES / "acled_iso.csv", "--states", tmp_path / "missing.geojson")
    assert done.returncode == 2
    assert "missing.geojson" in done.stderr


def test_unknown_format_is_a_usage_error() -> None:
    done = run_module("geo.validate", FIXTURES / "acled_iso.csv", "--format", "xlsx")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_missing_shipped_boundaries_still_reports_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unavailable(path: Path | None) -> None:
        raise BoundaryDataError(Path("geo/data/myanmar_states.geojson"), "file not found")

    monkeypatch.setattr(validate, "_load_states", unavailable)
    assert validate.main([str(FIXTURES / "acled_iso.csv"), "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["accepted"] == 5
    assert summary["by_state"] is None and summary["admin1_agreement"] is None
    assert "state boundaries unavailable" in captured.err
