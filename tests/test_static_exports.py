"""Static exports: legend of what is drawn, a layout whose parts never overlap, credits that follow the data."""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.transforms import Bbox
from shapely.geometry import LineString, box

from geo.boundaries import Boundaries
from geo.dataset import ACLED_CREDIT, SAMPLE_CREDIT, UCDP_CREDIT, events_credit, import_events
from geo.events import EVENT_TYPES
from geo.filters import EventFilter
from layers import registry
from layers.base import MapData
from layers.events import publish_events
from layers.export_html import standalone_html
from layers.heatmap import density_grid
from layers.request import SnapshotRequest, source_lines
from layers.snapshot import ComposedMap, compose_map, export_map, legend_rows, snapshot_style
from tests.helpers import make_events, run_module

FIXTURES = Path(__file__).parent / "fixtures" / "events"
ALL_LAYERS = tuple(layer.id for layer in registry())
PANEL_PARTS = ("title", "period", "legend", "sources", "made at")


def labels(data: MapData, layer_ids: tuple[str, ...]) -> list[str]:
    return [label for label, _entry in legend_rows(data, layer_ids)]


def many_fronts(count: int) -> gpd.GeoDataFrame:
    """``count`` control areas, each held by a different (test) actor, and one front line."""
    areas = [box(96 + 0.1 * i, 22, 96.1 + 0.1 * i, 22.1) for i in range(count)]
    return gpd.GeoDataFrame(
        {
            "front": [f"Test front {i}" for i in range(count + 1)],
            "actor": [f"Test armed group number {i} with a long name" for i in range(count)] + ["Line actor"],
            "status": "test",
            "source": "test fixture",
            "notes": "",
            "valid_from": np.datetime64("2023-10-27"),
            "valid_to": None,
        },
        geometry=[*areas, LineString([(97, 23), (98, 24)])],
        crs=4326,
    )


def every_type_events() -> gpd.GeoDataFrame:
    return make_events(
        [
            {
                "event_date": "2023-11-01",
                "event_type": kind,
                "state": "Shan",
                "latitude": 22 + i * 0.3,
                "longitude": 97 + i * 0.2,
            }
            for i, kind in enumerate(EVENT_TYPES)
        ]
    )


def part_box(composed: ComposedMap, name: str) -> Bbox:
    renderer = composed.figure.canvas.get_renderer()
    return Bbox.union([artist.get_window_extent(renderer) for artist in composed.parts[name]])


def assert_apart(composed: ComposedMap) -> None:
    """No two of title, period, legend, sources, footer and map touch; scale bar and north arrow
    sit inside the map and apart from each other; everything is on the page."""
    boxes = {name: part_box(composed, name) for name in (*PANEL_PARTS, "map", "scale bar", "north arrow")}
    page = composed.figure.bbox
    for name, extent in boxes.items():
        assert page.x0 <= extent.x0 and extent.x1 <= page.x1 and page.y0 <= extent.y0 and extent.y1 <= page.y1, name
    for first, second in itertools.combinations((*PANEL_PARTS, "map"), 2):
        assert not boxes[first].overlaps(boxes[second]), f"{first} overlaps {second}"
    assert not boxes["scale bar"].overlaps(boxes["north arrow"])
    axes = composed.parts["map"][0].get_window_extent(composed.figure.canvas.get_renderer())
    for name in ("scale bar", "north arrow"):
        extent = boxes[name]
        assert axes.x0 <= extent.x0 and extent.x1 <= axes.x1 and axes.y0 <= extent.y0 and extent.y1 <= axes.y1, name


def test_legend_lists_only_layers_that_are_on(map_data: MapData) -> None:
    shown = labels(map_data, ("states", "events"))
    assert "Conflict events" in shown and "States and regions" in shown
    assert not {"Event density (heatmap)", "Border crossing", "Yunnan province (China)"} & set(shown)


def test_legend_lists_only_event_types_present(map_data: MapData) -> None:
    battles = map_data.events[map_data.events["event_type"] == "Battles"]
    exact = battles[battles["geo_precision"] == 1]
    assert labels(replace(map_data, events=exact), ("events",)) == ["Conflict events", "Battles"]
    # Approximate positions add their hollow row only when some are drawn.
    shown = labels(replace(map_data, events=battles), ("events",))
    assert shown == ["Conflict events", "Battles", "Approximate position (hollow: precision 2 or 3)"]
    assert labels(replace(map_data, events=battles.iloc[:0]), ("events", "heatmap")) == []


