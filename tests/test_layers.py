"""The layer registry and each layer's folium and static rendering."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd
import matplotlib.pyplot as plt
import pytest
from shapely.geometry import Point

from layers import layer_by_id, registry
from layers.base import MapData, MapLayer
from layers.geojson import PUBLISH_ABOVE, StaticGeoJson, publish_features
from layers.labels import PlaceLabels
from layers.mapview import standalone_map
from layers.playback import PlaybackControl, playback_group

EXPECTED_LAYERS = {"countries", "states", "yunnan", "borders", "crossings"}


def test_registry_finds_every_layer_module_in_drawing_order() -> None:
    layers = registry()
    assert {layer.id for layer in layers} >= EXPECTED_LAYERS
    z_orders = [layer.z_order for layer in layers]
    assert z_orders == sorted(z_orders)
    assert [layer.id for layer in layers][:2] == ["countries", "states"]


@pytest.mark.parametrize("layer", registry(), ids=lambda layer: layer.id)
def test_layer_declares_its_shape(layer: MapLayer) -> None:
    assert re.fullmatch(r"[a-z_]+", layer.id)
    assert layer.title
    assert isinstance(layer.default_visible, bool)
    assert layer.legend
    for entry in layer.legend:
        assert re.fullmatch(r"#[0-9a-f]{6}", entry.color)
        assert entry.kind in {"area", "line", "point", "hollow-point"}


def test_unknown_layer_id_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown layer 'rivers'; known layers: countries"):
        layer_by_id("rivers")


@pytest.mark.parametrize("layer", registry(), ids=lambda layer: layer.id)
def test_layer_renders_to_folium(layer: MapLayer, map_data: MapData) -> None:
    group = layer.to_folium(map_data)
    assert isinstance(group, folium.FeatureGroup)
    assert group.layer_name == layer.title
    assert group._children, f"{layer.id} drew nothing"


@pytest.mark.parametrize("layer", registry(), ids=lambda layer: layer.id)
def test_layer_draws_a_static_image(layer: MapLayer, map_data: MapData) -> None:
    fig, ax = plt.subplots()
    try:
        layer.draw_static(ax, map_data)
        assert ax.collections or ax.patches or ax.lines or ax.artists or ax.images or ax.texts, (
            f"{layer.id} drew nothing"
        )
    finally:
        plt.close(fig)


def test_map_html_names_no_remote_asset(map_data: MapData) -> None:
    html = standalone_map(map_data, [layer.id for layer in registry()]).get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    remote = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)
    assert remote == []


def test_crossing_names_in_map_html_are_escaped(map_data: MapData) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    crossings = gpd.GeoDataFrame(
        {
            "name": [hostile],
            "myanmar_town": ["<script>alert(2)</script>"],
            "neighbour_town": ["Ruili"],
            "neighbour_country": ["China"],
            "source": ["test"],
        },
        geometry=[Point(97.9, 23.98)],
        crs=4326,
    )
    data = MapData(replace(map_data.boundaries, crossings=crossings))
    html = standalone_map(data, ["crossings"]).get_root().render()
    assert hostile not in html
    assert "<script>alert(2)</script>" not in html
    # The text travels as JSON with <, > and & escaped; tooltip and popup show it through text nodes.
    assert json_escaped(hostile) in html
    assert json_escaped("<script>alert(2)</script>") in html
    assert "text.textContent = label" in html and "textContent = value" in html


def test_hidden_layers_are_left_out(map_data: MapData) -> None:
    html = standalone_map(map_data, ["states"]).get_root().render()
    assert "Shan" in html
    assert "Yunnan province (China)" not in html


def test_front_text_in_map_html_is_escaped(map_data: MapData) -> None:
    fronts = map_data.fronts.head(2).copy()
    fronts["actor"] = ["<script>alert(3)</script>", "Army & <b>allies</b>"]
    html = standalone_map(replace(map_data, fronts=fronts), ["fronts"]).get_root().render()
    assert "<script>alert(3)" not in html and "<b>allies</b>" not in html
    # The text travels as JSON with <, > and & escaped, and the popup shows it through text nodes.
    assert json_escaped("<script>alert(3)</script>") in html
    assert json_escaped("Army & <b>allies</b>") in html
    assert "head.textContent = name" in html and "textContent = value" in html


@pytest.mark.parametrize(("layer_id", "column"), [("fronts", "actor"), ("events", "actor1")])
def test_template_syntax_in_user_text_stays_literal(map_data: MapData, layer_id: str, column: str) -> None:
    # branca re-parses rendered scripts as Jinja templates; user text must never be evaluated.
    rows = getattr(map_data, layer_id).head(1).copy()  # the layer draws the MapData field of its name
    rows[column] = ["{{ 7 * 7 }} {% if true %}yes{% endif %}"]
    html = standalone_map(replace(map_data, **{layer_id: rows}), [layer_id]).get_root().render()
    assert "{{ 7 * 7 }} {% if true %}yes{% endif %}" in html
    assert "49 yes" not in html


def json_escaped(text: str) -> str:
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@pytest.mark.parametrize("layer_id", ["states", "state_choropleth"])
def test_boundary_names_reach_the_page_as_text(map_data: MapData, layer_id: str) -> None:
    states = map_data.boundaries.states.copy()
    states.loc[0, "name"] = "<img src=x onerror=alert(4)>"
    data = replace(map_data, boundaries=replace(map_data.boundaries, states=states))
    html = standalone_map(data, [layer_id]).get_root().render()
    assert "<img src=x" not in html
    assert "\\u003cimg src=x onerror=alert(4)\\u003e" in html
    assert "text.textContent = label" in html  # tooltips are text nodes, never parsed as HTML


def drawn(group: folium.FeatureGroup) -> StaticGeoJson:
    """The group's one feature element (besides its legend section)."""
    (element,) = [child for child in group._children.values() if isinstance(child, StaticGeoJson)]
    return element


