"""Place names: which show at which scale, in which language, never overlapping."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.boundaries import CONFLICT_STATES
from geo.placenames import PlaceNamesError, load_state_names
from layers.base import MapData
from layers.labels import FIGHTING_TOWNS, LAYER, PlaceLabels, StaticLabels
from layers.mapview import DEFAULT_BOUNDS


def placed_names(data: MapData, bbox: tuple[float, float, float, float]) -> tuple[list[str], list]:
    """The names the static renderer keeps for ``bbox`` and their drawn boxes."""
    fig = Figure(figsize=(8, 8), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
    LAYER.draw_static(ax, data)
    west, south, east, north = bbox
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    canvas.draw()
    (artist,) = [a for a in ax.artists if isinstance(a, StaticLabels)]
    renderer = canvas.get_renderer()
    placed = artist.placed(renderer)
    return [text.get_text() for text, _ in placed], [text.get_window_extent(renderer) for text, _ in placed]


def test_every_fighting_town_is_a_label_at_every_zoom(map_data: MapData) -> None:
    towns = {label.text: label for label in LAYER.all_labels(map_data) if label.kind == "town"}
    for name in FIGHTING_TOWNS:
        assert towns[name].min_zoom == 0
    assert towns["Hsipaw"].min_zoom > 0  # a township seat waits for a closer zoom


def test_static_names_do_not_overlap_and_name_the_conflict_states(map_data: MapData) -> None:
    names, boxes = placed_names(map_data, DEFAULT_BOUNDS)
    for state in CONFLICT_STATES:
        assert state in names
    assert {"China", "India", "Yunnan (China)"} <= set(names)
    assert not [
        (a, b) for (a, box_a), (b, box_b) in combinations(zip(names, boxes, strict=True), 2) if box_a.overlaps(box_b)
    ]


def test_more_towns_show_when_zoomed_in(map_data: MapData) -> None:
    country, _ = placed_names(map_data, DEFAULT_BOUNDS)
    northern_shan, boxes = placed_names(map_data, (97.0, 22.5, 99.0, 24.5))
    assert "Hsipaw" not in country
    assert {"Hsipaw", "Lashio", "Laukkaing"} <= set(northern_shan)
    assert not [pair for pair in combinations(boxes, 2) if pair[0].overlaps(pair[1])]


def test_burmese_names_where_the_gazetteer_has_them(map_data: MapData) -> None:
    burmese = {label.text for label in LAYER.all_labels(replace(map_data, language="my")) if label.kind == "town"}
    assert "လားရှိုး" in burmese  # Lashio
    assert "Lashio" not in burmese
    payload = json.loads(PlaceLabels(LAYER.all_labels(replace(map_data, language="my"))).data_json)
    lashio = next(label for label in payload if label["text"] == "လားရှိုး")
    assert lashio["lang"] == "my" and lashio["minZoom"] == 0


@pytest.mark.parametrize("language", ["en", "my"])
def test_browser_payload_is_ranked_most_important_first(map_data: MapData, language: str) -> None:
    payload = json.loads(PlaceLabels(LAYER.all_labels(replace(map_data, language=language))).data_json)
    priorities = [label["priority"] for label in payload]
    assert priorities == sorted(priorities)
    assert payload[0]["kind"] in {"country", "province"}


def test_states_are_named_in_burmese_from_mimu(map_data: MapData) -> None:
    states = {label.text for label in LAYER.all_labels(replace(map_data, language="my")) if label.kind == "state"}
    assert "ရှမ်းပြည်နယ်" in states  # Shan State, merged from MIMU's Shan (North/South/East)
    assert len(states) == len(map_data.boundaries.states)
    english = {label.text for label in LAYER.all_labels(map_data) if label.kind == "state"}
    assert english == set(map_data.boundaries.states["name"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name_en\nShan\n", r"missing columns \['name_my'\]"),
        ("name_en,name_my\nShan,ရှမ်းပြည်နယ်\n,ချင်းပြည်နယ်\n", r"row 3, field name_en: empty"),
        ("name_en,name_my\nShan,Shan State\n", r"row 2, field name_my: 'Shan State' is not in Myanmar script"),
    ],
)
def test_bad_state_names_file_names_file_row_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "state_names.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaceNamesError, match=message) as raised:
        load_state_names(path)
    assert str(path) in str(raised.value)
