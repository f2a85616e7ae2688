"""The control layer in a real Chromium: an analyst edits a township and the map changes at once."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from geo.controllers import BY_ID
from tests.test_browser import MAP_FRAME, SHAPES, assert_stayed_local, map_frame, wait_until_idle

pytestmark = pytest.mark.browser

KUTKAI_TOWNSHIP = "MMR015011"
# The fill of the control layer's shape for a P-code (named in its tooltip), or null.
PLACE = """(pcode) => Object.values(map._layers).find(
    (layer) => layer.feature && layer._path && String(layer.feature.properties.label || layer.feature.properties
        .entries[0][2]).includes(" " + pcode + "): "))"""
PLACE_OPACITY = f"(pcode) => ({PLACE})(pcode)._path.getAttribute('stroke-opacity')"
PLACE_FILL = """(pcode) => {
    const found = Object.values(map._layers).find(
        (layer) => layer.feature && layer._path &&
            String(layer.feature.properties.label).includes(" " + pcode + "): "));
    return found ? found._path.getAttribute("fill") : null;
}"""


def day_number(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


def test_playback_steps_restyle_places_from_their_timeline_without_a_rerun(
    browser_page: tuple[Page, list[str]], streamlit_url: str
) -> None:
    page, requested = browser_page
    page.goto(f"{streamlit_url}/?asof=2024-01-20")
    expect(page.frame_locator(MAP_FRAME).locator(SHAPES).first).to_be_attached(timeout=60_000)
    frame = map_frame(page)
    frame.wait_for_function(f"({PLACE_FILL})('{KUTKAI_TOWNSHIP}') === '{BY_ID['tnla'].colour}'", timeout=60_000)
    step = "(day) => document.dispatchEvent(new CustomEvent('mcm:date', {detail: {day, start: day, end: day}}))"
    frame.evaluate(step, day_number("2023-12-01"))  # before the TNLA took Kutkai town on 8 Jan 2024
    assert frame.evaluate(PLACE_FILL, KUTKAI_TOWNSHIP) == BY_ID["sac"].colour
    frame.evaluate(step, day_number("2020-01-01"))  # before any record: the place is hidden, not dropped
    assert frame.evaluate(PLACE_OPACITY, KUTKAI_TOWNSHIP) == "0"
    frame.evaluate(step, day_number("2024-01-20"))
    assert frame.evaluate(PLACE_FILL, KUTKAI_TOWNSHIP) == BY_ID["tnla"].colour
    assert frame.evaluate(PLACE_OPACITY, KUTKAI_TOWNSHIP) == "1"
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)  # no page run was started
    assert_stayed_local(requested)


def test_editing_a_township_recolours_it_on_the_map_and_lists_it(
    browser_page: tuple[Page, list[str]], streamlit_url: str
) -> None:
    page, requested = browser_page
    page.goto(f"{streamlit_url}/?asof=2024-01-30")
    expect(page.frame_locator(MAP_FRAME).locator(SHAPES).first).to_be_attached(timeout=60_000)

    def fill() -> str | None:
        return map_frame(page).evaluate(PLACE_FILL, KUTKAI_TOWNSHIP)

    def expect_fill(colour: str) -> None:
        map_frame(page).wait_for_function(f"({PLACE_FILL})('{KUTKAI_TOWNSHIP}') === '{colour}'", timeout=60_000)

    expect_fill(BY_ID["tnla"].colour.lower())  # the shipped history: TNLA took Kutkai town, the seat
    before = fill()

    wait_until_idle(page)
    place = page.get_by_test_id("stSelectbox").filter(has_text="Place")
    place.click()
    page.keyboard.type("Kutkai (township")
    page.keyboard.press("Enter")
    form = page.get_by_test_id("stForm")
    expect(form).to_be_visible(timeout=60_000)
    # The editor starts from the current holder (TNLA); the analyst records the military's return.
    form.get_by_test_id("stSelectbox").filter(has_text="Controller").click()
    page.get_by_role("option", name="Myanmar military (SAC)").click()
    form.get_by_label("Source name").fill("Browser test fixture, not a real report")
    form.get_by_label("Source URL (http or https)").fill("https://example.org/browser-test")
    form.get_by_label("Your name").fill("Browser tester")
    form.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved: Kutkai Myanmar military (SAC)")).to_be_visible(timeout=60_000)
    expect_fill(BY_ID["sac"].colour.lower())
    assert fill() != before
    history = page.get_by_test_id("stDataFrame").last
    expect(history).to_contain_text("Browser tester", timeout=30_000)
    assert_stayed_local(requested)


def test_an_analyst_draws_a_front_line_and_it_is_kept(browser_page: tuple[Page, list[str]], streamlit_url: str) -> None:
    page, requested = browser_page
    page.goto(f"{streamlit_url}/?asof=2024-01-20")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(SHAPES).first).to_be_attached(timeout=60_000)
    wait_until_idle(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").filter(has_text="Draw a front").click()
    frame = page.frame_locator(MAP_FRAME).last  # the map is built anew with the tools
    tool = frame.locator(".leaflet-draw-draw-polyline")
    expect(tool).to_be_visible(timeout=60_000)
    tool.click()
    box = page.locator(MAP_FRAME).last.bounding_box()
    assert box is not None
    # Points in central Myanmar, away from crossings whose markers would take the click, wherever the map looks.
    drawn = next(f for f in reversed(page.frames) if "streamlit_folium" in f.url)
    for lat, lon in ((21.2, 95.6), (20.6, 96.2), (20.6, 96.2)):  # the last click on the last point ends the line
        point = drawn.evaluate(f"map.latLngToContainerPoint([{lat}, {lon}])")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(400)
    form = page.get_by_test_id("stForm").filter(has_text="Front name")
    expect(form).to_be_visible(timeout=60_000)
    form.get_by_label("Front name").fill("Browser test front")
    form.get_by_label("Actor (who holds or advances along it)").fill("Test actor")
    form.get_by_label("Source name").fill("Browser test fixture, not a real report")
    form.get_by_label("Your name").fill("Browser tester")
    form.get_by_role("button", name="Save 1 drawn shape(s) as a front").click()
    expect(page.get_by_text("Saved front Browser test front (1 shape(s)) from 2024-01-20.")).to_be_visible(
        timeout=60_000
    )
    assert any(url.endswith("/app/static/vendor/leaflet-draw/leaflet.draw.js") for url in requested)
    assert_stayed_local(requested)
