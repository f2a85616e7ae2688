"""The live map reads on its own at 1440x900: names, legend, density above fills, tiles through fills."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import FrameLocator, Page, Route, expect

from layers.screenshot import CHROMIUM_ARGS
from tests.test_browser import MAP_FRAME, SHAPES, sidebar_toggle

pytestmark = pytest.mark.browser

NEIGHBOURS = ("China", "India", "Bangladesh", "Laos", "Thailand")
TILE_COLOUR = (255, 0, 255)
OSM_TILES = "https://tile.openstreetmap.org/**"


def solid_tile(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def page_1440(chromium_path: Path) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=list(CHROMIUM_ARGS))
        try:
            yield browser.new_page(viewport={"width": 1440, "height": 900})
        finally:
            browser.close()


def open_map(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(SHAPES).first).to_be_attached(timeout=60_000)
    expect(frame.locator(".mcm-label").first).to_be_attached(timeout=60_000)
    return frame


def names_on_map(frame: FrameLocator) -> set[str]:
    """The names as text (textContent: country names are upper-cased only by CSS)."""
    return set(frame.locator(".mcm-label").evaluate_all("els => els.map(e => e.textContent)"))


def region(page: Page, x: float, y: float, width: float, height: float) -> np.ndarray:
    """RGB pixels of the page region (CSS pixels) as an array."""
    png = page.screenshot(clip={"x": x, "y": y, "width": width, "height": height})
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_map_names_places_and_legend_follows_the_layers(page_1440: Page, streamlit_url: str) -> None:
    page = page_1440
    frame = open_map(page, streamlit_url)
    map_box = page.locator(MAP_FRAME).bounding_box()
    assert map_box is not None and map_box["y"] <= 450, map_box  # the map starts in the first screen

    names = names_on_map(frame)
    assert {"Shan", "Rakhine", "Chin"} <= names
    assert len(names & set(NEIGHBOURS)) >= 2, names
    assert len(names & {"Lashio", "Muse", "Sittwe", "Hakha", "Tamu", "Myitkyina", "Mrauk-U", "Kutkai"}) >= 3, names
    # No two names overlap (the collision pass), measured as the browser drew them.
    boxes = frame.locator(".mcm-label").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlapping == []

    # A click focuses the map (for keyboard panning) without drawing a focus box around it.
    page.mouse.click(map_box["x"] + 60, map_box["y"] + map_box["height"] - 120)
    container = frame.locator(".leaflet-container")
    assert container.evaluate("element => document.activeElement === element")
    assert container.evaluate("element => getComputedStyle(element).outlineStyle") == "none"

    legend = frame.locator(".mcm-legend")
    expect(legend).to_contain_text("Battles")
    for text in ("China–Myanmar border", "Border crossing", "Shan, Rakhine, Chin", "Yunnan province (China)"):
        expect(legend).to_contain_text(text)
    expect(legend).not_to_contain_text("Event density")  # the heatmap is off

    sidebar_toggle(page, "Border crossings")
    expect(legend).not_to_contain_text("Border crossing", timeout=60_000)
    expect(legend).to_contain_text("China–Myanmar border")
    sidebar_toggle(page, "Event density (heatmap)")
    expect(legend).to_contain_text("Event density", timeout=60_000)


def test_heatmap_draws_above_the_state_fills_over_shan(page_1440: Page, streamlit_url: str) -> None:
    page = page_1440
    frame = open_map(page, f"{streamlit_url}/?layers=countries,states,labels")
    lashio = frame.locator(".mcm-label", has_text="Lashio")
    box = lashio.bounding_box()
    assert box is not None
    # Around Lashio, inside Shan, where the sample's northern Shan events lie.
    clip = (box["x"] - 60, box["y"] - 50, 120, 110)
    without = region(page, *clip)

    sidebar_toggle(page, "Event density (heatmap)")
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1, timeout=60_000)
    page.wait_for_timeout(500)  # the heat is drawn on the next animation frame
    with_heat = region(page, *clip)
    changed = (np.abs(with_heat - without).sum(axis=2) > 60).mean()
    assert changed > 0.05, f"only {changed:.1%} of the pixels around Lashio changed with the heatmap on"
    on_top = frame.locator("canvas.leaflet-heatmap-layer").evaluate(
        "canvas => Number(getComputedStyle(canvas.parentElement).zIndex)"
    )
    assert on_top > 400  # above the state fills' pane


def test_tiles_show_through_the_fills(page_1440: Page, streamlit_url: str) -> None:
    page = page_1440
    served: list[str] = []

    def local_tile_server(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=solid_tile(TILE_COLOUR))

    page.route(OSM_TILES, local_tile_server)
    frame = open_map(page, f"{streamlit_url}/?basemap=osm")
    expect(frame.locator(".leaflet-tile-loaded").first).to_be_attached(timeout=60_000)
    page.wait_for_timeout(500)
    assert served

    india = frame.locator(".mcm-label", has_text="India").bounding_box()
    shan = frame.locator(".mcm-label", has_text="Shan").first.bounding_box()
    assert india is not None and shan is not None
    for name, box in (("India (backdrop)", india), ("Shan (state fill)", shan)):
        pixels = region(page, box["x"], box["y"] + box["height"] + 8, max(box["width"], 20), 12)
        magenta = (pixels[..., 0] > 170) & (pixels[..., 1] < 110) & (pixels[..., 2] > 150)
        assert magenta.mean() > 0.6, f"{name}: the tiles do not show through ({magenta.mean():.0%} tile colour)"
    expect(frame.locator(".mcm-tile-notice")).to_have_count(0)
    # The legend's backdrop swatches show what is drawn now: no fill.
    swatch = frame.locator(".mcm-legend-countries .mcm-swatch-area").first
    assert swatch.evaluate("element => getComputedStyle(element).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_tiles_that_fail_say_so_on_the_map(page_1440: Page, streamlit_url: str) -> None:
    page = page_1440
    page.route(OSM_TILES, lambda route: route.abort())
    frame = open_map(page, f"{streamlit_url}/?basemap=osm")
    notice = frame.locator(".mcm-tile-notice")
    expect(notice).to_be_visible(timeout=60_000)
    expect(notice).to_contain_text("could not be loaded")
