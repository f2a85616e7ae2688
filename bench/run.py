"""Benchmark of the events pipeline against the usual folium/pandas approaches, on SYNTHETIC data.

    python bench/run.py --quick   # about a minute: 1k and 10k events
    python bench/run.py           # 1k, 10k, 100k and 1M events; writes bench/RESULTS.md
    python bench/run.py --end-to-end  # the page in Chromium, before and now; writes bench/RESULTS-e2e.md

Every measurement runs in its own subprocess (``--worker``), so peak memory
(``VmHWM``) and caches belong to that measurement alone. The events are
SYNTHETIC (bench/synthetic.py), written to bench/out/ once per size. Each target
of the performance issue is checked and printed as PASS or FAIL; a FAIL is a result,
not an error, so the exit code is non-zero only when a measurement could not run.
The last line is ``speedup_vs_naive_folium=<x>``: per-event build + serialise time of
one folium marker with popup per event (in a MarkerCluster) over the packed layer's, at 10k.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layers.screenshot import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = REPO / "bench" / "out"
RESULTS = REPO / "bench" / "RESULTS.md"
RESULTS_E2E = REPO / "bench" / "RESULTS-e2e.md"
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
E2E_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
NAIVE_MAX = 10_000
"""The one-marker-per-event loop takes minutes beyond this; its per-event cost is flat."""
FAST_CLUSTER_MAX = 100_000
HEADLINE_SIZE = 10_000
IMPORT_MAX_BYTES = 2 * 1024**3
"""The page caps uploads at 200 MB; the benchmark's 1M-row file is larger, so the cap is lifted here."""
PACKAGES = ("streamlit", "streamlit-folium", "folium", "geopandas", "pandas", "pyarrow", "shapely", "playwright")
DRAWN_FLAG = (
    "<script>requestAnimationFrame(() => requestAnimationFrame(() => { window.benchDrawnAt = performance.now(); }));"
    "</script>"
)
"""Appended after the map script: two frames after the layers were added, the canvas or icons are painted."""


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries that over from the
    parent across fork + exec, so every worker would report the driver's peak."""
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def timed(action: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# ---------------------------------------------------------------- workers (one subprocess each)


def aggregate_state_week(events: Any, state_column: str) -> Any:
    """Events and fatalities per state and ISO week: the server-side summary for zoomed-out views."""
    weeks = events["event_date"].dt.to_period("W-SUN").dt.start_time
    return events.groupby([events[state_column], weeks], observed=True, dropna=False).agg(
        events=("fatalities", "size"), fatalities=("fatalities", "sum")
    )


def work_import(csv: str, how: str) -> dict[str, Any]:
    """``ours`` (validate + enrich, GeoParquet cache as configured) or the plain pandas/geopandas baseline."""
    import geopandas as gpd
    import pandas as pd

    from geo.boundaries import Boundaries
    from geo.dataset import import_events

    boundaries = Boundaries.load()
    base_rss = peak_rss_mb()
    if how == "baseline":

        def run() -> Any:
            table = pd.read_csv(csv, parse_dates=["event_date"])
            table["fatalities"] = pd.to_numeric(table["fatalities"], errors="coerce")
            points = gpd.GeoDataFrame(
                table, geometry=gpd.points_from_xy(table["longitude"], table["latitude"]), crs="EPSG:4326"
            )
            joined = gpd.sjoin(points, boundaries.states[["name", "geometry"]], how="left", predicate="intersects")
            return aggregate_state_week(joined, "name")
    else:

        def run() -> Any:
            result = import_events(csv, boundaries, max_bytes=IMPORT_MAX_BYTES)
            return aggregate_state_week(result.events, "state")

    seconds, table = timed(run)
    return {"seconds": seconds, "groups": len(table), "peak_rss_mb": peak_rss_mb(), "base_rss_mb": base_rss}


def _events(csv: str) -> Any:
    from geo.boundaries import Boundaries
    from geo.dataset import import_events

    boundaries = Boundaries.load()
    return boundaries, import_events(csv, boundaries, max_bytes=IMPORT_MAX_BYTES).events


def _popup_table(rows: list[tuple[str, object]]) -> str:
    """The usual folium popup: an HTML table of label/value rows, escaped."""
    cells = [(html.escape(label), html.escape(str(value))) for label, value in rows if str(value)]
    body = "".join(f"<tr><th style='text-align:left;padding-right:6px'>{k}</th><td>{v}</td></tr>" for k, v in cells)
    return f"<table>{body}</table>"


def _naive_group(events: Any) -> Any:
    """The textbook folium map: one CircleMarker with an HTML popup per event, clustered."""
    import folium
    from folium.plugins import MarkerCluster

    from layers.events import EVENT_TYPE_COLOURS, OTHER_COLOUR, marker_radius

    group = folium.FeatureGroup(name="events")
    cluster = MarkerCluster().add_to(group)
    radius = marker_radius(events["fatalities"])
    for row, size in zip(events.itertuples(), radius, strict=True):
        rows = [
            ("Date", row.event_date.date().isoformat()),
            ("Type", f"{row.event_type} ({row.sub_event_type})"),
            ("Actors", f"{row.actor1} vs {row.actor2}" if row.actor2 else row.actor1),
            ("Fatalities", row.fatalities),
            ("Place", f"{row.location}, {row.admin1}"),
            ("Source", row.source),
        ]
        folium.CircleMarker(
            (row.latitude, row.longitude),
            radius=float(size),
            color="#222",
            weight=0.6,
            fill=True,
            fill_color=EVENT_TYPE_COLOURS.get(row.event_type, OTHER_COLOUR),
            fill_opacity=0.8,
            popup=folium.Popup(_popup_table(rows), max_width=320),
        ).add_to(cluster)
    return group


FAST_CLUSTER_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: row[3], color: "#222", weight: 0.6, fillColor: row[2], fillOpacity: 0.8});
    marker.bindPopup(row[4]);
    return marker;
}"""


def _fast_cluster_group(events: Any) -> Any:
    """folium's FastMarkerCluster with the same colour, size and popup text per event."""
    import folium
    from folium.plugins import FastMarkerCluster

    from layers.events import EVENT_TYPE_COLOURS, OTHER_COLOUR, marker_radius

    colours = events["event_type"].map(EVENT_TYPE_COLOURS).fillna(OTHER_COLOUR)
    popups = (
        events["event_date"].dt.strftime("%Y-%m-%d")
        + " "
        + events["event_type"]
        + " ("
        + events["sub_event_type"]
        + "): "
        + events["actor1"]
        + " vs "
        + events["actor2"]
        + "; fatalities "
        + events["fatalities"].astype(str)
        + "; "
        + events["location"]
        + ", "
        + events["admin1"]
        + "; "
        + events["source"]
    ).map(html.escape)
    rows = list(
        zip(
            events["latitude"].round(5),
            events["longitude"].round(5),
            colours,
            marker_radius(events["fatalities"]).round(1),
            popups,
            strict=True,
        )
    )
    group = folium.FeatureGroup(name="events")
    FastMarkerCluster(rows, callback=FAST_CLUSTER_CALLBACK).add_to(group)
    return group


