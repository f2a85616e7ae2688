"""bench/control_edit.py runs and reports every cost of an edit."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.helpers import REPO_ROOT


def test_control_edit_bench_reports_each_step() -> None:
    result = subprocess.run(
        [sys.executable, "bench/control_edit.py", "--sizes", "300"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    row = result.stdout.strip().splitlines()[-1]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "300" and int(cells[1].replace(",", "")) > 50
    times = [float(cell) for cell in cells[2:]]
    assert len(times) == 5 and all(value > 0 for value in times)
    assert abs(sum(times[:4]) - times[4]) < 0.2  # the total is the sum of its steps
    assert re.search(r"\| write \(ms\) \| reread \(ms\) \|", result.stdout)
