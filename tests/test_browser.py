"""The real page in a real Chromium: the map draws offline and the toggles work."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from playwright.sync_api import Frame, FrameLocator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo.control import Gazetteer, control_map, read_history_csv
from geo.fronts import fronts_as_of
from geo.store import SHIPPED_HISTORY, open_store
from layers.base import MapData

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHAPES = "path.leaflet-interactive"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def assert_stayed_local(requested: list[str]) -> None:
    """No request left the machine; a blob: address (a script the page made itself) names its maker's origin."""
    origins = [url.removeprefix("blob:") for url in requested]
    leaving = [url for url in origins if "://" in url and urlparse(url).hostname not in LOCAL_HOSTS]
    assert leaving == [], f"requests left the machine: {leaving[:10]}"


def open_map(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(SHAPES).first).to_be_attached(timeout=60_000)
    return frame


def expected_shapes(data: MapData) -> dict[str, int]:
    """Leaflet draws one SVG path per feature (a MultiPolygon is one path); events go on a canvas."""
    boundaries = data.boundaries
    return {
        "countries": len(boundaries.countries),
        "states": len(boundaries.states),
        "yunnan": len(boundaries.yunnan),
        "borders": len(boundaries.borders),
        "crossings": len(boundaries.crossings),
        "fronts": len(fronts_as_of(open_store().fronts(), data.as_of)),  # analyst-drawn fronts in the page's store
        "control": shipped_control_shapes(data.as_of),
    }


def shipped_control_shapes(as_of: date) -> int:
    """Towns and townships with a record in the shipped history (the page's fresh store; the browser edit
    test changes a place that is already drawn): each is drawn, hidden while it has no control yet."""
    return len(control_map(read_history_csv(SHIPPED_HISTORY).records, as_of, Gazetteer.load()).timeline)


# Events drawn by the events layer's canvas (it keeps no Leaflet object per event).
EVENT_CANVAS = "Object.values(map._layers).find(layer => layer.drawnCount !== undefined)"
COUNT_EVENTS = f"({EVENT_CANVAS} || {{drawnCount: -1}}).drawnCount"
# True when event i is painted on the canvas and the canvas lies above the vector layers. The pixel
# looked at lies just inside the circle's edge: approximate positions are drawn as hollow rings.
EVENT_VISIBLE = f"""(i) => {{
    const layer = {EVENT_CANVAS}, canvas = layer._canvas, point = layer.eventPoint(i), size = map.getSize();
    const ratio = canvas.width / parseFloat(canvas.style.width), edge = layer.events.radius[i] - 1;
    const padX = (parseFloat(canvas.style.width) - size.x) / 2, padY = (parseFloat(canvas.style.height) - size.y) / 2;
    const pixel = canvas.getContext("2d").getImageData((point.x + edge + padX) * ratio, (point.y + padY) * ratio, 1, 1);
    const above = Number(getComputedStyle(canvas.parentElement).zIndex) >
        Number(getComputedStyle(map.getPane("overlayPane")).zIndex);
    return pixel.data[3] > 0 && above && canvas.style.visibility !== "hidden";
}}"""


def map_frame(page: Page) -> Frame:
    return next(frame for frame in page.frames if "streamlit_folium.st_folium" in frame.url)


