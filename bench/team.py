"""Team-store benchmark on SYNTHETIC events: the embedded SQLite store and PostGIS side by side.

    python bench/team.py                    # 2,500,000 events (global ACLED's size); writes its section of RESULTS.md
    python bench/team.py --events 50000 --sessions-seconds 20 --no-write   # a quick look
    python bench/team.py --events 50000 --sessions-only --no-write         # only the 20 sessions

Events come from bench/synthetic.py (SYNTHETIC, labelled in every row), validated and
enriched once by the page's importer (cached as GeoParquet), then loaded into each store.
Each measurement runs in its own process (``--worker``). PostGIS is a throwaway cluster
started here (tests/pg_cluster.py) unless ``--database-url`` names one. Figures:

* import: upserting every event into the store (in batches of 50,000), events per second;
* 100k view: the page's query for a date range holding about 100,000 events, and drawing
  them (the events layer built and the folium map rendered to HTML);
* aggregation: per-state and weekly counts of all events, by the store (SQL);
* memory per session: the resident memory a second page session adds (AppTest on dashboard.py,
  showing the 100k view), the first having loaded what every session shares;
* concurrency: N clients of a real ``streamlit run dashboard.py`` server on loopback (bench/load.py,
  Streamlit's own websocket protocol), each changing its date range (7/14/30 days) and event type
  for a fixed time: page runs, page errors (up to 3 samples), p50/p95 page-run time, the server's
  peak resident memory (sampled every 0.5 s, with its children) and its memory at the end.

``--sessions-only`` loads the stores and runs only the concurrency part (for working on it at a
small ``--events``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import OUT, RESULTS, machine, peak_rss_mb, serve_worker, timed  # noqa: E402

SECTION = "## Team store: SQLite vs PostGIS (SYNTHETIC events)"
BATCH = 50_000
VIEW_EVENTS = 100_000
IMPORT_MAX_BYTES = 4 * 1024**3


def current_rss_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def _events(csv: str) -> Any:
    from geo.boundaries import Boundaries
    from geo.dataset import import_events

    return import_events(csv, Boundaries.load(), "acled", max_bytes=IMPORT_MAX_BYTES).events


def _store(location: str) -> Any:
    from geo.store import open_store

    return open_store(location, seed=None)


def work_prepare(csv: str) -> dict[str, Any]:
    """Validate and enrich once (fills the import cache the other workers read)."""
    seconds, events = timed(lambda: _events(csv))
    return {"seconds": seconds, "events": len(events), "peak_rss_mb": peak_rss_mb()}


def work_load(csv: str, location: str) -> dict[str, Any]:
    events = _events(csv)
    store = _store(location)
    start = time.perf_counter()
    for first in range(0, len(events), BATCH):
        store.upsert_events(events.iloc[first : first + BATCH])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "events": len(events), "peak_rss_mb": peak_rss_mb()}


def work_query(location: str, start: str, end: str) -> dict[str, Any]:
    import folium

    from geo.boundaries import Boundaries
    from geo.filters import EventFilter
    from layers.base import MapData
    from layers.events import EventsLayer

    store, boundaries = _store(location), Boundaries.load()
    view = EventFilter(start=date.fromisoformat(start), end=date.fromisoformat(end))
    query_s, shown = timed(lambda: store.events(view), repeat=3)

    def draw() -> int:
        fmap, group = folium.Map(), folium.FeatureGroup(name="events")
        EventsLayer().add_to_group(group, MapData(boundaries, events=shown))
        group.add_to(fmap)
        return len(fmap.get_root().render())

    draw_s, html_bytes = timed(draw, repeat=3)
    per_state_s, states = timed(store.counts_per_state, repeat=3)
    weekly_s, weeks = timed(store.weekly_counts, repeat=3)
    view_counts_s, _ = timed(lambda: (store.counts_per_state(view), store.weekly_counts(view)), repeat=3)
    return {
        "view_events": len(shown),
        "query_s": query_s,
        "draw_s": draw_s,
        "html_mb": html_bytes / 1e6,
        "per_state_s": per_state_s,
        "weekly_s": weekly_s,
        "view_counts_s": view_counts_s,
        "all_events": int(states["events"].sum()),
        "weeks": len(weeks),
        "peak_rss_mb": peak_rss_mb(),
    }


def _store_env(location: str) -> dict[str, str]:
    """The page's environment for the store at ``location``: DATABASE_URL for PostGIS, else its data folder."""
    from geo.store import DATA_ENV

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if location.startswith("postgresql"):
        env["DATABASE_URL"] = location
    else:
        env[DATA_ENV] = str(Path(location).parent)
    return env