def test_legend_lists_the_actors_of_the_fronts_shown(map_data: MapData) -> None:
    fronts = many_fronts(3)
    shown = labels(replace(map_data, fronts=fronts), ("fronts",))
    assert shown[0] == "Fronts (as of date)"
    assert [label for label in shown if label.startswith("Control: ")] == [
        f"Control: Test armed group number {i} with a long name" for i in range(3)
    ]
    assert "Front line" in shown
    only_areas = labels(replace(map_data, fronts=fronts.iloc[:1]), ("fronts",))
    assert "Front line" not in only_areas and len(only_areas) == 2


def test_legend_lists_border_zone_bands_shown(boundaries: Boundaries) -> None:
    zones = boundaries.china_border_zones
    near_only = replace(boundaries)
    near_only.__dict__["china_border_zones"] = zones[zones["distance_km"] < 50]  # the cached property's slot
    assert labels(MapData(near_only), ("border_zones",))[1:] == [
        "Within 10 km of the China border",
        "Within 25 km of the China border",
    ]


def test_figure_legend_matches_the_rows(map_data: MapData) -> None:
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(map_data, ("states", "events"))
    texts = [text.get_text().replace("\n", " ") for text in composed.parts["legend"][0].get_texts()]
    assert texts == labels(map_data, ("states", "events"))


@pytest.mark.parametrize(
    ("layer_ids", "title"),
    [
        (("countries", "states", "events"), "Myanmar border conflict map"),
        (ALL_LAYERS, "Northern Shan offensive: every layer on, with thirty actors' control areas in the legend " * 2),
    ],
)
def test_static_layout_parts_never_overlap(map_data: MapData, layer_ids: tuple[str, ...], title: str) -> None:
    data = replace(map_data, events=every_type_events(), fronts=many_fronts(30))
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(data, layer_ids, title=title)
        assert_apart(composed)


def test_legend_too_long_for_the_panel_says_what_is_left_out(map_data: MapData) -> None:
    data = replace(map_data, events=every_type_events(), fronts=many_fronts(120))
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(data, ALL_LAYERS)
        assert_apart(composed)
    last = composed.parts["legend"][0].get_texts()[-1].get_text()
    assert re.fullmatch(r"… and \d+ more legend rows", last)


def test_credits_name_the_file_format(boundaries: Boundaries) -> None:
    acled = import_events(FIXTURES / "acled_iso.csv", boundaries, cache=False)
    ucdp = import_events(FIXTURES / "ucdp_ged.csv", boundaries, cache=False)
    plain = import_events(FIXTURES / "plain_events.csv", boundaries, cache=False)
    assert events_credit(acled).startswith(ACLED_CREDIT) and "acled_iso.csv" in events_credit(acled)
    assert events_credit(ucdp).startswith(UCDP_CREDIT)
    assert events_credit(plain) == "Events: plain_events.csv (user-supplied file)"
    assert SAMPLE_CREDIT not in events_credit(acled)


def test_sample_credit_only_for_the_sample(map_data: MapData, boundaries: Boundaries) -> None:
    from geo.dataset import SAMPLE_EVENTS

    assert events_credit(import_events(SAMPLE_EVENTS, boundaries, cache=False)) == SAMPLE_CREDIT


def test_heatmap_alone_still_credits_the_events(map_data: MapData) -> None:
    data = replace(map_data, events_credit="Events: mine.csv (user-supplied file)")
    assert "Events: mine.csv (user-supplied file)" in source_lines(data, ("heatmap",))
    assert "Events: mine.csv (user-supplied file)" not in source_lines(data, ("states",))


@pytest.fixture(scope="module")
def acled_data(boundaries: Boundaries) -> tuple[SnapshotRequest, MapData]:
    imported = import_events(FIXTURES / "acled_iso.csv", boundaries, cache=False)
    request = SnapshotRequest(("states", "events", "heatmap"), date(2023, 11, 1), date(2023, 12, 31))
    return request, request.map_data(boundaries, imported.events, None, events_credit(imported))