def test_boundary_features_are_built_once_per_data_set(map_data: MapData) -> None:
    layer = layer_by_id("countries")
    first = layer.to_folium(map_data)
    second = layer.to_folium(map_data)
    assert drawn(first).data_json is drawn(second).data_json


def test_page_publishes_large_outlines_once_and_sends_only_their_address(map_data: MapData, tmp_path) -> None:
    groups = [layer_by_id(layer_id).to_folium(map_data) for layer_id in ("countries", "states", "crossings")]
    countries, states, crossings = (drawn(group) for group in groups)
    assert len(crossings.data_json) <= PUBLISH_ABOVE < len(countries.data_json)
    publish_features(groups, tmp_path, "/app/static/features")
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 2  # countries and states; the few crossings stay in the script
    assert {f.read_text(encoding="utf-8") for f in files} == {countries.data_json, states.data_json}
    fmap = folium.Map()
    for group in groups:
        group.add_to(fmap)
    script = fmap.get_root().render()
    assert countries.data_json not in script and states.data_json not in script
    assert f'McmFeatures.load("/app/static/features/{Path(countries.data_url.strip(chr(34))).name}"' in script
    assert crossings.data_url is None and crossings.data_json in script
    # The next page run names the same files and writes nothing.
    before = {f: f.stat().st_mtime_ns for f in files}
    again = [layer_by_id(layer_id).to_folium(map_data) for layer_id in ("countries", "states")]
    publish_features(again, tmp_path, "/app/static/features")
    assert [drawn(group).data_url for group in again] == [countries.data_url, states.data_url]
    assert sorted(tmp_path.glob("*.json")) == files
    assert all(f.stat().st_mtime_ns >= before[f] for f in files)


def test_page_publishes_place_names_too_and_draws_them_from_the_file(map_data: MapData, tmp_path) -> None:
    group = layer_by_id("labels").to_folium(map_data)
    (names,) = [child for child in group._children.values() if isinstance(child, PlaceLabels)]
    publish_features([group], tmp_path, "/app/static/features")
    (published,) = tmp_path.glob("*.json")
    assert published.read_text(encoding="utf-8") == names.data_json
    fmap = folium.Map()
    group.add_to(fmap)
    script = fmap.get_root().render()
    assert names.data_json not in script
    assert f"McmFeatures.load({names.data_url}, attach)" in script and "McmLabels.attach(" in script


def test_exports_keep_their_outlines_inline(map_data: MapData) -> None:
    html = standalone_map(map_data, ["countries"]).get_root().render()
    assert "McmFeatures.load" not in html and drawn(layer_by_id("countries").to_folium(map_data)).data_json in html


