"""Shared fixtures: the shipped boundaries, a live dashboard and a real browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import matplotlib
import pytest

from geo.boundaries import Boundaries
from geo.cache import CACHE_ENV
from geo.control import control_map
from geo.dataset import SAMPLE_EVENTS, import_events
from geo.fronts import read_fronts_geojson
from geo.store import DATA_ENV
from layers.base import MapData
from layers.screenshot import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import control_gazetteer, control_history
from tests.pg_cluster import Cluster, missing_parts

if TYPE_CHECKING:
    from playwright.sync_api import Page

matplotlib.use("Agg")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def isolated_import_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Imports cache and the control store in fresh folders (inherited by `streamlit run`), never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("import-cache")))
        patch.setenv(DATA_ENV, str(tmp_path_factory.mktemp("control-store")))
        yield


def skip_or_fail(message: str) -> None:
    """Skip a test whose tools are missing, unless REQUIRE_FULL_SUITE=1 (as in CI) makes it mandatory."""
    if os.environ.get("REQUIRE_FULL_SUITE") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgis_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL + PostGIS server on a loopback port, stopped after the session."""
    if message := missing_parts():
        skip_or_fail(message)
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgis_url(postgis_cluster: Cluster) -> str:
    """A fresh, empty database with PostGIS, for one test."""
    return postgis_cluster.new_database()


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh store lives, once per backend: an SQLite file, or a PostGIS database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgis_url")


@pytest.fixture(scope="session")
def boundaries() -> Boundaries:
    return Boundaries.load()


@pytest.fixture(scope="session")
def map_data(boundaries: Boundaries) -> MapData:
    """The shipped view: boundaries and the cited sample events, with fixture fronts and control (not real)."""
    events = import_events(SAMPLE_EVENTS, boundaries, cache=False).events
    period = (events["event_date"].min().date(), events["event_date"].max().date())
    control = control_map(control_history(), period[1], control_gazetteer(), since=period[0])
    return MapData(
        boundaries,
        events=events,
        fronts=read_fronts_geojson(FIXTURES / "fronts.geojson").fronts,
        period=period,
        as_of=period[1],
        control=control,
    )


REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; skipped when absent unless REQUIRE_FULL_SUITE=1 (as in CI)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (make test does, as root)"
        if os.environ.get("REQUIRE_FULL_SUITE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def streamlit_url() -> Iterator[str]:
    """The dashboard served by a real `streamlit run` on a free local port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_healthy(url: str, process: subprocess.Popen, log: IO[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"streamlit did not start:\n{log.read().decode(errors='replace')}")
        time.sleep(0.3)


@pytest.fixture
def browser_page(chromium_path: Path) -> Iterator[tuple[Page, list[str]]]:
    """A fresh Chromium page and the list of every URL it requests."""
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.on("request", lambda request: requested.append(request.url))
        page.on("websocket", lambda socket: requested.append(socket.url))
        try:
            yield page, requested
        finally:
            browser.close()