def sidebar_toggle(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").filter(has_text=title).click()


def pane_transform(frame: FrameLocator, page: Page) -> str:
    """The map pane's offset once it has stopped moving (a drag ends with inertia)."""
    pane = frame.locator(".leaflet-map-pane")
    previous = pane.evaluate("pane => pane.style.transform")
    for _ in range(20):
        page.wait_for_timeout(400)
        current = pane.evaluate("pane => pane.style.transform")
        if current == previous:
            return current
        previous = current
    raise AssertionError("the map kept moving")


def test_map_draws_every_layer_offline_and_toggles_keep_the_view(
    browser_page: tuple[Page, list[str]], streamlit_url: str, map_data: MapData
) -> None:
    page, requested = browser_page
    frame = open_map(page, streamlit_url)
    counts = expected_shapes(map_data)
    shapes = frame.locator(SHAPES)
    expect(shapes).to_have_count(sum(counts.values()), timeout=60_000)

    # Pan away from the initial view, then hide a layer: the view must stay where it is.
    box = frame.locator(".leaflet-container").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + box["height"] / 2 + 80, steps=8)
    page.mouse.up()
    panned = pane_transform(frame, page)

    sidebar_toggle(page, "Border crossings")
    expect(shapes).to_have_count(sum(counts.values()) - counts["crossings"], timeout=60_000)
    sidebar_toggle(page, "States and regions")
    expect(shapes).to_have_count(sum(counts.values()) - counts["crossings"] - counts["states"], timeout=60_000)
    assert pane_transform(frame, page) == panned
    assert "layers=countries%2Cyunnan%2Cborders" in page.url or "layers=countries,yunnan,borders" in page.url

    sidebar_toggle(page, "Border crossings")
    expect(shapes).to_have_count(sum(counts.values()) - counts["states"], timeout=60_000)

    # A layer off by default, with its own script: the heatmap draws from the local copy of leaflet-heat.
    sidebar_toggle(page, "Event density (heatmap)")
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1, timeout=60_000)

    assert_stayed_local(requested)
    assert any(url.endswith("/app/static/vendor/leaflet/leaflet.js") for url in requested)
    assert any(url.endswith("/app/static/vendor/leaflet-heat/leaflet-heat.js") for url in requested)


def test_events_draw_with_text_popups_and_follow_the_filters(
    browser_page: tuple[Page, list[str]], streamlit_url: str, map_data: MapData
) -> None:
    page, requested = browser_page
    received: list[bytes] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: received.append(bytes(payload))))
    open_map(page, streamlit_url)
    events = map_data.events
    frame = map_frame(page)
    frame.wait_for_function(f"{COUNT_EVENTS} === {len(events)}", timeout=60_000)
    assert frame.locator("canvas.packed-events").count() == 1
    frame.wait_for_function(f"({EVENT_VISIBLE})(0)", timeout=30_000)

    # A click on an event opens a popup built from its own fields, as text.
    index = int(events["fatalities"].to_numpy().argmax())  # the biggest circle, on top of no crossing
    first = events.iloc[index]
    # A real mouse click where the circle is drawn: the browser's hit-testing, then Leaflet's.
    # In a short window, so the map (which starts in the first screen) sticks out below it.
    page.set_viewport_size({"width": 1400, "height": 600})
    page.wait_for_timeout(300)
    map_box = page.locator(MAP_FRAME).bounding_box()
    assert map_box is not None and map_box["y"] + map_box["height"] > page.viewport_size["height"]
    point = frame.evaluate(f"{EVENT_CANVAS}.eventPoint({index})")
    # The map sticks out below the window: the click must not scroll the page under the pointer.
    page.mouse.click(map_box["x"] + point["x"], map_box["y"] + point["y"])
    assert page.locator(MAP_FRAME).bounding_box() == map_box
    popup_text = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content")
    expect(popup_text).to_be_visible(timeout=10_000)
    expect(popup_text).to_contain_text(first["event_id_cnty"], timeout=10_000)  # details arrive in a chunk
    popup = frame.evaluate(
        """() => {
            const content = document.querySelector(".leaflet-popup-content");
            const links = [...content.querySelectorAll("a")];
            return {text: content.innerText, tags: content.querySelectorAll("script, img").length,
                    summaries: [...content.querySelectorAll("details summary")].map((s) => s.textContent),
                    links: links.map((a) => [a.href, a.rel])};
        }"""
    )
    assert first["event_date"].date().isoformat() in popup["text"]
    assert first["actor1"] in popup["text"]
    assert first["source"] in popup["text"]
    assert first["admin3"] in popup["text"]  # the township, named once (here it is the place itself)
    # How sure the position is: the importer's own placement words when it wrote them (the sample does).
    if first["geo_precision"] == 1:
        assert "exact: the place named in the report" in popup["text"]
    else:
        assert (first.get("geo_placement") or "approximate: placed at") in popup["text"]
    assert f"(precision {first['geo_precision']})" in popup["text"]
    # The popup lists every event at this point; this one's long notes are folded to their first words.
    assert len(first["notes"]) > 280
    assert any(first["notes"].startswith(summary.rstrip("…")) for summary in popup["summaries"])
    assert [first["source_url"], "noopener noreferrer"] in popup["links"]
    assert popup["tags"] == 0

    # Filter to one event type: only those events stay on the map, and the URL says so.
    battles = int((events["event_type"] == "Battles").sum())
    assert 0 < battles < len(events)
    before_filter = len(received)
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Event types").click()
    page.keyboard.type("Battles")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    map_frame(page).wait_for_function(f"{COUNT_EVENTS} === {battles}", timeout=60_000)
    map_frame(page).wait_for_function(f"({EVENT_VISIBLE})(0)", timeout=30_000)  # still on top after the rerun
    assert "type=Battles" in page.url
    # The columns were fetched once; the rerun sent the filter, not the events.
    assert len([url for url in requested if url.endswith("/columns.json.gz")]) == 1
    after_filter = b"".join(received[before_filter:])
    assert b"McmEvents.attach" in after_filter and b"minFatalities" in after_filter
    assert b"latScale" not in b"".join(received)
    assert_stayed_local(requested)