def test_fronts_json_is_reused_for_the_same_fronts_selected_again(map_data: MapData) -> None:
    layer = layer_by_id("fronts")

    def data_json(fronts: gpd.GeoDataFrame) -> str:
        return drawn(layer.to_folium(replace(map_data, fronts=fronts))).data_json

    first = data_json(map_data.fronts.copy())
    assert data_json(map_data.fronts.copy()) is first  # a new frame, same rows: no rebuild
    changed = map_data.fronts.copy()
    changed.loc[changed.index[0], "actor"] = "Another actor"
    rebuilt = data_json(changed)
    assert rebuilt is not first and "Another actor" in rebuilt
    assert data_json(map_data.fronts.head(1)) != first


def test_state_choropleth_reuses_its_outlines_and_sends_new_colours(map_data: MapData) -> None:
    layer = layer_by_id("state_choropleth")

    def element(events: gpd.GeoDataFrame) -> StaticGeoJson:
        return drawn(layer.to_folium(replace(map_data, events=events)))

    everything, shan_only = element(map_data.events), element(map_data.events[map_data.events["state"] == "Shan"])
    assert shan_only.data_json is everything.data_json  # outlines serialised once
    labels = {p["label"].split(":")[0]: p for p in json.loads(shan_only.properties_json)}
    assert labels["Shan"]["label"].startswith(f"Shan: {(map_data.events['state'] == 'Shan').sum()} events")
    assert labels["Chin"]["label"].startswith("Chin: 0 events")
    assert (
        labels["Chin"]["style"]["fillColor"]
        != json.loads(everything.properties_json)[list(map_data.boundaries.states["name"]).index("Chin")]["style"][
            "fillColor"
        ]
    )


def test_playback_control_joins_the_map_with_the_period_in_days(map_data: MapData) -> None:
    html = standalone_map(map_data, ["events"]).get_root().render()
    first, last = map_data.period
    days = [(d - date(1970, 1, 1)).days for d in (first, last)]
    assert f"McmPlayback.control(L, {json.dumps(days)}[0], {json.dumps(days)}[1])" in html
    assert "/mcm/playback.js" in html and "/mcm/events.js" in html
    assert playback_group(replace(map_data, period=None)) is None
    with pytest.raises(ValueError, match="before it starts"):
        PlaybackControl(last, first)


def _kept_parts(data: MapData, visible: list[str]) -> dict[str, str]:
    """Layer id -> browser key, as one page run hands the layers to streamlit-folium."""
    from layers.mapview import KeptLayers, base_map, layer_groups

    fmap = base_map()
    kept = KeptLayers(layer_groups(data, visible))
    kept.add_to(fmap)
    return {layer_id: key for layer_id, (key, _, _) in zip(visible, kept.parts(), strict=True)}


def test_kept_layers_key_a_layer_by_what_it_draws_not_by_the_run(map_data: MapData) -> None:
    """Two page runs of the same view give the same keys (the browser keeps every layer); a
    smaller set of events changes the events layer's key and no other."""
    visible = ["countries", "states", "borders", "crossings", "control", "events", "labels"]
    first, again = _kept_parts(map_data, visible), _kept_parts(map_data, visible)
    assert first == again
    assert len(set(first.values())) == len(visible)
    fewer = replace(map_data, events=map_data.events[map_data.events["fatalities"] > 0])
    changed = _kept_parts(fewer, visible)
    assert {layer for layer in visible if changed[layer] != first[layer]} == {"events"}


def test_kept_layers_script_builds_each_group_inside_its_own_function(map_data: MapData) -> None:
    from layers.mapview import KeptLayers, base_map, layer_groups

    fmap = base_map()
    kept = KeptLayers(layer_groups(map_data, ["states", "events"]))
    kept.add_to(fmap)
    script = kept._template.module.script(kept, {})
    assert f"McmKeep.sync({fmap.get_name()}, [" in script
    parts = list(kept.parts())
    assert len(parts) == 2
    for key, part, name in parts:
        assert f"var {name} = L.featureGroup(" in part
        assert f"{name}.addTo({fmap.get_name()})" in part
        assert f"[{key}, () => {{" in script and f"return {name};" in script