def _packed_group(events: Any) -> Any:
    import folium

    from layers.events import PackedEventMarkers

    group = folium.FeatureGroup(name="events")
    PackedEventMarkers(events).add_to(group)
    return group


BUILDERS = {"packed": _packed_group, "fast_cluster": _fast_cluster_group, "naive": _naive_group}


def _map_html(group: Any) -> str:
    """A standalone page with the offline base map, ``group`` and local Leaflet assets."""
    from layers.assets import VENDOR_DIR, localize_assets
    from layers.mapview import base_map

    fmap = base_map()
    fmap.options["max_zoom"] = 18  # MarkerCluster refuses a map without one; the page has no tiles to set it
    if group is not None:
        group.add_to(fmap)
    localize_assets(fmap, VENDOR_DIR.resolve().as_uri())
    return fmap.get_root().render()


def work_layers(csv: str, size: int, html_dir: str) -> dict[str, Any]:
    """Build + serialise time and HTML bytes of each layer kind; filtering; the static snapshot."""
    from datetime import date

    from geo.filters import EventFilter
    from layers.base import MapData
    from layers.request import SnapshotRequest
    from layers.snapshot import export_map

    boundaries, events = _events(csv)
    empty_seconds, empty_html = timed(lambda: _map_html(None), repeat=5)
    empty_bytes = len(empty_html.encode())
    out: dict[str, Any] = {"events": len(events)}
    limits = {"packed": size, "fast_cluster": FAST_CLUSTER_MAX, "naive": NAIVE_MAX}
    kinds = [kind for kind, limit in limits.items() if size <= limit]
    for kind in kinds:
        repeat = 1 if kind == "naive" else 5  # the fast builds take milliseconds: take a median
        seconds, html = timed(lambda kind=kind: _map_html(BUILDERS[kind](events)), repeat=repeat)
        data = html.encode()
        page = Path(html_dir) / f"SYNTHETIC_{kind}_{size}.html"
        page.write_bytes(data.replace(b"</html>", DRAWN_FLAG.encode() + b"</html>"))
        out[kind] = {
            "build_seconds": max(seconds - empty_seconds, 1e-6),
            "bytes_per_event": (len(data) - empty_bytes) / len(events),
            "html": str(page),
        }
    wanted = EventFilter(
        start=date(2022, 1, 1),
        end=date(2023, 12, 31),
        event_types=["Battles", "Explosions/Remote violence"],
        min_fatalities=1,
    )
    from layers.base import safe_json
    from layers.events import pack_events, publish_events

    out["columns_bytes_per_event"] = len(safe_json(pack_events(events)).encode()) / len(events)
    published = Path(html_dir) / f"published-{size}"
    out["publish_seconds"], _ = timed(lambda: publish_events(events, f"bench{size}", published))
    out["filter_seconds"], kept = timed(lambda: wanted.mask(events), repeat=7)
    out["filter_kept"] = int(kept.sum())
    request = SnapshotRequest(("countries", "states", "events"))
    out["snapshot_seconds"], png = timed(lambda: export_map(request, MapData(boundaries, events=events), "png"))
    out["snapshot_bytes"] = len(png)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def work_browser(pages: list[str], repeat: int) -> dict[str, Any]:
    """Milliseconds from navigation until two frames after the layer was added, per page (median)."""
    from playwright.sync_api import sync_playwright

    drawn: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            for page_file in pages:
                times = []
                for _ in range(repeat):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto(Path(page_file).as_uri(), wait_until="load", timeout=600_000)
                    page.wait_for_function("window.benchDrawnAt !== undefined", timeout=600_000)
                    times.append(page.evaluate("window.benchDrawnAt"))
                    shapes = page.evaluate("document.querySelectorAll('canvas, .marker-cluster').length")
                    if not shapes:
                        raise RuntimeError(f"{page_file}: nothing was drawn")
                    page.close()
                drawn[page_file] = statistics.median(times)
        finally:
            browser.close()
    return drawn