def test_legend_type_switches_filter_the_map_at_once_and_the_page_follows(
    browser_page: tuple[Page, list[str]], streamlit_url: str, map_data: MapData
) -> None:
    page, requested = browser_page
    frame_locator = open_map(page, streamlit_url)
    events = map_data.events
    frame = map_frame(page)
    frame.wait_for_function(f"{COUNT_EVENTS} === {len(events)}", timeout=60_000)
    wait_until_idle(page)
    battles = int((events["event_type"] == "Battles").sum())
    others = sorted(set(events["event_type"]) - {"Battles"})
    assert 0 < battles < len(events) and others
    switch = frame_locator.get_by_role("button", name="Battles")
    expect(switch).to_have_attribute("aria-pressed", "true")
    types_box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Event types")
    events_metric = page.get_by_test_id("stMetric").filter(has_text="Events").first

    # Hidden on the map by the click itself, before any page run: the map's frame redraws in the handler.
    drawn_on_click = frame.evaluate(
        f"""() => {{ document.querySelector("button.mcm-legend-switch[title^='Battles']").click();
                    return {COUNT_EVENTS}; }}"""
    )
    assert drawn_on_click == len(events) - battles
    expect(switch).to_have_attribute("aria-pressed", "false")
    # The page follows: the sidebar's box names the types left, the counts and the link agree.
    for name in others:
        expect(types_box).to_contain_text(name, timeout=30_000)
    expect(events_metric).to_contain_text(f"{len(events) - battles:,}", timeout=30_000)
    wait_until_idle(page)
    assert "type=Battles" not in page.url and "type=" in page.url
    assert map_frame(page).evaluate(COUNT_EVENTS) == len(events) - battles  # the page's answer kept the change

    # Shown again, from the keyboard: the switch keeps the focus, and every type on is no type filter at all.
    frame_locator.get_by_role("button", name="Battles").focus()
    page.keyboard.press("Enter")
    expect(frame_locator.get_by_role("button", name="Battles")).to_be_focused()
    map_frame(page).wait_for_function(f"{COUNT_EVENTS} === {len(events)}", timeout=10_000)
    expect(events_metric).to_contain_text(f"{len(events):,}", timeout=30_000)
    wait_until_idle(page)
    assert "type=" not in page.url
    expect(types_box).not_to_contain_text("Battles")

    # The sidebar still drives the map after a change made on the map.
    killed = int((events["fatalities"] >= 10).sum())
    assert 0 < killed < len(events)
    field = page.get_by_test_id("stSidebar").get_by_label("Minimum fatalities")
    field.fill("10")
    field.press("Enter")
    map_frame(page).wait_for_function(f"{COUNT_EVENTS} === {killed}", timeout=30_000)
    assert_stayed_local(requested)


