"""The team-store benchmark end to end on a few SYNTHETIC events (both stores, two sessions), and its
RESULTS.md section replaced in place without touching the other sections."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import bench.team
from tests.helpers import REPO_ROOT
from tests.pg_cluster import Cluster


@pytest.mark.postgis
def test_the_team_benchmark_reports_both_stores_side_by_side(postgis_cluster: Cluster) -> None:
    command = [sys.executable, "bench/team.py", "--events", "3000", "--sessions", "2", "--sessions-seconds", "3"]
    command += ["--no-write", "--database-url", postgis_cluster.new_database()]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout
    assert out.startswith("3,000 SYNTHETIC events")
    assert re.search(r"^\s+SQLite\s+PostGIS$", out, re.MULTILINE)
    loaded = re.search(r"^view \S+: events\s+([\d,]+)\s+([\d,]+)$", out, re.MULTILINE)
    assert loaded is not None and loaded.group(1) == loaded.group(2) != "0", out
    assert re.search(r"^  page errors\s+0\s+0$", out, re.MULTILINE), out


def test_its_section_of_results_is_replaced_and_the_others_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Import\n\n```\nkept\n```\n\n## Browser\n\nalso kept\n")
    monkeypatch.setattr(bench.team, "RESULTS", results)
    bench.team.write_section(["first run"])
    bench.team.write_section(["second run"])
    text = results.read_text()
    assert text.count(bench.team.SECTION) == 1 and "second run" in text and "first run" not in text
    assert "kept" in text and "## Browser\n\nalso kept" in text