def work_page(csv: str) -> dict[str, Any]:
    """The dashboard in AppTest: the run after uploading the file (cold) and after a filter change."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=1800)
    app.run()
    app.file_uploader(key="events_upload").set_value((Path(csv).name, Path(csv).read_bytes(), "text/csv"))
    cold, _ = timed(app.run)
    if app.exception:
        raise RuntimeError(f"page failed: {app.exception}")
    reruns = []
    for minimum in (1, 2, 3):
        app.number_input(key="min_fatalities").set_value(minimum)
        seconds, _ = timed(app.run)
        if app.exception:
            raise RuntimeError(f"page failed after a filter change: {app.exception}")
        reruns.append(seconds)
    return {"cold_seconds": cold, "rerun_seconds": statistics.median(reruns), "peak_rss_mb": peak_rss_mb()}


# The events canvas layer of the page, whichever version of it is running: both keep
# drawnCount, packedCount and a count of frames drawn on the layer. Before a change each layer
# is marked with its frames (MARK_LAYERS); the change has been drawn once a layer has drawn a
# frame since (a page that rebuilds the layer on a filter change) or a new layer has drawn one.
PAGE_CANVAS = (
    "Object.values(map._layers).find((l) => l.drawnCount !== undefined && l.packedCount > 0 && "
    "(l.benchFrames === undefined || (l.frames || 0) > l.benchFrames))"
)
MARK_LAYERS = "Object.values(map._layers).forEach((l) => { l.benchFrames = l.frames || 0; })"


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Streamlit runs in one process)."""
    total = 0
    for task in [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        status = Path(f"/proc/{task}/status").read_text().splitlines()
        total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return total / 1024


def progress(message: str) -> None:
    """A worker's progress on stderr (its stdout carries only the result)."""
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _wait_until_served(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _open_and_upload(browser: Any, url: str, csv: str) -> tuple[Any, Any, float]:
    """A new session: open the page, upload ``csv``; seconds until its events are drawn on the map."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".leaflet-container").wait_for(
        timeout=300_000
    )
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function(f"{PAGE_CANVAS} !== undefined", timeout=300_000)
    frame.evaluate(MARK_LAYERS)
    # An upload made while the first run still renders can be dropped with the widget: wait for quiet.
    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=300_000)
    page.wait_for_timeout(500)
    instructions = "document.querySelectorAll('[data-testid=stFileUploaderDropzoneInstructions]').length"
    empty_uploaders = page.evaluate(instructions)  # events, fronts and (for editors) control history
    started = time.perf_counter()
    page.get_by_test_id("stSidebar").locator('input[type="file"]').first.set_input_files(csv)
    # The events uploader swaps its drop-zone text for the file once it has taken the file.
    page.wait_for_function(f"{instructions} === {empty_uploaders - 1}", timeout=60_000)
    frame = _wait_in_map(page, f"({PAGE_CANVAS} || {{packedCount: 0}}).packedCount > 1000")
    return page, frame, time.perf_counter() - started


def _wait_in_map(page: Any, condition: str, timeout_s: float = 1800) -> Any:
    """The map's frame once ``condition`` holds in it; the page may replace the frame meanwhile."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                if frame.evaluate(f"typeof map !== 'undefined' && Boolean({condition})"):
                    return frame
            except PlaywrightError:
                pass  # replaced while we asked
        page.wait_for_timeout(30)  # not time.sleep: Playwright learns of new frames only while it runs
    raise TimeoutError(f"the map never showed {condition}")


def work_page_browser(csv: str, checkout: str, port: int) -> dict[str, Any]:
    """The page of ``checkout`` served by `streamlit run` and driven in Chromium, as a user would:
    upload, first map, a filter change until the canvas is redrawn, the in-map date scrubber and
    playback (where the page has them), server RSS with two sessions, browser JS heap."""
    from playwright.sync_api import sync_playwright

    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1", "--server.fileWatcherType=none",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            _wait_until_served(url)
            progress(f"{checkout}: upload")
            page, frame, out["first_map_seconds"] = _open_and_upload(browser, url, csv)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            cdp.send("Performance.disable")  # left on, it slows every task in the page
            out["browser_heap_mb"] = metrics["JSHeapUsedSize"] / 1024**2

            changes = []
            for minimum in (1, 2, 3):
                progress(f"filter: minimum fatalities {minimum}")
                page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=300_000)
                frame.evaluate(MARK_LAYERS)
                field = page.get_by_test_id("stSidebar").get_by_label("Minimum fatalities")
                started = time.perf_counter()
                field.fill(str(minimum))
                field.press("Enter")
                # A page that keeps the layer names its filter on the map: wait for this one.
                drawn = f"{PAGE_CANVAS} && (map._mcmFilter === undefined || map._mcmFilter.minFatalities === {minimum})"
                frame = _wait_in_map(page, drawn)
                changes.append(time.perf_counter() - started)
            out["filter_change_seconds"] = statistics.median(changes)
            if frame.evaluate("document.querySelector('.mcm-legend-switch') !== null"):
                out |= _legend_clicks(page, frame)

            progress("time control")
            if frame.evaluate("document.querySelector('.mcm-playback') !== null"):
                # Drag the in-map date scrubber: one input event per animation frame for 3 s.
                out["scrub_fps"] = frame.evaluate(
                    """(canvas) => new Promise((resolve) => {
                        const layer = eval(canvas), scrubber = document.querySelector(".mcm-playback input");
                        const first = layer.frames, started = performance.now();
                        let day = Number(scrubber.min);
                        const step = () => {
                            scrubber.value = String(day++);
                            scrubber.dispatchEvent(new Event("input"));
                            const elapsed = performance.now() - started;
                            if (elapsed < 3000 && day <= Number(scrubber.max)) { requestAnimationFrame(step); }
                            else { resolve((layer.frames - first) / (elapsed / 1000)); }
                        };
                        requestAnimationFrame(step);
                    })""",
                    PAGE_CANVAS,
                )
                # Playback by day at 60 steps a second: frames the events layer drew per second.
                control = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".mcm-playback")
                control.locator("select").first.select_option("day")
                control.locator("select").nth(1).select_option("60")
                before = frame.evaluate(f"[{PAGE_CANVAS}.frames, performance.now()]")
                control.get_by_role("button", name="▶ Play").click()
                page.wait_for_timeout(3000)
                after = frame.evaluate(f"[{PAGE_CANVAS}.frames, performance.now()]")
                control.get_by_role("button", name="❚❚ Pause").click()
                out["playback_fps"] = (after[0] - before[0]) / ((after[1] - before[1]) / 1000)

            progress("second session")
            second, _, out["second_session_first_map_seconds"] = _open_and_upload(browser, url, csv)
            out["server_rss_two_sessions_mb"] = _rss_mb(server.pid)  # both sessions open
            second.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return out