def test_playback_steps_through_the_days_and_draws_each_step(
    browser_page: tuple[Page, list[str]], streamlit_url: str, map_data: MapData
) -> None:
    page, requested = browser_page
    frame_locator = open_map(page, streamlit_url)
    events = map_data.events
    frame = map_frame(page)
    frame.wait_for_function(f"{COUNT_EVENTS} === {len(events)}", timeout=60_000)
    frame.evaluate("""() => {
        window.announced = [];
        document.addEventListener("mcm:date", (e) => window.announced.push(e.detail));
    }""")
    control = frame_locator.locator(".mcm-playback")
    control.locator("select").nth(1).select_option("30")
    control.get_by_role("button", name="▶ Play").click()
    frame.wait_for_function("window.announced.length >= 5", timeout=30_000)
    control.get_by_role("button", name="❚❚ Pause").click()
    shown = frame.evaluate(f"""() => {{
        const layer = {EVENT_CANVAS};
        return {{step: layer.step, drawn: layer.drawnCount, frames: layer.frames, announced: window.announced}};
    }}""")
    announced = shown["announced"]
    first_day = (map_data.events["event_date"].min() - pd.Timestamp("1970-01-01")).days
    assert announced[0] == {"day": first_day, "start": first_day, "end": first_day}
    assert [a["start"] for a in announced] == list(range(first_day, first_day + len(announced)))
    step = shown["step"]
    assert step == {"start": announced[-1]["start"], "end": announced[-1]["end"]}
    days = (events["event_date"] - pd.Timestamp("1970-01-01")).dt.days
    assert shown["drawn"] == int(days.between(step["start"], step["end"]).sum())
    assert shown["frames"] >= len(announced)
    banner = frame_locator.locator(".mcm-playback-date")
    expect(banner).to_have_text(pd.Timestamp(step["end"], unit="D").date().isoformat())

    # "All dates" gives the layers the page's whole period back.
    control.get_by_role("button", name="All dates").click()
    frame.wait_for_function(f"{COUNT_EVENTS} === {len(events)}", timeout=10_000)
    expect(banner).to_be_hidden()
    assert_stayed_local(requested)


SIGNATURES = {"PNG": b"\x89PNG\r\n\x1a\n", "PDF": b"%PDF-", "SVG": b"<?xml", "HTML": b"<!DOCTYPE html>"}


