"""The guards themselves: bounded URL parsers, safe names and text, limits, spreadsheet-safe
tables, and the edges that turn an unforeseen error into one message and a log entry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import guard, urlparams, validate
from geo.export import spreadsheet_safe
from geo.fronts import read_fronts_geojson
from geo.limits import MAX_NAME_BYTES, printable, safe_file_name
from layers.base import MapData
from layers.request import SnapshotRequest
from layers.snapshot import render_snapshot
from tests.hostile import collection, front


@pytest.mark.parametrize(
    ("values", "expected", "notice"),
    [
        ([], None, None),
        (["12"], 12, None),
        (["²"], None, "not a whole number"),
        (["٣"], None, "not a whole number"),  # Arabic-Indic digit: int() would take it
        (["1e3"], None, "not a whole number"),
        (["9" * 17], None, "not a whole number"),
        (["9" * 5000], None, "longer than 200 characters"),
        (["101"], None, "outside 0..100"),
        (["7", "8"], 7, None),
    ],
)
def test_whole_numbers_from_a_link_are_bounded(values: list[str], expected: int | None, notice: str | None) -> None:
    number, problem = urlparams.parse_whole("n", values, 0, 100)
    assert number == expected
    assert (problem is None) == (notice is None)
    if notice:
        assert notice in problem and problem.startswith('Link parameter n="')


def test_notices_quote_a_short_printable_part_of_the_value() -> None:
    _, problem = urlparams.parse_date("start", ["\x00\x1b" + "x" * 300])
    assert problem is not None and "\x00" not in problem and "\x1b" not in problem
    assert len(problem) < 120


def test_repeated_values_are_bounded_in_length_and_number() -> None:
    kept, notices = urlparams.parse_texts("actor", ["a" * 201, *[f"x{i}" for i in range(150)]])
    assert kept is not None and len(kept) == urlparams.MAX_VALUES and "a" * 201 not in kept
    assert len(notices) == 2


def test_layer_ids_keep_known_ones_and_name_the_rest() -> None:
    assert urlparams.parse_id_list("layers", ["states,,bogus,events"], ["states", "events"]) == (
        ["states", "events"],
        ['Link parameter layers="bogus" ignored: not a known id'],
    )
    assert urlparams.parse_id_list("layers", [], ["states"]) == (None, [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("events.csv", "events.csv"),
        ("../../etc/passwd", "_.._etc_passwd"),
        (".hidden.csv", "hidden.csv"),
        ("-rf.csv", "rf.csv"),
        ("a\x00b\nc.csv", "ab c.csv"),
        ("", "upload"),
        ("...", "upload"),
        ("x" * 300 + ".geojson", "x" * (MAX_NAME_BYTES - 8) + ".geojson"),
    ],
)
def test_upload_names_are_made_safe_to_store(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_a_long_multibyte_name_is_cut_on_a_character_boundary() -> None:
    safe = safe_file_name("မ" * 91 + ".csv")
    assert len(safe.encode()) <= MAX_NAME_BYTES and safe.endswith(".csv") and set(safe[:-4]) == {"မ"}


def test_printable_text_has_no_control_characters_or_line_breaks() -> None:
    assert printable("a\x00b\x07c\r\nd\te\u2028f\x85") == "abc d ef"


def test_spreadsheet_safe_quotes_formulas_in_text_columns_only() -> None:
    frame = pd.DataFrame({"text": ["=1+1", "-2", "plain", None], "number": [-1, 2, 3, 4]})
    safe = spreadsheet_safe(frame)
    assert safe["text"].tolist()[:3] == ["'=1+1", "'-2", "plain"]
    assert pd.isna(safe["text"].iloc[3])
    assert safe["number"].tolist() == [-1, 2, 3, 4]
    assert frame["text"].iloc[0] == "=1+1"  # the caller's frame is left alone


def test_the_event_table_shows_formulas_quoted_so_its_download_is_safe() -> None:
    content = b"date,lat,lng,event_type,location,notes\n2023-11-13,23.9,97.9,Battles,=cmd|' /C calc'!A0,@SUM(1)\n"
    app = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    app.file_uploader(key="events_upload").set_value(("formula.csv", content, "text/csv")).run()
    app.toggle(key="event_table").set_value(True).run()
    assert not app.exception
    table = app.dataframe[-1].value
    assert table["location"].tolist() == ["'=cmd|' /C calc'!A0"]
    assert table["notes"].tolist() == ["'@SUM(1)"]


def test_an_unforeseen_cli_error_is_one_line_exit_2_and_logged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "errors.log"
    monkeypatch.setenv(guard.LOG_ENV, str(log))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something nobody foresaw at /srv/secret/path")

    monkeypatch.setattr(validate, "read_events", broken)
    assert validate.main(["whatever.csv"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("python -m geo.validate: error: unexpected RuntimeError; details in ")
    assert "secret" not in line
    incident = line.rsplit("(", 1)[1].rstrip(")")
    logged = log.read_text()
    assert incident in logged and "Traceback" in logged and "/srv/secret/path" in logged


def test_an_unforeseen_page_error_shows_one_message_without_details(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(guard.LOG_ENV, str(tmp_path / "errors.log"))
    monkeypatch.setattr("ui.panels.summarise", lambda events: 1 / 0)
    app = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    assert not app.exception
    (message,) = [e.value for e in app.error]
    assert message.startswith("Something went wrong drawing this view (incident ")
    assert "ZeroDivisionError" not in message and "/" not in message.split("(")[0]
    assert "ZeroDivisionError" in (tmp_path / "errors.log").read_text()


def test_an_unforeseen_upload_error_is_named_and_the_page_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(guard.LOG_ENV, str(tmp_path / "errors.log"))

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError("pretend")

    monkeypatch.setattr("ui.sidebar.import_events", broken)
    app = AppTest.from_file("../dashboard.py", default_timeout=60).run()
    app.file_uploader(key="events_upload").set_value(("big.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert not app.exception
    (message,) = [t.value for t in app.sidebar.text]
    assert message.startswith("big.csv: could not be read (an unexpected error, logged as incident ")
    assert app.metric[0].value  # the sample is still shown


def test_front_vertex_and_feature_limits_are_enforced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("geo.fronts.MAX_VERTICES", 3)
    monkeypatch.setattr("geo.fronts.MAX_FRONT_FEATURES", 2)
    path = tmp_path / "fronts.geojson"
    line = {"type": "LineString", "coordinates": [[97.0, 23.0], [97.5, 23.5], [98.0, 24.0], [98.5, 24.5]]}
    path.write_bytes(collection(front(line), front()))
    result = read_fronts_geojson(path)
    assert [str(e) for e in result.rejected] == ["features[0], field geometry: 'LineString' has more than 3 points"]
    path.write_bytes(collection(front(), front(), front()))
    with pytest.raises(ValueError, match="has 3 features, more than the 2 allowed"):
        read_fronts_geojson(path)


def test_reprojected_fronts_land_where_they_were_drawn(tmp_path: Path) -> None:
    path = tmp_path / "utm.geojson"
    utm = {"type": "LineString", "coordinates": [[500000, 2600000], [550000, 2650000]]}
    crs = {"type": "name", "properties": {"name": "EPSG:32647"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": [front(utm)]}))
    (geometry,) = read_fronts_geojson(path).fronts.geometry
    west, south, _, _ = geometry.bounds
    assert west == pytest.approx(99.0, abs=0.01) and south == pytest.approx(
        23.51, abs=0.01
    )  # UTM 47N, central meridian 99°E


def test_control_characters_in_a_title_leave_valid_svg(map_data: MapData) -> None:
    request = SnapshotRequest(("states",), title="Shan\x00 \x1bfront\x0c line\nupdate")
    assert request.title == "Shan front line update"
    svg = render_snapshot(map_data, request.layer_ids, request.bbox, "North\x07ern \x0bShan", "svg")
    root = ElementTree.fromstring(svg)
    assert "Northern Shan" in "".join(root.itertext())


def test_a_title_beyond_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="more than the 200 allowed"):
        SnapshotRequest(("states",), date(2023, 11, 1), date(2023, 12, 1), title="x" * 201)


def test_a_path_too_long_for_the_file_system_is_a_foreseen_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ("a" * 300 + ".csv")
    assert validate.main([str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"error: {path}: cannot be opened (File name too long)"


def test_the_control_cli_refuses_a_store_that_is_not_one_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo import control

    store = tmp_path / "control.sqlite"
    store.write_bytes(b"not a database at all")
    with pytest.raises(SystemExit) as stopped:
        control.main(["--asof", "2024-01-01", "--store", str(store)])
    assert stopped.value.code == 2
    *_, line = capsys.readouterr().err.splitlines()
    assert line == f"python -m geo.control: error: {store} cannot be opened as a control store: file is not a database"