def _legend_clicks(page: Any, frame: Any, clicks: int = 4) -> dict[str, float]:
    """Hide and show "Battles" from the map's legend: seconds until the canvas is redrawn, and
    until the page around the map has taken the change in (the link names the types)."""
    switch = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').get_by_role("button", name="Battles")
    redrawn, followed = [], []
    for click in range(clicks):
        progress(f"legend click {click + 1}")
        page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=300_000)
        page.wait_for_timeout(500)
        frame.evaluate(MARK_LAYERS)
        hiding = click % 2 == 0
        page.evaluate("document.activeElement && document.activeElement.blur()")
        box = switch.bounding_box()  # found before the clock starts: Playwright's own checks take ~0.2 s
        assert box is not None
        started = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a user's click, as is
        # Until the frame after the redraw is painted; one round trip (a polling wait adds ~0.1 s of its own).
        frame.evaluate(
            """(canvas) => new Promise((painted) => {
                const check = () => requestAnimationFrame(eval(canvas) ? () => painted() : check);
                check();
            })""",
            PAGE_CANVAS,
        )
        redrawn.append(time.perf_counter() - started)
        page.wait_for_function(f"location.search.includes('type=') === {str(hiding).lower()}", timeout=300_000)
        followed.append(time.perf_counter() - started)
    return {"legend_redrawn_seconds": statistics.median(redrawn), "legend_page_seconds": statistics.median(followed)}


