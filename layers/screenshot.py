"""A PNG of the interactive map as a browser draws it (Playwright + Debian's Chromium).

This is the "what you see on the page" picture; :mod:`layers.snapshot` is the one
that needs no browser. The page is opened from a temporary file and every request
that is not ``file:``, ``data:`` or ``blob:`` is aborted, so a screenshot can never
reach the network even if the HTML asked it to.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Route

CHROMIUM = Path("/usr/bin/chromium")
# Flags that keep Chromium from phoning home (updates, sync, metrics).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:")
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
MAP_AT_REST = """() => Object.values(window).some(
    (value) => value instanceof L.Map && !value._animatingZoom && !(value._panAnim && value._panAnim._inProgress)
)"""
TIMEOUT_MS = 30_000


class ScreenshotUnavailable(RuntimeError):
    """The browser screenshot cannot be taken here; the message names what is missing."""


def _block_remote(route: Route) -> None:
    if route.request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()


def missing_piece(chromium: Path = CHROMIUM) -> str | None:
    """Why a screenshot cannot be taken here, naming what to install; None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "Python package playwright is not installed: pip install playwright"
    if not chromium.is_file():
        return f"Chromium not found at {chromium}: install Debian package chromium"
    return None


def browser_screenshot(html: str, width: int = 1400, height: int = 1000, chromium: Path = CHROMIUM) -> bytes:
    """PNG bytes of ``html`` (a standalone map page) at ``width`` × ``height`` CSS pixels."""
    problem = missing_piece(chromium)
    if problem:
        raise ScreenshotUnavailable(problem)
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="map-screenshot-") as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(chromium), args=list(CHROMIUM_ARGS))
                try:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.route("**/*", _block_remote)
                    page.goto(page_file.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
                    page.wait_for_selector(".leaflet-map-pane", state="attached", timeout=TIMEOUT_MS)
                    # fitBounds starts a zoom animation on the next frame; names and events are drawn
                    # when it ends, with their fonts; Leaflet paints vectors on the frames after.
                    page.evaluate(NEXT_FRAMES)
                    page.wait_for_function(MAP_AT_REST, timeout=TIMEOUT_MS)
                    page.evaluate("() => document.fonts.ready.then(() => true)")
                    page.evaluate(NEXT_FRAMES)
                    return page.screenshot(type="png", full_page=False)
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise ScreenshotUnavailable(f"Chromium at {chromium} could not take the screenshot: {error}") from error
