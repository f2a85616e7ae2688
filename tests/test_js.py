"""The browser scripts in layers/js: their node tests pass, and the page serves their current text."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from layers.assets import OWN_FILES, VENDOR_DIR
from tests.helpers import REPO_ROOT


def test_node_tests_of_the_browser_scripts_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: it comes with npm, which `make setup` needs")
    result = subprocess.run(
        [node, "--test", *sorted(str(p) for p in (REPO_ROOT / "tests" / "js").glob("*.test.js"))],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout


@pytest.mark.parametrize(("source", "served"), OWN_FILES.items())
def test_served_copy_is_the_current_script(source: str, served: str) -> None:
    copy = VENDOR_DIR / served
    assert copy.is_file(), f"{copy} missing: run `make setup` (or `python -m layers.assets`)"
    assert copy.read_bytes() == (REPO_ROOT / source).read_bytes(), f"{copy} is stale: run `python -m layers.assets`"