WORKERS: dict[str, Callable[..., dict[str, Any]]] = {
    "import": work_import,
    "layers": work_layers,
    "browser": work_browser,
    "page": work_page,
    "page_browser": work_page_browser,
}


# ---------------------------------------------------------------- driver


def run_worker(task: str, env: dict[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter; its last stdout line is the JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", task, json.dumps(kwargs)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"worker {task} {kwargs} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def before_revision() -> str:
    """The commit before the events columns went to the browser once (before layers/js/events.js)."""
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "layers/js/events.js"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"{added[-1]}^"


def checkout(revision: str, folder: Path) -> Path:
    """The files of ``revision`` in ``folder``, with this checkout's installed browser assets."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # A copy, not a symlink: Streamlit's static server refuses files that resolve outside static/.
    shutil.copytree(REPO / "static" / "vendor", folder / "static" / "vendor")
    return folder


def page_sized(csv: str) -> str:
    """``csv`` as the page accepts it: under its upload limit (geo.events.MAX_EVENT_FILE_BYTES).
    A larger file keeps every row, with the generated notes shortened to "SYNTHETIC" (still labelled)."""
    from bench.synthetic import NOTES_PATTERN
    from geo.events import MAX_EVENT_FILE_BYTES

    if Path(csv).stat().st_size <= MAX_EVENT_FILE_BYTES:
        return csv
    lean = Path(csv).with_name(Path(csv).stem + "_short-notes.csv")
    if not lean.exists():
        lean.write_text(re.sub(NOTES_PATTERN, "SYNTHETIC", Path(csv).read_text(encoding="utf-8")), encoding="utf-8")
    if lean.stat().st_size > MAX_EVENT_FILE_BYTES:
        raise RuntimeError(f"{lean} is still over the page's upload limit")
    return str(lean)


def end_to_end(report: Report, files: dict[int, str], sizes: tuple[int, ...], work: Path, before: str) -> dict:
    """Issue 13's measurements through the real page, for the page before this change and now."""
    report.say(f"\n## Page end to end in Chromium: upload, map, filter, time control, memory (before = {before})")
    report.say("(files over the page's 200 MB upload limit are sent with their notes shortened to 'SYNTHETIC')")
    pages = {"before": checkout(before, work / "before"), "now": REPO}
    results: dict[int, dict[str, dict[str, Any]]] = {}
    for size in sizes:
        results[size] = {}
        for name, folder in pages.items():
            env = {"MYANMAR_CONFLICT_MAP_CACHE": str(work / f"e2e-cache-{name}-{size}")}
            row = results[size][name] = run_worker(
                "page_browser", env, csv=page_sized(files[size]), checkout=str(folder), port=free_port()
            )
            drag = f"{row['scrub_fps']:.0f} fps" if "scrub_fps" in row else "none (sidebar slider reruns the page)"
            play = f"{row['playback_fps']:.0f} fps" if "playback_fps" in row else "none"
            legend = (
                f"{row['legend_redrawn_seconds']:.3f} s (page follows in {row['legend_page_seconds']:.2f} s)"
                if "legend_redrawn_seconds" in row
                else "none"
            )
            report.say(
                f"{size:>9,} {name:>6}: first map after upload {row['first_map_seconds']:.1f} s | sidebar filter "
                f"change until redrawn {row['filter_change_seconds']:.2f} s | legend type click until redrawn "
                f"{legend} | in-map date drag {drag} | playback {play} | "
                f"server RSS, two sessions {row['server_rss_two_sessions_mb']:.0f} MB | browser JS heap "
                f"{row['browser_heap_mb']:.0f} MB | second session's first map "
                f"{row['second_session_first_map_seconds']:.1f} s"
            )
    return results


def e2e_targets(report: Report, e2e: dict[int, dict[str, dict[str, Any]]]) -> None:
    """Issue 13's targets (1M; filter change at 100k) and issue 10's playback target (100k)."""
    for size, row in e2e.items():
        now = row["now"]
        if size == 100_000:
            report.target("filter change on the map (legend) until redrawn (s)", now["legend_redrawn_seconds"], 0.15,
                          at=size, defined_at=size, higher=False)  # fmt: skip
            report.target("filter change in the sidebar until redrawn (s)", now["filter_change_seconds"], 0.15, at=size,
                          defined_at=size, higher=False)  # fmt: skip
            report.target("playback frames per second", now.get("playback_fps", 0), 20, at=size, defined_at=size)
        if size == 1_000_000:
            report.target("filter change on the map (legend) until redrawn (s)", now["legend_redrawn_seconds"], 1,
                          at=size, defined_at=size, higher=False)  # fmt: skip
            report.target("filter change in the sidebar until redrawn (s)", now["filter_change_seconds"], 1, at=size,
                          defined_at=size, higher=False)  # fmt: skip
            report.target("first map after upload (s)", now["first_map_seconds"], 20, at=size, defined_at=size,
                          higher=False)  # fmt: skip
            report.target("in-map date drag (fps)", now.get("scrub_fps", 0), 10, at=size, defined_at=size)
            report.target("server RSS, two sessions (MB)", now["server_rss_two_sessions_mb"], 1536, at=size,
                          defined_at=size, higher=False)  # fmt: skip


def end_to_end_with_targets(
    report: Report, files: dict[int, str], sizes: tuple[int, ...], work: Path, before: str | None
) -> None:
    """The page end to end (before and now) and its targets, as both the full and the --end-to-end runs report them."""
    e2e = end_to_end(report, files, sizes, work, before or before_revision())
    report.say("\n## Targets, page end to end")
    e2e_targets(report, e2e)


def serve_worker(worker: list[str], workers: dict[str, Callable[..., dict[str, Any]]]) -> int:
    """``--worker TASK JSON``: run one measurement in this fresh process; its JSON result is the last stdout line."""
    task, kwargs = worker
    print(json.dumps(workers[task](**json.loads(kwargs))))
    return 0


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "ram": f"{mem_kb / 1024**2:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "browser": chromium or "chromium not found",
    }


class Report:
    """Collects the printed lines for the results file; prints as it goes."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def target(self, name: str, value: float, goal: float, *, at: int, defined_at: int, higher: bool = True) -> None:
        """PASS/FAIL where measured at the target's size; INFO (not checked) at a smaller one, as in quick mode."""
        ok = value >= goal if higher else value <= goal
        checked = at >= defined_at
        status = ("PASS" if ok else "FAIL") if checked else "INFO"
        where = f"at {at:,}" if checked else f"at {at:,}; not checked, the target is set at {defined_at:,} (full mode)"
        shown = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.3g}"  # 0.044 s, not 0.0
        verdict = f"{status:5s} {name}: {shown} ({'≥' if higher else '≤'} {goal:g}) {where}"
        self.say(verdict)


