"""The real page in a real Chromium: the map draws offline and the toggles work."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from geo.boundaries import Boundaries

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHAPES = "path.leaflet-interactive"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def open_map(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(SHAPES).first).to_be_attached(timeout=60_000)
    return frame


def expected_shapes(boundaries: Boundaries) -> dict[str, int]:
    """Leaflet draws one SVG path per feature (a MultiPolygon is one path)."""
    return {
        "countries": len(boundaries.countries),
        "states": len(boundaries.states),
        "yunnan": len(boundaries.yunnan),
        "borders": len(boundaries.borders),
        "crossings": len(boundaries.crossings),
    }


def sidebar_toggle(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_text(title, exact=True).click()


def pane_transform(frame: FrameLocator) -> str:
    return frame.locator(".leaflet-map-pane").evaluate("pane => pane.style.transform")


def test_map_draws_every_layer_offline_and_toggles_keep_the_view(
    browser_page: tuple[Page, list[str]], streamlit_url: str, boundaries: Boundaries
) -> None:
    page, requested = browser_page
    frame = open_map(page, streamlit_url)
    counts = expected_shapes(boundaries)
    shapes = frame.locator(SHAPES)
    expect(shapes).to_have_count(sum(counts.values()), timeout=30_000)

    # Pan away from the initial view, then hide a layer: the view must stay where it is.
    box = frame.locator(".leaflet-container").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + box["height"] / 2 + 80, steps=8)
    page.mouse.up()
    panned = pane_transform(frame)

    sidebar_toggle(page, "Border crossings")
    expect(shapes).to_have_count(sum(counts.values()) - counts["crossings"], timeout=30_000)
    sidebar_toggle(page, "States and regions")
    expect(shapes).to_have_count(sum(counts.values()) - counts["crossings"] - counts["states"], timeout=30_000)
    assert pane_transform(frame) == panned
    assert "layers=countries%2Cyunnan%2Cborders" in page.url or "layers=countries,yunnan,borders" in page.url

    sidebar_toggle(page, "Border crossings")
    expect(shapes).to_have_count(sum(counts.values()) - counts["states"], timeout=30_000)

    leaving = [url for url in requested if urlparse(url).hostname not in LOCAL_HOSTS and "://" in url]
    assert leaving == [], f"requests left the machine: {leaving[:10]}"
    assert any(url.endswith("/app/static/vendor/leaflet/leaflet.js") for url in requested)
