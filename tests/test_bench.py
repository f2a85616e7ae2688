"""The benchmark's quick mode runs end to end and meets the targets it checks (about a minute)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO_ROOT


def test_quick_benchmark_runs_and_meets_its_targets(chromium_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--quick"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"speedup_vs_naive_folium=\d+(\.\d+)?", lines[-1]), lines[-1]
    verdicts = [line for line in lines if re.match(r"(PASS|FAIL|INFO) ", line)]
    assert any(line.startswith("PASS") for line in verdicts), verdicts
    assert not [line for line in verdicts if line.startswith("FAIL")], done.stdout
    assert "SYNTHETIC" in lines[0]