def write_results(target: Path, options: str, report: Report) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f"# Benchmark results (SYNTHETIC data)\n\nWritten by `python bench/run.py{options}`; see the script's "
        "docstring for what each figure measures.\n\n```\n" + "\n".join(report.lines) + "\n```\n",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k events only, about a minute")
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="only the page end to end in Chromium (100k and 1M, before and now); writes bench/RESULTS-e2e.md",
    )
    parser.add_argument("--before", help="git revision of the page to compare with (default: before events.js)")
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=E2E_SIZES,
        help="with --end-to-end: event counts, comma-separated (default 100000,1000000; 1M takes many minutes)",
    )
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve_worker(args.worker, WORKERS)

    import geopandas as gpd

    from bench.synthetic import write_synthetic_csv
    from geo.boundaries import DATA_DIR

    started = time.perf_counter()
    sizes = args.sizes if args.end_to_end else QUICK_SIZES if args.quick else FULL_SIZES
    top = sizes[-1]
    report = Report()
    info = machine()
    mode = "end-to-end" if args.end_to_end else "quick" if args.quick else "full"
    report.say(f"SYNTHETIC events, sizes {', '.join(f'{n:,}' for n in sizes)} ({mode} mode)")
    for key, value in info.items():
        report.say(f"  {key}: {value}")

    states = gpd.read_file(DATA_DIR / "myanmar_states.geojson")
    files = {size: str(write_synthetic_csv(size, states, OUT)) for size in sizes}
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=OUT))
    cache_env = {"MYANMAR_CONFLICT_MAP_CACHE": str(work / "import-cache")}
    if args.end_to_end:
        try:
            end_to_end_with_targets(report, files, sizes, work, args.before)
            report.say(f"\nTotal {time.perf_counter() - started:.0f} s")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        write_results(RESULTS_E2E, " --end-to-end", report)
        return 0
    try:
        report.say("\n## Import + validation + per-state/week aggregation (each in a fresh process)")
        imports: dict[int, dict[str, dict[str, Any]]] = {}
        for size in sizes if not args.quick else (top,):
            row = imports[size] = {}
            row["baseline"] = run_worker("import", csv=files[size], how="baseline")
            row["cold"] = run_worker("import", cache_env, csv=files[size], how="ours")  # fills the cache
            row["cached"] = run_worker("import", cache_env, csv=files[size], how="ours")
            report.say(
                f"{size:>9,}: pandas.read_csv+sjoin {row['baseline']['seconds']:.2f} s "
                f"({row['baseline']['peak_rss_mb']:.0f} MB peak) | ours first import (validate, enrich, "
                f"write GeoParquet) {row['cold']['seconds']:.2f} s ({row['cold']['peak_rss_mb']:.0f} MB) | "
                f"ours reopened from cache {row['cached']['seconds']:.2f} s ({row['cached']['peak_rss_mb']:.0f} MB) | "
                f"speed-up cached {row['baseline']['seconds'] / row['cached']['seconds']:.1f}x, "
                f"first {row['baseline']['seconds'] / row['cold']['seconds']:.2f}x"
            )

        report.say("\n## Events layer: build + serialise (per event), HTML bytes, filtering, static snapshot")
        layers: dict[int, dict[str, Any]] = {}
        for size in sizes:
            result = layers[size] = run_worker("layers", cache_env, csv=files[size], size=size, html_dir=str(work))
            parts = [f"{size:>9,}: filter {result['filter_seconds'] * 1e3:.1f} ms"]
            for kind in BUILDERS:
                if kind in result:
                    k = result[kind]
                    parts.append(
                        f"{kind} {k['build_seconds'] * 1e3:.0f} ms "
                        f"({k['build_seconds'] / result['events'] * 1e6:.2f} µs/event, "
                        f"{k['bytes_per_event']:.1f} B/event)"
                    )
            parts.append(
                f"page: columns published once {result['publish_seconds'] * 1e3:.0f} ms with detail chunks, "
                f"{result['columns_bytes_per_event']:.1f} B/event"
            )
            parts.append(f"snapshot PNG {result['snapshot_seconds']:.2f} s")
            report.say(" | ".join(parts))
            for kind in ("fast_cluster", "naive"):
                if kind in result:
                    ratio = result[kind]["build_seconds"] / result["packed"]["build_seconds"]
                    report.say(f"           packed vs {kind}: {ratio:.0f}x faster per event")

        report.say("\n## Browser: ms from navigation until the events are drawn (Chromium, headless)")
        browser_sizes = [size for size in sizes if size <= FAST_CLUSTER_MAX]
        pages = [layers[s][k]["html"] for s in browser_sizes for k in ("packed", "fast_cluster") if k in layers[s]]
        drawn = run_worker("browser", pages=pages, repeat=1 if args.quick else 3)
        for size in browser_sizes:
            packed, cluster = drawn[layers[size]["packed"]["html"]], drawn[layers[size]["fast_cluster"]["html"]]
            report.say(
                f"{size:>9,}: packed {packed:.0f} ms | FastMarkerCluster {cluster:.0f} ms | {cluster / packed:.1f}x"
            )

        page_size = min(100_000, top)
        report.say(f"\n## Page (AppTest on dashboard.py, uploaded SYNTHETIC file, {page_size:,} events)")
        page_env = {"MYANMAR_CONFLICT_MAP_CACHE": str(work / "page-cache")}
        page = run_worker("page", page_env, csv=files[page_size])
        report.say(
            f"cold (upload, import, first render) {page['cold_seconds']:.2f} s | after a filter change "
            f"{page['rerun_seconds']:.2f} s | {page['cold_seconds'] / page['rerun_seconds']:.1f}x "
            f"({page['peak_rss_mb']:.0f} MB peak)"
        )

        report.say("\n## Targets")
        speed_at = min(FAST_CLUSTER_MAX, top)
        headline = layers[HEADLINE_SIZE]["naive"]["build_seconds"] / layers[HEADLINE_SIZE]["packed"]["build_seconds"]
        report.target("build+serialise vs naive folium loop (x)", headline, 200, at=HEADLINE_SIZE, defined_at=10_000)
        at = layers[speed_at]
        report.target(
            "build+serialise vs FastMarkerCluster (x)",
            at["fast_cluster"]["build_seconds"] / at["packed"]["build_seconds"],
            5,
            at=speed_at,
            defined_at=100_000,
        )
        report.target(
            "columns sent once per data set, bytes per event",
            layers[speed_at]["columns_bytes_per_event"],
            32,
            at=speed_at,
            defined_at=100_000,
            higher=False,
        )
        report.target(
            "browser time to draw vs FastMarkerCluster (x)",
            drawn[at["fast_cluster"]["html"]] / drawn[at["packed"]["html"]],
            2,
            at=speed_at,
            defined_at=100_000,
        )
        report.target(
            "filter change vs cold page build (x)",
            page["cold_seconds"] / page["rerun_seconds"],
            10,
            at=page_size,
            defined_at=100_000,
        )
        row = imports[top]
        report.target(
            "import+aggregate (reopened) vs pandas+geopandas (x)",
            row["baseline"]["seconds"] / row["cached"]["seconds"],
            3,
            at=top,
            defined_at=1_000_000,
        )
        for label, key in (("reopened", "cached"), ("first import", "cold")):
            report.target(
                f"import+aggregate peak memory, {label} (MB)",
                row[key]["peak_rss_mb"],
                1536,
                at=top,
                defined_at=1_000_000,
                higher=False,
            )
        if not args.quick:
            end_to_end_with_targets(report, files, E2E_SIZES, work, args.before)
        report.say(f"\nTotal {time.perf_counter() - started:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    write_results(OUT / "RESULTS-quick.md" if args.quick else RESULTS, " --quick" if args.quick else "", report)
    print(f"speedup_vs_naive_folium={headline:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