def png_text_chunks(png: bytes) -> dict[str, str]:
    chunks: dict[str, str] = {}
    position = 8
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            chunks[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _language, _, rest = rest.partition(b"\0")
            _translated, _, text = rest.partition(b"\0")
            chunks[key.decode("latin-1")] = (zlib.decompress(text) if compressed else text).decode("utf-8")
        position += 12 + length
    return chunks


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "html"])
def test_acled_upload_export_credits_acled_not_the_sample(
    acled_data: tuple[SnapshotRequest, MapData], fmt: str
) -> None:
    request, data = acled_data
    payload = export_map(request, data, fmt, dpi=30)
    if fmt == "png":
        text = png_text_chunks(payload)["Description"]
    elif fmt == "pdf":
        text = payload.decode("latin-1")
    else:
        text = payload.decode("utf-8")
    assert "Armed Conflict Location &" in text or "Armed Conflict Location &amp;" in text
    assert "acleddata.com" in text
    assert "shipped cited sample" not in text


def test_acled_credit_is_printed_on_the_static_map(acled_data: tuple[SnapshotRequest, MapData]) -> None:
    request, data = acled_data
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(data, request.layer_ids)
    printed = composed.parts["sources"][0].get_text().replace("\n  ", " ")
    assert "Armed Conflict Location & Event Data (ACLED)" in printed


def test_html_export_lists_the_credit_once(acled_data: tuple[SnapshotRequest, MapData]) -> None:
    request, data = acled_data
    page = standalone_html(data, request.layer_ids)
    assert page.count("acleddata.com") == 1


def test_html_export_from_the_page_carries_the_events_itself(map_data: MapData, tmp_path: Path) -> None:
    """The page draws its events from a file its server publishes; the exported file must not need it."""
    channel = publish_events(map_data.events, "export-test", tmp_path, "/app/static/events")
    request = SnapshotRequest(("events",), *map_data.period, map_data.as_of, (88.0, 9.0, 106.0, 29.5))
    page = export_map(request, replace(map_data, event_channel=channel.with_filter(EventFilter())), "html").decode()
    assert channel.url not in page and channel.key not in page
    assert '"inline"' in page and str(map_data.events["event_id_cnty"].iloc[0]) in page


def cell_at(density: np.ndarray, extent: tuple[float, float, float, float], lon: float, lat: float) -> float:
    west, east, south, north = extent
    column = int((lon - west) / (east - west) * density.shape[1])
    row = int((lat - south) / (north - south) * density.shape[0])
    return float(density[row, column])


def test_density_is_smooth_peaks_at_the_events_and_fades_to_zero() -> None:
    lon, lat = np.array([97.0, 97.0, 99.0]), np.array([22.0, 22.0, 24.0])
    density, extent = density_grid(lon, lat, np.ones(3), (92.0, 101.0, 15.0, 28.0))
    assert density.max() == pytest.approx(1.0)
    assert cell_at(density, extent, 97.0, 22.0) > 0.9
    assert 0.35 < cell_at(density, extent, 99.0, 24.0) < 0.65  # one event: half as dense as two
    assert cell_at(density, extent, 98.0, 23.0) < 0.01  # nothing between the two places
    assert density[0, 0] < 1e-3 and density[-1, -1] < 1e-3  # the padded edge has faded out
    assert np.abs(np.diff(density, axis=1)).max() < 0.15  # a smooth surface, not cells


def test_static_density_draws_above_every_fill(map_data: MapData) -> None:
    with mpl.rc_context(snapshot_style()):
        composed = compose_map(map_data, ("countries", "states", "state_choropleth", "border_zones", "heatmap"))
    ax = composed.parts["map"][0]
    (density,) = ax.images
    fills = [artist.get_zorder() for artist in ax.collections]
    assert fills and density.get_zorder() > max(fills)


def test_cli_export_of_an_acled_file_credits_acled(tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    result = run_module(
        "layers.snapshot", "--out", out, "--events", FIXTURES / "acled_iso.csv", "--layers", "states,events"
    )
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "Armed Conflict Location &amp; Event Data (ACLED)" in svg
    assert "shipped cited sample" not in svg


def test_fronts_are_credited_only_when_some_are_shown(map_data: MapData) -> None:
    assert source_lines(replace(map_data, fronts=many_fronts(2)), ("fronts",))
    assert source_lines(replace(map_data, fronts=many_fronts(2).iloc[:0]), ("fronts",)) == []


def test_synthetic_benchmark_files_are_never_credited_to_acled(boundaries: Boundaries, tmp_path: Path) -> None:
    from bench.synthetic import write_synthetic_csv

    synthetic = import_events(write_synthetic_csv(200, boundaries.states, tmp_path), boundaries, cache=False)
    assert synthetic.format == "acled"
    credit = events_credit(synthetic)
    assert ACLED_CREDIT not in credit and "ACLED" not in credit
    assert credit.startswith("Events: SYNTHETIC") and "not real events" in credit