def wait_until_idle(page: Page) -> None:
    """Streamlit shows its status widget while a run is going; a click then may hit a stale button."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def download(page: Page, button_name: str) -> tuple[str, bytes]:
    for attempt in range(2):
        wait_until_idle(page)
        try:
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name=button_name, exact=True).click()
        except PlaywrightTimeoutError:
            if attempt:
                raise
            continue
        return info.value.suggested_filename, Path(info.value.path()).read_bytes()
    raise AssertionError("unreachable")


def test_export_buttons_deliver_the_files(browser_page: tuple[Page, list[str]], streamlit_url: str) -> None:
    page, requested = browser_page
    open_map(page, streamlit_url)
    for label, signature in SIGNATURES.items():
        name, content = download(page, f"Map ({label})")
        assert name.startswith("myanmar-map_") and name.endswith(f"_2023-10-27_2024-01-30.{label.lower()}"), name
        assert content.lstrip().startswith(signature), (label, content[:40])
    name, content = download(page, "Events (CSV, ACLED columns)")
    assert name.endswith(".csv")
    assert content.decode("utf-8").splitlines()[0].startswith("event_id_cnty,event_date,event_type")
    name, content = download(page, "Browser screenshot (PNG)")
    assert name.startswith("myanmar-screenshot_") and content.startswith(SIGNATURES["PNG"])
    name, content = download(page, "Fronts (GeoJSON)")
    assert '"FeatureCollection"' in content.decode("utf-8")
    assert_stayed_local(requested)


def test_a_pan_moves_the_link_and_the_exports_without_running_the_page(
    browser_page: tuple[Page, list[str]], streamlit_url: str
) -> None:
    page, requested = browser_page
    received: list[bytes] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: received.append(bytes(payload))))
    open_map(page, streamlit_url)
    map_frame(page).wait_for_function(f"{COUNT_EVENTS} > 0", timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(1000)
    before = len(received)
    map_frame(page).evaluate("map.setView([23.5, 98.0], 8)")  # northern Shan, close up
    page.wait_for_function("location.search.includes('view=23.5000%2C98.0000%2C8')", timeout=30_000)
    wait_until_idle(page)
    answer = b"".join(received[before:])
    # Only the exports' fragment ran: it is sent again, the page's title and figures are not.
    assert b"Export this view" in answer
    assert b"Myanmar border conflict map" not in answer and b"Events per week" not in answer
    _, content = download(page, "Map (HTML)")
    # The map's own fitBounds comes last (Leaflet's code, inlined before it, has one too).
    fitted = re.findall(r"fitBounds\(\s*\[\[([-\d.]+),\s*([-\d.]+)\],\s*\[([-\d.]+),\s*([-\d.]+)\]\]", content.decode())
    south, west, north, east = (float(number) for number in fitted[-1])
    assert south < 23.5 < north and west < 98.0 < east and north - south < 4  # the view, not the country

    # A pan while the page runs for a filter: the link keeps both (the pan's run arrives with the old address).
    field = page.get_by_test_id("stSidebar").get_by_label("Minimum fatalities")
    field.fill("5")
    field.press("Enter")
    map_frame(page).evaluate("map.setView([21.0, 93.5], 8)")  # Rakhine, at once
    page.wait_for_function("location.search.includes('view=21.0000%2C93.5000%2C8')", timeout=30_000)
    wait_until_idle(page)
    page.wait_for_timeout(1000)
    assert "min_fatalities=5" in page.url and "view=21.0000%2C93.5000%2C8" in page.url
    assert_stayed_local(requested)


def test_a_shared_links_view_opens_there_and_a_later_pan_is_not_undone(
    browser_page: tuple[Page, list[str]], streamlit_url: str
) -> None:
    page, _ = browser_page
    open_map(page, f"{streamlit_url}/?view=23.6961,98.7621,8")
    frame = map_frame(page)
    frame.wait_for_function("map.getZoom() === 8 && Math.abs(map.getCenter().lat - 23.6961) < 1e-3", timeout=30_000)
    assert abs(frame.evaluate("map.getCenter().lng") - 98.7621) < 1e-3
    frame.evaluate("map.setView([21.0, 93.5], 7)")
    field = page.get_by_test_id("stSidebar").get_by_label("Minimum fatalities")  # any page run
    field.fill("1")
    field.press("Enter")
    wait_until_idle(page)
    page.wait_for_timeout(500)
    assert map_frame(page).evaluate("[map.getCenter().lat, map.getZoom()]") == [21.0, 7]


def test_event_clusters_group_the_events(browser_page: tuple[Page, list[str]], streamlit_url: str) -> None:
    page, requested = browser_page
    page.goto(f"{streamlit_url}/?layers=countries,event_clusters")
    frame = page.frame_locator(MAP_FRAME)
    clusters = frame.locator(".marker-cluster")
    expect(clusters.first).to_be_visible(timeout=60_000)
    counts = [int(text) for text in clusters.all_inner_texts()]
    singles = frame.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    assert sum(counts) + singles == 38  # every shipped sample event, in a cluster or on its own
    assert any(url.endswith("/app/static/vendor/markercluster/leaflet.markercluster.js") for url in requested)
