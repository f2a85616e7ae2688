"""Static snapshots (PNG/SVG/PDF), the self-contained HTML export and the screenshot guard."""

from __future__ import annotations

import html
import re
import struct
import warnings
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.boundaries import Boundaries
from geo.events import read_events
from layers import registry
from layers.assets import MissingAssetError
from layers.base import MapData, MapLayer
from layers.events import RASTERIZE_ABOVE
from layers.export_html import RemoteReferenceError, check_offline, inline_css, standalone_html
from layers.mapview import DEFAULT_BOUNDS
from layers.request import SnapshotRequest
from layers.screenshot import ScreenshotUnavailable, browser_screenshot
from layers.snapshot import (
    FONT_FALLBACK,
    PAGE_SIZE_IN,
    FontsMissing,
    aspect_for,
    export_map,
    font_files,
    nice_length_km,
    render_snapshot,
)
from tests.helpers import make_events

FIXTURES = Path(__file__).parent / "fixtures" / "events"
MADE_AT = datetime(2024, 2, 1, 12, 0, 0)
LOW_DPI = 30
MULTILINGUAL_TITLE = "မြန်မာ ရှမ်း 云南 清水河"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def request_all() -> SnapshotRequest:
    """Every registered layer, a period and an as-of date."""
    return SnapshotRequest(
        tuple(layer.id for layer in registry()),
        start=date(2023, 11, 1),
        end=date(2024, 1, 31),
        as_of=date(2024, 1, 15),
        title="Northern Shan offensive",
    )


