"""Concurrent page sessions against a real ``streamlit run`` server, over Streamlit's own websocket protocol.

Each session is what a browser tab does, minus the browser: it opens ``/_stcore/stream``, asks for a
page run with the page's URL (a 7, 14 or 30-day view, events layer on), then changes its filters over and
over until time is up: a date range of 7, 14 or 30 days at random and one event type. A change is a
rerun carrying widget states for the page's own "Date range" slider and "Event types" multiselect,
whose ids the session learns from the deltas of its first run; so the server keeps one session per
client, with its session state and callbacks, as it does for a user moving the widgets. (A new
session per change with the filter in the URL would measure session start-up instead, and leave
the server a disconnected session per change.) The map component's own messages back to the
server (pan, zoom) are not sent.

Page-run time is from sending the rerun to the server's ``script_finished`` message; every run counts,
each session's first (opening the page, all 20 at once) too, and runs under way at the deadline are
waited for. One page run before the clients start loads what all sessions share. A page error
is an exception element, an error box (``st.error``, e.g. the page's "Something went wrong"), a
run the server did not finish, or a dropped connection. 20 clients are light on 2 cores (protobuf
parsing only); 20 Chromium pages would mostly measure the browsers.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.run import _rss_mb, _wait_until_served, free_port  # noqa: E402

PERIOD_LABEL = "Date range"
TYPES_LABEL = "Event types"
SPANS = (7, 14, 30)
RUN_TIMEOUT_S = 900
RSS_EVERY_S = 0.5
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class PageRun:
    """What the server sent back for one page run, read message by message."""

    widget_ids: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    query_string: str | None = None
    finished: bool = False

    def read(self, data: bytes) -> None:
        """Read one ForwardMsg: widget ids and metrics by label, exception elements and error boxes, the URL's
        query string the page set, the end of the run."""
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            # FINISHED_EARLY_FOR_RERUN would mean a rerun overtook this one; sessions never overlap runs.
            self.finished = True
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("the page script did not compile")
            return
        if kind == "page_info_changed":  # the page wrote its filters into the URL, as the browser then shows
            self.query_string = message.page_info_changed.query_string
            return
        if kind != "delta" or message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        element_kind = element.WhichOneof("type")
        if element_kind is None:
            return
        body = getattr(element, element_kind)
        if element_kind == "exception":
            self.errors.append(f"{body.type}: {body.message}")
        elif element_kind == "alert" and body.format == body.ERROR:
            self.errors.append(body.body)
        elif element_kind == "metric":
            self.metrics[body.label] = body.body
        elif body.DESCRIPTOR.fields_by_name.get("id") and body.id and getattr(body, "label", ""):
            self.widget_ids[body.label] = body.id


def date_micros(day: date) -> int:
    """A date as a date slider carries it on the wire: microseconds since the epoch at midnight UTC."""
    return (datetime(day.year, day.month, day.day, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)


def rerun_request(query: str, widget_ids: dict[str, str], period: tuple[date, date], event_type: str) -> bytes:
    """The rerun a browser sends when the user moves the date range and picks one event type."""
    message = BackMsg()
    message.rerun_script.query_string = query
    period_state = message.rerun_script.widget_states.widgets.add()
    period_state.id = widget_ids[PERIOD_LABEL]
    period_state.double_array_value.data.extend([date_micros(period[0]), date_micros(period[1])])
    types_state = message.rerun_script.widget_states.widgets.add()
    types_state.id = widget_ids[TYPES_LABEL]
    types_state.string_array_value.data.append(event_type)
    return message.SerializeToString()


def first_request(query: str) -> bytes:
    """The first run a browser asks for on opening the page at ``?query``."""
    message = BackMsg()
    message.rerun_script.query_string = query
    return message.SerializeToString()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0..1) of ``values`` (linear interpolation); NaN when there are none."""
    return float(np.quantile(values, share)) if values else float("nan")


def stream_url(url: str) -> str:
    return url.replace("http://", "ws://", 1) + "/_stcore/stream"


@dataclass
class LoadResult:
    """Every page run's seconds; one line per failed page run or dropped connection."""

    run_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def random_period(rng: random.Random, first: date, last: date) -> tuple[date, date]:
    """A date range of 7, 14 or 30 days inside ``first..last``."""
    span = rng.choice(SPANS)
    start = first + timedelta(days=rng.randrange(max((last - first).days - span, 0) + 1))
    return start, min(start + timedelta(days=span - 1), last)