def _page_env(location: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(_store_env(location))


def _page(start: str, end: str) -> Any:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=900)
    app.query_params["start"], app.query_params["end"] = start, end
    app.query_params["layers"] = "states,borders,events"
    return app


def work_session(location: str, start: str, end: str) -> dict[str, Any]:
    _page_env(location)
    first = _page(start, end)
    first_s, _ = timed(first.run)
    if first.exception:
        raise RuntimeError(f"page failed: {first.exception}")
    shared = current_rss_mb()
    second = _page(start, end)
    second_s, _ = timed(second.run)
    return {
        "first_run_s": first_s,
        "second_run_s": second_s,
        "session_mb": current_rss_mb() - shared,
        "peak_rss_mb": peak_rss_mb(),
        "shown": second.metric[0].value if second.metric else "",
    }


def work_sessions(location: str, sessions: int, seconds: float, first_day: str, last_day: str) -> dict[str, Any]:
    """``sessions`` clients of a real ``streamlit run`` server changing filters for ``seconds`` (bench/load.py)."""
    from bench.load import drive
    from geo.events import EVENT_TYPES

    handle, log = tempfile.mkstemp(prefix="team-server-", suffix=".log", dir=OUT)  # kept for a failed run
    os.close(handle)
    days = (date.fromisoformat(first_day), date.fromisoformat(last_day))
    return drive(_store_env(location), Path(log), sessions, seconds, days, tuple(EVENT_TYPES))


WORKERS = {
    "prepare": work_prepare,
    "load": work_load,
    "query": work_query,
    "session": work_session,
    "sessions": work_sessions,
}