@pytest.fixture(scope="module")
def dated_data(boundaries: Boundaries, request_all: SnapshotRequest) -> MapData:
    events = read_events(FIXTURES / "acled_timestamps.csv").events
    return request_all.map_data(boundaries, events)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    length, chunk = struct.unpack(">I4s", png[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG_NS}text")]


def test_png_has_a_png_signature_and_the_a4_landscape_size(dated_data: MapData, request_all: SnapshotRequest) -> None:
    png = render_snapshot(dated_data, request_all.layer_ids, fmt="png", dpi=LOW_DPI, made_at=MADE_AT)
    width, height = png_size(png)
    assert abs(width - PAGE_SIZE_IN[0] * LOW_DPI) <= 1
    assert abs(height - PAGE_SIZE_IN[1] * LOW_DPI) <= 1
    assert width > height


def test_pdf_is_a_pdf(dated_data: MapData, request_all: SnapshotRequest) -> None:
    pdf = render_snapshot(dated_data, request_all.layer_ids, fmt="pdf", made_at=MADE_AT)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_svg_keeps_title_period_legend_scale_north_sources_and_time_as_text(
    dated_data: MapData, request_all: SnapshotRequest
) -> None:
    svg = render_snapshot(dated_data, request_all.layer_ids, title=request_all.title, fmt="svg", made_at=MADE_AT)
    texts = svg_texts(svg)
    assert "Northern Shan offensive" in texts
    assert "Period 2023-11-01 to 2024-01-31 · as of 2024-01-15" in texts
    for layer in registry():
        assert layer.title in texts, f"legend header for {layer.id} missing"
        for entry in layer.legend_entries(dated_data):
            assert entry.label in texts, f"legend entry {entry.label!r} missing"
    assert "N" in texts
    assert any(re.fullmatch(r"\d+ km", text) for text in texts), "no scale bar label"
    sources = "\n".join(texts)
    for layer in registry():
        assert layer.attribution.split()[0] in sources
    assert "Made 2024-02-01T12:00:00Z (UTC)" in texts


def test_hidden_layers_are_not_drawn_and_visible_ones_draw_in_registry_order(
    dated_data: MapData, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []

    def spy(layer: MapLayer) -> None:
        original = layer.draw_static
        monkeypatch.setattr(layer, "draw_static", lambda ax, data: (drawn.append(layer.id), original(ax, data)))

    for layer in registry():
        spy(layer)
    visible = ["crossings", "states", "borders"]  # deliberately not in z-order
    svg = render_snapshot(dated_data, visible, fmt="svg", made_at=MADE_AT)
    assert drawn == [layer.id for layer in registry() if layer.id in visible]
    texts = svg_texts(svg)
    assert "Yunnan province (China)" not in texts
    assert "Border crossing" in texts


def test_vector_exports_keep_few_events_as_shapes_and_carry_many_as_one_image(map_data: MapData) -> None:
    def svg_of(count: int) -> bytes:
        events = make_events(
            [
                {"event_date": "2023-11-01", "longitude": 97.0 + (i % 100) * 0.01, "latitude": 22.0 + (i // 100) * 0.01}
                for i in range(count)
            ]
        )
        return render_snapshot(MapData(map_data.boundaries, events=events), ["events"], fmt="svg", made_at=MADE_AT)

    few, many = svg_of(RASTERIZE_ABOVE), svg_of(RASTERIZE_ABOVE + 1)
    assert b"<image" not in few and few.count(b"<path") >= RASTERIZE_ABOVE  # one shape per marker
    assert many.count(b"<image") == 1 and many.count(b"<path") < RASTERIZE_ABOVE / 10  # frame, legend, arrow
    assert len(many) < len(few)


def test_scale_bar_length_follows_latitude() -> None:
    assert nice_length_km(463) == 200
    assert nice_length_km(99) == 50
    assert nice_length_km(1000) == 1000
    assert aspect_for((0, 59, 10, 61)) == pytest.approx(2.0, rel=1e-3)

    def scale_label(bbox: tuple[float, float, float, float]) -> str:
        data = MapData(Boundaries(*(gpd.GeoDataFrame(geometry=[], crs="EPSG:4326") for _ in range(5))))
        texts = svg_texts(render_snapshot(data, [], bbox=bbox, fmt="svg", made_at=MADE_AT))
        return next(text for text in texts if text.endswith(" km"))

    # Ten degrees of longitude: ~1100 km on the equator, about half that at 60°N.
    assert scale_label((0, -1, 10, 1)) == "200 km"
    assert scale_label((0, 59, 10, 61)) == "100 km"


def test_fallback_fonts_are_installed() -> None:
    try:
        files = font_files()
    except FontsMissing as error:
        pytest.fail(f"{error}: install them with apt-get (make system-packages does)")
    assert set(files) == set(FONT_FALLBACK)
    assert all(path.is_file() for path in files.values())


def test_burmese_and_chinese_title_renders_without_missing_glyphs(
    dated_data: MapData, request_all: SnapshotRequest
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_snapshot(dated_data, ["states"], title=MULTILINGUAL_TITLE, fmt="png", dpi=LOW_DPI)
        svg = render_snapshot(dated_data, ["states"], title=MULTILINGUAL_TITLE, fmt="svg")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert png_size(png)
    assert MULTILINGUAL_TITLE in svg_texts(svg)


def test_the_glyph_check_would_catch_a_missing_font(dated_data: MapData, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("layers.snapshot.installed_families", lambda: ["DejaVu Sans"])
    with pytest.warns(UserWarning, match="missing from font"):
        render_snapshot(dated_data, ["states"], title=MULTILINGUAL_TITLE, fmt="png", dpi=LOW_DPI)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layer_ids": ["states", "rivers"]}, "unknown layer 'rivers'; known layers: countries"),
        ({"fmt": "gif"}, "unknown snapshot format 'gif'"),
        ({"bbox": (100, 10, 90, 20)}, r"west \(100\) must be less than east \(90\)"),
        ({"bbox": (90, 20, 100, 10)}, r"south \(20\) must be less than north \(10\)"),
        ({"bbox": (90, 10, 190, 20)}, "longitudes must be within -180..180"),
    ],
)
def test_bad_render_arguments_are_refused(map_data: MapData, kwargs: dict, message: str) -> None:
    arguments = {"layer_ids": ["states"], **kwargs}
    with pytest.raises(ValueError, match=message):
        render_snapshot(map_data, **arguments)


def test_request_cuts_events_to_the_period_and_fronts_to_the_as_of_date(boundaries: Boundaries) -> None:
    events = read_events(FIXTURES / "acled_timestamps.csv").events
    fronts = gpd.GeoDataFrame(
        {
            "front": ["old", "current"],
            "valid_from": pd.to_datetime(["2023-01-01", "2023-12-01"]),
            "valid_to": pd.to_datetime(["2023-06-30", None]),
        },
        geometry=[box(97, 23, 98, 24), box(98, 23, 99, 24)],
        crs="EPSG:4326",
    )
    request = SnapshotRequest(("states",), start=date(2023, 11, 14), as_of=date(2024, 1, 1))
    data = request.map_data(boundaries, events, fronts)
    assert data.events is not None and data.fronts is not None
    assert (data.events["event_date"] >= pd.Timestamp("2023-11-14")).all()
    assert len(data.events) < len(events)
    assert data.period == (date(2023, 11, 14), data.events["event_date"].max().date())
    assert list(data.fronts["front"]) == ["current"]
    with pytest.raises(ValueError, match="end date 2023-01-01 is before start date 2024-01-01"):
        SnapshotRequest(("states",), start=date(2024, 1, 1), end=date(2023, 1, 1))


def test_default_request_shows_the_default_layers_in_the_default_bounds() -> None:
    request = SnapshotRequest()
    assert request.layer_ids == tuple(layer.id for layer in registry() if layer.default_visible)
    assert request.bbox == DEFAULT_BOUNDS


# ---- self-contained HTML --------------------------------------------------------------


def test_html_inlines_every_asset_and_cites_its_sources(dated_data: MapData, request_all: SnapshotRequest) -> None:
    page = export_map(request_all, dated_data, "html", made_at=MADE_AT).decode("utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    assert "L.map(" in page and "leaflet-container" in page
    assert "url(data:image/png;base64," in page  # leaflet's control images
    assert "<title>Northern Shan offensive</title>" in page
    assert "Period 2023-11-01 to 2024-01-31 · as of 2024-01-15" in page
    for layer in registry():
        assert html.escape(layer.attribution) in page
    check_offline(page)


def test_html_escapes_the_title(map_data: MapData) -> None:
    page = standalone_html(map_data, ["states"], title="<script>alert(1)</script> ရှမ်း")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ရှမ်း" in page


def test_template_syntax_in_the_html_title_stays_literal(map_data: MapData) -> None:
    page = standalone_html(map_data, ["states"], title="{{ 7 * 7 }} report")
    assert "<h1>{{ 7 * 7 }} report</h1>" in page
    assert "49 report" not in page


def test_html_refuses_an_online_basemap(map_data: MapData) -> None:
    with pytest.raises(ValueError, match="needs internet"):
        standalone_html(map_data, ["states"], basemap_id="osm")


@pytest.mark.parametrize(
    "fragment",
    [
        '<script src="https://cdn.example.org/leaflet.js"></script>',
        '<img src="//tiles.example.org/1/2/3.png">',
        '<link rel="stylesheet" href="http://cdn.example.org/x.css"/>',
        "<style>.a { background: url('https://example.org/i.png') }</style>",
        '<style>@import "https://example.org/x.css";</style>',
    ],
)
def test_offline_check_finds_remote_references(fragment: str) -> None:
    with pytest.raises(RemoteReferenceError):
        check_offline(f"<html><head>{fragment}</head></html>")


def test_offline_check_allows_links_the_reader_may_follow() -> None:
    check_offline('<p>Source: <a href="https://acleddata.com/">ACLED</a></p>')


def test_css_images_become_data_uris_and_missing_ones_fail(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"\x89PNG fake")
    css_path = tmp_path / "a.css"
    css = inline_css(".a{background:url(images/x.png)} .b{behavior:url(#default#VML)}", css_path, tmp_path)
    assert "url(data:image/png;base64,iVBORyBmYWtl)" in css
    assert "url(#default#VML)" in css
    with pytest.raises(MissingAssetError, match="missing"):
        inline_css(".a{background:url(images/gone.png)}", css_path, tmp_path)
    with pytest.raises(MissingAssetError):
        inline_css(".a{background:url(../../etc/passwd)}", css_path, tmp_path)


def test_screenshot_names_the_missing_browser(tmp_path: Path) -> None:
    missing = tmp_path / "chromium"
    with pytest.raises(ScreenshotUnavailable, match=f"Chromium not found at {re.escape(str(missing))}.*chromium"):
        browser_screenshot("<html></html>", chromium=missing)