async def page_run(socket: Any, request: bytes) -> tuple[float, PageRun]:
    """Send ``request`` on an open stream and read until the run finishes; its seconds and what it showed."""
    run = PageRun()
    started = time.perf_counter()
    await socket.send(request)
    async with asyncio.timeout(RUN_TIMEOUT_S):
        while not run.finished:
            run.read(await socket.recv())
    return time.perf_counter() - started, run


async def _session(
    url: str, number: int, deadline: float, days: tuple[date, date], types: tuple[str, ...], out: LoadResult
) -> None:
    """One client: open the page, then change filters until ``deadline``; a dropped connection is
    an error, and the client opens a new session and goes on."""
    import websockets

    rng = random.Random(number)
    while time.monotonic() < deadline:
        start, end = random_period(rng, *days)
        query = f"layers=states,borders,events&start={start}&end={end}"
        try:
            async with websockets.connect(stream_url(url), subprotocols=["streamlit"], max_size=None) as socket:
                took, run = await page_run(socket, first_request(query))
                out.run_seconds.append(took)
                if run.errors:
                    out.errors.append(f"session {number}, first run: {'; '.join(run.errors)}")
                ids, query = run.widget_ids, run.query_string or query
                if PERIOD_LABEL not in ids or TYPES_LABEL not in ids:
                    out.errors.append(f"session {number}: the page showed no {PERIOD_LABEL!r}/{TYPES_LABEL!r}")
                    return
                while time.monotonic() < deadline:
                    period, event_type = random_period(rng, *days), rng.choice(types)
                    took, run = await page_run(socket, rerun_request(query, ids, period, event_type))
                    out.run_seconds.append(took)
                    if run.errors:
                        where = f"session {number}, {period[0]}..{period[1]} {event_type}"
                        out.errors.append(f"{where}: {'; '.join(run.errors)}")
                    query = run.query_string or query  # a browser's next rerun carries the URL it shows
        except (OSError, TimeoutError, websockets.ConnectionClosed) as error:
            out.errors.append(f"session {number}: connection {type(error).__name__}: {error}"[:300])
            await asyncio.sleep(1)  # a server that is gone should not fill the error list in a tight loop


@contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard.py`` on a free loopback port with ``env``; its URL and pid while it runs
    (``python -m streamlit run`` serves from the process it starts in)."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none",
    ]  # fmt: skip
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_served(url)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


async def _warm(url: str, days: tuple[date, date]) -> list[str]:
    """One page run of a 7-day view, so the clients find the shared data loaded; its errors."""
    import websockets

    query = f"layers=states,borders,events&start={days[0]}&end={days[0] + timedelta(days=6)}"
    async with websockets.connect(stream_url(url), subprotocols=["streamlit"], max_size=None) as socket:
        _, run = await page_run(socket, first_request(query))
    return run.errors


def drive(
    env: dict[str, str], log: Path, sessions: int, seconds: float, days: tuple[date, date], types: tuple[str, ...]
) -> dict[str, Any]:
    """Serve the page with ``env``, warm it with one page run, then ``sessions`` clients for ``seconds``;
    the server's resident memory (with its children) and the machine's load are sampled every 0.5 s meanwhile."""
    with served(env, log) as (url, pid):
        warm_errors = asyncio.run(_warm(url, days))
        rss: list[float] = []
        machine_load: list[float] = []  # the 1-minute load average: 2 cores are shared with whatever else runs
        stop_sampling = threading.Event()

        def sample() -> None:
            while not stop_sampling.wait(RSS_EVERY_S):
                rss.append(_rss_mb(pid))
                machine_load.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        out = LoadResult()
        sampler.start()
        started = time.monotonic()

        async def all_sessions() -> None:
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(_session(url, number, deadline, days, types, out) for number in range(sessions)))

        asyncio.run(all_sessions())
        wall = time.monotonic() - started
        stop_sampling.set()
        sampler.join()
        end_rss = _rss_mb(pid)
    return {
        "page_runs": len(out.run_seconds),
        "errors": len(out.errors),
        "error_samples": out.errors[:3],
        "warm_errors": warm_errors[:3],
        "p50_s": percentile(out.run_seconds, 0.5),
        "p95_s": percentile(out.run_seconds, 0.95),
        "wall_s": wall,
        "peak_rss_mb": max([*rss, end_rss]),
        "end_rss_mb": end_rss,
        "load_mean": statistics.fmean(machine_load) if machine_load else float("nan"),
        "load_max": max(machine_load, default=float("nan")),
        "server_log": str(log),
    }