def run_worker(task: str, cache: Path, **kwargs: Any) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", task, json.dumps(kwargs)]
    env = {**os.environ, "MYANMAR_CONFLICT_MAP_CACHE": str(cache)}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"worker {task} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_section(lines: list[str]) -> None:
    """Replace (or append) this benchmark's own section of RESULTS.md, leaving the others as they are."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results (SYNTHETIC data)\n"
    block = "\n".join([SECTION, "", "Written by `python bench/team.py` (see its docstring).", "", "```", *lines, "```"])
    if SECTION in text:
        before, after = text.split(SECTION, 1)
        rest = after.split("\n## ", 1)
        text = before + block + ("\n\n## " + rest[1] if len(rest) == 2 else "\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2_500_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--sessions-seconds", type=float, default=300)
    parser.add_argument("--database-url", help="an existing empty PostGIS database (default: a throwaway cluster)")
    parser.add_argument("--sessions-only", action="store_true", help="load the stores, then only the sessions")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve_worker(args.worker, WORKERS)

    import geopandas as gpd

    from bench.synthetic import DAYS, FIRST_DAY, write_synthetic_csv
    from geo.boundaries import DATA_DIR
    from tests.pg_cluster import Cluster

    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    say(f"{args.events:,} SYNTHETIC events; {args.sessions} sessions for {args.sessions_seconds:.0f} s")
    for key, value in {**machine(), "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"}.items():
        say(f"  {key}: {value}")
    states = gpd.read_file(DATA_DIR / "myanmar_states.geojson")
    csv = str(write_synthetic_csv(args.events, states, OUT))
    work = Path(tempfile.mkdtemp(prefix="bench-team-", dir=OUT))
    cache = OUT / "team-import-cache"  # validated + enriched once per file, reused by later runs
    cluster = None
    if args.database_url:
        postgis = args.database_url
    else:
        cluster = Cluster()
        cluster.start()
        postgis = cluster.new_database()
    backends = {"SQLite": str(work / "store" / "control.sqlite"), "PostGIS": postgis}
    first_day = str(FIRST_DAY)
    span = min(DAYS, max(1, round(VIEW_EVENTS / (args.events / DAYS))))
    view = (first_day, str((FIRST_DAY + span - 1).astype("datetime64[D]")))
    last_day = str((FIRST_DAY + DAYS - 1).astype("datetime64[D]"))
    try:
        prepared = run_worker("prepare", cache, csv=csv)
        say(
            f"validate + enrich (page importer, once, shared): {prepared['seconds']:.1f} s, "
            f"{prepared['events']:,} events accepted, {prepared['peak_rss_mb']:.0f} MB peak"
        )
        results: dict[str, dict[str, Any]] = {name: {} for name in backends}
        for name, location in backends.items():
            results[name]["load"] = run_worker("load", cache, csv=csv, location=location)
            if not args.sessions_only:
                results[name]["query"] = run_worker("query", cache, location=location, start=view[0], end=view[1])
                results[name]["session"] = run_worker("session", cache, location=location, start=view[0], end=view[1])
            results[name]["sessions"] = run_worker(
                "sessions",
                cache,
                location=location,
                sessions=args.sessions,
                seconds=args.sessions_seconds,
                first_day=first_day,
                last_day=last_day,
            )
        say(f"{'':44}{'SQLite':>14}{'PostGIS':>14}")

        def row(label: str, pick: Any, unit: str = "") -> None:
            say(f"{label:44}" + "".join(f"{pick(results[name]):>14}" for name in backends) + unit)

        row("import (upsert all events) s", lambda r: f"{r['load']['seconds']:.1f}")
        row("  events per second", lambda r: f"{r['load']['events'] / r['load']['seconds']:,.0f}")
        row("  importer process peak MB", lambda r: f"{r['load']['peak_rss_mb']:.0f}")
        if not args.sessions_only:
            row(f"view {view[0]}..{view[1]}: events", lambda r: f"{r['query']['view_events']:,}")
            row("  query s", lambda r: f"{r['query']['query_s']:.2f}")
            row("  draw (events layer + map HTML) s", lambda r: f"{r['query']['draw_s']:.2f}")
            row("  filter-and-draw s", lambda r: f"{r['query']['query_s'] + r['query']['draw_s']:.2f}")
            row("  per-state + weekly counts of the view s", lambda r: f"{r['query']['view_counts_s']:.2f}")
            row("per-state counts, all events s", lambda r: f"{r['query']['per_state_s']:.2f}")
            row("weekly counts, all events s", lambda r: f"{r['query']['weekly_s']:.2f}")
            row("page: first session run s", lambda r: f"{r['session']['first_run_s']:.1f}")
            row("page: second session run s", lambda r: f"{r['session']['second_run_s']:.1f}")
            row("memory per session (100k view) MB", lambda r: f"{r['session']['session_mb']:.0f}")
        row(f"{args.sessions} sessions (streamlit run): page runs", lambda r: f"{r['sessions']['page_runs']}")
        row("  page errors", lambda r: f"{r['sessions']['errors']}")
        row("  p50 page run s", lambda r: f"{r['sessions']['p50_s']:.2f}")
        row("  p95 page run s", lambda r: f"{r['sessions']['p95_s']:.2f}")
        row("  wall time incl. runs past the deadline s", lambda r: f"{r['sessions']['wall_s']:.0f}")
        row("  server peak RSS (with children) MB", lambda r: f"{r['sessions']['peak_rss_mb']:.0f}")
        row("  server RSS at the end MB", lambda r: f"{r['sessions']['end_rss_mb']:.0f}")
        row(
            "  machine load average (1 min) mean/max",
            lambda r: f"{r['sessions']['load_mean']:.1f}/{r['sessions']['load_max']:.1f}",
        )
        for name in backends:
            for sample in results[name]["sessions"]["warm_errors"]:
                say(f"  {name} warm-up page error: {sample}")
            for sample in results[name]["sessions"]["error_samples"]:
                say(f"  {name} page error: {sample}")
    finally:
        if cluster is not None:
            cluster.stop()
    if not args.no_write:
        write_section(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
