"""`python -m layers.snapshot`: every format on good arguments, a clear refusal on bad ones."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from layers import registry
from layers.mapview import DEFAULT_BOUNDS
from layers.snapshot import main
from tests.helpers import run_module

FIXTURES = Path(__file__).parent / "fixtures" / "events"
PROG = "python -m layers.snapshot"


@pytest.mark.parametrize("ext", ["png", "svg", "pdf", "html"])
def test_each_format_is_written(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"map.{ext}"
    result = run_module(
        "layers.snapshot",
        "--out",
        out,
        "--layers",
        "states,borders,crossings,events",
        "--events",
        FIXTURES / "acled_timestamps.csv",
        "--start",
        "2023-11-01",
        "--end",
        "2024-01-31",
        "--asof",
        "2024-01-15",
        "--bbox",
        "92,16,102,28",
        "--title",
        "ရှမ်း 清水河 test",
        "--dpi",
        "30",
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    assert "accepted 3, rejected 0" in result.stderr
    payload = out.read_bytes()
    if ext == "png":
        assert payload.startswith(b"\x89PNG\r\n\x1a\n")
    elif ext == "pdf":
        assert payload.startswith(b"%PDF-")
    elif ext == "svg":
        text = "".join(ET.fromstring(payload).itertext())
        assert "ရှမ်း 清水河 test" in text and "Period 2023-11-01 to 2024-01-31" in text
    else:
        page = payload.decode("utf-8")
        assert "<title>ရှမ်း 清水河 test</title>" in page
        assert "fitBounds(\n                [[16.0, 92.0], [28.0, 102.0]]" in page


def test_help_documents_every_option_and_default() -> None:
    result = run_module("layers.snapshot", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for option in ("--out", "--layers", "--start", "--end", "--asof", "--bbox", "--events", "--title", "--dpi"):
        assert option in text
    defaults = ", ".join(layer.id for layer in registry() if layer.default_visible)
    assert defaults in text
    assert ",".join(f"{v:g}" for v in DEFAULT_BOUNDS) in text
    assert ".png, .svg, .pdf or .html" in text
    for layer in registry():
        assert layer.id in text


def test_rejected_event_rows_are_counted_on_stderr(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    lines = (FIXTURES / "acled_iso.csv").read_text(encoding="utf-8-sig").splitlines()
    bad = lines[1].split(",")
    bad[10] = "not-a-latitude"
    events.write_text("\n".join([*lines, ",".join(bad)]) + "\n", encoding="utf-8")
    result = run_module("layers.snapshot", "--out", tmp_path / "m.svg", "--events", events, "--layers", "events")
    assert result.returncode == 0, result.stderr
    assert "accepted 5, rejected 1" in result.stderr


def test_a_bad_argument_exits_2_with_one_error_line(tmp_path: Path) -> None:
    result = run_module("layers.snapshot", "--out", tmp_path / "m.png", "--layers", "rivers")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{PROG}: error: argument --layers: unknown layer 'rivers'; known layers: countries")


@pytest.fixture
def out(tmp_path: Path) -> str:
    return str(tmp_path / "map.png")


BAD_ARGUMENTS = {
    "unknown layer": (["--layers", "states,rivers"], "unknown layer 'rivers'; known layers: countries, states"),
    "no layer": (["--layers", ","], "give at least one layer id"),
    "end before start": (["--start", "2024-01-31", "--end", "2024-01-01"], "--end 2024-01-01 is before --start"),
    "bad date": (["--start", "2024-13-01"], "argument --start: bad date '2024-13-01': expected YYYY-MM-DD"),
    "bad asof": (["--asof", "yesterday"], "argument --asof: bad date 'yesterday'"),
    "bbox not 4 numbers": (["--bbox", "92,16,102"], "bbox needs 4 numbers W,S,E,N; got 3"),
    "bbox not numbers": (["--bbox", "a,b,c,d"], "bad bbox 'a,b,c,d': expected four numbers W,S,E,N"),
    "bbox west >= east": (["--bbox", "102,16,92,28"], "west (102) must be less than east (92)"),
    "bbox south >= north": (["--bbox", "92,28,102,16"], "south (28) must be less than north (16)"),
    "bbox longitude": (["--bbox=-200,16,102,28"], "longitudes must be within -180..180"),
    "bbox latitude": (["--bbox", "92,16,102,95"], "latitudes must be within -90..90"),
    "bbox not finite": (["--bbox", "92,16,inf,28"], "bbox values must be finite numbers"),
    "events missing": (["--events", "/nonexistent/events.csv"], "cannot read events file /nonexistent/events.csv"),
    "dpi": (["--dpi", "5"], "--dpi must be between 10 and 1200"),
}


@pytest.mark.parametrize(("args", "message"), BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_bad_arguments_are_refused(capsys: pytest.CaptureFixture[str], out: str, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", out, *args])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not Path(out).exists()


def test_unusable_events_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, out: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", out, "--events", str(empty)])
    assert exit_info.value.code == 2
    assert f"cannot read events file {empty}: {empty}: file is empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/map.png", "directory {tmp}/missing does not exist"),
        ("map.gif", "unknown extension '.gif'"),
        ("map", "unknown extension '(none)'"),
        ("file.txt/map.png", "{tmp}/file.txt is not a directory"),
    ],
)
def test_unwritable_or_unknown_output_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "file.txt").write_text("a file, not a directory")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path / name)])
    assert exit_info.value.code == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to a read-only directory")
def test_read_only_directory_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(locked / "map.png")])
    assert exit_info.value.code == 2
    assert f"directory {locked} is not writable" in capsys.readouterr().err
