"""The map's own browser scripts (layers/js/), tested with node's built-in test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parent / "js"


@pytest.mark.parametrize("test_file", sorted(JS_TESTS.glob("*.test.js")), ids=lambda path: path.name)
def test_node_test_runner_passes(test_file: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the map scripts are tested with `node --test`")
    result = subprocess.run([node, "--test", str(test_file)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
